//! `report PLAN`: the cost report in any format.

use super::super::args::PriceSource;
use super::super::args::ReportArgs;
use super::super::error::CliError;
use super::super::load::load_plan;
use super::super::output::Target;
use super::{facts, price_book_for, prices::plan_regions, today};
use crate::core::plan::CheckOptions;
use crate::core::report;
use crate::export::{self, ReportFormat};

pub fn run(args: ReportArgs) -> Result<(), CliError> {
    let target = Target::from_arg(args.output.as_deref());
    target.check()?;
    let facts = facts()?;
    let regions = match args.prices.source {
        PriceSource::Live => plan_regions(&args.plan)?,
        _ => Vec::new(),
    };
    let book = price_book_for(&args.prices, &regions)?;
    let plan = load_plan(
        &args.plan,
        &facts,
        &book,
        CheckOptions {
            round_up: args.round_up,
        },
    )?;
    if let Some(old_path) = &args.compare_to {
        let old_plan = load_plan(
            old_path,
            &facts,
            &book,
            CheckOptions {
                round_up: args.round_up,
            },
        )?;
        let price = |plan| {
            report::build(plan, &book, &facts, today())
                .map_err(|e| CliError::failure(e.to_string()))
        };
        let d = crate::core::diff::diff(&price(&old_plan)?, &price(&plan)?);
        let bytes = match args.format {
            ReportFormat::Markdown => export::diff::markdown(&d).into_bytes(),
            ReportFormat::Table => export::diff::table(&d).into_bytes(),
            ReportFormat::Json => {
                export::diff::json(&d).map_err(|e| CliError::failure(e.to_string()))?
            }
            ReportFormat::Csv | ReportFormat::Html => {
                return Err(
                    CliError::bad_input("--compare-to prints a table, markdown or json")
                        .detail("use --format markdown for a pull-request comment"),
                );
            }
        };
        return target.write(&bytes);
    }
    let report = report::build(&plan, &book, &facts, today()).map_err(|e| {
        CliError::failure(e.to_string()).detail("prices come from the embedded snapshot (data/prices.csv) and the cache (`--prices`); `fargate-planner prices fetch --region REGION` or `prices import FILE` adds what is missing")
    })?;
    let bytes =
        export::render(&report, args.format).map_err(|e| CliError::failure(e.to_string()))?;
    target.write(&bytes)
}
