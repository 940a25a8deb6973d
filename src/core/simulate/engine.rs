//! The random half of the model: one Monte Carlo trial of a service, event by event.
//!
//! Placement splits the desired count across providers with the strategy's base/weight rule
//! (the report's [`Strategy::split_by_provider`]). Each provider's count becomes *slots*: slot
//! `i` is wanted while the provider's count is above `i`. A wanted slot holds one task at a time:
//!
//! - it is placed when the slot becomes wanted (FARGATE_SPOT: not during a capacity outage, then
//!   as soon as the outage ends, with no fallback to FARGATE, as in ECS), billed from placement,
//!   and healthy `startup` seconds later; tasks running at the horizon start are already healthy;
//! - a healthy Spot task gets its 2-minute warning after an exponential time of rate λ per
//!   task-hour (or when a capacity outage reclaims it); it is unhealthy from the warning
//!   (draining) and stops `stop_timeout` seconds later. ECS launches the replacement at the
//!   warning when `maximumPercent` leaves room for one task above the desired count and Spot
//!   capacity is there (not inside an outage: then at its end), otherwise when the old task stops;
//!   the two overlap, and are both billed, until the old one stops. With the ECS default (200 %)
//!   an interruption costs `startup` of healthy time; with 100 % it costs `stop_timeout + startup`;
//! - a healthy task of either provider fails (crash, failed health check, task retirement) after
//!   an exponential time of the assumed task failure rate; it stops at once and its replacement is
//!   placed then (Spot: capacity permitting), healthy `startup` later;
//! - when the slot stops being wanted its task stops (scale-in or the end of a window).
//!
//! FARGATE slots without failures are the same in every trial, so they are computed once and
//! shared; a trial adds only what its failures change (failures of a slot rank are one Poisson
//! process over the trial, [`super::draws`]).
//!
//! **Common random numbers** ([`super::draws`]): every kind of draw has its own stream and each
//! slot rank its own lane, so two strategies simulated with the same seed see the same outages
//! and, rank for rank, the same interruptions, reclaims and failures; `recommend` compares
//! strategies on the same luck rather than on noise. Billing is per
//! task: its lifetime rounded up to the second, at least the OS minimum (60 s on Linux).
//! Availability compares healthy tasks with the desired count over the time the desired count is
//! above zero. Spot capacity outages alternate with quiet periods: quiet time is exponential with
//! `outages_per_month` per 30 days, an outage lasts `outage_duration`, so Spot is out for a share
//! `rD / (1 + rD)` of the time.
//!
//! The room `maximumPercent` leaves is judged per warning (⌊desired × maximumPercent / 100⌋ >
//! desired); two independent warnings within one stop timeout each find it free. Warnings that
//! come together come from a reclaim, inside an outage, where no replacement can start anyway.

use super::demand::Steps;
use super::draws::{Lanes, Purpose, exponential, lane_rng, uniform};
use crate::core::vocab::strategy::{Provider, Strategy};
use serde::Serialize;

/// Seconds in the 30 days an outage rate refers to.
pub const MONTH_30D_S: f64 = 30.0 * 86_400.0;

/// A stretch of time a slot is wanted: `[start, end)` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotInterval {
    pub start: u64,
    pub end: u64,
    /// The slot's position among the provider's wanted slots (0 is wanted first, freed last).
    pub rank: u32,
}

/// Each provider's slot intervals for a desired-count step function.
pub fn slot_intervals(desired: &Steps, strategy: &Strategy) -> [Vec<SlotInterval>; 2] {
    let mut out: [Vec<SlotInterval>; 2] = [Vec::new(), Vec::new()];
    let mut open: [Vec<u64>; 2] = [Vec::new(), Vec::new()];
    let rank = |open: &Vec<u64>| u32::try_from(open.len()).unwrap_or(u32::MAX);
    for &(t, n) in &desired.points {
        let split = strategy.split_by_provider(n);
        for (p, count) in split_counts(&split) {
            let k = provider_index(p);
            let count = count as usize;
            while open[k].len() > count {
                if let Some(start) = open[k].pop() {
                    let rank = rank(&open[k]);
                    out[k].push(SlotInterval {
                        start,
                        end: t,
                        rank,
                    });
                }
            }
            while open[k].len() < count {
                open[k].push(t);
            }
        }
    }
    for (k, starts) in open.iter_mut().enumerate() {
        while let Some(start) = starts.pop() {
            let rank = rank(starts);
            out[k].push(SlotInterval {
                start,
                end: desired.end,
                rank,
            });
        }
    }
    for v in &mut out {
        v.retain(|s| s.end > s.start);
        v.sort_by_key(|s| (s.start, s.end));
    }
    out
}

