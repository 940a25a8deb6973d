//! Monte Carlo simulation of services over time: replicas, uptime, autoscaling, Spot
//! interruptions and capacity outages, billed per second; cost and availability as distributions.
//!
//! The model in one page (docs/model.md explains it for users):
//!
//! - **Clock and horizon.** UTC seconds from a start date at 00:00 UTC, over a horizon of one day
//!   to one year. The desired count changes on whole minutes; Spot events happen at any instant.
//! - **Desired count** ([`demand`]): the plan's `desired_count` inside the uptime windows and
//!   `outside_desired_count` outside them, or target tracking of a load curve between
//!   `min_capacity` and `max_capacity` with the scale-out / scale-in delays and cooldowns.
//!   This step function is the same in every trial and is computed once.
//! - **Placement, Spot, failures and billing** ([`engine`]): the count is split across providers
//!   by the strategy (the report's rule); Spot tasks are interrupted as a Poisson process, drain
//!   and stop, their replacements starting at the warning when `maximumPercent` and Spot
//!   capacity allow; tasks of either provider fail at an assumed rate and are replaced; Spot
//!   outages block Spot placements with no fallback to FARGATE. Each task is
//!   billed for its lifetime rounded up to the second, at least the OS minimum from
//!   `data/fargate-rules.toml`, priced with [`crate::core::report::cost::task_rate`] like the report.
//! - **Trials.** Trial `i` draws from ChaCha8 seeded with the seed on stream `i`, so results do
//!   not depend on threads; trials run in parallel (rayon).
//! - **A month.** Monthly figures scale the horizon's cost by `hours_per_month / horizon hours`
//!   (730 by default), the report's convention, so a 4-week run of a fixed weekday schedule
//!   gives the report's monthly figure exactly.

pub mod demand;
pub mod deploy;
pub mod draws;
pub mod engine;
pub mod stats;

use crate::core::plan::{Plan, Service};
use crate::core::pricing::PriceBook;
use crate::core::report::cost::{Component, RateError, TaskShape, price_service, task_rate};
use crate::core::rules::Facts;
use crate::core::vocab::money::Usd;
use crate::core::vocab::strategy::Provider;
use chrono::NaiveDate;
use demand::{Steps, desired_and_need};
use engine::{Model, ModelParams, Recording, TrialOutcome, provider_index, run_trial};
use rayon::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use stats::{Summary, Worse, summarize, summarize_usd};

/// Bumped when a field of the JSON result changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 4;
pub const MIN_HORIZON_MINUTES: u32 = 24 * 60;
pub const MAX_HORIZON_MINUTES: u32 = 366 * 24 * 60;
pub const MAX_TRIALS: u32 = 1_000_000;

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("{0}")]
    Input(String),
    #[error("service `{service}` cannot be priced on {provider}: {source}")]
    Price {
        service: String,
        provider: Provider,
        source: RateError,
    },
}

/// How to run a simulation.
#[derive(Clone, Debug)]
pub struct SimOptions {
    pub trials: u32,
    pub seed: u64,
    pub horizon_minutes: u32,
    /// The horizon starts at 00:00 UTC on this date.
    pub start: NaiveDate,
    /// Sample trial 0 every this many seconds for a timeline.
    pub timeline_step_s: Option<u64>,
}

/// Parses a horizon: `30d`, `2w`, `12h` (at least a day), `1y` (365 days); bare numbers are days.
pub fn parse_horizon(text: &str) -> Result<u32, String> {
    let t = text.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let bad = || {
        format!(
            "`{text}` is not a horizon; write a number with d, w, h or y, from 1d to 366d (e.g. 30d, 1y)"
        )
    };
    let n: u32 = num.parse().map_err(|_| bad())?;
    let minutes = match unit {
        "" | "d" | "day" | "days" => n.checked_mul(1440),
        "w" | "week" | "weeks" => n.checked_mul(7 * 1440),
        "h" | "hour" | "hours" => n.checked_mul(60),
        "y" | "year" | "years" => n.checked_mul(365 * 1440),
        _ => None,
    }
    .ok_or_else(bad)?;
    if !(MIN_HORIZON_MINUTES..=MAX_HORIZON_MINUTES).contains(&minutes) {
        return Err(bad());
    }
    Ok(minutes)
}

