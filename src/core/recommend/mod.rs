//! The recommender: per service, the architecture, task size and capacity provider strategy with
//! the lowest expected monthly cost that meets the availability target, and Savings Plan sizing
//! for the result.
//!
//! - **Candidates.** Architectures: the ones `[service.recommend] image_architectures` lists, else
//!   those every image has a build for when `recommend --images` read them (`images`), else only
//!   the one written; Windows is X86_64 only. Sizes: the size as written, and the
//!   smallest valid size that keeps the observed peak utilisation under the ceiling when the plan
//!   gives `peak_cpu` / `peak_memory` (an autoscaled service keeps the dimension its scaling
//!   tracks). Strategies: all FARGATE, all FARGATE_SPOT, and FARGATE base 0 up to the most tasks
//!   the service runs with each FARGATE:FARGATE_SPOT weight of [`WEIGHT_GRID`] (Windows: FARGATE
//!   only, as Fargate has no Spot for Windows). Strategies that split every count the same way are
//!   one candidate.
//! - **Simulation.** Each strategy is simulated once per trial with the engine's common random
//!   numbers, so every candidate sees the same Spot outages and, slot for slot, the same
//!   interruption draws; availability depends on the strategy only, and cost is the billed
//!   seconds of each trial priced for each architecture and size.
//! - **Objective.** Lowest mean monthly cost among candidates whose mean share of service time
//!   with healthy ≥ `min_healthy` meets the target, and whose P95 monthly cost is within
//!   `p95_cost_ceiling` when set. Without `[service.availability] target` the target is the
//!   availability of the plan as written: never worse than what runs now. (A fixed default such
//!   as 99.9% would rule out every scheduled service, whose tasks start each morning.) Then the
//!   recommendation also keeps the plan's on-demand floor (never fewer FARGATE tasks than the
//!   plan runs at any count): without a stated target, a Spot-heavier mix rests only on the
//!   assumed interruption rates, so it is offered as a labelled alternative. No candidate meets
//!   the target: infeasible, with the best availability any candidate reached.

mod candidates;
pub mod ec2;
mod evaluate;
pub mod images;
mod reasons;
pub mod savings;
pub mod snippets;
pub mod write;

pub use candidates::{WEIGHT_GRID, strategy_grid};
pub use evaluate::{fargate_base, frontier};
pub use images::{ArchSource, ImageArchitectures};
pub use reasons::{AllSpotVerdict, Reason, Resize, Target};

use crate::core::plan::Plan;
use crate::core::pricing::{Price, PriceBook, SavingsRates};
use crate::core::rules::Facts;
use crate::core::simulate::{MAX_HORIZON_MINUTES, MIN_HORIZON_MINUTES, SimError};
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::strategy::Strategy;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// Bumped when a field of the JSON result changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 3;

/// How to search.
#[derive(Clone, Debug)]
pub struct RecommendOptions {
    pub trials: u32,
    pub seed: u64,
    pub horizon_minutes: u32,
    /// The simulated horizon starts at 00:00 UTC on this date.
    pub start: NaiveDate,
    /// Today, for flagging prices over a year old.
    pub today: NaiveDate,
}

/// One priced and simulated candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub arch: CpuArch,
    pub size: TaskSize,
    pub strategy: Strategy,
    /// Mean monthly cost over the trials.
    pub expected_monthly: Usd,
    /// Exceeded by 5% of trials.
    pub p95_monthly: Usd,
    /// Mean share of service time with healthy ≥ min(min_healthy, desired), percent.
    pub availability_percent: f64,
    /// Reached by 95% of trials, percent.
    pub availability_p95_percent: f64,
    /// Share of billed task-hours on FARGATE_SPOT, percent.
    pub spot_percent: f64,
    pub meets_target: bool,
    pub within_ceiling: bool,
    /// At every desired count of the horizon, at least as many FARGATE tasks as the plan as
    /// written runs. Required only when the plan states no availability target: then the
    /// simulated availability rests on assumed Spot rates, and a Spot-heavier mix is offered as
    /// an alternative, never as the recommendation.
    pub keeps_on_demand_floor: bool,
}

impl Candidate {
    pub fn feasible(&self) -> bool {
        self.meets_target && self.within_ceiling && self.keeps_on_demand_floor
    }
}

/// A candidate left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skipped {
    /// A shape without an on-demand price: the pricing error.
    NoOnDemandPrice(String),
    /// A shape without a Spot price (its Spot mixes are left out): the pricing error.
    NoSpotPrice(String),
    /// The peak figures ask for more than the largest Fargate size; the size as written is kept.
    TooLarge { cpu_units: u32, memory_mib: u32 },
    /// ARM64 declared for a Windows service: Fargate runs Windows on X86_64 only.
    WindowsArm,
}

