//! `report PLAN`: the cost report in any format.

use super::super::args::ReportArgs;
use super::super::error::CliError;
use super::super::load::load_plan;
use super::super::output::Target;
use super::{facts, price_book, today};
use crate::core::plan::CheckOptions;
use crate::core::report;
use crate::export;

pub fn run(args: ReportArgs) -> Result<(), CliError> {
    let target = Target::from_arg(args.output.as_deref());
    target.check()?;
    let facts = facts()?;
    let book = price_book()?;
    let plan = load_plan(
        &args.plan,
        &facts,
        &book,
        CheckOptions {
            round_up: args.round_up,
        },
    )?;
    let report = report::build(&plan, &book, &facts, today()).map_err(|e| {
        CliError::failure(e.to_string()).detail("prices come from the embedded snapshot (data/prices.csv); a region or dimension it lacks cannot be priced")
    })?;
    let bytes =
        export::render(&report, args.format).map_err(|e| CliError::failure(e.to_string()))?;
    target.write(&bytes)
}
