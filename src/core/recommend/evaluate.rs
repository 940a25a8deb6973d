//! The evaluation of candidates: each strategy simulated once per trial on common random
//! numbers, each architecture and size priced on those runs, the cheapest feasible candidate
//! chosen and the cost-availability frontier drawn, one service at a time.

use super::candidates::{SizeOption, architectures, size_options, strategy_grid};
use super::reasons::reasons;
use super::{Candidate, RecommendOptions, ServiceRecommendation, Skipped, snippets};
use crate::core::plan::{Plan, Service};
use crate::core::pricing::{Price, PriceBook};
use crate::core::report::cost::task_rate;
use crate::core::rules::Facts;
use crate::core::simulate::demand::{Steps, desired_and_need};
use crate::core::simulate::draws::{Luck, LuckSpec};
use crate::core::simulate::engine::{Model, ModelParams, Scratch, SurgeInputs, play_with};
use crate::core::simulate::stats::{Summary, Worse, percentile_usd, summarize};
use crate::core::simulate::{SimError, model_params, surge_inputs};
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::strategy::{Provider, Strategy};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::sync::Arc;

/// What one strategy did in every trial.
struct Simulated {
    strategy: Strategy,
    /// Per trial: billed seconds on FARGATE and FARGATE_SPOT.
    billed: Vec<[u64; 2]>,
    /// Per trial: min-healthy availability, percent.
    availability: Vec<f64>,
    /// The availability summarised, the same at every architecture and size.
    summary: Summary<f64>,
}

fn simulate_strategy(
    desired: &Steps,
    strategy: &Strategy,
    params: ModelParams,
    surge: Option<Arc<SurgeInputs>>,
    lucks: &[Luck],
) -> Simulated {
    let model = Model::new(desired.clone(), strategy, params).with_surge(surge);
    // Without Spot and without task failures there is nothing random: one trial stands for all.
    let runs =
        if strategy.uses(Provider::FargateSpot) || params.task_failure_rate_per_task_hour > 0.0 {
            lucks.len()
        } else {
            lucks.len().min(1)
        };
    let mut billed = Vec::with_capacity(lucks.len());
    let mut availability = Vec::with_capacity(lucks.len());
    let mut scratch = Scratch::default();
    for luck in &lucks[..runs] {
        let o = play_with(&model, luck, &mut scratch);
        billed.push(o.billed_s);
        availability.push(if o.service_s > 0.0 {
            100.0 * o.min_healthy_s / o.service_s
        } else {
            100.0
        });
    }
    while billed.len() < lucks.len() {
        billed.push(billed[0]);
        availability.push(availability[0]);
    }
    let summary = summarize(&availability, Worse::Low);
    Simulated {
        strategy: strategy.clone(),
        billed,
        availability,
        summary,
    }
}

/// Every trial's luck for a service, drawn once for all its strategies: ranks up to the peak
/// desired count on both providers cover every strategy of the grid.
fn draw_lucks(
    desired: &Steps,
    params: ModelParams,
    max_tasks: u32,
    opts: &RecommendOptions,
) -> Vec<Luck> {
    let spec = LuckSpec {
        horizon_s: desired.end as f64,
        ranks: [max_tasks, max_tasks],
        rates: params.rates(),
    };
    (0..u64::from(opts.trials))
        .into_par_iter()
        .map(|i| Luck::draw(opts.seed, i, &spec))
        .collect()
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

/// What every candidate of a service is priced and judged against.
#[derive(Clone, Copy)]
struct Terms {
    /// Billed seconds × this × rate per hour = monthly cost.
    month_factor: Decimal,
    /// Availability to meet, percent.
    target: f64,
    /// The highest P95 monthly cost allowed.
    ceiling: Option<Usd>,
}

/// A service with the price data its candidates are priced from.
struct Pricing<'p> {
    s: &'p Service,
    book: &'p PriceBook,
    facts: &'p Facts,
    terms: Terms,
}

