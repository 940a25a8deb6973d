//! Unit tests of the engine: billing minimum, slots, startup, common random numbers, reclaim.

use super::*;
use crate::core::vocab::strategy::StrategyItem;

fn params(rate: f64, stop: u32, startup: u32) -> ModelParams {
    ModelParams {
        interruption_rate_per_task_hour: rate,
        task_failure_rate_per_task_hour: 0.0,
        maximum_percent: 200,
        minimum_healthy_percent: 100,
        deployments_per_month: 0.0,
        stop_timeout_s: stop,
        startup_s: startup,
        outages_per_month: 0.0,
        outage_duration_s: 1800,
        reclaim_share: 0.0,
        zones: 2,
        zone_outages_per_month: 0.0,
        zone_outage_duration_s: 1800,
        placement_retry_first_s: 15,
        placement_retry_max_s: 300,
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

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// The fast path (baseline plus the intervals luck disturbs) gives the figures of replaying
    /// every interval, on any desired-count course, strategy, rates and outages.
    #[test]
    fn a_trial_played_fast_equals_the_full_replay(
        steps in proptest::collection::vec((1u64..400, 0u32..9), 1..40),
        base in 0u32..4,
        weights in (0u32..3, 1u32..4),
        rates in (0.0f64..3.0, 0.0f64..1.0, 0.0f64..200.0),
        outage in (60u32..7200, 0.0f64..1.0),
        zone in (0.0f64..200.0, 60u32..7200),
        surge in proptest::option::of((0.5f64..12.0, 60u32..900, 0u32..1800, 1u32..16)),
        times in (0u32..200, 0u32..400),
        maximum_percent in proptest::prop_oneof![proptest::strategy::Just(100u32), proptest::strategy::Just(200u32)],
        min_healthy in 0u32..6,
        trial in 0u64..1000,
    ) {
        let mut t = 0u64;
        let pairs: Vec<(u64, u32)> = steps.iter().map(|&(dt, n)| { t += dt * 60; (t - dt * 60, n) }).collect();
        let desired = Steps::from_pairs(pairs, t + 3600);
        let strategy = Strategy {
            items: vec![
                StrategyItem { provider: Provider::Fargate, base, weight: weights.0 },
                StrategyItem { provider: Provider::FargateSpot, base: 0, weight: weights.1 },
            ],
        };
        let p = ModelParams {
            interruption_rate_per_task_hour: rates.0,
            task_failure_rate_per_task_hour: rates.1,
            maximum_percent,
            minimum_healthy_percent: 100,
            deployments_per_month: 0.0,
            stop_timeout_s: times.0,
            startup_s: times.1,
            outages_per_month: rates.2,
            outage_duration_s: outage.0,
            reclaim_share: outage.1,
            zones: 3,
            zone_outages_per_month: zone.0,
            zone_outage_duration_s: zone.1,
            placement_retry_first_s: 15,
            placement_retry_max_s: 300,
            min_bill_s: 60,
            min_healthy,
        };
        let minutes = (desired.end / 60 + 1) as usize;
        let surge = surge.map(|(need, delay, hold, max)| std::sync::Arc::new(SurgeInputs {
            need: vec![need; minutes],
            scale_out_delay_s: f64::from(delay),
            lag_s: 60.0,
            hold_s: f64::from(hold),
            max_capacity: max,
        }));
        let m = Model::new(desired, &strategy, p).with_surge(surge);
        let luck = Luck::draw(5, trial, &m.luck_spec());
        let fast = play(&m, &luck);
        let full = play_full(&m, &luck, None);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()));
        proptest::prop_assert_eq!(
            (fast.billed_s, fast.tasks, fast.interruptions, fast.failures),
            (full.billed_s, full.tasks, full.interruptions, full.failures)
        );
        for (a, b) in [
            (fast.shortfall_s, full.shortfall_s),
            (fast.service_s, full.service_s),
            (fast.full_s, full.full_s),
            (fast.min_healthy_s, full.min_healthy_s),
            (fast.outage_s, full.outage_s),
        ] {
            proptest::prop_assert!(close(a, b), "{:?}\n{:?}", fast, full);
        }
    }
}