/// The assumptions a service was simulated under, shown with its results.
#[derive(Clone, Debug, Serialize)]
pub struct Assumptions {
    pub interruption_rate_per_task_hour: f64,
    /// True when the rate is the planner's default, not the plan's (AWS publishes none).
    pub interruption_rate_is_default: bool,
    pub spot_warning_s: u32,
    pub stop_timeout_s: u32,
    pub startup_s: u32,
    /// How `startup_s` was reached: as written, or image pull + health checks (issue 20 item 4).
    pub startup_derivation: String,
    /// Image pull seconds the plan gives (`image_pull`), part of the startup; billed.
    pub image_pull_s: Option<u32>,
    pub outages_per_month: f64,
    pub outage_duration_s: u32,
    /// Share of running Spot tasks warned together when an outage starts (regional or zonal).
    pub reclaim_share: f64,
    /// Availability zones the Spot tasks spread over (`[plan.ec2] availability_zones`).
    pub availability_zones: u32,
    /// Spot capacity outages of one zone, per zone per 30 days of that zone's quiet time.
    pub zone_outages_per_month: f64,
    pub zone_outage_duration_s: u32,
    /// True when target tracking answers a trial's own shortage by adding tasks (a service that
    /// tracks a load: issue 20 item 5).
    pub shortage_scale_out: bool,
    /// A refused Spot placement is retried after this wait, doubling up to the maximum (assumed).
    pub placement_retry_first_s: u32,
    pub placement_retry_max_s: u32,
    /// Task failures per task-hour, FARGATE and FARGATE_SPOT alike.
    pub task_failure_rate_per_task_hour: f64,
    /// True when the failure rate is the planner's default, not the plan's (AWS publishes none).
    pub task_failure_rate_is_default: bool,
    /// `deploymentConfiguration.maximumPercent`: above 100 % of the desired count (rounded
    /// down) ECS starts a warned Spot task's replacement at the warning.
    pub maximum_percent: u32,
    /// `deploymentConfiguration.minimumHealthyPercent` during rolling deployments.
    pub minimum_healthy_percent: u32,
    /// Rolling deployments per 30 days (0: none).
    pub deployments_per_month: f64,
    pub min_healthy: u32,
    pub availability_target_percent: Option<f64>,
    pub minimum_billed_s: u32,
}

/// One service's simulated distributions.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceSimulation {
    pub name: String,
    pub region: String,
    /// `1 vCPU / 2 GB, LINUX/X86_64`.
    pub task: String,
    pub strategy: String,
    pub uptime: String,
    /// `6 tasks` or `autoscaling 2–12 on cpu at 60`.
    pub demand: String,
    pub assumptions: Assumptions,
    /// The static report's monthly figure (desired count × uptime hours), for comparison.
    pub static_monthly: Usd,
    /// Average desired count over the horizon.
    pub mean_desired: f64,
    pub monthly_cost: Summary<Usd>,
    pub horizon_cost: Summary<Usd>,
    pub monthly_by_provider: Vec<(Provider, Summary<Usd>)>,
    pub monthly_by_component: Vec<(Component, Summary<Usd>)>,
    /// Billed task-hours per month, per provider.
    pub task_hours_per_month: Vec<(Provider, Summary<f64>)>,
    /// Share of service time (desired > 0) with healthy ≥ desired, percent.
    pub availability_percent: Summary<f64>,
    /// Share of service time with healthy ≥ min(min_healthy, desired), percent.
    pub min_healthy_percent: Summary<f64>,
    /// Share of trials whose min-healthy availability meets the target, percent.
    pub target_met_percent: Option<f64>,
    pub shortfall_task_minutes: Summary<f64>,
    pub interruptions: Summary<f64>,
    /// Task failures (crash, failed health check, retirement) on either provider.
    pub task_failures: Summary<f64>,
    /// Share of the horizon Spot could place nothing, percent.
    pub spot_outage_percent: Summary<f64>,
}

/// A simulation result: what the exporters render.
#[derive(Clone, Debug, Serialize)]
pub struct Simulation {
    pub schema_version: u32,
    pub plan: Option<String>,
    pub trials: u32,
    pub seed: u64,
    pub start: NaiveDate,
    pub horizon_days: f64,
    pub hours_per_month: Decimal,
    pub services: Vec<ServiceSimulation>,
    /// The plan's monthly total per trial (trial `i` of every service summed), summarised.
    pub total_monthly: Summary<Usd>,
    pub static_total_monthly: Usd,
    pub notes: Vec<String>,
}

