//! The recommender: per service, the architecture, task size and capacity provider strategy with
//! the lowest expected monthly cost that meets the availability target, and Savings Plan sizing
//! for the result.
//!
//! - **Candidates.** Architectures: the ones `[service.recommend] image_architectures` lists (by
//!   default only the one written; Windows is X86_64 only). Sizes: the size as written, and the
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
//!   as 99.9% would rule out every scheduled service, whose tasks start each morning.) No
//!   candidate meets the target: infeasible, with the best availability any candidate reached.

pub mod savings;
pub mod snippets;
pub mod write;

use crate::core::plan::{Plan, Service};
use crate::core::pricing::{Price, PriceBook, SAVINGS_PLANS, SavingsRates};
use crate::core::report::cost::{Component, task_rate};
use crate::core::rules::Facts;
use crate::core::simulate::demand::{Steps, desired_timeline};
use crate::core::simulate::engine::{Model, ModelParams, run_trial, slot_intervals};
use crate::core::simulate::stats::{Worse, summarize, summarize_usd};
use crate::core::simulate::{MAX_HORIZON_MINUTES, MIN_HORIZON_MINUTES, SimError, model_params};
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::strategy::{Provider, Strategy, StrategyItem};
use crate::core::vocab::units::{CpuUnits, MemoryMib};
use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::collections::BTreeMap;

/// Bumped when a field of the JSON result changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;
/// FARGATE:FARGATE_SPOT weights tried with every FARGATE base (all-FARGATE is tried once).
pub const WEIGHT_GRID: &[(u32, u32)] = &[(0, 1), (1, 4), (1, 3), (1, 2), (1, 1), (2, 1), (3, 1)];
/// Bases tried: every base up to this many tasks, then a coarser grid up to the maximum.
const DENSE_BASES: u32 = 12;

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
#[derive(Clone, Debug, Serialize)]
pub struct Candidate {
    pub arch: CpuArch,
    pub size: TaskSize,
    pub strategy: Strategy,
    /// `FARGATE base 2 weight 1, FARGATE_SPOT weight 3`.
    pub strategy_label: String,
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
}

impl Candidate {
    pub fn feasible(&self) -> bool {
        self.meets_target && self.within_ceiling
    }

    /// `ARM64, 0.5 vCPU / 1 GB, FARGATE base 2 weight 1, FARGATE_SPOT weight 3`.
    pub fn label(&self) -> String {
        format!("{}, {}, {}", self.arch, self.size, self.strategy_label)
    }
}

/// Ready-to-paste forms of a recommendation.
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
#[derive(Clone, Debug, Serialize)]
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
    /// The highest availability any candidate reached, percent.
    pub best_availability_percent: f64,
    /// As written minus recommended, per month (negative: the recommendation costs more).
    pub saving_monthly: Option<Usd>,
    /// Why, in a few lines.
    pub reasons: Vec<String>,
    /// Candidates no cheaper one beats on availability, by cost.
    pub frontier: Vec<Candidate>,
    /// How many candidates were simulated and priced.
    pub candidates: usize,
    /// Candidates left out, and why (a price missing, a size too large).
    pub skipped: Vec<String>,
    pub snippets: Option<Snippets>,
}

impl ServiceRecommendation {
    pub fn feasible(&self) -> bool {
        self.recommended.is_some()
    }
}

/// One Compute Savings Plan sized on the recommended plan's on-demand spend.
#[derive(Clone, Debug, Serialize)]
pub struct SavingsPlanOption {
    /// `compute_1yr_no_upfront`.
    pub plan: String,
    /// `1-year No Upfront`.
    pub label: String,
    /// Why the plan was not sized (rates missing); the figures below are then zero.
    pub not_sized: Option<String>,
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
#[derive(Clone, Debug, Serialize)]
pub struct SavingsPlans {
    /// On-demand vCPU and memory spend per month that Compute Savings Plans can cover.
    pub eligible_monthly: Usd,
    /// What was left out of the eligible spend, and why.
    pub excluded: Vec<String>,
    pub options: Vec<SavingsPlanOption>,
}

/// The whole answer: what the exporters render.
#[derive(Clone, Debug, Serialize)]
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
    pub savings_plans: SavingsPlans,
    /// Every on-demand and Spot price behind the figures, with its source and date.
    pub prices_used: Vec<Price>,
    /// The day the recommendation was made (prices over a year older are flagged).
    pub generated_on: NaiveDate,
    pub notes: Vec<String>,
}

