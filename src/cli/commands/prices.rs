//! `prices show`: the price book with sources and dates.

use super::super::args::PricesShowArgs;
use super::super::error::CliError;
use super::{price_book, today};
use crate::core::problem::did_you_mean;
use crate::export;

pub fn show(args: PricesShowArgs) -> Result<(), CliError> {
    let book = price_book()?;
    let prices: Vec<_> = match &args.region {
        None => book.iter().collect(),
        Some(region) => {
            if !book.has_region(region) {
                let known = book.regions();
                let mut err = CliError::bad_input(format!("no prices for region `{region}`"));
                if let Some(best) = did_you_mean(region, known.iter().copied()) {
                    err = err.detail(format!("did you mean `{best}`?"));
                }
                return Err(err.detail(format!("known regions: {}", known.join(", "))));
            }
            book.in_region(region).collect()
        }
    };
    print!("{}", export::prices::render(&prices, today()));
    Ok(())
}