/// One sample of the timeline.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineRow {
    pub service: String,
    /// Seconds from the start.
    pub t_s: u64,
    pub desired: u32,
    /// Per provider (FARGATE, FARGATE_SPOT): desired, running, healthy.
    pub providers: [(u32, u32, u32); 2],
}

/// Trial 0 sampled at a fixed step: counts at each sample instant.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    pub start: NaiveDate,
    pub step_s: u64,
    pub rows: Vec<TimelineRow>,
}

/// A service ready to run: its model and its hourly rates.
struct Prepared<'a> {
    service: &'a Service,
    model: Model,
    /// Per provider: (component, per hour) lines; empty when the strategy does not use it.
    rates: [Vec<(Component, Decimal)>; 2],
    minimum_billed_s: u32,
    static_monthly: Usd,
}

fn prepare<'a>(
    service: &'a Service,
    plan: &Plan,
    book: &PriceBook,
    facts: &Facts,
    opts: &SimOptions,
) -> Result<Prepared<'a>, SimError> {
    let (desired, need) = desired_and_need(service, opts.start, opts.horizon_minutes)?;
    let params = model_params(service, plan, facts);
    let minimum_billed_s = params.min_bill_s;
    let mut rates: [Vec<(Component, Decimal)>; 2] = [Vec::new(), Vec::new()];
    for p in Provider::ALL {
        if !service.strategy.items.iter().any(|i| i.provider == p) {
            continue;
        }
        let shape = TaskShape {
            size: service.size,
            storage_gib: service.ephemeral_storage_gib,
            windows: service.os.is_windows(),
            arch: service.arch,
        };
        let rate = task_rate(book, facts, &service.region, shape, p).map_err(|source| {
            SimError::Price {
                service: service.name.clone(),
                provider: p,
                source,
            }
        })?;
        rates[provider_index(p)] = rate
            .lines
            .iter()
            .map(|l| (l.component, l.per_hour.0))
            .collect();
    }
    let static_monthly = price_service(
        service,
        service.arch,
        service.size,
        &service.strategy,
        plan.hours_per_month,
        book,
        facts,
    )
    .map_err(|source| SimError::Price {
        service: service.name.clone(),
        provider: Provider::Fargate,
        source,
    })?
    .monthly;
    Ok(Prepared {
        service,
        model: Model::new(desired, &service.strategy, params)
            .with_surge(surge_inputs(service, need)),
        rates,
        minimum_billed_s,
        static_monthly,
    })
}

/// What a service's target tracking needs to answer a trial's shortage, from its per-minute
/// need ([`desired_and_need`]); `None` for a service that tracks no load.
pub fn surge_inputs(
    service: &Service,
    need: Option<Vec<f64>>,
) -> Option<std::sync::Arc<engine::SurgeInputs>> {
    let a = service.autoscaling.as_ref()?;
    let lag_s = f64::from(demand::METRIC_LAG_MIN * 60);
    Some(std::sync::Arc::new(engine::SurgeInputs {
        need: need?,
        scale_out_delay_s: f64::from(a.scale_out_delay_s.max(60)),
        lag_s,
        hold_s: lag_s + f64::from(a.scale_in_delay_s),
        max_capacity: a.max_capacity,
    }))
}

/// The engine's parameters for a service: its Spot assumptions, availability settings, the
/// plan's availability-zone count (`[plan.ec2] availability_zones`, as the EC2 packing uses)
/// and the OS's minimum billed time from `data/fargate-rules.toml`.
pub fn model_params(service: &Service, plan: &Plan, facts: &Facts) -> ModelParams {
    use crate::core::plan::sections::spot::{PLACEMENT_RETRY_FIRST_S, PLACEMENT_RETRY_MAX_S};
    let billing = &facts.rules.billing;
    let min_bill_s = if service.os.is_windows() {
        billing.minimum_seconds_windows
    } else {
        billing.minimum_seconds_linux
    };
    ModelParams {
        interruption_rate_per_task_hour: service.spot.interruption_rate,
        task_failure_rate_per_task_hour: service.availability.task_failure_rate,
        maximum_percent: service.availability.maximum_percent,
        minimum_healthy_percent: service.availability.minimum_healthy_percent,
        deployments_per_month: service.availability.deployments_per_month,
        stop_timeout_s: service.spot.stop_timeout_s,
        startup_s: service.availability.startup_s,
        outages_per_month: service.spot.outages_per_month,
        outage_duration_s: service.spot.outage_duration_s,
        reclaim_share: service.spot.reclaim_share,
        zones: plan.ec2.availability_zones,
        zone_outages_per_month: service.spot.zone_outages_per_month,
        zone_outage_duration_s: service.spot.zone_outage_duration_s,
        placement_retry_first_s: PLACEMENT_RETRY_FIRST_S,
        placement_retry_max_s: PLACEMENT_RETRY_MAX_S,
        min_bill_s,
        min_healthy: service.availability.min_healthy,
    }
}

