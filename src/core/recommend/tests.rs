//! The recommender's candidate grid: deduplicated, with the plan's own strategy first. The
//! recommender against the cases, with its reasons phrased, is tested in
//! `src/export/recommend_text/tests.rs`; the on-demand floor without a target is tested here.

use super::candidates::base_grid;
use super::*;
use crate::core::vocab::strategy::Provider;

#[test]
fn the_grid_is_deduplicated_and_starts_with_the_plan_strategy() {
    let grid = strategy_grid(&Strategy::on_demand(), 3, true);
    assert_eq!(grid[0], Strategy::on_demand());
    assert!(grid.contains(&Strategy::single(Provider::FargateSpot)));
    // No two strategies split 0..=3 tasks the same way.
    for (i, a) in grid.iter().enumerate() {
        for b in &grid[i + 1..] {
            let same = (0..=3).all(|n| {
                a.split_by_provider(n) == b.split_by_provider(n)
                    || a.split_by_provider(n)
                        .iter()
                        .filter(|x| x.1 > 0)
                        .collect::<Vec<_>>()
                        == b.split_by_provider(n)
                            .iter()
                            .filter(|x| x.1 > 0)
                            .collect::<Vec<_>>()
            });
            assert!(!same, "{a} and {b}");
        }
    }
    assert_eq!(strategy_grid(&Strategy::on_demand(), 3, false).len(), 1);
    assert_eq!(
        base_grid(40),
        vec![
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 18, 22, 27, 33, 40
        ]
    );
}

/// Issue 17 item 6: with no stated target, a production service keeps its FARGATE tasks, and the
/// cheaper all-Spot mix is offered as an alternative; a stated target lets Spot be recommended.
#[test]
fn without_a_target_the_on_demand_floor_is_kept_and_spot_is_an_alternative() {
    let facts = crate::core::testing::facts();
    let book = crate::core::testing::book();
    let savings = SavingsRates::embedded().unwrap();
    let opts = RecommendOptions {
        trials: 60,
        seed: 3,
        horizon_minutes: 7 * 1440,
        start: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    };
    let text = |availability: &str| {
        format!(
            "[plan]\nregion = \"us-east-1\"\n\n[[service]]\nname = \"api\"\ncpu = 512\nmemory = 1024\n\
             desired_count = 3\n{availability}\n[[service.container_definitions]]\nname = \"api\"\nimage = \"x\"\n"
        )
    };
    let run = |plan: &Plan| recommend(plan, &[], &book, &savings, &facts, &opts, &|_| {}).unwrap();

    let rec = run(&crate::core::testing::plan(&text("")));
    let s = &rec.services[0];
    let chosen = s.recommended.as_ref().unwrap();
    for n in 1..=3 {
        let fargate: u32 = chosen
            .strategy
            .split_by_provider(n)
            .iter()
            .filter(|(p, _)| *p == Provider::Fargate)
            .map(|(_, k)| *k)
            .sum();
        assert_eq!(fargate, n, "{}", chosen.strategy);
    }
    let alt = s
        .spot_alternative
        .as_ref()
        .expect("a cheaper Spot mix is offered");
    assert!(alt.strategy.uses(Provider::FargateSpot));
    assert!(!alt.keeps_on_demand_floor);
    assert!(alt.expected_monthly < chosen.expected_monthly);

    // A stated target the all-Spot mix meets: Spot may be recommended, no alternative.
    let rec = run(&crate::core::testing::plan(&text(
        "availability = { min_healthy = 1, target = \"99%\" }",
    )));
    let s = &rec.services[0];
    assert!(
        s.recommended
            .as_ref()
            .unwrap()
            .strategy
            .uses(Provider::FargateSpot)
    );
    assert!(s.spot_alternative.is_none());
}
