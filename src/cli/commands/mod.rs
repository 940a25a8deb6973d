//! One module per subcommand; each loads what it needs through `session` (or `input`), calls
//! `core`, and hands a value to an exporter. Commands never import each other.

mod compare;
mod completions;
mod deploy;
mod export;
mod import;
mod init;
mod prices;
mod prices_export;
mod recommend;
mod report;
mod scan;
mod simulate;
mod validate;

use super::args::{Cli, Command, ExportCommand, ImportCommand, InputFormat, PricesCommand};
use super::error::CliError;

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Report(a) => report::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Prices(PricesCommand::Show(a)) => prices::show(a),
        Command::Prices(PricesCommand::Fetch(a)) => prices::fetch(a),
        Command::Prices(PricesCommand::Import(a)) => prices::import(a),
        Command::Prices(PricesCommand::Export(a)) => prices_export::run(a),
        Command::Init(a) => init::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Export(ExportCommand::Budget(a)) => export::budget(a),
        Command::Deploy(a) => deploy::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Recommend(a) => recommend::run(a),
        Command::Import(ImportCommand::Taskdef(a)) => import::taskdef(a),
        Command::Import(ImportCommand::Cfn(a)) => import::infra(a, InputFormat::Cloudformation),
        Command::Import(ImportCommand::Terraform(a)) => import::infra(a, InputFormat::Terraform),
        Command::Scan(a) => scan::run(a),
        Command::Completions(a) => completions::completions(a),
        Command::Man => completions::man(),
    }
}
