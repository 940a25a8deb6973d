//! The recommender's candidate grid: deduplicated, with the plan's own strategy first. The
//! recommender against the cases, with its reasons phrased, is tested in
//! `src/export/recommend_text/tests.rs`.

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