impl Recommendation {
    /// Every service has a recommendation.
    pub fn feasible(&self) -> bool {
        self.services.iter().all(ServiceRecommendation::feasible)
    }
}

/// The strategies tried for a service that runs at most `max_tasks` tasks, simplest first,
/// without two that split every count from 0 to `max_tasks` the same way. `first` (the plan's
/// own strategy) leads so that an equivalent grid strategy shows as the user wrote it.
pub fn strategy_grid(first: &Strategy, max_tasks: u32, spot: bool) -> Vec<Strategy> {
    let mut all = vec![first.clone(), Strategy::on_demand()];
    if spot {
        all.push(Strategy::single(Provider::FargateSpot));
        for base in base_grid(max_tasks) {
            for &(wf, ws) in WEIGHT_GRID {
                if base == 0 && wf == 0 {
                    continue; // all Spot, above
                }
                all.push(Strategy {
                    items: vec![
                        StrategyItem {
                            provider: Provider::Fargate,
                            base,
                            weight: wf,
                        },
                        StrategyItem {
                            provider: Provider::FargateSpot,
                            base: 0,
                            weight: ws,
                        },
                    ],
                });
            }
        }
    }
    let mut seen: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut out = Vec::new();
    for s in all {
        if !spot && s.uses(Provider::FargateSpot) {
            continue;
        }
        let signature: Vec<(u32, u32)> = (0..=max_tasks)
            .map(|n| {
                let split = s.split_by_provider(n);
                let get = |p| split.iter().find(|(q, _)| *q == p).map_or(0, |(_, c)| *c);
                (get(Provider::Fargate), get(Provider::FargateSpot))
            })
            .collect();
        if !seen.contains(&signature) {
            seen.push(signature);
            out.push(s);
        }
    }
    out
}

fn base_grid(max_tasks: u32) -> Vec<u32> {
    let mut bases: Vec<u32> = (0..=max_tasks.min(DENSE_BASES)).collect();
    let mut b = DENSE_BASES;
    while b < max_tasks {
        b = (b + b / 4).max(b + 1);
        bases.push(b.min(max_tasks));
    }
    bases.dedup();
    bases
}

/// What one strategy did in every trial.
struct Simulated {
    strategy: Strategy,
    /// Per trial: billed seconds on FARGATE and FARGATE_SPOT.
    billed: Vec<[u64; 2]>,
    /// Per trial: min-healthy availability, percent.
    availability: Vec<f64>,
}

fn simulate_strategy(
    desired: &Steps,
    strategy: &Strategy,
    params: ModelParams,
    opts: &RecommendOptions,
) -> Simulated {
    let model = Model::new(desired.clone(), strategy, params);
    // Without Spot there is nothing random: one trial stands for all.
    let runs = if strategy.uses(Provider::FargateSpot) {
        opts.trials
    } else {
        1
    };
    let mut billed = Vec::with_capacity(opts.trials as usize);
    let mut availability = Vec::with_capacity(opts.trials as usize);
    for i in 0..u64::from(runs) {
        let o = run_trial(&model, opts.seed, i, None);
        billed.push(o.billed_s);
        availability.push(if o.service_s > 0.0 {
            100.0 * o.min_healthy_s / o.service_s
        } else {
            100.0
        });
    }
    while billed.len() < opts.trials as usize {
        billed.push(billed[0]);
        availability.push(availability[0]);
    }
    Simulated {
        strategy: strategy.clone(),
        billed,
        availability,
    }
}

/// A size to price, and the sentence that justifies it when it is not the size as written.
struct SizeOption {
    size: TaskSize,
    why: Option<String>,
}

fn pct(d: Decimal) -> String {
    format!("{}%", d.round_dp(1).normalize())
}