/// One Spot task wanted from t = 1000 s (none before), 60 s startup, two zones, no random
/// events: the luck is made by hand.
fn one_spot_task_from_1000(zones: u32) -> Model {
    let mut p = params(0.0, 30, 60);
    p.zones = zones;
    Model::new(
        Steps::from_pairs([(0, 0), (1000, 1)], 20_000),
        &Strategy::single(Provider::FargateSpot),
        p,
    )
}

/// Issue 20 item 6: a placement Spot capacity refuses is tried again with back-off (15 s, then
/// doubling, assumed), not the instant the outage ends. Asked at 1000 s inside a regional
/// outage [900, 1100): tries at 1000, 1015, 1045, 1105: placed at 1105, healthy at 1165, so the
/// slot is short 165 s (not 160 s, as placing at 1100 would give) and billed from 1105.
#[test]
fn a_refused_placement_is_retried_with_back_off() {
    let m = one_spot_task_from_1000(2);
    let luck = Luck::fixed(vec![(900.0, 1100.0)], Vec::new(), 1, false);
    for o in [play(&m, &luck), play_full(&m, &luck, None)] {
        assert!((o.shortfall_s - 165.0).abs() < 1e-9, "{o:?}");
        assert_eq!(o.billed_s[1], 20_000 - 1105);
        assert_eq!(o.tasks[1], 1);
    }
}

/// Issue 20 item 6: when the task's home zone (rank 0: zone 0) is out, ECS places it in another
/// zone at once: short only the 60 s startup. When every zone is out, it waits and retries as
/// for a regional outage: zone 0 out [900, 1100), zone 1 out [950, 1050): tries at 1000, 1015,
/// 1045 (both out), 1105: short 165 s.
#[test]
fn a_zone_outage_sends_placements_to_the_other_zones() {
    let m = one_spot_task_from_1000(2);
    let luck = Luck::fixed(
        Vec::new(),
        vec![vec![(900.0, 1100.0)], Vec::new()],
        1,
        false,
    );
    for o in [play(&m, &luck), play_full(&m, &luck, None)] {
        assert!((o.shortfall_s - 60.0).abs() < 1e-9, "{o:?}");
        assert_eq!(o.billed_s[1], 20_000 - 1000);
    }
    let both = vec![vec![(900.0, 1100.0)], vec![(950.0, 1050.0)]];
    let luck = Luck::fixed(Vec::new(), both, 1, false);
    for o in [play(&m, &luck), play_full(&m, &luck, None)] {
        assert!((o.shortfall_s - 165.0).abs() < 1e-9, "{o:?}");
    }
    // One zone: its outage is the whole capacity.
    let m = one_spot_task_from_1000(1);
    let luck = Luck::fixed(Vec::new(), vec![vec![(900.0, 1100.0)]], 1, false);
    assert!((play(&m, &luck).shortfall_s - 165.0).abs() < 1e-9);
}

/// Issue 20 item 6: a zone's outage reclaims only the tasks running in that zone. Two Spot
/// tasks, two zones (rank 0 in zone 0, rank 1 in zone 1), zone 0 out from 5000 s taking its
/// tasks back: rank 0 is warned at 5000 and replaced at once in zone 1 (maximumPercent 200),
/// healthy at 5060; rank 1 is untouched. Short 60 s; one interruption; the warned task and its
/// replacement overlap for the 30 s stop timeout.
#[test]
fn a_zone_outage_reclaims_only_its_own_tasks() {
    let mut p = params(0.0, 30, 60);
    p.zones = 2;
    p.reclaim_share = 1.0;
    let m = Model::new(
        Steps::constant(2, 20_000),
        &Strategy::single(Provider::FargateSpot),
        p,
    );
    let luck = Luck::fixed(
        Vec::new(),
        vec![vec![(5000.0, 6000.0)], Vec::new()],
        2,
        true,
    );
    for o in [play(&m, &luck), play_full(&m, &luck, None)] {
        assert_eq!(o.interruptions, 1, "{o:?}");
        assert!((o.shortfall_s - 60.0).abs() < 1e-9, "{o:?}");
        assert_eq!(o.billed_s[1], 2 * 20_000 + 30);
        assert_eq!(o.tasks[1], 3);
    }
}

