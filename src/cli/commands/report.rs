//! `report PLAN`: the cost report in any format.

use super::super::args::InputFormat;
use super::super::args::ReportArgs;
use super::super::error::{CliError, ExitKind};
use super::super::infra;
use super::super::input::{self, LoadedPlan};
use super::super::output::{self, Target, refuse_input_as_output, resolve_format};
use super::super::price_source::embedded_savings;
use super::super::session::{self, Session, books_for, today};
use crate::core::plan::terraform::Side;
use crate::core::plan::{CheckOptions, Plan};
use crate::core::pricing::PriceBook;
use crate::core::recommend::{RecommendOptions, recommend};
use crate::core::report::{self, diff::diff, gate};
use crate::core::rules::Facts;
use crate::core::simulate::{SimOptions, simulate};
use crate::core::vocab::money::Usd;
use crate::export::{self, ReportFormat};

pub fn run(args: ReportArgs) -> Result<(), CliError> {
    let target = Target::output(args.output.as_deref())?;
    refuse_input_as_output(&target, &[&args.plan])?;
    target.check()?;
    let format = resolve_format(args.format, args.output.as_deref(), ReportFormat::Table)?;
    let facts = session::facts()?;
    let opts = CheckOptions {
        round_up: args.round_up,
    };
    let gates = Gates::parse(&args)?;
    if args.diff {
        if infra::detect_file(&args.plan, args.taskdef.input_format) != InputFormat::Terraform {
            return Err(CliError::bad_input(
                "--diff reads the prior state and planned values of a Terraform plan JSON",
            )
            .detail("for a plan, template or task definition, use --compare-to OLD"));
        }
        let new = infra::load_side(&args.plan, &args.taskdef, Side::After, &facts, opts)?;
        let old = infra::load_side(&args.plan, &args.taskdef, Side::Before, &facts, opts)?;
        return compare_to(&args, format, &target, &facts, &new, &old, &gates);
    }
    let loaded = infra::load_plan(&args.plan, &args.taskdef, &facts, opts)?;
    if let Some(old_path) = &args.compare_to {
        // --region and the input options describe JSON or template input; a TOML old plan has
        // its own.
        let old_input = if infra::is_not_plan(old_path, args.taskdef.input_format) {
            args.taskdef.clone()
        } else {
            Default::default()
        };
        let old = infra::load_plan(old_path, &old_input, &facts, opts)?;
        return compare_to(&args, format, &target, &facts, &loaded, &old, &gates);
    }
    let inputs = input::describe(&loaded.source);
    let Session { facts, plan, books } = session::priced(facts, loaded, &args.prices, false)?;
    let book = books.fargate;
    let mut report = report::build(&plan, &book, &facts, today()).map_err(|e| {
        CliError::failure(e.to_string()).detail("prices come from the embedded snapshot (data/prices.csv) and the cache (`--prices`); `fargate-planner prices fetch --region REGION` or `prices import FILE` adds what is missing")
    })?;
    report.inputs = inputs;
    let bytes = if args.simulate {
        if format != ReportFormat::Html {
            return Err(
                CliError::bad_input("--simulate draws charts for --format html only").detail(
                    "for the simulation's figures in other formats, run `fargate-planner simulate`",
                ),
            );
        }
        week_html(&report, &plan, &book, &facts, args.seed)?
    } else if format == ReportFormat::Table {
        // Streamed: a large plan's text is written a batch of services at a time.
        drop(plan);
        let width = output::table_width(&target);
        target.write_with(&mut |w| {
            export::table::write(&report, width, &mut |piece| w.write_all(piece.as_bytes()))
        })?;
        return gates.judge(report.totals.plan_monthly, None);
    } else if format == ReportFormat::Json {
        drop(plan);
        target.write_with(&mut |w| export::json::write(&report, w))?;
        return gates.judge(report.totals.plan_monthly, None);
    } else {
        export::render(&report, format, output::table_width(&target))?
    };
    target.write(&bytes)?;
    gates.judge(report.totals.plan_monthly, None)
}