fn split_counts(split: &[(Provider, u32)]) -> [(Provider, u32); 2] {
    let get = |p| split.iter().find(|(q, _)| *q == p).map_or(0, |(_, n)| *n);
    [
        (Provider::Fargate, get(Provider::Fargate)),
        (Provider::FargateSpot, get(Provider::FargateSpot)),
    ]
}

pub fn provider_index(p: Provider) -> usize {
    match p {
        Provider::Fargate => 0,
        Provider::FargateSpot => 1,
    }
}

/// The per-service constants every trial shares.
#[derive(Clone, Debug)]
pub struct Model {
    pub desired: Steps,
    pub slots: [Vec<SlotInterval>; 2],
    /// Interruptions per Spot task-second.
    pub interruption_rate_per_s: f64,
    /// Failures per task-second, on either provider.
    pub failure_rate_per_s: f64,
    pub stop_timeout_s: f64,
    pub startup_s: f64,
    /// Outage starts per quiet second, and outage length.
    pub outage_rate_per_s: f64,
    pub outage_duration_s: f64,
    pub reclaim_share: f64,
    /// The service's `maximumPercent`: running tasks may reach desired × this / 100.
    pub maximum_percent: u32,
    pub min_bill_s: u64,
    pub min_healthy: u32,
    /// What every trial shares: the desired count's steps and the FARGATE slots' first tasks.
    shared: Shared,
}

/// FARGATE slots as if no task failed: the same in every trial, computed once. A trial adds
/// what its failures change.
#[derive(Clone, Debug, Default)]
struct Shared {
    fargate_billed_s: u64,
    fargate_shortfall_s: f64,
    fargate_tasks: u32,
    /// `(time, Δdesired, Δshort)`, sorted by time: desired-count steps, FARGATE startups and
    /// the tasks rolling deployments stop early.
    events: Vec<(f64, i64, i64)>,
    /// What rolling deployments add to every trial ([`super::deploy`]).
    deploy_billed_s: [u64; 2],
    deploy_tasks: [u32; 2],
    deploy_shortfall_s: f64,
}

/// What the caller sets for a model.
#[derive(Clone, Copy, Debug)]
pub struct ModelParams {
    pub interruption_rate_per_task_hour: f64,
    /// Task failures (crash, failed health check, retirement) per task-hour, any provider.
    pub task_failure_rate_per_task_hour: f64,
    pub stop_timeout_s: u32,
    pub startup_s: u32,
    pub outages_per_month: f64,
    pub outage_duration_s: u32,
    /// Share of running Spot tasks warned together when an outage starts.
    pub reclaim_share: f64,
    /// `deploymentConfiguration.maximumPercent` (ECS default 200).
    pub maximum_percent: u32,
    /// `deploymentConfiguration.minimumHealthyPercent` (ECS default 100), for deployments.
    pub minimum_healthy_percent: u32,
    /// Rolling deployments per 30 days (0: none).
    pub deployments_per_month: f64,
    pub min_bill_s: u32,
    pub min_healthy: u32,
}

/// Billed seconds of a task that lived `seconds`: rounded up to the second, at least `min`.
pub fn billed_seconds(seconds: f64, min: u64) -> u64 {
    let s = seconds.max(0.0).ceil() as u64;
    s.max(min)
}

