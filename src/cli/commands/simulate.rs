//! `simulate PLAN`: Monte Carlo cost and availability per service, an optional timeline CSV, and
//! a progress bar on a terminal. Reads load CSV files for the core, which never touches files.

use super::super::args::SimulateArgs;
use super::super::error::CliError;
use super::super::output::{self, Target, refuse_input_as_output, resolve_format};
use super::super::session::{self, Request, Session, monte_carlo_args, simulation_bar};
use crate::core::plan::sections::parse_duration;
use crate::core::simulate::{SimOptions, simulate};
use crate::core::vocab::units::Scalar;
use crate::export;

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
    let target = Target::output(args.output.as_deref())?;
    refuse_input_as_output(&target, &[&args.plan])?;
    let format = resolve_format(
        args.format,
        args.output.as_deref(),
        crate::export::Format::Table,
    )?;
    target.check()?;
    let timeline_target = args.timeline.as_deref().map(|p| Target::from_arg(Some(p)));
    if let Some(t) = &timeline_target {
        refuse_input_as_output(t, &[&args.plan])?;
        t.check()?;
    }

    let Session { facts, plan, books } = session::load_simulated(
        Request {
            plan: &args.plan,
            taskdef: &args.taskdef,
            round_up: args.round_up,
            prices: &args.prices,
            lambda: false,
        },
        &args.service,
    )?;
    let book = books.fargate;

    let chosen = plan
        .services
        .iter()
        .filter(|s| args.service.is_empty() || args.service.contains(&s.name))
        .count() as u64;
    let bar = simulation_bar(chosen * u64::from(args.trials), "trials");
    let opts = SimOptions {
        trials: args.trials,
        seed: args.seed,
        horizon_minutes,
        start,
        timeline_step_s,
    };
    let result = simulate(&plan, &args.service, &book, &facts, &opts, &|n| bar.inc(n));
    bar.finish_and_clear();
    let (sim, timeline) = result?;
    if let (Some(t), Some(timeline)) = (&timeline_target, &timeline) {
        let bytes = export::simulate::timeline_csv(timeline)?;
        t.write(&bytes)?;
    }
    let bytes = export::simulate::render(&sim, format, output::table_width(&target))?;
    target.write(&bytes)
}
