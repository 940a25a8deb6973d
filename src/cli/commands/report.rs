//! `report PLAN`: the cost report in any format.

use super::super::args::PriceSource;
use super::super::args::ReportArgs;
use super::super::error::CliError;
use super::super::load::load_plan;
use super::super::output::Target;
use super::super::taskdef;
use super::{facts, price_book_for, prices::plan_regions, today};
use crate::core::plan::CheckOptions;
use crate::core::report;
use crate::export::{self, ReportFormat};

pub fn run(args: ReportArgs) -> Result<(), CliError> {
    let target = Target::from_arg(args.output.as_deref());
    target.check()?;
    let facts = facts()?;
    let json = taskdef::is_json(&args.plan);
    if !json && (args.region.is_some() || args.desired_count.is_some()) {
        return Err(CliError::bad_input(
            "--region and --desired-count apply to task definition JSON input only",
        )
        .detail("fix: set `region` and `desired_count` in the plan file"));
    }
    let regions = match (args.prices.source, json) {
        (PriceSource::Live, true) => taskdef::quiet_region(&args.plan, args.region.as_deref()),
        (PriceSource::Live, false) => plan_regions(&args.plan)?,
        _ => Vec::new(),
    };
    let book = price_book_for(&args.prices, &regions)?;
    let opts = CheckOptions {
        round_up: args.round_up,
    };
    let plan = if json {
        taskdef::load_plan(
            std::slice::from_ref(&args.plan),
            args.region.as_deref(),
            args.desired_count.unwrap_or(1),
            &facts,
            &book,
            opts,
        )?
    } else {
        load_plan(&args.plan, &facts, &book, opts)?
    };
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
    let bytes = if args.simulate {
        if args.format != ReportFormat::Html {
            return Err(
                CliError::bad_input("--simulate draws charts for --format html only").detail(
                    "for the simulation's figures in other formats, run `fargate-planner simulate`",
                ),
            );
        }
        week_html(&report, &plan, &book, &facts, args.seed)?
    } else {
        export::render(&report, args.format).map_err(|e| CliError::failure(e.to_string()))?
    };
    target.write(&bytes)
}

/// Trials per candidate for the frontier charts of `report --simulate`.
const FRONTIER_TRIALS: u32 = 100;

/// The HTML report with one simulated week per service (trial 0, 15-minute samples) and each
/// service's cost-against-availability frontier.
fn week_html(
    report: &report::Report,
    plan: &crate::core::plan::Plan,
    book: &crate::core::prices::PriceBook,
    facts: &crate::core::facts::Facts,
    seed: u64,
) -> Result<Vec<u8>, CliError> {
    use crate::core::simulate::{SimOptions, simulate};
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
        .ok_or_else(|| CliError::failure("invalid start date"))?;
    let opts = SimOptions {
        trials: 1,
        seed,
        horizon_minutes: 7 * 24 * 60,
        start,
        timeline_step_s: Some(15 * 60),
    };
    let (_, timeline) = simulate(plan, &[], book, facts, &opts, &|_| {})
        .map_err(|e| CliError::failure(e.to_string()))?;
    let timeline =
        timeline.ok_or_else(|| CliError::failure("the simulation returned no timeline"))?;
    let about = format!(
        "Trial 0 of a simulation with seed {seed}, starting Monday {start} 00:00 UTC, sampled every 15 minutes, \
         with each service's autoscaling, load and Spot assumptions (AWS publishes no Spot interruption rate; \
         `fargate-planner simulate` shows the distributions and the assumptions in full)."
    );
    // The frontier per service: the recommender with modest settings (the `recommend` command
    // runs 500 trials; 100 keep the report quick).
    let rec_opts = crate::core::recommend::RecommendOptions {
        trials: FRONTIER_TRIALS,
        seed,
        horizon_minutes: 30 * 24 * 60,
        start,
        today: today(),
    };
    let savings = crate::core::prices::SavingsRates::embedded()
        .map_err(|e| CliError::failure(e.to_string()))?;
    let rec =
        crate::core::recommend::recommend(plan, &[], book, &savings, facts, &rec_opts, &|_| {})
            .map_err(|e| CliError::failure(e.to_string()))?;
    let rec_about = format!(
        "Each service's candidates (architecture, size, capacity provider strategy) from \
         `fargate-planner recommend` with {FRONTIER_TRIALS} trials over 30 days, seed {seed}: the frontier \
         holds the candidates no cheaper one beats on availability. The vertical line is the \
         availability target; run `fargate-planner recommend` for the full answer and its reasons."
    );
    export::html::render_with(report, Some((&timeline, &about)), Some((&rec, &rec_about)))
        .map(String::into_bytes)
        .map_err(|e| CliError::failure(e.to_string()))
}
