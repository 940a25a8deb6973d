//! The random half of the model: one Monte Carlo trial of a service, event by event.
//!
//! Placement splits the desired count across providers with the strategy's base/weight rule
//! (the report's [`Strategy::split_by_provider`]). Each provider's count becomes *slots*: slot
//! `i` is wanted while the provider's count is above `i`. A wanted slot holds one task at a time:
//!
//! - it is placed when the slot becomes wanted, billed from placement, and healthy `startup`
//!   seconds later; tasks running at the horizon start are already healthy. FARGATE_SPOT: Spot
//!   rank `r` prefers zone `r mod zones`; while that zone is out the task goes to the next zone
//!   that is not; while the region or every zone is out the placement is retried with back-off
//!   (15 s, doubling, at most 5 min: assumed), with no fallback to FARGATE, as in ECS;
//! - a healthy Spot task gets its 2-minute warning after an exponential time of rate λ per
//!   task-hour (or when an outage of the region or of its zone reclaims it); it is unhealthy from
//!   the warning (draining) and stops `stop_timeout` seconds later. ECS launches the replacement
//!   at the warning when `maximumPercent` leaves room for one task above the desired count (Spot
//!   capacity permitting, as above), otherwise when the old task stops; the two overlap, and
//!   are both billed, until the old one stops. With the ECS default (200 %) an interruption
//!   costs `startup` of healthy time; with 100 % it costs `stop_timeout + startup`;
//! - a healthy task of either provider fails (crash, failed health check, task retirement) after
//!   an exponential time of the assumed task failure rate; it stops at once and its replacement is
//!   placed then (Spot: capacity permitting), healthy `startup` later;
//! - when the slot stops being wanted its task stops (scale-in or the end of a window).
//!
//! **Common random numbers** ([`super::draws`]): every kind of draw has its own stream and each
//! slot rank its own lane, so two strategies simulated with the same seed see the same outages
//! and, rank for rank, the same interruptions, reclaims and failures (`recommend` draws a
//! trial's luck once and plays every strategy on it); `recommend` compares
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
//!
//! **How a trial is played.** Every slot interval has a *baseline* course — its task placed when
//! the slot becomes wanted, healthy `startup` later, billed whole — that no trial's luck changes
//! unless an interruption, failure or reclaim falls inside it or an outage delays its placement.
//! The baseline is computed once per model; a trial replays only the intervals its luck
//! ([`super::draws::Luck`]) disturbs and corrects the baseline's figures by the difference, so its
//! cost is the number of events, not of intervals. [`play_full`] replays every interval from
//! scratch; it records timelines and is the reference the fast path is tested against.

mod slot;
mod surge;
mod sweep;

use super::demand::Steps;
use super::draws::{Luck, LuckSpec, Rates};
use crate::core::vocab::strategy::{Provider, Strategy};
use serde::Serialize;
use slot::SlotRun;
use std::sync::Arc;
pub use surge::SurgeInputs;
use sweep::Baseline;

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
    /// What the trial's draws follow (shared with [`LuckSpec`]).
    pub rates: Rates,
    pub stop_timeout_s: f64,
    pub startup_s: f64,
    /// A Spot placement that fails is tried again after this many seconds, doubling after each
    /// failed try up to `retry_max_s`.
    pub retry_first_s: f64,
    pub retry_max_s: f64,
    /// The service's `maximumPercent`: running tasks may reach desired × this / 100.
    pub maximum_percent: u32,
    pub min_bill_s: u64,
    pub min_healthy: u32,
    /// The capacity provider strategy, for splitting the tasks a surge adds.
    pub strategy: Strategy,
    /// For a service that tracks a load: what its policy needs to answer a trial's shortage.
    pub surge: Option<Arc<SurgeInputs>>,
    /// What every trial shares: the course of every slot as if nothing happened to it.
    shared: Shared,
}

