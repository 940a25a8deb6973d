//! The command line: arguments in, files and terminal out. All numbers come from `core`.
//!
//! Exit codes: 0 success, 1 failure (a missing price, an I/O or AWS error), 2 bad input
//! (a plan or argument that breaks a rule). See the README.

mod args;
mod commands;
mod error;
mod load;
mod output;
mod taskdef;

pub use args::Cli;
pub use error::{CliError, ExitKind};

use clap::Parser;
use std::process::ExitCode;

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with exit 0, usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{}", e.render());
            ExitCode::from(e.kind.code())
        }
    }
}