/// Cost of one trial: (horizon total, monthly total, monthly per provider, monthly per component).
struct TrialCost {
    horizon: Usd,
    monthly: Usd,
    by_provider: [Usd; 2],
    by_component: Vec<(Component, Usd)>,
}

fn trial_cost(p: &Prepared, o: &TrialOutcome, hours_per_month: Decimal) -> TrialCost {
    let horizon_s = Decimal::from(p.model.horizon_s());
    let mut by_provider = [Usd::ZERO; 2];
    let mut by_component: Vec<(Component, Usd)> = Vec::new();
    let mut horizon = Usd::ZERO;
    for (k, rates) in p.rates.iter().enumerate() {
        let billed = Decimal::from(o.billed_s[k]);
        for &(component, per_hour) in rates {
            horizon += Usd(per_hour * billed / Decimal::from(3600));
            let monthly = Usd(per_hour * billed * hours_per_month / horizon_s);
            by_provider[k] += monthly;
            match by_component.iter_mut().find(|(c, _)| *c == component) {
                Some((_, u)) => *u += monthly,
                None => by_component.push((component, monthly)),
            }
        }
    }
    by_component.sort_by_key(|(c, _)| *c);
    TrialCost {
        horizon,
        monthly: by_provider[0] + by_provider[1],
        by_provider,
        by_component,
    }
}

fn percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        100.0 * part / whole
    } else {
        100.0
    }
}

fn demand_label(s: &Service) -> String {
    match (&s.autoscaling, &s.load) {
        (Some(a), Some(_)) => format!(
            "autoscaling {}–{} on {} at {}",
            a.min_capacity,
            a.max_capacity,
            a.metric.name(),
            a.target_value
        ),
        _ if s.desired_count == 1 => "1 task".to_string(),
        _ => format!("{} tasks", s.desired_count),
    }
}