/// What every trial of a model shares: the baseline (see the module documentation).
#[derive(Clone, Debug, Default)]
struct Shared {
    /// Per provider: the baseline's billed seconds and tasks, rolling deployments included.
    billed_s: [u64; 2],
    tasks: [u32; 2],
    /// The baseline's shortfall: startups and rolling deployments.
    shortfall_s: f64,
    /// `(time, Δdesired, Δshort)` sorted by time: desired-count steps and the tasks rolling
    /// deployments stop early, without the slots' startups (the full replay adds its own).
    fixed: Vec<(f64, i64, i64)>,
    /// The fixed events plus every baseline startup, as a step function.
    baseline: Baseline,
    /// What rolling deployments add to every trial ([`super::deploy`]).
    deploy_billed_s: [u64; 2],
    deploy_tasks: [u32; 2],
    deploy_shortfall_s: f64,
    /// Per provider, per rank: `(start, end, index into slots[k])` of its intervals, by start.
    by_rank: [Vec<Vec<(f64, f64, u32)>>; 2],
    /// The baseline's startup shortfall events, `(time, Δshort)`: what a full replay's own
    /// events are compared with to find the trial's extra shortage.
    startups: Vec<(f64, i64)>,
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
    /// Availability zones the service's tasks spread over (the plan's `[plan.ec2]` count).
    pub zones: u32,
    /// Spot capacity outages of one zone, per zone per 30 days of its quiet time, and length.
    pub zone_outages_per_month: f64,
    pub zone_outage_duration_s: u32,
    /// The first wait before a failed Spot placement is tried again, and the longest.
    pub placement_retry_first_s: u32,
    pub placement_retry_max_s: u32,
    /// `deploymentConfiguration.maximumPercent` (ECS default 200).
    pub maximum_percent: u32,
    /// `deploymentConfiguration.minimumHealthyPercent` (ECS default 100), for deployments.
    pub minimum_healthy_percent: u32,
    /// Rolling deployments per 30 days (0: none).
    pub deployments_per_month: f64,
    pub min_bill_s: u32,
    pub min_healthy: u32,
}