impl Model {
    pub fn new(desired: Steps, strategy: &Strategy, p: ModelParams) -> Model {
        let slots = slot_intervals(&desired, strategy);
        let mut m = Model {
            desired,
            slots,
            interruption_rate_per_s: p.interruption_rate_per_task_hour / 3600.0,
            failure_rate_per_s: p.task_failure_rate_per_task_hour / 3600.0,
            stop_timeout_s: f64::from(p.stop_timeout_s),
            startup_s: f64::from(p.startup_s),
            outage_rate_per_s: p.outages_per_month / MONTH_30D_S,
            outage_duration_s: f64::from(p.outage_duration_s),
            reclaim_share: p.reclaim_share,
            maximum_percent: p.maximum_percent,
            min_bill_s: u64::from(p.min_bill_s),
            min_healthy: p.min_healthy,
            shared: Shared::default(),
        };
        let mut shared = Shared::default();
        let mut prev = 0i64;
        for &(t, n) in &m.desired.points {
            shared.events.push((t as f64, i64::from(n) - prev, 0));
            prev = i64::from(n);
        }
        shared.events.push((m.desired.end as f64, -prev, 0));
        for s in &m.slots[0] {
            shared.fargate_tasks += 1;
            shared.fargate_billed_s += billed_seconds((s.end - s.start) as f64, m.min_bill_s);
            if s.start > 0 {
                let healthy = (s.start as f64 + m.startup_s).min(s.end as f64);
                if healthy > s.start as f64 {
                    shared.fargate_shortfall_s += healthy - s.start as f64;
                    shared.events.push((s.start as f64, 0, 1));
                    shared.events.push((healthy, 0, -1));
                }
            }
        }
        let rolling = super::deploy::Rolling {
            per_month: p.deployments_per_month,
            minimum_healthy_percent: p.minimum_healthy_percent,
            maximum_percent: p.maximum_percent,
            startup_s: p.startup_s,
            stop_timeout_s: p.stop_timeout_s,
        };
        let deploys = super::deploy::deployments(&m.desired, strategy, &rolling);
        shared
            .events
            .extend(deploys.events.iter().map(|&(t, d)| (t, 0, d)));
        shared.deploy_billed_s = deploys.extra_billed_s;
        shared.deploy_tasks = deploys.tasks;
        shared.deploy_shortfall_s = deploys.shortfall_s;
        shared.events.sort_by(|a, b| a.0.total_cmp(&b.0));
        m.shared = shared;
        m
    }

    /// The horizon in seconds.
    pub fn horizon_s(&self) -> u64 {
        self.desired.end
    }

    /// Whether `maximumPercent` leaves room for one task above the desired count at `t`, so that
    /// ECS can start a Spot task's replacement at the warning rather than when it stops.
    fn room_above_desired(&self, t: f64) -> bool {
        let desired = u64::from(self.desired.at(t as u64));
        desired * u64::from(self.maximum_percent) / 100 > desired
    }
}

/// One trial's figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct TrialOutcome {
    /// Billed seconds per provider (FARGATE, FARGATE_SPOT).
    pub billed_s: [u64; 2],
    /// Tasks launched per provider.
    pub tasks: [u32; 2],
    pub interruptions: u32,
    /// Tasks that failed (either provider) and were replaced.
    pub failures: u32,
    /// ∫ (desired − healthy) dt, task-seconds.
    pub shortfall_s: f64,
    /// Seconds with a desired count above 0.
    pub service_s: f64,
    /// ... of which healthy ≥ desired.
    pub full_s: f64,
    /// ... of which healthy ≥ min(min_healthy, desired).
    pub min_healthy_s: f64,
    /// Seconds in which Spot could place nothing.
    pub outage_s: f64,
}

/// What a recorded trial saw, for the timeline: per provider, running and healthy intervals.
#[derive(Clone, Debug, Default)]
pub struct Recording {
    pub running: [Vec<(f64, f64)>; 2],
    pub healthy: [Vec<(f64, f64)>; 2],
    /// The trial's Spot capacity outages, `[start, end)`.
    pub outages: Vec<(f64, f64)>,
}

/// The earliest instant from `t` at which Spot can place a task: `t`, or the end of the outage
/// `t` falls in.
fn placeable(outages: &[(f64, f64)], t: f64) -> f64 {
    let i = outages.partition_point(|o| o.0 <= t);
    match i.checked_sub(1).map(|j| outages[j]) {
        Some((_, end)) if end > t => end,
        _ => t,
    }
}

/// What one slot interval of a trial adds: its shortfall events, billing and counts.
struct SlotRun<'a> {
    model: &'a Model,
    outages: &'a [(f64, f64)],
    /// Per outage: whether it takes this rank's running task back (Spot only).
    reclaims: &'a [bool],
    events: &'a mut Vec<(f64, i64)>,
    out: &'a mut TrialOutcome,
}