/// Prices one simulated strategy at a shape's rates.
fn price(
    sim: &Simulated,
    rates: [Decimal; 2],
    arch: CpuArch,
    size: TaskSize,
    terms: Terms,
) -> Candidate {
    let Terms {
        month_factor,
        target,
        ceiling,
    } = terms;
    let costs: Vec<Usd> = sim
        .billed
        .iter()
        .map(|b| {
            Usd((Decimal::from(b[0]) * rates[0] + Decimal::from(b[1]) * rates[1]) * month_factor)
        })
        .collect();
    let n = Decimal::from(costs.len().max(1));
    let expected = Usd(costs.iter().map(|c| c.0).sum::<Decimal>() / n);
    let p95 = percentile_usd(&costs, 95, Worse::High);
    let avail = sim.summary;
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
        expected_monthly: expected,
        p95_monthly: p95,
        availability_percent: avail.mean,
        availability_p95_percent: avail.p95,
        spot_percent,
        meets_target: avail.mean + 1e-9 >= target,
        within_ceiling: ceiling.is_none_or(|c| p95 <= c),
        keeps_on_demand_floor: true,
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
pub(super) struct Chosen<'a> {
    pub(super) service: &'a Service,
    pub(super) desired: Steps,
    pub(super) arch: CpuArch,
    pub(super) size: TaskSize,
    pub(super) strategy: Strategy,
}

impl<'a> Chosen<'a> {
    /// The recommended configuration, or the plan as written when there is none.
    fn new(s: &'a Service, desired: Steps, recommended: Option<&Candidate>) -> Self {
        match recommended {
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
        }
    }
}

/// Simulates and prices every candidate of `s` and picks the cheapest feasible one; also returns
/// the configuration picked (the plan as written without one), for Savings Plan sizing.
pub(super) fn recommend_service<'a>(
    s: &'a Service,
    plan: &Plan,
    book: &PriceBook,
    facts: &Facts,
    opts: &RecommendOptions,
    progress: &(dyn Fn(u64) + Sync),
    prices_used: &mut Vec<Price>,
) -> Result<(ServiceRecommendation, Chosen<'a>), SimError> {
    let (desired, need) = desired_and_need(s, opts.start, opts.horizon_minutes)?;
    let surge = surge_inputs(s, need);
    let max_tasks = desired.points.iter().map(|p| p.1).max().unwrap_or(0);
    let params = model_params(s, plan, facts);
    let ceiling = s.tuning.p95_cost_ceiling;
    let mut skipped = Vec::new();

    let strategies = strategy_grid(&s.strategy, max_tasks, !s.os.is_windows());
    let lucks = draw_lucks(&desired, params, max_tasks, opts);
    let sims: Vec<Simulated> = strategies
        .par_iter()
        .map(|st| {
            let sim = simulate_strategy(&desired, st, params, surge.clone(), &lucks);
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
    let pricing = Pricing {
        s,
        book,
        facts,
        terms: Terms {
            // Billed seconds × rate per hour × hours per month / horizon seconds = monthly cost.
            month_factor: plan.hours_per_month / horizon_s,
            target,
            ceiling,
        },
    };
    let as_written = price_as_written(&pricing, &sims[0], prices_used)?;

    let archs = architectures(s, &mut skipped);
    let sizes = size_options(s, facts, &mut skipped);
    let mut candidates =
        price_candidates(&pricing, &archs, &sizes, &sims, prices_used, &mut skipped);
    if s.availability.target_percent.is_none() {
        mark_on_demand_floor(s, &desired, &mut candidates);
    }
    // Below the floor but otherwise feasible: the Spot-heavier alternative (none with a target,
    // where every candidate keeps the floor).
    let spot_alternative = cheapest(s, &candidates, |c| {
        !c.keeps_on_demand_floor && c.meets_target && c.within_ceiling
    });
    let recommended = cheapest(s, &candidates, Candidate::feasible);
    let spot_alternative = spot_alternative.filter(|alt| {
        recommended
            .as_ref()
            .is_none_or(|r| alt.expected_monthly < r.expected_monthly)
    });
    let best_availability_percent = candidates
        .iter()
        .map(|c| c.availability_percent)
        .fold(as_written.availability_percent, f64::max);

    let arm_forgone = arm_saving_forgone(&pricing, &sims, recommended.as_ref(), prices_used);
    let reasons = reasons(
        s,
        &candidates,
        recommended.as_ref(),
        &as_written,
        &sizes,
        (target, best_availability_percent),
        arm_forgone,
    );
    let saving_monthly = recommended
        .as_ref()
        .map(|r| as_written.expected_monthly - r.expected_monthly);
    let snippets = recommended
        .as_ref()
        .map(|r| snippets::render(s, r.arch, r.size, &r.strategy));
    let chosen = Chosen::new(s, desired, recommended.as_ref());
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
            spot_alternative,
            best_availability_percent,
            saving_monthly,
            reasons,
            image_architectures: super::ImageArchitectures::of(s, arm_forgone),
            skipped,
            snippets,
        },
        chosen,
    ))
}

