//! `simulate PLAN`: Monte Carlo cost and availability per service, an optional timeline CSV, and
//! a progress bar on a terminal. Reads load CSV files for the core, which never touches files.

use super::super::args::{PriceSource, SimulateArgs};
use super::super::error::CliError;
use super::super::load::load_plan;
use super::super::output::Target;
use super::{facts, price_book_for, prices::plan_regions};
use crate::core::plan::{CheckOptions, LoadShape, Plan};
use crate::core::problem::did_you_mean;
use crate::core::simulate::settings::{parse_duration, parse_load_csv};
use crate::core::simulate::{SimError, SimOptions, parse_horizon, simulate};
use crate::core::units::Scalar;
use crate::export;
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;

pub fn run(args: SimulateArgs) -> Result<(), CliError> {
    // Arguments first, so a typo fails before any work.
    let (horizon_minutes, start) = monte_carlo_args(&args.horizon, &args.start, args.trials)?;
    let timeline_step_s = match &args.timeline {
        None => None,
        Some(_) => {
            let step = parse_duration(&Scalar::Text(args.timeline_step.clone()))
                .ok()
                .filter(|s| *s >= 60 && s % 60 == 0)
                .ok_or_else(|| {
                    CliError::bad_input(format!(
                        "--timeline-step: `{}` is not a step of whole minutes; use e.g. 5m or 1h",
                        args.timeline_step
                    ))
                })?;
            Some(u64::from(step))
        }
    };
    let target = Target::from_arg(args.output.as_deref());
    target.check()?;
    let timeline_target = args.timeline.as_deref().map(|p| Target::from_arg(Some(p)));
    if let Some(t) = &timeline_target {
        t.check()?;
    }

    let facts = facts()?;
    let regions = match args.prices.source {
        PriceSource::Live => plan_regions(&args.plan)?,
        _ => Vec::new(),
    };
    let book = price_book_for(&args.prices, &regions)?;
    let mut plan = load_plan(
        &args.plan,
        &facts,
        &book,
        CheckOptions {
            round_up: args.round_up,
        },
    )?;
    check_services(&plan, &args.service)?;
    read_load_files(&mut plan, &args.plan, &args.service)?;

    let chosen = plan
        .services
        .iter()
        .filter(|s| args.service.is_empty() || args.service.contains(&s.name))
        .count() as u64;
    let bar = progress_bar(chosen * u64::from(args.trials), "trials");
    let opts = SimOptions {
        trials: args.trials,
        seed: args.seed,
        horizon_minutes,
        start,
        timeline_step_s,
    };
    let result = simulate(&plan, &args.service, &book, &facts, &opts, &|n| bar.inc(n));
    bar.finish_and_clear();
    let (sim, timeline) = result.map_err(|e| match e {
        SimError::Input(m) => CliError::bad_input(m),
        SimError::Price { .. } => CliError::failure(e.to_string()).detail(
            "`fargate-planner prices fetch --region REGION` or `prices import FILE` adds what is missing",
        ),
    })?;
    if let (Some(t), Some(timeline)) = (&timeline_target, &timeline) {
        let bytes = export::simulate::timeline_csv(timeline)
            .map_err(|e| CliError::failure(e.to_string()))?;
        t.write(&bytes)?;
    }
    let bytes = export::simulate::render(&sim, args.format)
        .map_err(|e| CliError::failure(e.to_string()))?;
    target.write(&bytes)
}

/// `--horizon`, `--start` and `--trials` of the Monte Carlo commands (`simulate`, `recommend`):
/// the horizon in minutes and the start date, or a bad-input error naming the argument.
pub(super) fn monte_carlo_args(
    horizon: &str,
    start: &str,
    trials: u32,
) -> Result<(u32, NaiveDate), CliError> {
    let horizon_minutes =
        parse_horizon(horizon).map_err(|e| CliError::bad_input(format!("--horizon: {e}")))?;
    let start = NaiveDate::parse_from_str(start.trim(), "%Y-%m-%d").map_err(|_| {
        CliError::bad_input(format!(
            "--start: `{start}` is not a date; write YYYY-MM-DD, e.g. 2026-01-05"
        ))
    })?;
    if trials == 0 || trials > crate::core::simulate::MAX_TRIALS {
        return Err(CliError::bad_input(format!(
            "--trials: {trials} is out of range; use 1 to {}",
            crate::core::simulate::MAX_TRIALS
        )));
    }
    Ok((horizon_minutes, start))
}

pub(super) fn check_services(plan: &Plan, wanted: &[String]) -> Result<(), CliError> {
    for name in wanted {
        if !plan.services.iter().any(|s| &s.name == name) {
            let names: Vec<&str> = plan.services.iter().map(|s| s.name.as_str()).collect();
            let hint = did_you_mean(name, names.iter().copied())
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            return Err(CliError::bad_input(format!(
                "--service: the plan has no service named `{name}`"
            ))
            .detail(format!("{hint}services in the plan: {}", names.join(", "))));
        }
    }
    Ok(())
}

/// Replaces every `load.file` with the series it holds (path relative to the plan file).
pub(super) fn read_load_files(
    plan: &mut Plan,
    plan_path: &Path,
    only: &[String],
) -> Result<(), CliError> {
    let dir = plan_path.parent().unwrap_or(Path::new("."));
    for s in &mut plan.services {
        if !only.is_empty() && !only.contains(&s.name) {
            continue;
        }
        let Some(load) = s.load.as_mut() else {
            continue;
        };
        let LoadShape::File { path } = &load.shape else {
            continue;
        };
        let file = dir.join(path);
        let text = std::fs::read_to_string(&file).map_err(|e| {
            CliError::bad_input(format!(
                "{}: service `{}`: cannot read load file `{}`: {e}",
                plan_path.display(),
                s.name,
                file.display()
            ))
            .detail("the path in `load.file` is relative to the plan file")
        })?;
        load.shape = parse_load_csv(&text).map_err(|e| {
            CliError::bad_input(format!("{}: {e}", file.display())).detail(format!(
                "load of service `{}`: a header `minute,value`, then one row per step from minute 0",
                s.name
            ))
        })?;
    }
    Ok(())
}

/// A bar on stderr when it is a terminal; hidden otherwise (pipes, CI, tests).
pub(super) fn progress_bar(total: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{{spinner}} simulating {{bar:40}} {{pos}}/{{len}} {what} ({{eta}})"
    )) {
        bar.set_style(style);
    }
    bar
}