impl SlotRun<'_> {
    fn short(&mut self, from: f64, to: f64) {
        if to > from {
            self.events.push((from, 1));
            self.events.push((to, -1));
            self.out.shortfall_s += to - from;
        }
    }

    /// Plays slot `s` of provider `k` (0 FARGATE, 1 FARGATE_SPOT): place a task, wait for it to
    /// be healthy, end its healthy life with a Spot warning, a reclaim or a failure, replace it.
    fn run(
        &mut self,
        k: usize,
        s: &SlotInterval,
        lanes: &mut Lanes,
        mut record: Option<&mut Recording>,
    ) {
        let m = self.model;
        let spot = k == 1;
        let (a, b) = (s.start as f64, s.end as f64);
        let initial = s.start == 0;
        // Since when the slot has had no healthy task (`None`: it has one).
        let mut down_from = (!initial).then_some(a);
        // When the slot asks for its next task.
        let mut request = a;
        let mut first = true;
        loop {
            let warm = first && initial;
            first = false;
            let place = match (warm, spot) {
                (true, _) => 0.0,
                (false, true) => placeable(self.outages, request),
                (false, false) => request,
            };
            if place >= b {
                break;
            }
            let healthy = if warm { 0.0 } else { place + m.startup_s };
            self.out.tasks[k] += 1;
            if healthy >= b {
                self.out.billed_s[k] += billed_seconds(b - place, m.min_bill_s);
                if let Some(r) = record.as_deref_mut() {
                    r.running[k].push((place, b));
                }
                break;
            }
            if let Some(d) = down_from.take() {
                self.short(d, healthy);
            }
            let (warn, fail) = self.next_events(k, s.rank, healthy, lanes);
            if warn.min(fail) >= b {
                self.out.billed_s[k] += billed_seconds(b - place, m.min_bill_s);
                if let Some(r) = record.as_deref_mut() {
                    r.running[k].push((place, b));
                    r.healthy[k].push((healthy, b));
                }
                break;
            }
            // A failed task stops at once and ECS places its replacement. A warned Spot task
            // drains until `stop_timeout`; ECS starts its replacement at the warning when
            // `maximumPercent` leaves room (Spot capacity permitting: `placeable`), else when
            // it stops. Both run, and are billed, in the overlap.
            let (lost, stopped) = if fail < warn {
                self.out.failures += 1;
                request = fail;
                (fail, fail)
            } else {
                self.out.interruptions += 1;
                let stopped = (warn + m.stop_timeout_s).min(b);
                request = if m.room_above_desired(warn) {
                    warn
                } else {
                    stopped
                };
                (warn, stopped)
            };
            self.out.billed_s[k] += billed_seconds(stopped - place, m.min_bill_s);
            if let Some(r) = record.as_deref_mut() {
                r.running[k].push((place, stopped));
                r.healthy[k].push((healthy, lost));
            }
            down_from = Some(lost);
        }
        // The slot ends while its task is down or not placed.
        if let Some(d) = down_from {
            self.short(d, b);
        }
    }

    /// What task failures change in FARGATE slot `s` (its failure-free course is shared): each
    /// failed task stops at once, its replacement is placed then and healthy `startup` later;
    /// the pieces are billed instead of the whole slot.
    fn fargate_failures(
        &mut self,
        s: &SlotInterval,
        lanes: &mut Lanes,
        mut record: Option<&mut Recording>,
    ) {
        let m = self.model;
        let (a, b) = (s.start as f64, s.end as f64);
        let mut place = a;
        let mut healthy = if s.start == 0 { a } else { a + m.startup_s };
        let mut pieces = 0u64;
        while healthy < b {
            let fail = lanes.next_failure(false, s.rank, m.failure_rate_per_s, healthy);
            if fail >= b {
                break;
            }
            self.out.failures += 1;
            self.out.tasks[0] += 1;
            pieces += billed_seconds(fail - place, m.min_bill_s);
            self.short(fail, (fail + m.startup_s).min(b));
            if let Some(r) = record.as_deref_mut() {
                r.running[0].push((place, fail));
                r.healthy[0].push((healthy, fail));
            }
            place = fail;
            healthy = fail + m.startup_s;
        }
        if let Some(r) = record {
            r.running[0].push((place, b));
            if healthy < b {
                r.healthy[0].push((healthy, b));
            }
        }
        if pieces > 0 {
            pieces += billed_seconds(b - place, m.min_bill_s);
            let whole = billed_seconds(b - a, m.min_bill_s);
            self.out.billed_s[0] += pieces.saturating_sub(whole);
        }
    }

    /// The next Spot warning (interruption or reclaim) and failure of a task healthy from
    /// `healthy`; infinite when none comes.
    fn next_events(&self, k: usize, rank: u32, healthy: f64, lanes: &mut Lanes) -> (f64, f64) {
        let m = self.model;
        let mut warn = f64::INFINITY;
        if k == 1 {
            warn = healthy
                + exponential(
                    lanes.get(Purpose::Interruptions, rank),
                    m.interruption_rate_per_s,
                );
            // The first outage after the task is healthy that takes it back, if earlier.
            if !self.reclaims.is_empty() {
                let first = self.outages.partition_point(|o| o.0 < healthy);
                if let Some(j) = (first..self.outages.len())
                    .take_while(|j| self.outages[*j].0 < warn)
                    .find(|j| self.reclaims[*j])
                {
                    warn = self.outages[j].0;
                }
            }
        }
        let fail = lanes.next_failure(k == 1, rank, m.failure_rate_per_s, healthy);
        (warn, fail)
    }
}

