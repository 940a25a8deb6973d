//! The cost of every row across a range of request rates (for the chart and the CSV), and the
//! round steps it is drawn in; apart from `service.rs`, which only calls it.

use super::lambda::{self, LambdaSide};
use super::{ComparePrices, CompareRow, OptionId, Series, SeriesPoint};
use crate::core::pricing::lambda::LambdaRates;
use crate::core::vocab::platform::CpuArch;
use rust_decimal::Decimal;

/// Points in the cost series after 0 (the series has this many + 1 rates).
const SERIES_STEPS: u32 = 20;

/// Costs from 0 to about twice the highest break-even (or stated rate) in [`SERIES_STEPS`] steps.
pub(super) fn series(
    rows: &[CompareRow],
    side: &LambdaSide,
    lambda_rates: &[(CpuArch, LambdaRates)],
    stated: Option<Decimal>,
    prices: ComparePrices<'_>,
) -> Series {
    let columns: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    if lambda_rates.is_empty() || side.up_seconds <= Decimal::ZERO {
        return Series {
            columns,
            points: Vec::new(),
        };
    }
    let top = rows
        .iter()
        .filter_map(|r| r.paired_break_even())
        .filter_map(|b| b.requests_per_second)
        .chain(stated)
        .max()
        .unwrap_or(Decimal::ONE)
        .max(Decimal::new(1, 2))
        * Decimal::TWO;
    let step = nice_step(top / Decimal::from(SERIES_STEPS));
    let points = (0..=SERIES_STEPS)
        .map(|i| {
            let rps = step * Decimal::from(i);
            let n = rps * side.up_seconds;
            let monthly =
                rows.iter()
                    .map(|r| match &r.option {
                        OptionId::Lambda { arch } => lambda_rates
                            .iter()
                            .find(|(a, _)| a == arch)
                            .map(|(_, rates)| {
                                lambda::month(n, &side.shape, rates, prices.limits).monthly
                            }),
                        _ => r.monthly,
                    })
                    .collect();
            SeriesPoint {
                requests_per_second: rps.normalize(),
                requests_per_month: n.normalize(),
                monthly,
            }
        })
        .collect();
    Series { columns, points }
}

/// The smallest of 1, 2, 2.5 and 5 × 10ⁿ at least `x` (> 0).
pub(super) fn nice_step(x: Decimal) -> Decimal {
    let mut p = Decimal::ONE;
    let tiny = Decimal::new(1, 6);
    while p > x && p > tiny {
        p /= Decimal::TEN;
    }
    while p * Decimal::TEN <= x {
        p *= Decimal::TEN;
    }
    for m in ["1", "2", "2.5", "5", "10"] {
        let step = p * m.parse::<Decimal>().unwrap_or(Decimal::TEN);
        if step >= x {
            return step;
        }
    }
    p * Decimal::TEN
}
