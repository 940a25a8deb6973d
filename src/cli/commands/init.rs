//! `init [FILE]`: a commented starter plan, the web server this project started from.

use super::super::args::InitArgs;
use super::super::error::CliError;
use super::super::output::diag;
use super::super::output::{Target, write_atomic};
use std::path::Path;

pub const STARTER_PLAN: &str = include_str!("../../../examples/webserver.toml");

pub fn run(args: InitArgs) -> Result<(), CliError> {
    match Target::from_arg(Some(&args.file)) {
        Target::Stdout => Target::Stdout.write(STARTER_PLAN.as_bytes()),
        Target::File(path) => {
            if path.exists() && !args.force {
                return Err(
                    CliError::bad_input(format!("`{}` already exists", path.display()))
                        .detail("pass --force to overwrite it, or name another file"),
                );
            }
            Target::File(path.clone()).check()?;
            write_atomic(Path::new(&path), STARTER_PLAN.as_bytes())?;
            diag!(
                "wrote {}; next: fargate-planner report {}",
                path.display(),
                path.display()
            );
            Ok(())
        }
    }
}