/// The size as written, and the right-sized one when the plan's peak figures justify it.
fn size_options(s: &Service, facts: &Facts, skipped: &mut Vec<String>) -> Vec<SizeOption> {
    let mut out = vec![SizeOption {
        size: s.size,
        why: None,
    }];
    let t = &s.tuning;
    if t.peak_cpu_percent.is_none() && t.peak_memory_percent.is_none() {
        return out;
    }
    let tracked = s.autoscaling.as_ref().map(|a| a.metric.name());
    // An autoscaled service adds tasks on the dimension it tracks: that one keeps its size.
    let resize_cpu = t
        .peak_cpu_percent
        .filter(|_| tracked.is_none_or(|m| m == "memory"));
    let resize_mem = t
        .peak_memory_percent
        .filter(|_| tracked.is_none_or(|m| m != "memory"));
    let need = |current: u32, peak: Option<Decimal>| -> u32 {
        peak.map_or(current, |p| {
            (Decimal::from(current) * p / t.utilization_ceiling_percent)
                .ceil()
                .to_u32()
                .unwrap_or(u32::MAX)
        })
    };
    // Containers' own reservations must still fit.
    let container_cpu: u32 = s
        .containers
        .iter()
        .filter_map(|c| c.cpu)
        .map(|v| u32::try_from(v).unwrap_or(0))
        .sum();
    let container_mem: u32 = s
        .containers
        .iter()
        .filter_map(|c| c.memory_reservation.or(c.memory))
        .map(|v| u32::try_from(v).unwrap_or(0))
        .sum();
    let container_hard: u32 = s
        .containers
        .iter()
        .filter_map(|c| c.memory)
        .map(|v| u32::try_from(v).unwrap_or(0))
        .max()
        .unwrap_or(0);
    let cpu = need(s.size.cpu.0, resize_cpu).max(container_cpu).max(1);
    let mem = need(s.size.memory.0, resize_mem)
        .max(container_mem)
        .max(container_hard)
        .max(1);
    match facts.next_valid_size(CpuUnits(cpu), MemoryMib(mem), s.os.is_windows()) {
        Some((c, m)) => {
            let size = TaskSize { cpu: c, memory: m };
            if size != s.size {
                let mut parts = Vec::new();
                if let Some(p) = resize_cpu {
                    parts.push(format!("peak CPU {} of {}", pct(p), s.size.cpu));
                }
                if let Some(p) = resize_mem {
                    parts.push(format!("peak memory {} of {}", pct(p), s.size.memory));
                }
                let runs_at = |peak: Option<Decimal>, old: u32, new: u32| {
                    peak.map(|p| pct(p * Decimal::from(old) / Decimal::from(new)))
                };
                let mut at = Vec::new();
                if let Some(r) = runs_at(resize_cpu, s.size.cpu.0, c.0) {
                    at.push(format!("CPU at {r}"));
                }
                if let Some(r) = runs_at(resize_mem, s.size.memory.0, m.0) {
                    at.push(format!("memory at {r}"));
                }
                out.push(SizeOption {
                    size,
                    why: Some(format!(
                        "{} → {size} peaks with {} (ceiling {})",
                        parts.join(", "),
                        at.join(" and "),
                        pct(t.utilization_ceiling_percent)
                    )),
                });
            }
        }
        None => skipped.push(format!(
            "the peak figures ask for {cpu} CPU units and {mem} MiB, more than the largest Fargate size; the size as written is kept"
        )),
    }
    out
}

/// Per provider: the hourly rate of a task of this shape, or why it cannot be priced.
/// Every price behind the figures is kept in `used`, for the "prices used" list.
fn hourly_rates(
    s: &Service,
    book: &PriceBook,
    facts: &Facts,
    arch: CpuArch,
    size: TaskSize,
    used: &mut Vec<Price>,
) -> [Result<Decimal, String>; 2] {
    Provider::ALL.map(|p| {
        let shape = crate::core::report::cost::TaskShape {
            size,
            storage_gib: s.ephemeral_storage_gib,
            windows: s.os.is_windows(),
            arch,
        };
        let rate = task_rate(book, facts, &s.region, shape, p)
            .map_err(|e| format!("{arch} {size} on {p}: {e}"))?;
        for line in &rate.lines {
            if !used
                .iter()
                .any(|u| u.region == line.price.region && u.dimension == line.price.dimension)
            {
                used.push(line.price.clone());
            }
        }
        Ok(rate.per_hour().0)
    })
}