/// When the images were read and some has no arm64 build, what the recommended candidate would
/// save per month on ARM64 (its strategy's simulated runs priced at ARM64 rates); `None` when
/// that does not apply or ARM64 has no price.
fn arm_saving_forgone(
    pricing: &Pricing,
    sims: &[Simulated],
    rec: Option<&Candidate>,
    prices_used: &mut Vec<Price>,
) -> Option<Usd> {
    let s = pricing.s;
    let r = rec.filter(|r| r.arch == CpuArch::X86_64 && super::images::arm_needs_build(s))?;
    let sim = sims.iter().find(|x| x.strategy == r.strategy)?;
    let rates = hourly_rates(
        s,
        pricing.book,
        pricing.facts,
        CpuArch::Arm64,
        r.size,
        prices_used,
    );
    let od = rates[0].clone().ok()?;
    let spot = match &rates[1] {
        Ok(x) => *x,
        Err(_) if r.strategy.uses(Provider::FargateSpot) => return None,
        Err(_) => Decimal::ZERO,
    };
    let arm = price(sim, [od, spot], CpuArch::Arm64, r.size, pricing.terms);
    Some(r.expected_monthly - arm.expected_monthly)
}

/// The plan as written: its own strategy (`sim`, the grid's first) at its own architecture and
/// size. A price it needs and the data lacks is an error.
fn price_as_written(
    pricing: &Pricing,
    sim: &Simulated,
    prices_used: &mut Vec<Price>,
) -> Result<Candidate, SimError> {
    let s = pricing.s;
    let price_error = |source: String| SimError::Input(format!("service `{}`: {source}", s.name));
    let own = hourly_rates(s, pricing.book, pricing.facts, s.arch, s.size, prices_used);
    let own_rates = [
        own[0].clone().map_err(price_error)?,
        match &own[1] {
            Ok(r) => *r,
            Err(e) if s.strategy.uses(Provider::FargateSpot) => return Err(price_error(e.clone())),
            Err(_) => Decimal::ZERO,
        },
    ];
    Ok(price(sim, own_rates, s.arch, s.size, pricing.terms))
}

/// Every simulated strategy priced at every architecture and size with prices; shapes without
/// an on-demand price, and Spot mixes of shapes without a Spot price, are noted in `skipped`.
fn price_candidates(
    pricing: &Pricing,
    archs: &[CpuArch],
    sizes: &[SizeOption],
    sims: &[Simulated],
    prices_used: &mut Vec<Price>,
    skipped: &mut Vec<Skipped>,
) -> Vec<Candidate> {
    let s = pricing.s;
    let mut candidates = Vec::new();
    for &arch in archs {
        for opt in sizes {
            let rates = hourly_rates(s, pricing.book, pricing.facts, arch, opt.size, prices_used);
            let od = match &rates[0] {
                Ok(r) => *r,
                Err(e) => {
                    skipped.push(Skipped::NoOnDemandPrice(e.clone()));
                    continue;
                }
            };
            let spot = match &rates[1] {
                Ok(r) => Some(*r),
                Err(e) => {
                    if !s.os.is_windows() {
                        skipped.push(Skipped::NoSpotPrice(e.clone()));
                    }
                    None
                }
            };
            let priced: Vec<Candidate> = sims
                .par_iter()
                .filter(|sim| spot.is_some() || !sim.strategy.uses(Provider::FargateSpot))
                .map(|sim| {
                    let rates = [od, spot.unwrap_or_default()];
                    price(sim, rates, arch, opt.size, pricing.terms)
                })
                .collect();
            candidates.extend(priced);
        }
    }
    candidates
}

/// No stated target: a candidate keeps the plan's on-demand floor when it runs at least the
/// plan's FARGATE tasks at every desired count of the horizon.
fn mark_on_demand_floor(s: &Service, desired: &Steps, candidates: &mut [Candidate]) {
    let counts: BTreeSet<u32> = desired.points.iter().map(|p| p.1).collect();
    let fargate = |st: &Strategy, n: u32| {
        st.split_by_provider(n)
            .into_iter()
            .filter(|(p, _)| *p == Provider::Fargate)
            .map(|(_, k)| k)
            .sum::<u32>()
    };
    for c in candidates {
        c.keeps_on_demand_floor = counts
            .iter()
            .all(|n| fargate(&c.strategy, *n) >= fargate(&s.strategy, *n));
    }
}

/// The cheapest candidate that `ok` accepts (the recommendation: [`Candidate::feasible`]), ties
/// to the more available, the less Spot, the larger FARGATE base, then the architecture and
/// size as written.
fn cheapest(
    s: &Service,
    candidates: &[Candidate],
    ok: impl Fn(&Candidate) -> bool,
) -> Option<Candidate> {
    candidates
        .iter()
        .filter(|c| ok(c))
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
        .cloned()
}