/// A service left out of the Savings Plans sizing, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Excluded {
    /// The price data has no Savings Plans rates for Windows usage.
    Windows { service: String },
    /// No Savings Plans rates for the service's region in the price data.
    NoRates { service: String, region: String },
}

/// A usage bucket without a Savings Plan rate: region, architecture and `vcpu_hour`/`gb_hour`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingRate {
    pub region: String,
    pub arch: CpuArch,
    pub dimension: &'static str,
}

/// What the figures of a recommendation rest on.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    /// How candidates are simulated: the run's own trials, seed, start, horizon and month.
    Simulation,
    /// What availability means.
    AvailabilityMeaning,
    /// Some services use the planner's default Spot interruption rate (per task-hour).
    DefaultInterruptionRate(f64),
    /// Some services use the planner's default task failure rate (per task-hour).
    DefaultTaskFailureRate(f64),
    /// Some services set no target: the plan as written is the bar.
    DefaultTarget,
}

/// Ready-to-paste forms of a recommendation (generated artifacts, not display text).
#[derive(Clone, Debug, Serialize)]
pub struct Snippets {
    /// `capacityProviderStrategy` for CreateService / UpdateService.
    pub ecs_service_json: String,
    /// `cpu`, `memory` and `runtimePlatform` for RegisterTaskDefinition.
    pub ecs_task_json: String,
    pub cloudformation: String,
    pub terraform: String,
}

/// One service's answer.
#[derive(Clone, Debug)]
pub struct ServiceRecommendation {
    pub name: String,
    pub region: String,
    /// `LINUX` or the Windows family.
    pub os: String,
    pub min_healthy: u32,
    pub target_percent: f64,
    /// True when the plan sets no target and the plan as written sets the bar.
    pub target_is_default: bool,
    pub p95_cost_ceiling: Option<Usd>,
    /// The service as the plan writes it, simulated with the same draws.
    pub as_written: Candidate,
    /// `None`: no candidate meets the target (and ceiling).
    pub recommended: Option<Candidate>,
    /// Without a stated target: the cheapest candidate that meets the default target but runs
    /// fewer FARGATE tasks than the plan, when it is cheaper than the recommendation. Shown as a
    /// labelled alternative: it rests on the Spot assumptions.
    pub spot_alternative: Option<Candidate>,
    /// The highest availability any candidate reached, percent.
    pub best_availability_percent: f64,
    /// As written minus recommended, per month (negative: the recommendation costs more).
    pub saving_monthly: Option<Usd>,
    /// Why.
    pub reasons: Vec<Reason>,
    /// The architectures considered, and what they rest on (the plan, the images read, neither).
    pub image_architectures: ImageArchitectures,
    /// Candidates no cheaper one beats on availability, by cost.
    pub frontier: Vec<Candidate>,
    /// How many candidates were simulated and priced.
    pub candidates: usize,
    /// Candidates left out, and why (a price missing, a size too large).
    pub skipped: Vec<Skipped>,
    pub snippets: Option<Snippets>,
}

impl ServiceRecommendation {
    pub fn feasible(&self) -> bool {
        self.recommended.is_some()
    }
}

/// One Compute Savings Plan sized on the recommended plan's on-demand spend.
#[derive(Clone, Debug)]
pub struct SavingsPlanOption {
    /// `compute_1yr_no_upfront`.
    pub plan: String,
    /// The plan was not sized: the rates missing (never empty); the figures below are then zero.
    pub not_sized: Option<Vec<MissingRate>>,
    /// Hourly commitment, a multiple of $0.001.
    pub commitment_per_hour: Usd,
    /// The commitment over a month of the plan's hours.
    pub commitment_monthly: Usd,
    /// Paid at purchase (All Upfront: the whole term).
    pub upfront: Option<Usd>,
    /// Share of eligible on-demand spend the commitment covers, percent.
    pub coverage_percent: Decimal,
    /// Share of the commitment left unused, percent.
    pub unused_percent: Decimal,
    /// On-demand cost avoided minus commitment, per month.
    pub net_saving_monthly: Usd,
    /// The commitment saves money while at least this share of it is used, percent.
    pub break_even_utilization_percent: Decimal,
    /// Oldest `as_of` of the rates used.
    pub rates_as_of: Option<NaiveDate>,
    /// Where the rates used come from.
    pub rates_sources: Vec<String>,
}

/// Savings Plan sizing for the whole plan.
#[derive(Clone, Debug)]
pub struct SavingsPlans {
    /// On-demand vCPU and memory spend per month that Compute Savings Plans can cover.
    pub eligible_monthly: Usd,
    /// What was left out of the eligible spend, and why.
    pub excluded: Vec<Excluded>,
    pub options: Vec<SavingsPlanOption>,
}

