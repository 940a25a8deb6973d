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
    /// `(time, Δdesired)` of the desired count's steps, sorted by time, the same in every trial.
    desired_events: Vec<(f64, i64)>,
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
        let mut desired_events = Vec::new();
        let mut prev = 0i64;
        for &(t, n) in &desired.points {
            desired_events.push((t as f64, i64::from(n) - prev));
            prev = i64::from(n);
        }
        desired_events.push((desired.end as f64, -prev));
        Model {
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
            desired_events,
        }
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
        let purpose = if k == 1 {
            Purpose::SpotFailures
        } else {
            Purpose::FargateFailures
        };
        let fail = healthy + exponential(lanes.get(purpose, rank), m.failure_rate_per_s);
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
    let mut out = TrialOutcome::default();

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
            SlotRun {
                model,
                outages: &outages,
                reclaims: mine,
                events: &mut events,
                out: &mut out,
            }
            .run(k, s, &mut lanes, record.as_deref_mut());
        }
    }
    if let Some(r) = record {
        r.outages.clone_from(&outages);
    }

    // Availability: sweep the desired-count steps and this trial's shortfall events together.
    events.sort_by(|x, y| x.0.total_cmp(&y.0));
    let shared = &model.desired_events;
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
            i += 1;
        } else {
            short += events[j].1;
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::vocab::strategy::StrategyItem;

    fn params(rate: f64, stop: u32, startup: u32) -> ModelParams {
        ModelParams {
            interruption_rate_per_task_hour: rate,
            task_failure_rate_per_task_hour: 0.0,
            maximum_percent: 200,
            stop_timeout_s: stop,
            startup_s: startup,
            outages_per_month: 0.0,
            outage_duration_s: 1800,
            reclaim_share: 0.0,
            min_bill_s: 60,
            min_healthy: 1,
        }
    }

    #[test]
    fn a_task_that_lives_20_seconds_is_billed_60() {
        assert_eq!(billed_seconds(20.0, 60), 60);
        assert_eq!(billed_seconds(60.2, 60), 61);
        assert_eq!(billed_seconds(20.0, 300), 300);
        // Through the engine: one task wanted for 20 seconds, on FARGATE and on FARGATE_SPOT.
        let desired = Steps::from_pairs([(0, 0), (100, 1), (120, 0)], 3600);
        for p in Provider::ALL {
            let m = Model::new(desired.clone(), &Strategy::single(p), params(0.0, 30, 0));
            let o = run_trial(&m, 1, 0, None);
            assert_eq!(o.billed_s[provider_index(p)], 60, "{p}");
            assert_eq!(o.tasks[provider_index(p)], 1);
        }
    }

    #[test]
    fn slots_follow_the_split_and_close_at_the_end() {
        let strategy = Strategy {
            items: vec![
                StrategyItem {
                    provider: Provider::Fargate,
                    base: 1,
                    weight: 1,
                },
                StrategyItem {
                    provider: Provider::FargateSpot,
                    base: 0,
                    weight: 1,
                },
            ],
        };
        let desired = Steps::from_pairs([(0, 3), (60, 1), (120, 3)], 180);
        let [f, s] = slot_intervals(&desired, &strategy);
        // 3 → 2 FARGATE + 1 Spot; 1 → 1 + 0.
        assert_eq!(
            f,
            vec![
                SlotInterval {
                    start: 0,
                    end: 60,
                    rank: 1
                },
                SlotInterval {
                    start: 0,
                    end: 180,
                    rank: 0
                },
                SlotInterval {
                    start: 120,
                    end: 180,
                    rank: 1
                }
            ]
        );
        assert_eq!(
            s,
            vec![
                SlotInterval {
                    start: 0,
                    end: 60,
                    rank: 0
                },
                SlotInterval {
                    start: 120,
                    end: 180,
                    rank: 0
                }
            ]
        );
    }

    #[test]
    fn a_scale_out_waits_for_startup() {
        let desired = Steps::from_pairs([(0, 1), (600, 2)], 1200);
        let m = Model::new(desired, &Strategy::on_demand(), params(0.0, 30, 90));
        let o = run_trial(&m, 7, 0, None);
        assert_eq!(o.shortfall_s, 90.0);
        assert_eq!(o.full_s, 1200.0 - 90.0);
        assert_eq!(o.min_healthy_s, 1200.0);
        assert_eq!(o.billed_s[0], 1200 + 600);
    }

    #[test]
    fn common_random_numbers_couple_spot_slots_across_strategies() {
        // Slot rank r draws from its own lane, so a third Spot task adds its own interruptions
        // and leaves the first two tasks' draws alone, trial by trial.
        let spot = Strategy::single(Provider::FargateSpot);
        let month = 30 * 86_400;
        let two = Model::new(Steps::constant(2, month), &spot, params(0.01, 30, 60));
        let three = Model::new(Steps::constant(3, month), &spot, params(0.01, 30, 60));
        let mut strictly_more = 0;
        for trial in 0..50 {
            let a = run_trial(&two, 9, trial, None);
            let b = run_trial(&three, 9, trial, None);
            assert!(b.interruptions >= a.interruptions, "trial {trial}");
            strictly_more += usize::from(b.interruptions > a.interruptions);
        }
        assert!(strictly_more > 40, "{strictly_more}");
        // And FARGATE base 1 + Spot shares Spot rank 0 with all-Spot 1.
        let based = Strategy {
            items: vec![
                StrategyItem {
                    provider: Provider::Fargate,
                    base: 1,
                    weight: 0,
                },
                StrategyItem {
                    provider: Provider::FargateSpot,
                    base: 0,
                    weight: 1,
                },
            ],
        };
        let one_spot = Model::new(Steps::constant(1, month), &spot, params(0.01, 30, 60));
        let base_plus_one = Model::new(Steps::constant(2, month), &based, params(0.01, 30, 60));
        for trial in 0..20 {
            let a = run_trial(&one_spot, 3, trial, None);
            let b = run_trial(&base_plus_one, 3, trial, None);
            assert_eq!(a.interruptions, b.interruptions, "trial {trial}");
            assert_eq!(a.billed_s[1], b.billed_s[1]);
        }
    }

    #[test]
    fn an_outage_with_reclaim_warns_running_spot_tasks_together() {
        let month = 30 * 86_400;
        let spot = Strategy::single(Provider::FargateSpot);
        let with = |share: f64| {
            let mut p = params(0.0, 30, 60);
            p.outages_per_month = 3.0;
            p.outage_duration_s = 3600;
            p.reclaim_share = share;
            Model::new(Steps::constant(4, month), &spot, p)
        };
        let (none, half, all) = (with(0.0), with(0.5), with(1.0));
        let mut saw_outage = false;
        for trial in 0..40 {
            let a = run_trial(&none, 5, trial, None);
            let h = run_trial(&half, 5, trial, None);
            let b = run_trial(&all, 5, trial, None);
            // Without reclaim and without interruptions, outages only block placements.
            assert_eq!(a.interruptions, 0);
            assert_eq!(a.min_healthy_s, a.service_s);
            // With reclaim 1, every outage takes all four tasks, which come back only after it.
            let outages = (b.outage_s / 3600.0).floor() as u32;
            assert_eq!(b.interruptions % 4, 0, "trial {trial}");
            assert!(b.interruptions >= 4 * outages, "trial {trial}");
            if outages > 0 {
                saw_outage = true;
                assert!(b.min_healthy_s < b.service_s - 3000.0 * f64::from(outages));
            }
            // The same draws decide for half: it never loses more than all.
            assert!(h.interruptions <= b.interruptions);
            assert!(h.min_healthy_s >= b.min_healthy_s);
        }
        assert!(saw_outage);
    }

    #[test]
    fn trials_depend_on_seed_and_index_only() {
        let desired = Steps::constant(10, 30 * 86_400);
        let m = Model::new(
            desired,
            &Strategy::single(Provider::FargateSpot),
            params(0.01, 30, 60),
        );
        let a = run_trial(&m, 42, 3, None);
        let _ = run_trial(&m, 42, 2, None);
        assert_eq!(a, run_trial(&m, 42, 3, None));
        assert_ne!(a, run_trial(&m, 43, 3, None));
        assert!(a.interruptions > 0);
    }
}
