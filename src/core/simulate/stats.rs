//! Distribution summaries over Monte Carlo trials: mean, P50, P95 and P99.
//!
//! Percentiles are taken toward the bad side, so "P95" always reads "95 % of trials are at least
//! this good": for costs (higher is worse) it is exceeded by 5 % of trials; for availability
//! (lower is worse) 95 % of trials reach it. Ranks are nearest-rank on the sorted trials, so every
//! figure is one trial's actual value.

use crate::core::vocab::money::Usd;
use rust_decimal::Decimal;
use serde::Serialize;

/// Which tail is the bad one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Worse {
    High,
    Low,
}

/// Mean and percentiles of one figure over the trials.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary<T> {
    pub mean: T,
    pub p50: T,
    pub p95: T,
    pub p99: T,
}

/// The index of percentile `p` (0–100) in `n` ascending values, toward the bad side.
fn rank(n: usize, p: u32, worse: Worse) -> usize {
    // Nearest rank: the smallest k with k / n ≥ p / 100.
    let k = (n * p as usize).div_ceil(100).clamp(1, n);
    match worse {
        Worse::High => k - 1,
        Worse::Low => n - k,
    }
}

/// Summarises floats (NaN-free). An empty input gives zeros.
pub fn summarize(values: &[f64], worse: Worse) -> Summary<f64> {
    if values.is_empty() {
        return Summary {
            mean: 0.0,
            p50: 0.0,
            p95: 0.0,
            p99: 0.0,
        };
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    // Summing in sorted order makes the mean independent of the order trials finished in.
    let mean = sorted.iter().sum::<f64>() / sorted.len() as f64;
    let at = |p| sorted[rank(sorted.len(), p, worse)];
    Summary {
        mean,
        p50: at(50),
        p95: at(95),
        p99: at(99),
    }
}

/// Summarises amounts exactly (the mean is exact to Decimal's 28 digits).
pub fn summarize_usd(values: &[Usd], worse: Worse) -> Summary<Usd> {
    if values.is_empty() {
        return Summary {
            mean: Usd::ZERO,
            p50: Usd::ZERO,
            p95: Usd::ZERO,
            p99: Usd::ZERO,
        };
    }
    let mut sorted = values.to_vec();
    sorted.sort();
    let total: Decimal = sorted.iter().map(|u| u.0).sum();
    let mean = Usd(total / Decimal::from(sorted.len()));
    let at = |p| sorted[rank(sorted.len(), p, worse)];
    Summary {
        mean,
        p50: at(50),
        p95: at(95),
        p99: at(99),
    }
}

/// Percentile `p` of amounts toward the bad side, as [`summarize_usd`] takes it, in linear time
/// (a selection, not a sort). An empty input gives zero.
pub fn percentile_usd(values: &[Usd], p: u32, worse: Worse) -> Usd {
    if values.is_empty() {
        return Usd::ZERO;
    }
    let mut v = values.to_vec();
    let i = rank(v.len(), p, worse);
    *v.select_nth_unstable(i).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_toward_the_bad_side() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let high = summarize(&v, Worse::High);
        assert_eq!((high.p50, high.p95, high.p99), (50.0, 95.0, 99.0));
        assert_eq!(high.mean, 50.5);
        let low = summarize(&v, Worse::Low);
        assert_eq!((low.p50, low.p95, low.p99), (51.0, 6.0, 2.0));
        let one = summarize(&[3.0], Worse::Low);
        assert_eq!((one.p50, one.p99), (3.0, 3.0));
    }

    #[test]
    fn a_selected_percentile_is_the_sorted_one() {
        let v: Vec<Usd> = [7, 3, 9, 1, 5, 5, 2, 8, 6, 4]
            .iter()
            .map(|&c| Usd(Decimal::new(c, 2)))
            .collect();
        for worse in [Worse::High, Worse::Low] {
            let s = summarize_usd(&v, worse);
            for (p, want) in [(50, s.p50), (95, s.p95), (99, s.p99)] {
                assert_eq!(percentile_usd(&v, p, worse), want, "{p} {worse:?}");
            }
        }
    }

    #[test]
    fn exact_mean_of_amounts() {
        let v = [Usd(Decimal::new(1, 2)), Usd(Decimal::new(2, 2))];
        assert_eq!(
            summarize_usd(&v, Worse::High).mean.exact().to_string(),
            "0.015"
        );
    }
}
