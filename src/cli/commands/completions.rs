//! `completions SHELL` and `man`: generated from the clap definitions, so they never drift from
//! the commands they describe.

use super::super::args::{Cli, CompletionsArgs};
use super::super::error::CliError;
use super::super::output::Target;
use clap::CommandFactory;

pub fn completions(args: CompletionsArgs) -> Result<(), CliError> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "fargate-planner", &mut out);
    Target::Stdout.write(&out)
}

pub fn man() -> Result<(), CliError> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| CliError::failure(format!("cannot render the manual page: {e}")))?;
    Target::Stdout.write(&out)
}
