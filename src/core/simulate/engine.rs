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
//!   task-hour; it is unhealthy from the warning (draining) and stops `stop_timeout` seconds later;
//!   the replacement is placed when it stops;
//! - when the slot stops being wanted its task stops (scale-in or the end of a window).
//!
//! FARGATE slots have no random events, so they are computed once and shared.
//!
//! **Common random numbers.** A trial's draws come in lanes of one ChaCha8 stream: lane 0 holds
//! the Spot capacity outages, lane `r + 1` the interruption times of Spot slot rank `r` (the
//! `r`-th Spot task of the service). Two strategies simulated with the same seed therefore see
//! the same outages and, slot for slot, the same interruption draws, so `recommend` compares
//! strategies on the same luck rather than on noise. Billing is per
//! task: its lifetime rounded up to the second, at least the OS minimum (60 s on Linux).
//! Availability compares healthy tasks with the desired count over the time the desired count is
//! above zero. Spot capacity outages alternate with quiet periods: quiet time is exponential with
//! `outages_per_month` per 30 days, an outage lasts `outage_duration`, so Spot is out for a share
//! `rD / (1 + rD)` of the time.

use super::demand::Steps;
use crate::core::vocab::strategy::{Provider, Strategy};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
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
    pub stop_timeout_s: f64,
    pub startup_s: f64,
    /// Outage starts per quiet second, and outage length.
    pub outage_rate_per_s: f64,
    pub outage_duration_s: f64,
    pub reclaim_share: f64,
    pub min_bill_s: u64,
    pub min_healthy: u32,
    /// FARGATE: billed seconds, shortfall task-seconds and events, the same in every trial.
    shared: Shared,
}

#[derive(Clone, Debug, Default)]
struct Shared {
    fargate_billed_s: u64,
    fargate_shortfall_s: f64,
    fargate_tasks: u32,
    /// `(time, Δdesired, Δshort)`, sorted by time: desired-count steps and FARGATE startups.
    events: Vec<(f64, i64, i64)>,
}

/// What the caller sets for a model.
#[derive(Clone, Copy, Debug)]
pub struct ModelParams {
    pub interruption_rate_per_task_hour: f64,
    pub stop_timeout_s: u32,
    pub startup_s: u32,
    pub outages_per_month: f64,
    pub outage_duration_s: u32,
    /// Share of running Spot tasks warned together when an outage starts.
    pub reclaim_share: f64,
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
            stop_timeout_s: f64::from(p.stop_timeout_s),
            startup_s: f64::from(p.startup_s),
            outage_rate_per_s: p.outages_per_month / MONTH_30D_S,
            outage_duration_s: f64::from(p.outage_duration_s),
            reclaim_share: p.reclaim_share,
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
        shared.events.sort_by(|a, b| a.0.total_cmp(&b.0));
        m.shared = shared;
        m
    }

    /// The horizon in seconds.
    pub fn horizon_s(&self) -> u64 {
        self.desired.end
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
}

/// A portable per-trial generator: ChaCha8 seeded from the seed, one stream per trial, so a
/// trial's draws depend on (seed, trial) only, not on threads or on other trials.
pub fn trial_rng(seed: u64, trial: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(trial);
    rng
}

/// Lanes from here on hold the reclaim draws of Spot slot ranks (one uniform per outage).
const RECLAIM_LANES: u64 = 1 << 32;

/// Words of the ChaCha8 stream reserved for one lane (2^36 words: 2^35 draws).
const LANE_WORDS_LOG2: u32 = 36;

/// Lane `lane` of trial `trial`: see the module documentation on common random numbers.
pub fn lane_rng(seed: u64, trial: u64, lane: u64) -> ChaCha8Rng {
    let mut rng = trial_rng(seed, trial);
    rng.set_word_pos(u128::from(lane) << LANE_WORDS_LOG2);
    rng
}

/// A uniform draw in [0, 1) from 53 random bits.
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// An exponential draw of rate `rate` (per second); `libm` keeps it bit-identical everywhere.
fn exponential(rng: &mut ChaCha8Rng, rate: f64) -> f64 {
    if rate <= 0.0 {
        return f64::INFINITY;
    }
    -libm::log(1.0 - uniform(rng)) / rate
}

