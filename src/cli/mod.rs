//! The command line: arguments in, files and terminal out. All numbers come from `core`.
//!
//! Exit codes: 0 success, 1 failure (a missing price, an I/O or AWS error), 2 bad input
//! (a plan or argument that breaks a rule), 3 a cost gate crossed (`report --fail-above`,
//! `--fail-on-increase`), as README.md lists them.
//!
//! Floors, each importing only those below it: `args`, `error` and `output` (plain data and
//! the edge's error and writer); `input` (plan and task definition files), then `infra` (the
//! kind of input read from its content; CloudFormation and Terraform), `price_source` (the
//! embedded, cached or fetched prices, with `savings_fetch` for the Savings Plans files);
//! `session` (the one loading step commands share); and `commands`, one module per subcommand.

mod args;
mod commands;
mod embedded;
mod error;
mod files;
mod image_cache;
mod images;
mod infra;
mod input;
mod output;
mod price_source;
mod savings_fetch;
mod session;

pub use args::Cli;
pub use error::{CliError, ExitKind};

use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    // `--version` also dates the embedded price books.
    let long_version = format!(
        "{}\n{}",
        env!("CARGO_PKG_VERSION"),
        price_source::embedded_dates()
    );
    let parsed = Cli::command()
        // clap keeps `&'static str`s; one short string per process.
        .long_version(&*Box::leak(long_version.into_boxed_str()))
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with exit 0, usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    output::set_quiet(cli.quiet);
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::always(&e.render());
            ExitCode::from(e.kind.code())
        }
    }
}