fn summarize_service(
    p: &Prepared,
    outcomes: &[TrialOutcome],
    costs: &[TrialCost],
    hours_per_month: Decimal,
) -> ServiceSimulation {
    let s = p.service;
    let horizon_s = p.model.horizon_s() as f64;
    let month_factor = hours_per_month.to_f64().unwrap_or(730.0) * 3600.0 / horizon_s;
    let used: Vec<Provider> = Provider::ALL
        .into_iter()
        .filter(|q| s.strategy.items.iter().any(|i| i.provider == *q))
        .collect();
    let col = |f: &dyn Fn(&TrialOutcome) -> f64| outcomes.iter().map(f).collect::<Vec<f64>>();
    let monthly_by_provider = used
        .iter()
        .map(|q| {
            let k = provider_index(*q);
            let v: Vec<Usd> = costs.iter().map(|c| c.by_provider[k]).collect();
            (*q, summarize_usd(&v, Worse::High))
        })
        .collect();
    let components: Vec<Component> = costs
        .first()
        .map(|c| c.by_component.iter().map(|(k, _)| *k).collect())
        .unwrap_or_default();
    let monthly_by_component = components
        .iter()
        .map(|k| {
            let v: Vec<Usd> = costs
                .iter()
                .map(|c| {
                    c.by_component
                        .iter()
                        .find(|(x, _)| x == k)
                        .map_or(Usd::ZERO, |(_, u)| *u)
                })
                .collect();
            (*k, summarize_usd(&v, Worse::High))
        })
        .collect();
    let task_hours_per_month = used
        .iter()
        .map(|q| {
            let k = provider_index(*q);
            let v = col(&|o| o.billed_s[k] as f64 / 3600.0 * month_factor);
            (*q, summarize(&v, Worse::High))
        })
        .collect();
    let min_healthy = col(&|o| percent(o.min_healthy_s, o.service_s));
    let target_met_percent = s.availability.target_percent.map(|target| {
        let met = min_healthy.iter().filter(|v| **v >= target - 1e-12).count();
        percent(met as f64, min_healthy.len() as f64)
    });
    ServiceSimulation {
        name: s.name.clone(),
        region: s.region.clone(),
        task: format!("{}, {}/{}", s.size, s.os.ecs_name(), s.arch),
        strategy: s.strategy.to_string(),
        uptime: s.uptime.to_string(),
        demand: demand_label(s),
        assumptions: Assumptions {
            interruption_rate_per_task_hour: s.spot.interruption_rate,
            interruption_rate_is_default: s.spot.interruption_rate_is_default,
            spot_warning_s: crate::core::plan::sections::spot::SPOT_WARNING_S,
            stop_timeout_s: s.spot.stop_timeout_s,
            startup_s: s.availability.startup_s,
            startup_derivation: s.availability.startup_derivation.clone(),
            image_pull_s: s.availability.image_pull_s,
            outages_per_month: s.spot.outages_per_month,
            outage_duration_s: s.spot.outage_duration_s,
            reclaim_share: s.spot.reclaim_share,
            availability_zones: p.model.rates.zones,
            shortage_scale_out: p.model.surge.is_some(),
            zone_outages_per_month: s.spot.zone_outages_per_month,
            zone_outage_duration_s: s.spot.zone_outage_duration_s,
            placement_retry_first_s: crate::core::plan::sections::spot::PLACEMENT_RETRY_FIRST_S,
            placement_retry_max_s: crate::core::plan::sections::spot::PLACEMENT_RETRY_MAX_S,
            task_failure_rate_per_task_hour: s.availability.task_failure_rate,
            task_failure_rate_is_default: s.availability.task_failure_rate_is_default,
            maximum_percent: s.availability.maximum_percent,
            minimum_healthy_percent: s.availability.minimum_healthy_percent,
            deployments_per_month: s.availability.deployments_per_month,
            min_healthy: s.availability.min_healthy,
            availability_target_percent: s.availability.target_percent,
            minimum_billed_s: p.minimum_billed_s,
        },
        static_monthly: p.static_monthly,
        mean_desired: p.model.desired.integral() as f64 / horizon_s,
        monthly_cost: summarize_usd(
            &costs.iter().map(|c| c.monthly).collect::<Vec<_>>(),
            Worse::High,
        ),
        horizon_cost: summarize_usd(
            &costs.iter().map(|c| c.horizon).collect::<Vec<_>>(),
            Worse::High,
        ),
        monthly_by_provider,
        monthly_by_component,
        task_hours_per_month,
        availability_percent: summarize(&col(&|o| percent(o.full_s, o.service_s)), Worse::Low),
        min_healthy_percent: summarize(&min_healthy, Worse::Low),
        target_met_percent,
        shortfall_task_minutes: summarize(&col(&|o| o.shortfall_s / 60.0), Worse::High),
        interruptions: summarize(&col(&|o| f64::from(o.interruptions)), Worse::High),
        task_failures: summarize(&col(&|o| f64::from(o.failures)), Worse::High),
        spot_outage_percent: summarize(&col(&|o| percent(o.outage_s, horizon_s)), Worse::High),
    }
}