/// Issue 20 item 5: survivors carry the load of the tasks a Spot outage takes, the metric
/// rises and target tracking adds tasks, split by the strategy. 4 tasks (2 FARGATE + 2 Spot by
/// weight 1:1), the load needing 3.6 at the target; a region-wide outage [10000, 13600) takes
/// both Spot tasks back at 10000, and their replacements wait for the retry at 13765 (healthy
/// 13825). Two healthy of four for 180 s (the scale-out delay), seen 60 s later: at 10240 the
/// policy sets ⌈4 × 3.6 / 2⌉ = 8, i.e. 2 more FARGATE tasks (healthy at 10300) and 2 more Spot
/// tasks (placed at the retry at 13705, healthy at 13765). They stop 60 + 900 s after the
/// shortage ends: at 14785. Short: 2 tasks × 300 s = 600 s, not 2 × 3825 = 7650 s.
#[test]
fn a_long_shortage_makes_target_tracking_add_tasks() {
    let mut p = params(0.0, 30, 60);
    p.reclaim_share = 1.0;
    p.min_healthy = 3;
    let strategy = Strategy {
        items: vec![
            StrategyItem {
                provider: Provider::Fargate,
                base: 0,
                weight: 1,
            },
            StrategyItem {
                provider: Provider::FargateSpot,
                base: 0,
                weight: 1,
            },
        ],
    };
    // The planner's defaults: 3 min scale-out delay, 1 min lag, 15 min scale-in delay; at most 10.
    let inputs = |need: f64| {
        Some(std::sync::Arc::new(SurgeInputs {
            need: vec![need; 334],
            scale_out_delay_s: 180.0,
            lag_s: 60.0,
            hold_s: 960.0,
            max_capacity: 10,
        }))
    };
    let luck = Luck::fixed(vec![(10_000.0, 13_600.0)], Vec::new(), 2, true);
    let plain = Model::new(Steps::constant(4, 20_000), &strategy, p);
    let o = play(&plain, &luck);
    assert!((o.shortfall_s - 7650.0).abs() < 1e-9, "{o:?}");
    let m = plain.with_surge(inputs(3.6));
    for o in [play(&m, &luck), play_full(&m, &luck, None)] {
        assert!((o.shortfall_s - 600.0).abs() < 1e-6, "{o:?}");
        assert_eq!(
            o.billed_s,
            [2 * 20_000 + 2 * 4545, 2 * 10_030 + 2 * 6235 + 2 * 1080],
            "{o:?}"
        );
        assert_eq!(o.tasks, [4, 6]);
        assert_eq!(o.interruptions, 2);
        assert!((o.min_healthy_s - 19_700.0).abs() < 1e-6, "{o:?}");
        assert!((o.full_s - 19_700.0).abs() < 1e-6, "{o:?}");
    }
    // A recorded trial (the timeline) shows the added tasks.
    let mut rec = Recording::default();
    play_full(&m, &luck, Some(&mut rec));
    let added = |k: usize, run: (f64, f64), up: (f64, f64)| {
        rec.running[k].iter().filter(|x| **x == run).count() == 2
            && rec.healthy[k].iter().filter(|x| **x == up).count() == 2
    };
    assert!(
        added(0, (10_240.0, 14_785.0), (10_300.0, 14_785.0)),
        "{rec:?}"
    );
    assert!(
        added(1, (13_705.0, 14_785.0), (13_765.0, 14_785.0)),
        "{rec:?}"
    );
    // Needing only 1.9 tasks, the two survivors keep the metric at the target: no surge.
    let m = Model::new(Steps::constant(4, 20_000), &strategy, p).with_surge(inputs(1.9));
    assert!((play(&m, &luck).shortfall_s - 7650.0).abs() < 1e-6);
}