/// Runs trial `trial`; with `record`, also keeps every task's running and healthy intervals.
pub fn run_trial(
    model: &Model,
    seed: u64,
    trial: u64,
    mut record: Option<&mut Recording>,
) -> TrialOutcome {
    let horizon = model.horizon_s() as f64;
    let d = &model.shared;
    let mut out = TrialOutcome {
        billed_s: [
            d.fargate_billed_s + d.deploy_billed_s[0],
            d.deploy_billed_s[1],
        ],
        tasks: [d.fargate_tasks + d.deploy_tasks[0], d.deploy_tasks[1]],
        shortfall_s: d.fargate_shortfall_s + d.deploy_shortfall_s,
        ..TrialOutcome::default()
    };

    // Spot capacity outages: alternating quiet (exponential) and outage (fixed) periods.
    let mut outages: Vec<(f64, f64)> = Vec::new();
    if model.outage_rate_per_s > 0.0 && model.outage_duration_s > 0.0 && !model.slots[1].is_empty()
    {
        let mut rng = lane_rng(seed, trial, Purpose::Outages, 0);
        let mut t = exponential(&mut rng, model.outage_rate_per_s);
        while t < horizon {
            let end = (t + model.outage_duration_s).min(horizon);
            out.outage_s += end - t;
            outages.push((t, end));
            t = end + exponential(&mut rng, model.outage_rate_per_s);
        }
    }

    let mut lanes = Lanes {
        seed,
        trial,
        open: Default::default(),
        failure_points: Default::default(),
    };
    // Per Spot rank: whether outage j takes its running task back (its draw j below the share).
    let mut reclaims: Vec<Option<Vec<bool>>> = Vec::new();
    let reclaim = model.reclaim_share > 0.0 && !outages.is_empty();
    let mut events: Vec<(f64, i64)> = Vec::new();
    for k in 0..2 {
        for s in &model.slots[k] {
            let mine: &[bool] = if k == 1 && reclaim {
                let i = s.rank as usize;
                if reclaims.len() <= i {
                    reclaims.resize(i + 1, None);
                }
                reclaims[i].get_or_insert_with(|| {
                    let mut rng = lane_rng(seed, trial, Purpose::Reclaims, s.rank);
                    outages
                        .iter()
                        .map(|_| uniform(&mut rng) < model.reclaim_share)
                        .collect()
                })
            } else {
                &[]
            };
            let mut run = SlotRun {
                model,
                outages: &outages,
                reclaims: mine,
                events: &mut events,
                out: &mut out,
            };
            if k == 0 {
                run.fargate_failures(s, &mut lanes, record.as_deref_mut());
            } else {
                run.run(k, s, &mut lanes, record.as_deref_mut());
            }
        }
    }
    if let Some(r) = record {
        r.outages.clone_from(&outages);
    }

    // Availability: sweep the shared events and this trial's shortfall events together.
    events.sort_by(|x, y| x.0.total_cmp(&y.0));
    let shared = &model.shared.events;
    let (mut i, mut j) = (0usize, 0usize);
    let (mut desired, mut short) = (0i64, 0i64);
    let mut last = 0.0f64;
    let min_healthy = i64::from(model.min_healthy);
    while i < shared.len() || j < events.len() {
        let take_shared = j >= events.len() || (i < shared.len() && shared[i].0 <= events[j].0);
        let t = if take_shared {
            shared[i].0
        } else {
            events[j].0
        };
        let dt = t - last;
        if dt > 0.0 && desired > 0 {
            out.service_s += dt;
            if short <= 0 {
                out.full_s += dt;
            }
            if desired - short >= min_healthy.min(desired) {
                out.min_healthy_s += dt;
            }
        }
        last = t;
        if take_shared {
            desired += shared[i].1;
            short += shared[i].2;
            i += 1;
        } else {
            short += events[j].1;
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests;