/// The whole answer: what the exporters render.
#[derive(Clone, Debug)]
pub struct Recommendation {
    pub schema_version: u32,
    pub plan: Option<String>,
    pub trials: u32,
    pub seed: u64,
    pub start: NaiveDate,
    pub horizon_days: f64,
    pub hours_per_month: Decimal,
    pub services: Vec<ServiceRecommendation>,
    /// Expected monthly totals: as written and with every recommendation applied (services
    /// without one count as written).
    pub total_as_written: Usd,
    pub total_recommended: Usd,
    /// The same services priced statically, as `report` does (desired count × uptime hours, no
    /// autoscaling, no interruptions): the figure `report` shows for the plan as written.
    pub static_as_written: Usd,
    pub savings_plans: SavingsPlans,
    /// Every on-demand and Spot price behind the figures, with its source and date.
    pub prices_used: Vec<Price>,
    /// The day the recommendation was made (prices over a year older are flagged).
    pub generated_on: NaiveDate,
    pub notes: Vec<Note>,
    /// EC2 against Fargate for the services whose `capacity` lists `"ec2"` (see [`ec2`]).
    pub ec2: Vec<ec2::Ec2Proposal>,
}

impl Recommendation {
    /// Every service has a recommendation.
    pub fn feasible(&self) -> bool {
        self.services.iter().all(ServiceRecommendation::feasible)
    }
}

/// Recommends for `only` (every service when empty) of `plan`. `progress` is called once per
/// simulated strategy, from any thread.
pub fn recommend(
    plan: &Plan,
    only: &[String],
    book: &PriceBook,
    savings: &SavingsRates,
    facts: &Facts,
    opts: &RecommendOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Recommendation, SimError> {
    if opts.trials == 0 || opts.trials > crate::core::simulate::MAX_TRIALS {
        return Err(SimError::Input(format!(
            "trials must be 1 to {}, not {}",
            crate::core::simulate::MAX_TRIALS,
            opts.trials
        )));
    }
    if !(MIN_HORIZON_MINUTES..=MAX_HORIZON_MINUTES).contains(&opts.horizon_minutes) {
        return Err(SimError::Input(
            "the horizon is one day to 366 days".to_string(),
        ));
    }
    let mut services = Vec::new();
    let mut chosen = Vec::new();
    let mut prices_used = Vec::new();
    for s in plan
        .services
        .iter()
        .filter(|s| only.is_empty() || only.contains(&s.name))
    {
        let (r, c) =
            evaluate::recommend_service(s, plan, book, facts, opts, progress, &mut prices_used)?;
        services.push(r);
        chosen.push(c);
    }
    let total_as_written = services.iter().map(|s| s.as_written.expected_monthly).sum();
    let static_as_written = crate::core::report::build(plan, book, facts, opts.today)
        .map_err(|e| SimError::Price {
            service: e.service,
            provider: crate::core::vocab::strategy::Provider::Fargate,
            source: e.source,
        })?
        .services
        .iter()
        .filter(|s| only.is_empty() || only.contains(&s.name))
        .map(|s| s.plan.priced.monthly)
        .sum();
    let total_recommended = services
        .iter()
        .map(|s| {
            s.recommended
                .as_ref()
                .unwrap_or(&s.as_written)
                .expected_monthly
        })
        .sum();
    let savings_plans = savings::size_savings_plans(&chosen, plan, book, savings, facts);
    let mut notes = vec![Note::Simulation, Note::AvailabilityMeaning];
    if plan.services.iter().any(|s| {
        (only.is_empty() || only.contains(&s.name))
            && s.spot.interruption_rate_is_default
            && !s.os.is_windows()
    }) {
        notes.push(Note::DefaultInterruptionRate(
            crate::core::plan::SpotAssumptions::default().interruption_rate,
        ));
    }
    if plan.services.iter().any(|s| {
        (only.is_empty() || only.contains(&s.name)) && s.availability.task_failure_rate_is_default
    }) {
        notes.push(Note::DefaultTaskFailureRate(
            crate::core::plan::sections::spot::DEFAULT_TASK_FAILURE_RATE,
        ));
    }
    if services.iter().any(|s| s.target_is_default) {
        notes.push(Note::DefaultTarget);
    }
    Ok(Recommendation {
        schema_version: SCHEMA_VERSION,
        plan: plan.name.clone(),
        trials: opts.trials,
        seed: opts.seed,
        start: opts.start,
        horizon_days: f64::from(opts.horizon_minutes) / 1440.0,
        hours_per_month: plan.hours_per_month,
        services,
        total_as_written,
        static_as_written,
        total_recommended,
        savings_plans,
        prices_used: {
            prices_used
                .sort_by(|a, b| (&a.region, a.dimension.id()).cmp(&(&b.region, b.dimension.id())));
            prices_used
        },
        generated_on: opts.today,
        notes,
        ec2: Vec::new(),
    })
}

#[cfg(test)]
mod tests;
