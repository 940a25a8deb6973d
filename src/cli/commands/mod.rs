//! One module per subcommand; each reads its inputs, calls `core`, and hands a value to an exporter.

mod init;
mod prices;
mod report;
mod validate;

use super::args::{Cli, Command, PricesCommand};
use super::error::CliError;
use crate::core::facts::Facts;
use crate::core::prices::PriceBook;

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Report(a) => report::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Prices(PricesCommand::Show(a)) => prices::show(a),
        Command::Init(a) => init::run(a),
    }
}

/// The embedded facts; a failure here is a build defect, reported as such.
pub(crate) fn facts() -> Result<Facts, CliError> {
    Facts::embedded().map_err(|e| CliError::failure(e.to_string()))
}

/// The price book the commands use.
pub(crate) fn price_book() -> Result<PriceBook, CliError> {
    PriceBook::embedded().map_err(|e| CliError::failure(e.to_string()))
}

pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