/// Simulates `services` of `plan` (all when empty). `progress` is called once per finished
/// trial, from any thread.
pub fn simulate(
    plan: &Plan,
    only: &[String],
    book: &PriceBook,
    facts: &Facts,
    opts: &SimOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(Simulation, Option<Timeline>), SimError> {
    if opts.trials == 0 || opts.trials > MAX_TRIALS {
        return Err(SimError::Input(format!(
            "trials must be 1 to {MAX_TRIALS}, not {}",
            opts.trials
        )));
    }
    if !(MIN_HORIZON_MINUTES..=MAX_HORIZON_MINUTES).contains(&opts.horizon_minutes) {
        return Err(SimError::Input(
            "the horizon is one day to 366 days".to_string(),
        ));
    }
    let chosen: Vec<&Service> = plan
        .services
        .iter()
        .filter(|s| only.is_empty() || only.contains(&s.name))
        .collect();
    let prepared = chosen
        .iter()
        .map(|s| prepare(s, plan, book, facts, opts))
        .collect::<Result<Vec<_>, _>>()?;
    let hpm = plan.hours_per_month;
    let mut services = Vec::new();
    let mut totals = vec![Usd::ZERO; opts.trials as usize];
    let mut notes = Vec::new();
    for p in &prepared {
        let outcomes: Vec<TrialOutcome> = (0..u64::from(opts.trials))
            .into_par_iter()
            .map(|i| {
                let o = run_trial(&p.model, opts.seed, i, None);
                progress(1);
                o
            })
            .collect();
        let costs: Vec<TrialCost> = outcomes.iter().map(|o| trial_cost(p, o, hpm)).collect();
        for (t, c) in totals.iter_mut().zip(&costs) {
            *t += c.monthly;
        }
        let sim = summarize_service(p, &outcomes, &costs, hpm);
        if sim.assumptions.interruption_rate_is_default
            && p.service.strategy.uses(Provider::FargateSpot)
        {
            notes.push(format!(
                "{}: the Spot interruption rate {} per task-hour is the planner's default assumption; AWS publishes no Fargate Spot interruption rate — set [service.spot] interruption_rate from your own ECS events (stopCode SpotInterruption)",
                sim.name, sim.assumptions.interruption_rate_per_task_hour
            ));
        }
        services.push(sim);
    }
    let assumed: Vec<&str> = services
        .iter()
        .filter(|s| s.assumptions.task_failure_rate_is_default)
        .map(|s| s.name.as_str())
        .collect();
    if let Some(first) = services
        .iter()
        .find(|s| s.assumptions.task_failure_rate_is_default)
    {
        notes.push(format!(
            "{}: the task failure rate {} per task-hour (crashes, failed health checks, Fargate task retirement; FARGATE and FARGATE_SPOT alike) is the planner's default assumption; AWS publishes none — set [service.availability] task_failure_rate from your own stopped-task events",
            assumed.join(", "),
            first.assumptions.task_failure_rate_per_task_hour
        ));
    }
    notes.push(format!(
        "monthly figures scale the {}-day horizon to {} hours, the report's month; percentiles are toward the bad side (cost P95: 5% of trials cost more; availability P95: 95% of trials reach it)",
        opts.horizon_minutes as f64 / 1440.0,
        hpm.normalize()
    ));
    let timeline = opts
        .timeline_step_s
        .map(|step| timeline(&prepared, opts, step.max(60)));
    let static_total_monthly = services.iter().map(|s| s.static_monthly).sum();
    Ok((
        Simulation {
            schema_version: SCHEMA_VERSION,
            plan: plan.name.clone(),
            trials: opts.trials,
            seed: opts.seed,
            start: opts.start,
            horizon_days: opts.horizon_minutes as f64 / 1440.0,
            hours_per_month: hpm,
            services,
            total_monthly: summarize_usd(&totals, Worse::High),
            static_total_monthly,
            notes,
        },
        timeline,
    ))
}

/// Counts of intervals covering `t`: starts ≤ t minus ends ≤ t.
fn count_at(starts: &[f64], ends: &[f64], t: f64) -> u32 {
    let s = starts.partition_point(|x| *x <= t);
    let e = ends.partition_point(|x| *x <= t);
    s.saturating_sub(e) as u32
}

fn sorted_bounds(intervals: &[(f64, f64)]) -> (Vec<f64>, Vec<f64>) {
    let mut s: Vec<f64> = intervals.iter().map(|i| i.0).collect();
    let mut e: Vec<f64> = intervals.iter().map(|i| i.1).collect();
    s.sort_by(f64::total_cmp);
    e.sort_by(f64::total_cmp);
    (s, e)
}

fn timeline(prepared: &[Prepared], opts: &SimOptions, step_s: u64) -> Timeline {
    let mut rows = Vec::new();
    for p in prepared {
        let mut rec = Recording::default();
        run_trial(&p.model, opts.seed, 0, Some(&mut rec));
        let running = [
            sorted_bounds(&rec.running[0]),
            sorted_bounds(&rec.running[1]),
        ];
        let healthy = [
            sorted_bounds(&rec.healthy[0]),
            sorted_bounds(&rec.healthy[1]),
        ];
        let desired: &Steps = &p.model.desired;
        let mut t = 0u64;
        while t < desired.end {
            let n = desired.at(t);
            let split = p.service.strategy.split_by_provider(n);
            let mut providers = [(0, 0, 0); 2];
            for (k, q) in Provider::ALL.into_iter().enumerate() {
                let want = split.iter().find(|(x, _)| *x == q).map_or(0, |(_, c)| *c);
                let tf = t as f64;
                providers[k] = (
                    want,
                    count_at(&running[k].0, &running[k].1, tf),
                    count_at(&healthy[k].0, &healthy[k].1, tf),
                );
            }
            rows.push(TimelineRow {
                service: p.service.name.clone(),
                t_s: t,
                desired: n,
                providers,
            });
            t += step_s;
        }
    }
    Timeline {
        start: opts.start,
        step_s,
        rows,
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_rolling;