/// The cost gates of `report`, parsed before any work so that a bad limit fails at once.
struct Gates {
    ceiling: Option<Usd>,
    increase: Option<gate::Increase>,
}

impl Gates {
    fn parse(args: &ReportArgs) -> Result<Gates, CliError> {
        let ceiling = args
            .fail_above
            .as_deref()
            .map(gate::parse_ceiling)
            .transpose()
            .map_err(CliError::bad_input)?;
        let increase = args
            .fail_on_increase
            .as_deref()
            .map(gate::parse_increase)
            .transpose()
            .map_err(CliError::bad_input)?;
        if increase.is_some() && args.compare_to.is_none() && !args.diff {
            return Err(CliError::bad_input(
                "--fail-on-increase needs something to compare with: --compare-to OLD, or --diff for a Terraform plan",
            ));
        }
        Ok(Gates { ceiling, increase })
    }

    /// Exit code 3 when a gate is crossed (the report is already written).
    fn judge(&self, after: Usd, before: Option<Usd>) -> Result<(), CliError> {
        let mut crossed = Vec::new();
        if let Some(c) = self.ceiling {
            crossed.extend(gate::check_ceiling(after, c));
        }
        if let (Some(limit), Some(before)) = (self.increase, before) {
            crossed.extend(gate::check_increase(before, after, limit));
        }
        if crossed.is_empty() {
            return Ok(());
        }
        let mut err = CliError::new(ExitKind::Gate, format!("cost gate: {}", crossed.join("; ")));
        err = err.detail(
            "exit code 3: the report above is complete; the change costs more than the gate allows",
        );
        Err(err)
    }
}

/// `--compare-to OLD_PLAN`: both plans priced on the same prices, and what changed.
fn compare_to(
    args: &ReportArgs,
    format: ReportFormat,
    target: &Target,
    facts: &Facts,
    new: &LoadedPlan,
    old: &LoadedPlan,
    gates: &Gates,
) -> Result<(), CliError> {
    let books = books_for(&[new, old], &args.prices, false)?;
    let price =
        |plan: &Plan| report::build(plan, &books.fargate, facts, today()).map_err(CliError::from);
    let d = diff(&price(&old.plan)?, &price(&new.plan)?);
    let bytes = match format {
        ReportFormat::Markdown => export::diff::markdown(&d).into_bytes(),
        ReportFormat::Table => export::diff::table(&d, output::table_width(target)).into_bytes(),
        ReportFormat::Json => export::diff::json(&d)?,
        ReportFormat::Csv | ReportFormat::Html => {
            return Err(
                CliError::bad_input("--compare-to prints a table, markdown or json")
                    .detail("use --format markdown for a pull-request comment"),
            );
        }
    };
    target.write(&bytes)?;
    gates.judge(d.after_monthly, Some(d.before_monthly))
}

/// Trials per candidate for the frontier charts of `report --simulate`.
const FRONTIER_TRIALS: u32 = 100;

/// The HTML report with one simulated week per service (trial 0, 15-minute samples) and each
/// service's cost-against-availability frontier.
fn week_html(
    report: &report::Report,
    plan: &Plan,
    book: &PriceBook,
    facts: &Facts,
    seed: u64,
) -> Result<Vec<u8>, CliError> {
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
    let rec_opts = RecommendOptions {
        trials: FRONTIER_TRIALS,
        seed,
        horizon_minutes: 30 * 24 * 60,
        start,
        today: today(),
    };
    let savings = embedded_savings()?;
    let rec = recommend(plan, &[], book, &savings, facts, &rec_opts, &|_| {})
        .map_err(|e| CliError::failure(e.to_string()))?;
    let rec_about = format!(
        "Each service's candidates (architecture, size, capacity provider strategy) from \
         `fargate-planner recommend` with {FRONTIER_TRIALS} trials over 30 days, seed {seed}: the frontier \
         holds the candidates no cheaper one beats on availability. The vertical line is the \
         availability target; run `fargate-planner recommend` for the full answer and its reasons."
    );
    export::html::render_with(report, Some((&timeline, &about)), Some((&rec, &rec_about)))
        .map(String::into_bytes)
        .map_err(CliError::from)
}