/// Runs trial `trial`; with `record`, also keeps every task's running and healthy intervals.
pub fn run_trial(
    model: &Model,
    seed: u64,
    trial: u64,
    mut record: Option<&mut Recording>,
) -> TrialOutcome {
    let mut rng = lane_rng(seed, trial, 0);
    let mut lanes: Vec<Option<ChaCha8Rng>> = Vec::new();
    let mut reclaim_draws: Vec<Option<Vec<f64>>> = Vec::new();
    let horizon = model.horizon_s() as f64;
    let mut out = TrialOutcome {
        billed_s: [model.shared.fargate_billed_s, 0],
        tasks: [model.shared.fargate_tasks, 0],
        shortfall_s: model.shared.fargate_shortfall_s,
        ..TrialOutcome::default()
    };

    // Spot capacity outages: alternating quiet (exponential) and outage (fixed) periods.
    let mut outages: Vec<(f64, f64)> = Vec::new();
    if model.outage_rate_per_s > 0.0 && model.outage_duration_s > 0.0 && !model.slots[1].is_empty()
    {
        let mut t = exponential(&mut rng, model.outage_rate_per_s);
        while t < horizon {
            let end = (t + model.outage_duration_s).min(horizon);
            out.outage_s += end - t;
            outages.push((t, end));
            t = end + exponential(&mut rng, model.outage_rate_per_s);
        }
    }
    let placeable = |t: f64| -> f64 {
        let i = outages.partition_point(|o| o.0 <= t);
        match i.checked_sub(1).map(|j| outages[j]) {
            Some((_, end)) if end > t => end,
            _ => t,
        }
    };

    // Spot slots.
    let mut events: Vec<(f64, i64)> = Vec::new();
    let (lambda, startup, stop) = (
        model.interruption_rate_per_s,
        model.startup_s,
        model.stop_timeout_s,
    );
    for s in &model.slots[1] {
        let lane = s.rank as usize;
        if lanes.len() <= lane {
            lanes.resize(lane + 1, None);
        }
        let rng = lanes[lane].get_or_insert_with(|| lane_rng(seed, trial, u64::from(s.rank) + 1));
        // Outage k takes this rank's task back when draw k is below the reclaim share.
        let reclaims: &[f64] = if model.reclaim_share > 0.0 && !outages.is_empty() {
            if reclaim_draws.len() <= lane {
                reclaim_draws.resize(lane + 1, None);
            }
            reclaim_draws[lane].get_or_insert_with(|| {
                let mut r = lane_rng(seed, trial, RECLAIM_LANES + u64::from(s.rank));
                outages.iter().map(|_| uniform(&mut r)).collect()
            })
        } else {
            &[]
        };
        let (a, b) = (s.start as f64, s.end as f64);
        let initial = s.start == 0;
        // Since when the slot has had no healthy task (`None`: it has one).
        let mut down_from = (!initial).then_some(a);
        let mut t = a;
        let mut first = true;
        loop {
            let warm = first && initial;
            first = false;
            let place = if warm { 0.0 } else { placeable(t) };
            if place >= b {
                break;
            }
            let healthy = if warm { 0.0 } else { place + startup };
            out.tasks[1] += 1;
            if healthy >= b {
                out.billed_s[1] += billed_seconds(b - place, model.min_bill_s);
                if let Some(r) = record.as_deref_mut() {
                    r.running[1].push((place, b));
                }
                break;
            }
            if let Some(d) = down_from.take()
                && healthy > d
            {
                events.push((d, 1));
                events.push((healthy, -1));
                out.shortfall_s += healthy - d;
            }
            let mut warn = healthy + exponential(rng, lambda);
            if !reclaims.is_empty() {
                // The first outage after the task is healthy that takes it back, if earlier.
                let first = outages.partition_point(|o| o.0 < healthy);
                if let Some(k) = (first..outages.len())
                    .take_while(|k| outages[*k].0 < warn)
                    .find(|k| reclaims[*k] < model.reclaim_share)
                {
                    warn = outages[k].0;
                }
            }
            if warn >= b {
                out.billed_s[1] += billed_seconds(b - place, model.min_bill_s);
                if let Some(r) = record.as_deref_mut() {
                    r.running[1].push((place, b));
                    r.healthy[1].push((healthy, b));
                }
                break;
            }
            out.interruptions += 1;
            let stopped = (warn + stop).min(b);
            out.billed_s[1] += billed_seconds(stopped - place, model.min_bill_s);
            if let Some(r) = record.as_deref_mut() {
                r.running[1].push((place, stopped));
                r.healthy[1].push((healthy, warn));
            }
            down_from = Some(warn);
            t = stopped;
            if stopped >= b {
                break;
            }
        }
        // The slot ends while its task is down or not placed.
        if let Some(d) = down_from
            && b > d
        {
            events.push((d, 1));
            events.push((b, -1));
            out.shortfall_s += b - d;
        }
    }
    if let Some(r) = record {
        for s in &model.slots[0] {
            let (a, b) = (s.start as f64, s.end as f64);
            r.running[0].push((a, b));
            let h = if s.start == 0 {
                a
            } else {
                (a + startup).min(b)
            };
            if h < b {
                r.healthy[0].push((h, b));
            }
        }
    }

    // Availability: sweep the shared events and this trial's Spot shortfall events together.
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
mod tests {
    use super::*;
    use crate::core::vocab::strategy::StrategyItem;

    fn params(rate: f64, stop: u32, startup: u32) -> ModelParams {
        ModelParams {
            interruption_rate_per_task_hour: rate,
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
        // Slot rank r draws from lane r + 1, so a third Spot task adds its own interruptions
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