/// Prices one simulated strategy at a shape's rates.
#[allow(clippy::too_many_arguments)]
fn price(
    sim: &Simulated,
    rates: [Decimal; 2],
    arch: CpuArch,
    size: TaskSize,
    label: String,
    month_factor: Decimal,
    target: f64,
    ceiling: Option<Usd>,
) -> Candidate {
    let costs: Vec<Usd> = sim
        .billed
        .iter()
        .map(|b| {
            Usd((Decimal::from(b[0]) * rates[0] + Decimal::from(b[1]) * rates[1]) * month_factor)
        })
        .collect();
    let n = Decimal::from(costs.len().max(1));
    let expected = Usd(costs.iter().map(|c| c.0).sum::<Decimal>() / n);
    let p95 = summarize_usd(&costs, Worse::High).p95;
    let avail = summarize(&sim.availability, Worse::Low);
    let (od, spot): (u64, u64) = sim
        .billed
        .iter()
        .fold((0, 0), |(a, b), x| (a + x[0], b + x[1]));
    let spot_percent = if od + spot > 0 {
        100.0 * spot as f64 / (od + spot) as f64
    } else {
        0.0
    };
    Candidate {
        arch,
        size,
        strategy: sim.strategy.clone(),
        strategy_label: label,
        expected_monthly: expected,
        p95_monthly: p95,
        availability_percent: avail.mean,
        availability_p95_percent: avail.p95,
        spot_percent,
        meets_target: avail.mean + 1e-9 >= target,
        within_ceiling: ceiling.is_none_or(|c| p95 <= c),
    }
}

/// The FARGATE base of a strategy (0 without one).
pub fn fargate_base(strategy: &Strategy) -> u32 {
    strategy
        .items
        .iter()
        .filter(|i| i.provider == Provider::Fargate)
        .map(|i| i.base)
        .max()
        .unwrap_or(0)
}

/// Candidates no cheaper candidate beats on availability, cheapest first.
pub fn frontier(candidates: &[Candidate]) -> Vec<Candidate> {
    let mut sorted: Vec<&Candidate> = candidates.iter().collect();
    sorted.sort_by(|a, b| {
        a.expected_monthly
            .cmp(&b.expected_monthly)
            .then(b.availability_percent.total_cmp(&a.availability_percent))
    });
    let mut out: Vec<Candidate> = Vec::new();
    let mut best = f64::NEG_INFINITY;
    for c in sorted {
        if c.availability_percent > best + 1e-9 {
            best = c.availability_percent;
            out.push(c.clone());
        }
    }
    out
}

/// The service's chosen configuration, kept for Savings Plan sizing.
struct Chosen<'a> {
    service: &'a Service,
    desired: Steps,
    arch: CpuArch,
    size: TaskSize,
    strategy: Strategy,
}

fn fmt_pct(v: f64) -> String {
    if v >= 99.0 {
        format!("{v:.3}%")
    } else {
        format!("{v:.1}%")
    }
}

fn fmt_target(v: f64) -> String {
    format!("{}%", (v * 1000.0).round() / 1000.0)
}

