//! One module per subcommand; each reads its inputs, calls `core`, and hands a value to an exporter.

mod compare;
mod deploy;
mod export;
mod import;
mod init;
mod prices;
mod recommend;
mod report;
mod scan;
mod simulate;
mod validate;

use super::args::{Cli, Command, ExportCommand, ImportCommand, PriceArgs, PricesCommand};
use super::error::CliError;
use crate::core::facts::Facts;
use crate::core::prices::PriceBook;

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Report(a) => report::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Prices(PricesCommand::Show(a)) => prices::show(a),
        Command::Prices(PricesCommand::Fetch(a)) => prices::fetch(a),
        Command::Prices(PricesCommand::Import(a)) => prices::import(a),
        Command::Init(a) => init::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Export(ExportCommand::Budget(a)) => export::budget(a),
        Command::Deploy(a) => deploy::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Recommend(a) => recommend::run(a),
        Command::Import(ImportCommand::Taskdef(a)) => import::taskdef(a),
        Command::Scan(a) => scan::run(a),
    }
}

/// The embedded facts; a failure here is a build defect, reported as such.
pub(crate) fn facts() -> Result<Facts, CliError> {
    Facts::embedded().map_err(|e| CliError::failure(e.to_string()))
}

/// The price book with the default source (`--prices auto`: the cache where it has the price,
/// the embedded snapshot elsewhere); warnings go to stderr. Pricing commands should flatten
/// [`PriceArgs`] and call [`price_book_for`] instead.
pub(crate) fn price_book() -> Result<PriceBook, CliError> {
    price_book_for(&PriceArgs::default(), &[])
}

/// The price book from the source the user chose, with its warnings (a cache older than 30
/// days, a corrupt cache ignored) printed on stderr. `regions` are the regions the command will
/// price; only `--prices live` uses them (it fetches just those).
pub(crate) fn price_book_for(args: &PriceArgs, regions: &[String]) -> Result<PriceBook, CliError> {
    let (book, warnings) = load_price_book(args, regions)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(book)
}

/// Like [`price_book_for`] but returns the warnings instead of printing them.
pub(crate) fn load_price_book(
    args: &PriceArgs,
    regions: &[String],
) -> Result<(PriceBook, Vec<String>), CliError> {
    prices::load_book(args, regions)
}

pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
