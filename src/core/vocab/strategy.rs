//! Capacity providers and the split of a desired count across a capacity provider strategy.
//!
//! ECS places the `base` tasks on the provider that has a base, then spreads the rest by weight.
//! ECS does not document how it rounds a remainder. The planner uses the largest-remainder
//! (Hamilton) rule: each provider gets the floor of its exact weighted share of the tasks above
//! the base; the tasks left over go one each to the providers with the largest fractional
//! shares, ties to the provider listed first. Every provider therefore gets its exact share
//! rounded down or up, never further off. With AWS's example (FARGATE base 1 weight 1,
//! FARGATE_SPOT weight 4) this gives 1/0, 2/3, 2/4, 3/7 and 3/8 tasks at 1, 5, 6, 10 and 11.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Fargate capacity provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Provider {
    #[serde(rename = "FARGATE")]
    Fargate,
    #[serde(rename = "FARGATE_SPOT")]
    FargateSpot,
}

impl Provider {
    pub const ALL: [Provider; 2] = [Provider::Fargate, Provider::FargateSpot];

    pub fn name(self) -> &'static str {
        match self {
            Provider::Fargate => "FARGATE",
            Provider::FargateSpot => "FARGATE_SPOT",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.name() == s)
    }

    pub fn is_spot(self) -> bool {
        self == Provider::FargateSpot
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One `CapacityProviderStrategyItem`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyItem {
    pub provider: Provider,
    pub base: u32,
    pub weight: u32,
}

/// A validated strategy: 1..=20 items, one base at most, at least one weight above zero.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strategy {
    pub items: Vec<StrategyItem>,
}

impl Strategy {
    /// `launchType: FARGATE`: every task on FARGATE.
    pub fn on_demand() -> Strategy {
        Strategy::single(Provider::Fargate)
    }

    pub fn single(provider: Provider) -> Strategy {
        Strategy {
            items: vec![StrategyItem {
                provider,
                base: 0,
                weight: 1,
            }],
        }
    }

    pub fn uses(&self, provider: Provider) -> bool {
        self.items
            .iter()
            .any(|i| i.provider == provider && (i.weight > 0 || i.base > 0))
    }