fn recommend_service<'a>(
    s: &'a Service,
    plan: &Plan,
    book: &PriceBook,
    facts: &Facts,
    opts: &RecommendOptions,
    progress: &(dyn Fn(u64) + Sync),
    prices_used: &mut Vec<Price>,
) -> Result<(ServiceRecommendation, Chosen<'a>), SimError> {
    let desired = desired_timeline(s, opts.start, opts.horizon_minutes)?;
    let max_tasks = desired.points.iter().map(|p| p.1).max().unwrap_or(0);
    let windows = s.os.is_windows();
    let params = model_params(s, facts);
    let ceiling = s.tuning.p95_cost_ceiling;
    let mut skipped = Vec::new();

    let strategies = strategy_grid(&s.strategy, max_tasks, !windows);
    let sims: Vec<Simulated> = strategies
        .par_iter()
        .map(|st| {
            let sim = simulate_strategy(&desired, st, params, opts);
            progress(1);
            sim
        })
        .collect();

    // No target in the plan: no worse than the plan as written (its strategy is sims[0]).
    let target = s
        .availability
        .target_percent
        .unwrap_or_else(|| summarize(&sims[0].availability, Worse::Low).mean);
    let horizon_s = Decimal::from(desired.end);
    // Billed seconds × rate per hour × hours per month / horizon seconds = monthly cost.
    let month_factor = plan.hours_per_month / horizon_s;
    let price_error = |source: String| SimError::Input(format!("service `{}`: {source}", s.name));

    // The plan as written: its own strategy (sims[0]) at its own architecture and size.
    let own = hourly_rates(s, book, facts, s.arch, s.size, prices_used);
    let own_rates = [
        own[0].clone().map_err(price_error)?,
        match &own[1] {
            Ok(r) => *r,
            Err(e) if s.strategy.uses(Provider::FargateSpot) => return Err(price_error(e.clone())),
            Err(_) => Decimal::ZERO,
        },
    ];
    let as_written = price(
        &sims[0],
        own_rates,
        s.arch,
        s.size,
        s.strategy.to_string(),
        month_factor,
        target,
        ceiling,
    );

    let mut archs: Vec<CpuArch> = s.tuning.image_architectures.clone();
    if windows && archs.contains(&CpuArch::Arm64) {
        archs.retain(|a| *a == CpuArch::X86_64);
        skipped.push("ARM64: Fargate runs Windows on X86_64 only".to_string());
    }
    if archs.is_empty() {
        archs.push(CpuArch::X86_64);
    }
    let sizes = size_options(s, facts, &mut skipped);
    let mut candidates = Vec::new();
    for &arch in &archs {
        for opt in &sizes {
            let rates = hourly_rates(s, book, facts, arch, opt.size, prices_used);
            let od = match &rates[0] {
                Ok(r) => *r,
                Err(e) => {
                    skipped.push(format!("{e}; `prices fetch` adds missing prices"));
                    continue;
                }
            };
            let spot = match &rates[1] {
                Ok(r) => Some(*r),
                Err(e) => {
                    if !windows {
                        skipped.push(format!("{e}; its Spot mixes are not considered"));
                    }
                    None
                }
            };
            for sim in &sims {
                let uses_spot = sim.strategy.uses(Provider::FargateSpot);
                if uses_spot && spot.is_none() {
                    continue;
                }
                candidates.push(price(
                    sim,
                    [od, spot.unwrap_or_default()],
                    arch,
                    opt.size,
                    sim.strategy.to_string(),
                    month_factor,
                    target,
                    ceiling,
                ));
            }
        }
    }

    let recommended = candidates
        .iter()
        .filter(|c| c.feasible())
        .min_by(|a, b| {
            a.expected_monthly
                .cmp(&b.expected_monthly)
                .then(b.availability_percent.total_cmp(&a.availability_percent))
                .then(a.spot_percent.total_cmp(&b.spot_percent))
                // Equal splits of the counts that occur: a FARGATE base guarantees the floor
                // at every count, so prefer it.
                .then(fargate_base(&b.strategy).cmp(&fargate_base(&a.strategy)))
                .then((a.arch != s.arch).cmp(&(b.arch != s.arch)))
                .then((a.size != s.size).cmp(&(b.size != s.size)))
        })
        .cloned();
    let best_availability_percent = candidates
        .iter()
        .map(|c| c.availability_percent)
        .fold(as_written.availability_percent, f64::max);

    let reasons = reasons(
        s,
        &candidates,
        recommended.as_ref(),
        &as_written,
        &sizes,
        target,
        best_availability_percent,
    );
    let saving_monthly = recommended
        .as_ref()
        .map(|r| as_written.expected_monthly - r.expected_monthly);
    let snippets = recommended
        .as_ref()
        .map(|r| snippets::render(s, r.arch, r.size, &r.strategy));
    let chosen = match &recommended {
        Some(r) => Chosen {
            service: s,
            desired,
            arch: r.arch,
            size: r.size,
            strategy: r.strategy.clone(),
        },
        None => Chosen {
            service: s,
            desired,
            arch: s.arch,
            size: s.size,
            strategy: s.strategy.clone(),
        },
    };
    Ok((
        ServiceRecommendation {
            name: s.name.clone(),
            region: s.region.clone(),
            os: s.os.ecs_name().to_string(),
            min_healthy: s.availability.min_healthy,
            target_percent: target,
            target_is_default: s.availability.target_percent.is_none(),
            p95_cost_ceiling: ceiling,
            frontier: frontier(&candidates),
            candidates: candidates.len(),
            as_written,
            recommended,
            best_availability_percent,
            saving_monthly,
            reasons,
            skipped,
            snippets,
        },
        chosen,
    ))
}