impl ModelParams {
    /// The rates a trial's draws follow, per second.
    pub fn rates(&self) -> Rates {
        Rates {
            interruption_rate_per_s: self.interruption_rate_per_task_hour / 3600.0,
            failure_rate_per_s: self.task_failure_rate_per_task_hour / 3600.0,
            outage_rate_per_s: self.outages_per_month / MONTH_30D_S,
            outage_duration_s: f64::from(self.outage_duration_s),
            reclaim_share: self.reclaim_share,
            zones: self.zones.max(1),
            zone_outage_rate_per_s: self.zone_outages_per_month / MONTH_30D_S,
            zone_outage_duration_s: f64::from(self.zone_outage_duration_s),
        }
    }
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
            rates: p.rates(),
            stop_timeout_s: f64::from(p.stop_timeout_s),
            startup_s: f64::from(p.startup_s),
            retry_first_s: f64::from(p.placement_retry_first_s.max(1)),
            retry_max_s: f64::from(
                p.placement_retry_max_s
                    .max(p.placement_retry_first_s)
                    .max(1),
            ),
            maximum_percent: p.maximum_percent,
            min_bill_s: u64::from(p.min_bill_s),
            min_healthy: p.min_healthy,
            strategy: strategy.clone(),
            surge: None,
            shared: Shared::default(),
        };
        let mut d = Shared::default();
        let mut prev = 0i64;
        for &(t, n) in &m.desired.points {
            d.fixed.push((t as f64, i64::from(n) - prev, 0));
            prev = i64::from(n);
        }
        d.fixed.push((m.desired.end as f64, -prev, 0));
        let rolling = super::deploy::Rolling {
            per_month: p.deployments_per_month,
            minimum_healthy_percent: p.minimum_healthy_percent,
            maximum_percent: p.maximum_percent,
            startup_s: p.startup_s,
            stop_timeout_s: p.stop_timeout_s,
        };
        let deploys = super::deploy::deployments(&m.desired, strategy, &rolling);
        d.fixed
            .extend(deploys.events.iter().map(|&(t, x)| (t, 0, x)));
        d.fixed.sort_by(|a, b| a.0.total_cmp(&b.0));
        d.deploy_billed_s = deploys.extra_billed_s;
        d.deploy_tasks = deploys.tasks;
        d.deploy_shortfall_s = deploys.shortfall_s;
        d.billed_s = deploys.extra_billed_s;
        d.tasks = deploys.tasks;
        d.shortfall_s = deploys.shortfall_s;
        let mut events = d.fixed.clone();
        for k in 0..2 {
            for (i, s) in m.slots[k].iter().enumerate() {
                let (billed, short) = m.untouched(s);
                d.tasks[k] += 1;
                d.billed_s[k] += billed;
                if let Some((from, to)) = short {
                    d.shortfall_s += to - from;
                    events.push((from, 0, 1));
                    events.push((to, 0, -1));
                    d.startups.push((from, 1));
                    d.startups.push((to, -1));
                }
                let rank = s.rank as usize;
                if d.by_rank[k].len() <= rank {
                    d.by_rank[k].resize(rank + 1, Vec::new());
                }
                let index = u32::try_from(i).unwrap_or(u32::MAX);
                d.by_rank[k][rank].push((s.start as f64, s.end as f64, index));
            }
        }
        d.baseline = Baseline::new(events, i64::from(m.min_healthy));
        m.shared = d;
        m
    }

    /// The model with its service's target-tracking answer to shortages (autoscaled services
    /// that track a load).
    pub fn with_surge(mut self, surge: Option<Arc<SurgeInputs>>) -> Model {
        self.surge = surge;
        self
    }

    /// The first instant after `t` at which the desired count drops to 0 (the horizon's end
    /// when it does not).
    fn next_zero_after(&self, t: f64) -> f64 {
        let pts = &self.desired.points;
        let i = pts.partition_point(|p| p.0 as f64 <= t);
        pts[i..]
            .iter()
            .find(|p| p.1 == 0)
            .map_or(self.desired.end as f64, |p| p.0 as f64)
    }

    /// The horizon in seconds.
    pub fn horizon_s(&self) -> u64 {
        self.desired.end
    }

    /// What the draws of a trial of this model depend on: its rates, horizon and slot ranks.
    pub fn luck_spec(&self) -> LuckSpec {
        let ranks = |k: usize| u32::try_from(self.shared.by_rank[k].len()).unwrap_or(u32::MAX);
        LuckSpec {
            horizon_s: self.horizon_s() as f64,
            ranks: [ranks(0), ranks(1)],
            rates: self.rates,
        }
    }

    /// A slot interval untouched by luck: one task placed when the slot becomes wanted (at the
    /// horizon start: already running and healthy), billed whole, short until `startup` later.
    fn untouched(&self, s: &SlotInterval) -> (u64, Option<(f64, f64)>) {
        let (a, b) = (s.start as f64, s.end as f64);
        let billed = billed_seconds(b - a, self.min_bill_s);
        let healthy = (a + self.startup_s).min(b);
        let short = (s.start > 0 && healthy > a).then_some((a, healthy));
        (billed, short)
    }

    /// The interval of provider `k`'s slot rank `rank` wanted at `t`, if any.
    fn interval_at(&self, k: usize, rank: u32, t: f64) -> Option<usize> {
        let list = self.shared.by_rank[k].get(rank as usize)?;
        let (_, end, i) = list[list.partition_point(|s| s.0 <= t).checked_sub(1)?];
        (end > t).then_some(i as usize)
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

/// Runs trial `trial`; with `record`, also keeps every task's running and healthy intervals.
pub fn run_trial(
    model: &Model,
    seed: u64,
    trial: u64,
    record: Option<&mut Recording>,
) -> TrialOutcome {
    let luck = Luck::draw(seed, trial, &model.luck_spec());
    match record {
        Some(r) => play_full(model, &luck, Some(r)),
        None => play(model, &luck),
    }
}

/// Buffers a thread reuses from trial to trial.
#[derive(Debug, Default)]
pub struct Scratch {
    events: Vec<(f64, i64)>,
    touched: Vec<usize>,
}

/// Plays a trial on `luck` (drawn for at least the model's ranks): the baseline, corrected by
/// replaying the slot intervals the luck disturbs.
pub fn play(model: &Model, luck: &Luck) -> TrialOutcome {
    play_with(model, luck, &mut Scratch::default())
}

/// [`play`] with buffers kept between calls.
pub fn play_with(model: &Model, luck: &Luck, scratch: &mut Scratch) -> TrialOutcome {
    let d = &model.shared;
    let mut out = TrialOutcome {
        billed_s: d.billed_s,
        tasks: d.tasks,
        shortfall_s: d.shortfall_s,
        service_s: d.baseline.service_s,
        full_s: d.baseline.full_s,
        min_healthy_s: d.baseline.min_healthy_s,
        outage_s: if model.slots[1].is_empty() {
            0.0
        } else {
            luck.outage_s
        },
        ..TrialOutcome::default()
    };
    let Scratch { events, touched } = scratch;
    events.clear();
    for k in 0..2 {
        disturbed(model, luck, k, touched);
        for &i in touched.iter() {
            let s = &model.slots[k][i];
            // Take the baseline's course out, then play the interval as the luck has it.
            let (billed, short) = model.untouched(s);
            out.tasks[k] = out.tasks[k].saturating_sub(1);
            out.billed_s[k] = out.billed_s[k].saturating_sub(billed);
            if let Some((from, to)) = short {
                out.shortfall_s -= to - from;
                events.push((from, -1));
                events.push((to, 1));
            }
            let mut run = SlotRun {
                model,
                luck,
                events,
                out: &mut out,
            };
            run.run(k, s, None);
        }
    }
    if let Some(inputs) = &model.surge
        && !events.is_empty()
    {
        let added = surge::surges(model, luck, inputs, events, &mut out, None);
        events.extend(added.events);
        out.shortfall_s -= added.healthy_s;
    }
    if !events.is_empty() {
        let delta = d.baseline.delta(events, i64::from(model.min_healthy));
        out.full_s += delta.full_s;
        out.min_healthy_s += delta.min_healthy_s;
        out.shortfall_s += delta.surplus_s;
    }
    out
}

/// The slot intervals of provider `k` (indices into `slots[k]`, sorted) whose course `luck`
/// may change: a point of the rank's interruption or failure process inside the interval, an
/// outage that reclaims the rank's task inside it, or (Spot) an outage its placement falls in.
fn disturbed(model: &Model, luck: &Luck, k: usize, out: &mut Vec<usize>) {
    use super::draws::Points;
    out.clear();
    let kinds: &[Points] = if k == 0 {
        &[Points::FargateFailures]
    } else {
        &[Points::SpotInterruptions, Points::SpotFailures]
    };
    let ranks = u32::try_from(model.shared.by_rank[k].len()).unwrap_or(u32::MAX);
    for rank in 0..ranks {
        for &kind in kinds {
            for &t in luck.points(kind, rank) {
                // A rank's points come in time order: most fall in the interval just pushed.
                if let Some(i) = model.interval_at(k, rank, t)
                    && out.last() != Some(&i)
                {
                    out.push(i);
                }
            }
        }
    }
    if k == 1 {
        let slots = &model.slots[1];
        for (j, &(from, to)) in luck.outages.iter().enumerate() {
            let first = slots.partition_point(|s| (s.start as f64) < from);
            let last = slots.partition_point(|s| (s.start as f64) < to);
            out.extend((first..last).filter(|&i| slots[i].start > 0));
            if luck.any_reclaim() {
                for rank in 0..ranks {
                    if luck.reclaims(rank, j) {
                        out.extend(model.interval_at(1, rank, from));
                    }
                }
            }
        }
        // A zone's outage: placements in it go elsewhere or wait, and it may reclaim tasks
        // running there; an untouched interval's task runs in its home zone.
        let zones = model.rates.zones;
        for (z, list) in (0u32..).zip(&luck.zone_outages) {
            for (j, &(from, to)) in list.iter().enumerate() {
                let first = slots.partition_point(|s| (s.start as f64) < from);
                let last = slots.partition_point(|s| (s.start as f64) < to);
                out.extend(
                    (first..last).filter(|&i| slots[i].start > 0 && slots[i].rank % zones == z),
                );
                for rank in (z..ranks).step_by(zones as usize) {
                    if luck.zone_reclaims(rank, z, j) {
                        out.extend(model.interval_at(1, rank, from));
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// Plays a trial on `luck` by replaying every slot interval from scratch; with `record`, keeps
/// every task's running and healthy intervals. Same figures as [`play`] (up to the float
/// rounding of the availability sums).
pub fn play_full(model: &Model, luck: &Luck, mut record: Option<&mut Recording>) -> TrialOutcome {
    let d = &model.shared;
    let mut out = TrialOutcome {
        billed_s: d.deploy_billed_s,
        tasks: d.deploy_tasks,
        shortfall_s: d.deploy_shortfall_s,
        outage_s: if model.slots[1].is_empty() {
            0.0
        } else {
            luck.outage_s
        },
        ..TrialOutcome::default()
    };
    let mut events: Vec<(f64, i64)> = Vec::new();
    for k in 0..2 {
        for s in &model.slots[k] {
            let mut run = SlotRun {
                model,
                luck,
                events: &mut events,
                out: &mut out,
            };
            run.run(k, s, record.as_deref_mut());
        }
    }
    if let Some(r) = record.as_deref_mut() {
        r.outages.clone_from(&luck.outages);
    }
    if let Some(inputs) = &model.surge {
        // The trial's own shortage: its events less the baseline's startups.
        let mut extra = events.clone();
        extra.extend(d.startups.iter().map(|&(t, x)| (t, -x)));
        let added = surge::surges(model, luck, inputs, &mut extra, &mut out, record);
        events.extend(added.events);
        out.shortfall_s -= added.healthy_s;
    }
    let sums = sweep::sweep(&d.fixed, &mut events, i64::from(model.min_healthy));
    out.service_s = sums.service_s;
    out.full_s = sums.full_s;
    out.min_healthy_s = sums.min_healthy_s;
    out.shortfall_s += sums.surplus_s;
    out
}

#[cfg(test)]
mod tests;
