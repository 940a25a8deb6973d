//! The one loading step every plan command shares (ripgrep's "high-level arguments"): the rules,
//! the plan read and checked once, exactly the prices its regions need, and the coverage check
//! between them; plus the Monte Carlo arguments, load files and progress bar of `simulate` and
//! `recommend`.
//!
//! The order is fixed: parse → check → the plan's regions → load or fetch those prices →
//! coverage → analysis. A plan with problems fails before any price is fetched.

use super::args::{PriceArgs, TaskdefInput};
use super::error::{CliError, ExitKind};
use super::infra;
use super::input::LoadedPlan;
use super::output::diag;
use super::output::progress_bar;
use super::price_source::{Books, load_books};
use crate::core::plan::sections::load::parse_load_csv;
use crate::core::plan::{CheckOptions, LoadShape, Plan, ignored_settings};
use crate::core::report::coverage::coverage;
use crate::core::rules::Facts;
use crate::core::simulate::{MAX_TRIALS, parse_horizon};
use crate::core::vocab::problem::did_you_mean;
use chrono::NaiveDate;
use indicatif::ProgressBar;
use std::collections::BTreeSet;
use std::path::Path;

/// What a pricing command works on.
pub struct Session {
    pub facts: Facts,
    pub plan: Plan,
    pub books: Books,
}

/// How to load: the plan (or task definition JSON) and the price source.
pub struct Request<'a> {
    pub plan: &'a Path,
    pub round_up: bool,
    pub prices: &'a PriceArgs,
    /// Load Lambda prices too (`compare`).
    pub lambda: bool,
    /// The region and count of a task definition JSON given as the plan.
    pub taskdef: &'a TaskdefInput,
}

/// The embedded rules; a failure here is a build defect, reported as such.
pub fn facts() -> Result<Facts, CliError> {
    Ok(Facts::embedded()?)
}

/// Reads and checks the plan, loads the prices its regions need (warnings on stderr), and checks
/// that the prices cover it.
pub fn load(req: Request<'_>) -> Result<Session, CliError> {
    let facts = facts()?;
    let opts = CheckOptions {
        round_up: req.round_up,
    };
    let loaded = infra::load_plan(req.plan, req.taskdef, &facts, opts)?;
    priced(facts, loaded, req.prices, req.lambda)
}

/// [`load`] for the Monte Carlo commands (`simulate`, `recommend`): every `--service` named must
/// be in the plan, and the load files of the chosen services are read.
pub fn load_simulated(req: Request<'_>, services: &[String]) -> Result<Session, CliError> {
    let path = req.plan;
    let mut session = load(req)?;
    check_services(&session.plan, services)?;
    read_load_files(&mut session.plan, path, services)?;
    Ok(session)
}

/// Loads the prices for a plan already read and checked, and checks their coverage.
pub fn priced(
    facts: Facts,
    loaded: LoadedPlan,
    prices: &PriceArgs,
    lambda: bool,
) -> Result<Session, CliError> {
    warn_ignored(&loaded);
    let books = books_for(&[&loaded], prices, lambda)?;
    Ok(Session {
        facts,
        plan: loaded.plan,
        books,
    })
}

/// Located warnings on stderr for settings the pricing commands cannot use as written
/// ([`ignored_settings`]).
pub fn warn_ignored(loaded: &LoadedPlan) {
    let notices = ignored_settings(&loaded.plan);
    if !notices.is_empty() {
        super::output::diag_text(&loaded.source.error(&notices).render_warnings());
    }
}

/// The prices for the regions of checked plans (warnings on stderr), once they cover every plan.
pub fn books_for(
    plans: &[&LoadedPlan],
    prices: &PriceArgs,
    lambda: bool,
) -> Result<Books, CliError> {
    let regions: BTreeSet<String> = plans.iter().flat_map(|l| l.plan.regions()).collect();
    let regions: Vec<String> = regions.into_iter().collect();
    let books = load_books(prices, &regions, lambda)?;
    for w in &books.warnings {
        diag!("warning: {w}");
    }
    let facts = facts()?;
    for loaded in plans {
        let problems = coverage(&loaded.plan, &books.fargate, &facts);
        if !problems.is_empty() {
            // The plan is right; the prices cannot answer it (exit 1, not 2).
            let mut error = loaded.source.error(&problems);
            error.kind = ExitKind::Failure;
            return Err(error);
        }
    }
    Ok(books)
}

/// `--horizon`, `--start` and `--trials` of the Monte Carlo commands (`simulate`, `recommend`):
/// the horizon in minutes and the start date, or a bad-input error naming the argument.
pub fn monte_carlo_args(
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
    if trials == 0 || trials > MAX_TRIALS {
        return Err(CliError::bad_input(format!(
            "--trials: {trials} is out of range; use 1 to {MAX_TRIALS}"
        )));
    }
    Ok((horizon_minutes, start))
}

/// Every `--service` names a service of the plan.
fn check_services(plan: &Plan, wanted: &[String]) -> Result<(), CliError> {
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
fn read_load_files(plan: &mut Plan, plan_path: &Path, only: &[String]) -> Result<(), CliError> {
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
        let text = super::files::read_text(&file, "load file").map_err(|e| {
            let mut e = e.detail(format!(
                "in {}, service `{}`: the path in `load.file` is relative to the plan file",
                plan_path.display(),
                s.name
            ));
            e.kind = ExitKind::BadInput;
            e
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

/// The bar of the Monte Carlo commands: `what` counts trials or strategies.
pub fn simulation_bar(total: u64, what: &str) -> ProgressBar {
    progress_bar(
        total,
        0,
        &format!("{{spinner}} simulating {{bar:40}} {{pos}}/{{len}} {what} ({{eta}})"),
    )
}

/// The report date: today in UTC, or `FARGATE_PLANNER_TODAY` (YYYY-MM-DD) when set, so that
/// price ages (a price over a year old is flagged) can be pinned in tests and reproduced.
pub fn today() -> NaiveDate {
    std::env::var("FARGATE_PLANNER_TODAY")
        .ok()
        .and_then(|v| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}