fn reasons(
    s: &Service,
    candidates: &[Candidate],
    rec: Option<&Candidate>,
    as_written: &Candidate,
    sizes: &[SizeOption],
    target: f64,
    best: f64,
) -> Vec<String> {
    let mut out = Vec::new();
    let t = if s.availability.target_percent.is_some() {
        fmt_target(target)
    } else {
        format!("as-written {}", fmt_pct(target))
    };
    let Some(r) = rec else {
        let best_c = candidates
            .iter()
            .max_by(|a, b| a.availability_percent.total_cmp(&b.availability_percent));
        out.push(format!(
            "no candidate meets the {t} target{}: the best reaches {}{}",
            if s.tuning.p95_cost_ceiling.is_some() {
                " within the P95 cost ceiling"
            } else {
                ""
            },
            fmt_pct(best),
            best_c.map_or(String::new(), |c| format!(" ({})", c.label()))
        ));
        out.push(format!(
            "with min_healthy {} and a {} s startup, even all-FARGATE tasks are short while they start; lower the target, min_healthy or the startup time, or raise the desired count",
            s.availability.min_healthy, s.availability.startup_s
        ));
        return out;
    };
    if s.os.is_windows() {
        out.push("Windows: Fargate offers no Spot and no ARM, so FARGATE only".to_string());
    } else {
        // The cheapest all-Spot candidate at the recommended shape.
        let all_spot = candidates.iter().find(|c| {
            c.arch == r.arch
                && c.size == r.size
                && c.strategy.uses(Provider::FargateSpot)
                && !c.strategy.uses(Provider::Fargate)
        });
        if let Some(a) = all_spot {
            if a.meets_target && s.availability.target_percent.is_none() {
                out.push(format!(
                    "all-Spot gives {}: as available as the plan as written (the plan sets no target)",
                    fmt_pct(a.availability_percent)
                ));
            } else if a.meets_target {
                out.push(format!(
                    "all-Spot gives {}: within the {t} target",
                    fmt_pct(a.availability_percent)
                ));
            } else {
                out.push(format!(
                    "all-Spot gives {}: below the {t} target",
                    fmt_pct(a.availability_percent)
                ));
            }
        }
        let base = fargate_base(&r.strategy);
        let on_demand_only = !r.strategy.uses(Provider::FargateSpot);
        if on_demand_only {
            out.push(format!(
                "every mix with Spot that is cheaper misses the target{}; FARGATE only reaches {}",
                if s.tuning.p95_cost_ceiling.is_some() {
                    " or the P95 ceiling"
                } else {
                    ""
                },
                fmt_pct(r.availability_percent)
            ));
        } else if base > 0 {
            let m = s.availability.min_healthy;
            if base >= m {
                out.push(format!(
                    "base {base} on FARGATE keeps min_healthy ({m}) through Spot interruptions and outages: {}",
                    fmt_pct(r.availability_percent)
                ));
            } else {
                out.push(format!(
                    "base {base} on FARGATE with the rest on Spot reaches {}",
                    fmt_pct(r.availability_percent)
                ));
            }
        }
    }
    if r.strategy.uses(Provider::FargateSpot) && s.spot.interruption_rate_is_default {
        out.push(format!(
            "the Spot figures rest on the planner's default of {} interruptions per task-hour{}: set [service.spot] interruption_rate{} from your ECS events before relying on them",
            s.spot.interruption_rate,
            if s.spot.reclaim_share > 0.0 { "" } else { ", independent of each other" },
            if s.spot.reclaim_share > 0.0 { "" } else { " and reclaim_share" }
        ));
    }
    if r.arch != s.arch {
        out.push(format!(
            "the images declare {}: it costs less per task-hour than {}",
            r.arch, s.arch
        ));
    } else if !s.tuning.image_architectures_declared
        && s.arch == CpuArch::X86_64
        && !s.os.is_windows()
    {
        out.push(
            "ARM64 not considered: list image_architectures = [\"X86_64\", \"ARM64\"] under [service.recommend] if the images are multi-arch"
                .to_string(),
        );
    }
    if let Some(why) = sizes
        .iter()
        .find(|o| o.size == r.size)
        .and_then(|o| o.why.clone())
    {
        out.push(why);
    }
    if !as_written.feasible() {
        out.push(format!(
            "the plan as written reaches {}{}",
            fmt_pct(as_written.availability_percent),
            if as_written.meets_target {
                format!(
                    " but its P95 cost {} is above the ceiling",
                    as_written.p95_monthly.display_cents()
                )
            } else {
                format!(": below the {t} target")
            }
        ));
    }
    out
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
        let (r, c) = recommend_service(s, plan, book, facts, opts, progress, &mut prices_used)?;
        services.push(r);
        chosen.push(c);
    }
    let total_as_written = services.iter().map(|s| s.as_written.expected_monthly).sum();
    let total_recommended = services
        .iter()
        .map(|s| {
            s.recommended
                .as_ref()
                .unwrap_or(&s.as_written)
                .expected_monthly
        })
        .sum();
    let savings_plans = size_savings_plans(&chosen, plan, book, savings, facts);
    let mut notes = vec![
        format!(
            "each candidate is simulated over {} days from {} with {} trials on common random numbers (seed {}); monthly figures scale to {} hours",
            f64::from(opts.horizon_minutes) / 1440.0,
            opts.start,
            opts.trials,
            opts.seed,
            plan.hours_per_month.normalize()
        ),
        "availability is the mean share of service time with healthy tasks ≥ min(min_healthy, desired); a candidate meets the target when that mean does".to_string(),
    ];
    if plan.services.iter().any(|s| {
        (only.is_empty() || only.contains(&s.name))
            && s.spot.interruption_rate_is_default
            && !s.os.is_windows()
    }) {
        notes.push(format!(
            "services without [service.spot] interruption_rate use the planner's default of {} per task-hour; AWS publishes no Fargate Spot interruption rate — measure yours from ECS events (stopCode SpotInterruption)",
            crate::core::plan::SpotAssumptions::default().interruption_rate
        ));
    }
    if services.iter().any(|s| s.target_is_default) {
        notes.push(
            "services without [service.availability] target must stay at least as available as the plan as written"
                .to_string(),
        );
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
        total_recommended,
        savings_plans,
        prices_used: {
            prices_used
                .sort_by(|a, b| (&a.region, a.dimension.id()).cmp(&(&b.region, b.dimension.id())));
            prices_used
        },
        generated_on: opts.today,
        notes,
    })
}