    /// Splits `desired` tasks across the items: returns one count per item, in item order,
    /// summing to `desired`. See the module documentation for the rounding rule.
    pub fn split(&self, desired: u32) -> Vec<u32> {
        let mut counts = vec![0u32; self.items.len()];
        let mut rest = desired;
        if let Some((i, item)) = self.items.iter().enumerate().find(|(_, it)| it.base > 0) {
            let base = item.base.min(rest);
            counts[i] = base;
            rest -= base;
        }
        let total_weight: u64 = self.items.iter().map(|i| u64::from(i.weight)).sum();
        if rest == 0 || total_weight == 0 {
            return counts;
        }
        let rest64 = u64::from(rest);
        let mut assigned = 0u64;
        let mut remainders: Vec<(u64, usize)> = Vec::with_capacity(self.items.len());
        for (i, item) in self.items.iter().enumerate() {
            let share = rest64 * u64::from(item.weight);
            let whole = share / total_weight;
            counts[i] += whole as u32;
            assigned += whole;
            remainders.push((share % total_weight, i));
        }
        // Largest remainder first; ties to the earlier item.
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, i) in remainders.iter().take((rest64 - assigned) as usize) {
            counts[i] += 1;
        }
        counts
    }

    /// The split summed per provider (a provider may appear in several items).
    pub fn split_by_provider(&self, desired: u32) -> Vec<(Provider, u32)> {
        let counts = self.split(desired);
        Provider::ALL
            .into_iter()
            .filter(|p| self.items.iter().any(|i| i.provider == *p))
            .map(|p| {
                let n = self
                    .items
                    .iter()
                    .zip(&counts)
                    .filter(|(i, _)| i.provider == p)
                    .map(|(_, c)| *c)
                    .sum();
                (p, n)
            })
            .collect()
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .items
            .iter()
            .map(|i| {
                if i.base > 0 {
                    format!("{} base {} weight {}", i.provider, i.base, i.weight)
                } else {
                    format!("{} weight {}", i.provider, i.weight)
                }
            })
            .collect();
        f.write_str(&parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::{any, prop_assert, prop_assert_eq, proptest};
    use proptest::strategy::Strategy as _;

    fn aws_example() -> Strategy {
        Strategy {
            items: vec![
                StrategyItem {
                    provider: Provider::Fargate,
                    base: 1,
                    weight: 1,
                },
                StrategyItem {
                    provider: Provider::FargateSpot,
                    base: 0,
                    weight: 4,
                },
            ],
        }
    }

    #[test]
    fn aws_example_base_1_weight_1_and_spot_weight_4() {
        let s = aws_example();
        let got: Vec<(u32, Vec<u32>)> = [1, 5, 6, 10, 11]
            .into_iter()
            .map(|n| (n, s.split(n)))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, vec![1, 0]),
                (5, vec![2, 3]),
                (6, vec![2, 4]),
                (10, vec![3, 7]),
                (11, vec![3, 8])
            ]
        );
    }

    #[test]
    fn base_larger_than_desired_takes_everything() {
        let s = Strategy {
            items: vec![
                StrategyItem {
                    provider: Provider::FargateSpot,
                    base: 0,
                    weight: 1,
                },
                StrategyItem {
                    provider: Provider::Fargate,
                    base: 5,
                    weight: 0,
                },
            ],
        };
        assert_eq!(s.split(3), vec![0, 3]);
        assert_eq!(s.split(8), vec![3, 5]);
    }

    #[test]
    fn ties_go_to_the_first_item() {
        let s = Strategy {
            items: vec![
                StrategyItem {
                    provider: Provider::FargateSpot,
                    base: 0,
                    weight: 1,
                },
                StrategyItem {
                    provider: Provider::Fargate,
                    base: 0,
                    weight: 1,
                },
            ],
        };
        assert_eq!(s.split(3), vec![2, 1]);
        assert_eq!(
            s.split_by_provider(3),
            vec![(Provider::Fargate, 1), (Provider::FargateSpot, 2)]
        );
    }

    fn strategies() -> impl proptest::strategy::Strategy<Value = super::Strategy> {
        (0u32..50, 0u32..=1000, 0u32..=1000, any::<bool>()).prop_filter_map(
            "a weight > 0",
            |(base, w1, w2, spot_base)| {
                if w1 == 0 && w2 == 0 {
                    return None;
                }
                let (b1, b2) = if spot_base { (0, base) } else { (base, 0) };
                Some(super::Strategy {
                    items: vec![
                        StrategyItem {
                            provider: Provider::Fargate,
                            base: b1,
                            weight: w1,
                        },
                        StrategyItem {
                            provider: Provider::FargateSpot,
                            base: b2,
                            weight: w2,
                        },
                    ],
                })
            },
        )
    }

    proptest! {
        #[test]
        fn counts_sum_to_desired_and_respect_quota(s in strategies(), desired in 0u32..100_000) {
            let counts = s.split(desired);
            prop_assert_eq!(counts.iter().sum::<u32>(), desired);
            let base: u32 = s.items.iter().map(|i| i.base).sum::<u32>().min(desired);
            let rest = u64::from(desired - base);
            let total: u64 = s.items.iter().map(|i| u64::from(i.weight)).sum();
            for (item, count) in s.items.iter().zip(&counts) {
                let own_base = item.base.min(desired);
                let share = rest * u64::from(item.weight);
                let above = u64::from(count - own_base);
                prop_assert!(above * total >= share - share % total);
                prop_assert!(above <= share / total + 1);
            }
        }

        #[test]
        fn more_desired_never_removes_a_task(s in strategies(), desired in 0u32..10_000) {
            let a = s.split(desired);
            let b = s.split(desired + 1);
            // With two providers (all Fargate has) largest remainder is rounding to nearest, so it
            // has no Alabama paradox: one more task never takes a task from a provider.
            prop_assert_eq!(b.iter().sum::<u32>(), a.iter().sum::<u32>() + 1);
            for (x, y) in a.iter().zip(&b) {
                prop_assert!(y >= x, "{:?} -> {:?}", a, b);
            }
        }
    }
}