/// `1-year No Upfront` for `compute_1yr_no_upfront`.
fn plan_label(plan: &str) -> String {
    let years = if plan.contains("1yr") {
        "1-year"
    } else {
        "3-year"
    };
    let option = if plan.contains("no_upfront") {
        "No Upfront"
    } else if plan.contains("partial") {
        "Partial Upfront"
    } else {
        "All Upfront"
    };
    format!("Compute SP {years} {option}")
}

/// One usage bucket of the spend curve: on-demand vCPU or memory of one region and architecture.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Bucket {
    region: String,
    arch: CpuArch,
    /// `vcpu_hour` or `gb_hour`.
    dimension: &'static str,
    /// On-demand price per vCPU-hour or GB-hour.
    unit_price: Decimal,
}

fn size_savings_plans(
    chosen: &[Chosen],
    plan: &Plan,
    book: &PriceBook,
    rates: &SavingsRates,
    facts: &Facts,
) -> SavingsPlans {
    let mut excluded = Vec::new();
    let hours = chosen
        .iter()
        .map(|c| c.desired.end.div_ceil(3600))
        .max()
        .unwrap_or(0) as usize;
    let horizon_hours = chosen.first().map_or(Decimal::ONE, |c| {
        Decimal::from(c.desired.end) / Decimal::from(3600)
    });
    let mut buckets: Vec<Bucket> = Vec::new();
    let mut spend: Vec<BTreeMap<usize, Decimal>> = vec![BTreeMap::new(); hours];
    let has_rates = |region: &str| rates.iter().any(|r| r.region == region);
    for c in chosen {
        let s = c.service;
        if !c.strategy.uses(Provider::Fargate) {
            continue;
        }
        if s.os.is_windows() {
            excluded.push(format!(
                "{}: Windows — the price data has no Savings Plans rates for Windows usage",
                s.name
            ));
            continue;
        }
        if !has_rates(&s.region) {
            excluded.push(format!(
                "{}: no Savings Plans rates for {} in the price data (`prices import` a savingsPlan offer file for the region)",
                s.name, s.region
            ));
            continue;
        }
        let shape = crate::core::report::cost::TaskShape {
            size: c.size,
            storage_gib: s.ephemeral_storage_gib,
            windows: false,
            arch: c.arch,
        };
        let Ok(rate) = task_rate(book, facts, &s.region, shape, Provider::Fargate) else {
            continue;
        };
        // FARGATE task-seconds per hour: FARGATE slots are the same in every trial.
        let [fargate, _] = slot_intervals(&c.desired, &c.strategy);
        let mut per_hour = vec![0u64; hours];
        for iv in &fargate {
            let mut t = iv.start;
            while t < iv.end {
                let h = (t / 3600) as usize;
                let next = ((t / 3600) + 1) * 3600;
                let until = next.min(iv.end);
                if let Some(x) = per_hour.get_mut(h) {
                    *x += until - t;
                }
                t = until;
            }
        }
        for line in &rate.lines {
            let dimension = match line.component {
                Component::Vcpu => "vcpu_hour",
                Component::Memory => "gb_hour",
                _ => continue,
            };
            let bucket = Bucket {
                region: s.region.clone(),
                arch: c.arch,
                dimension,
                unit_price: line.price.usd_per_unit,
            };
            let b = match buckets.iter().position(|x| *x == bucket) {
                Some(b) => b,
                None => {
                    buckets.push(bucket);
                    buckets.len() - 1
                }
            };
            for (h, secs) in per_hour.iter().enumerate() {
                if *secs > 0 {
                    *spend[h].entry(b).or_default() +=
                        Decimal::from(*secs) / Decimal::from(3600) * line.per_hour.0;
                }
            }
        }
    }
    let month = plan.hours_per_month / horizon_hours;
    let matrix: Vec<Vec<Decimal>> = spend
        .iter()
        .map(|h| {
            (0..buckets.len())
                .map(|b| h.get(&b).copied().unwrap_or_default())
                .collect()
        })
        .collect();
    let eligible: Decimal = matrix.iter().flatten().sum();
    let mut options = Vec::new();
    for &p in SAVINGS_PLANS.iter().filter(|_| !buckets.is_empty()) {
        let mut ratios = Vec::new();
        let mut missing = Vec::new();
        let mut as_of: Option<NaiveDate> = None;
        let mut sources: Vec<String> = Vec::new();
        for b in &buckets {
            match rates.get(&b.region, p, b.arch.ecs_name(), b.dimension) {
                Some(r) if b.unit_price > Decimal::ZERO => {
                    ratios.push(r.usd_per_unit / b.unit_price);
                    as_of = Some(as_of.map_or(r.as_of, |d| d.min(r.as_of)));
                    if !sources.contains(&r.source) {
                        sources.push(r.source.clone());
                    }
                }
                _ => missing.push(format!("{} {} {}", b.region, b.arch, b.dimension)),
            }
        }
        let any_rate = rates.iter().any(|r| r.plan == p);
        if !any_rate {
            // Partial Upfront rates are unconfirmed: listed only when the data has some.
            continue;
        }
        let mut option = SavingsPlanOption {
            plan: p.to_string(),
            label: plan_label(p),
            not_sized: None,
            commitment_per_hour: Usd::ZERO,
            commitment_monthly: Usd::ZERO,
            upfront: None,
            coverage_percent: Decimal::ZERO,
            unused_percent: Decimal::ZERO,
            net_saving_monthly: Usd::ZERO,
            break_even_utilization_percent: Decimal::ZERO,
            rates_as_of: as_of,
            rates_sources: sources,
        };
        if !missing.is_empty() {
            option.not_sized = Some(format!(
                "the price data has no {} rate for {}",
                option.label,
                missing.join(", ")
            ));
            options.push(option);
            continue;
        }
        let curve = savings::SpendCurve {
            hours: matrix.clone(),
            ratios,
        };
        let o = curve.optimum();
        let hundred = Decimal::ONE_HUNDRED;
        option.commitment_per_hour = Usd(o.commitment);
        option.commitment_monthly = Usd(o.commitment * plan.hours_per_month);
        if p.contains("all_upfront") {
            let years = if p.contains("1yr") { 1 } else { 3 };
            option.upfront = Some(Usd(o.commitment * Decimal::from(8760 * years)));
        }
        if o.eligible > Decimal::ZERO {
            option.coverage_percent = o.covered * hundred / o.eligible;
        }
        if o.paid > Decimal::ZERO {
            option.unused_percent = o.unused * hundred / o.paid;
        }
        if o.covered > Decimal::ZERO {
            option.break_even_utilization_percent = (o.paid - o.unused) * hundred / o.covered;
        }
        option.net_saving_monthly = Usd(o.net_saving * month);
        options.push(option);
    }
    SavingsPlans {
        eligible_monthly: Usd(eligible * month),
        excluded,
        options,
    }
}

#[cfg(test)]
mod tests;
