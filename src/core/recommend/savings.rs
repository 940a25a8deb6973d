//! Savings Plan sizing: the hourly commitment that maximises the net saving on a curve of hourly
//! on-demand spend, for each Compute Savings Plan with rates in the price data.
//!
//! The model is AWS's: each hour, the commitment pays for eligible usage at the plan's rates,
//! usage with the largest discount first; what it does not cover is billed on demand, and
//! commitment left unused in an hour is lost. With spend `s_b` and plan-rate ratio `r_b = plan
//! rate / on-demand rate` per usage bucket, an hour with commitment `c` covers on-demand value
//! `cov(c)` and saves `cov(c) − c`. Each hour's saving is concave and piecewise linear in `c`,
//! so the total is too, and its maximum sits on a breakpoint: a cumulative plan-rate cost of some
//! hour. The optimum is searched over those breakpoints, then moved to AWS's $0.001 commitment
//! step (the better of the two neighbours). Spot is never eligible; callers pass only on-demand
//! vCPU and memory spend.
//!
//! `size_savings_plans` builds that curve from the recommended services' FARGATE tasks and
//! turns each plan's optimum into the figures of the recommendation.

use super::evaluate::Chosen;
use super::{Excluded, MissingRate, SavingsPlanOption, SavingsPlans};
use crate::core::plan::Plan;
use crate::core::pricing::{PriceBook, SAVINGS_PLANS, SavingsRates};
use crate::core::report::cost::{Component, task_rate};
use crate::core::rules::Facts;
use crate::core::simulate::engine::slot_intervals;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::strategy::Provider;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// AWS takes commitments in steps of $0.001 per hour.
pub const COMMITMENT_STEP_DP: u32 = 3;

/// Eligible spend per hour and bucket, with each bucket's plan-rate ratio.
#[derive(Clone, Debug, Default)]
pub struct SpendCurve {
    /// `hours[h][b]`: on-demand dollars of bucket `b` in hour `h`.
    pub hours: Vec<Vec<Decimal>>,
    /// `ratios[b]`: plan rate ÷ on-demand rate of bucket `b`, in (0, 1].
    pub ratios: Vec<Decimal>,
}

/// What a commitment does over the curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Commitment per hour.
    pub commitment: Decimal,
    /// On-demand spend over the curve.
    pub eligible: Decimal,
    /// On-demand value the commitment covered.
    pub covered: Decimal,
    /// Commitment paid over the curve (commitment × hours).
    pub paid: Decimal,
    /// Commitment left unused.
    pub unused: Decimal,
    /// Covered − paid: what the plan saves over the curve.
    pub net_saving: Decimal,
}

impl SpendCurve {
    /// Buckets in the order the commitment is applied: largest discount (smallest ratio) first,
    /// ties by index.
    fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.ratios.len()).collect();
        order.sort_by(|a, b| self.ratios[*a].cmp(&self.ratios[*b]).then(a.cmp(b)));
        order
    }

    /// The curve under commitment `c` per hour.
    pub fn evaluate(&self, c: Decimal) -> Outcome {
        self.evaluate_in(c, &self.order())
    }

    fn evaluate_in(&self, c: Decimal, order: &[usize]) -> Outcome {
        let mut out = Outcome {
            commitment: c,
            eligible: Decimal::ZERO,
            covered: Decimal::ZERO,
            paid: Decimal::ZERO,
            unused: Decimal::ZERO,
            net_saving: Decimal::ZERO,
        };
        for hour in &self.hours {
            let mut left = c;
            for &b in order {
                let spend = hour.get(b).copied().unwrap_or_default();
                out.eligible += spend;
                if left.is_zero() || spend.is_zero() {
                    continue;
                }
                let cost = spend * self.ratios[b];
                if left >= cost {
                    out.covered += spend;
                    left -= cost;
                } else {
                    out.covered += left / self.ratios[b];
                    left = Decimal::ZERO;
                }
            }
            out.paid += c;
            out.unused += left;
        }
        out.net_saving = out.covered - out.paid;
        out
    }

    /// Every commitment at which some hour's saving changes slope, ascending, with 0.
    fn breakpoints(&self, order: &[usize]) -> Vec<Decimal> {
        let mut points = vec![Decimal::ZERO];
        for hour in &self.hours {
            let mut sum = Decimal::ZERO;
            for &b in order {
                let spend = hour.get(b).copied().unwrap_or_default();
                if spend > Decimal::ZERO {
                    sum += spend * self.ratios[b];
                    points.push(sum);
                }
            }
        }
        points.sort();
        points.dedup();
        points
    }

    /// The commitment (a multiple of $0.001 per hour) with the largest net saving; the smallest
    /// such commitment when several tie, so no saving means a commitment of zero.
    pub fn optimum(&self) -> Outcome {
        let order = self.order();
        let points = self.breakpoints(&order);
        // The saving is concave in the commitment: binary-search the first breakpoint after
        // which it stops rising.
        let (mut lo, mut hi) = (0usize, points.len() - 1);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let here = self.evaluate_in(points[mid], &order).net_saving;
            let next = self.evaluate_in(points[mid + 1], &order).net_saving;
            if next > here {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let best = points[lo];
        let step = Decimal::new(1, COMMITMENT_STEP_DP);
        let down = best.trunc_with_scale(COMMITMENT_STEP_DP);
        let up = if down == best { down } else { down + step };
        let a = self.evaluate_in(down, &order);
        let b = self.evaluate_in(up, &order);
        if b.net_saving > a.net_saving { b } else { a }
    }
}

/// One usage bucket of the spend curve: on-demand vCPU or memory of one region and architecture.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Bucket {
    region: String,
    arch: CpuArch,
    /// `vcpu_hour` or `gb_hour`.
    dimension: &'static str,
    /// On-demand price per vCPU-hour or GB-hour.
    unit_price: Decimal,
}

/// Sizes each Compute Savings Plan with rates in the data on the recommended plan's on-demand
/// vCPU and memory spend, hour by hour; Windows services and regions without rates are left
/// out, and the result says why.
pub(super) fn size_savings_plans(
    chosen: &[Chosen],
    plan: &Plan,
    book: &PriceBook,
    rates: &SavingsRates,
    facts: &Facts,
) -> SavingsPlans {
    let mut excluded = Vec::new();
    let hours = chosen
        .iter()
        .map(|c| c.desired.end.div_ceil(3600))
        .max()
        .unwrap_or(0) as usize;
    let horizon_hours = chosen.first().map_or(Decimal::ONE, |c| {
        Decimal::from(c.desired.end) / Decimal::from(3600)
    });
    let (buckets, spend) = eligible_spend(chosen, book, rates, facts, hours, &mut excluded);
    let month = plan.hours_per_month / horizon_hours;
    let matrix: Vec<Vec<Decimal>> = spend
        .iter()
        .map(|h| {
            (0..buckets.len())
                .map(|b| h.get(&b).copied().unwrap_or_default())
                .collect()
        })
        .collect();
    let eligible: Decimal = matrix.iter().flatten().sum();
    let mut options = Vec::new();
    for &p in SAVINGS_PLANS.iter().filter(|_| !buckets.is_empty()) {
        if let Some(option) = size_plan(p, &buckets, &matrix, rates, plan.hours_per_month, month) {
            options.push(option);
        }
    }
    SavingsPlans {
        eligible_monthly: Usd(eligible * month),
        excluded,
        options,
    }
}

/// The usage buckets of the chosen services' FARGATE tasks, and per hour of the horizon the
/// on-demand dollars of each bucket (by its index). Services the plans cannot cover are noted
/// in `excluded`.
fn eligible_spend(
    chosen: &[Chosen],
    book: &PriceBook,
    rates: &SavingsRates,
    facts: &Facts,
    hours: usize,
    excluded: &mut Vec<Excluded>,
) -> (Vec<Bucket>, Vec<BTreeMap<usize, Decimal>>) {
    let mut buckets: Vec<Bucket> = Vec::new();
    let mut spend: Vec<BTreeMap<usize, Decimal>> = vec![BTreeMap::new(); hours];
    let has_rates = |region: &str| rates.iter().any(|r| r.region == region);
    for c in chosen {
        let s = c.service;
        if !c.strategy.uses(Provider::Fargate) {
            continue;
        }
        if s.os.is_windows() {
            excluded.push(Excluded::Windows {
                service: s.name.clone(),
            });
            continue;
        }
        if !has_rates(&s.region) {
            excluded.push(Excluded::NoRates {
                service: s.name.clone(),
                region: s.region.clone(),
            });
            continue;
        }
        let shape = crate::core::report::cost::TaskShape {
            size: c.size,
            storage_gib: s.ephemeral_storage_gib,
            windows: false,
            arch: c.arch,
        };
        let Ok(rate) = task_rate(book, facts, &s.region, shape, Provider::Fargate) else {
            continue;
        };
        let per_hour = fargate_seconds_per_hour(c, hours);
        for line in &rate.lines {
            let dimension = match line.component {
                Component::Vcpu => "vcpu_hour",
                Component::Memory => "gb_hour",
                _ => continue,
            };
            let bucket = Bucket {
                region: s.region.clone(),
                arch: c.arch,
                dimension,
                unit_price: line.price.usd_per_unit,
            };
            let b = match buckets.iter().position(|x| *x == bucket) {
                Some(b) => b,
                None => {
                    buckets.push(bucket);
                    buckets.len() - 1
                }
            };
            for (h, secs) in per_hour.iter().enumerate() {
                if *secs > 0 {
                    *spend[h].entry(b).or_default() +=
                        Decimal::from(*secs) / Decimal::from(3600) * line.per_hour.0;
                }
            }
        }
    }
    (buckets, spend)
}

/// FARGATE task-seconds in each hour of the horizon: FARGATE slots are the same in every trial.
fn fargate_seconds_per_hour(c: &Chosen, hours: usize) -> Vec<u64> {
    let [fargate, _] = slot_intervals(&c.desired, &c.strategy);
    let mut per_hour = vec![0u64; hours];
    for iv in &fargate {
        let mut t = iv.start;
        while t < iv.end {
            let h = (t / 3600) as usize;
            let next = ((t / 3600) + 1) * 3600;
            let until = next.min(iv.end);
            if let Some(x) = per_hour.get_mut(h) {
                *x += until - t;
            }
            t = until;
        }
    }
    per_hour
}

/// One plan sized on the spend `matrix` (hours × buckets); `None` when the data has no rate at
/// all for the plan. `month` scales the horizon to a month of `hours_per_month`.
fn size_plan(
    p: &'static str,
    buckets: &[Bucket],
    matrix: &[Vec<Decimal>],
    rates: &SavingsRates,
    hours_per_month: Decimal,
    month: Decimal,
) -> Option<SavingsPlanOption> {
    let mut ratios = Vec::new();
    let mut missing = Vec::new();
    let mut as_of: Option<NaiveDate> = None;
    let mut sources: Vec<String> = Vec::new();
    for b in buckets {
        match rates.get(&b.region, p, b.arch.ecs_name(), b.dimension) {
            Some(r) if b.unit_price > Decimal::ZERO => {
                ratios.push(r.usd_per_unit / b.unit_price);
                as_of = Some(as_of.map_or(r.as_of, |d| d.min(r.as_of)));
                if !sources.contains(&r.source) {
                    sources.push(r.source.clone());
                }
            }
            _ => missing.push(MissingRate {
                region: b.region.clone(),
                arch: b.arch,
                dimension: b.dimension,
            }),
        }
    }
    let any_rate = rates.iter().any(|r| r.plan == p);
    if !any_rate {
        // Partial Upfront rates are unconfirmed: listed only when the data has some.
        return None;
    }
    let mut option = SavingsPlanOption {
        plan: p.to_string(),
        not_sized: None,
        commitment_per_hour: Usd::ZERO,
        commitment_monthly: Usd::ZERO,
        upfront: None,
        coverage_percent: Decimal::ZERO,
        unused_percent: Decimal::ZERO,
        net_saving_monthly: Usd::ZERO,
        break_even_utilization_percent: Decimal::ZERO,
        rates_as_of: as_of,
        rates_sources: sources,
    };
    if !missing.is_empty() {
        option.not_sized = Some(missing);
        return Some(option);
    }
    let curve = SpendCurve {
        hours: matrix.to_vec(),
        ratios,
    };
    let o = curve.optimum();
    let hundred = Decimal::ONE_HUNDRED;
    option.commitment_per_hour = Usd(o.commitment);
    option.commitment_monthly = Usd(o.commitment * hours_per_month);
    if p.contains("all_upfront") {
        let years = if p.contains("1yr") { 1 } else { 3 };
        option.upfront = Some(Usd(o.commitment * Decimal::from(8760 * years)));
    }
    if o.eligible > Decimal::ZERO {
        option.coverage_percent = o.covered * hundred / o.eligible;
    }
    if o.paid > Decimal::ZERO {
        option.unused_percent = o.unused * hundred / o.paid;
    }
    if o.covered > Decimal::ZERO {
        option.break_even_utilization_percent = (o.paid - o.unused) * hundred / o.covered;
    }
    option.net_saving_monthly = Usd(o.net_saving * month);
    Some(option)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// Brute force: every commitment on the $0.001 grid up to the largest hourly plan-rate cost.
    fn brute_force(curve: &SpendCurve) -> Outcome {
        let top = curve
            .hours
            .iter()
            .map(|h| {
                h.iter()
                    .zip(&curve.ratios)
                    .map(|(s, r)| *s * *r)
                    .sum::<Decimal>()
            })
            .max()
            .unwrap_or_default();
        let step = Decimal::new(1, COMMITMENT_STEP_DP);
        let mut best = curve.evaluate(Decimal::ZERO);
        let mut c = step;
        while c <= top + step {
            let o = curve.evaluate(c);
            if o.net_saving > best.net_saving {
                best = o;
            }
            c += step;
        }
        best
    }

    #[test]
    fn a_flat_curve_is_covered_whole() {
        // $1.00 an hour of on-demand at a 20% discount: commit $0.80, save $0.20 an hour.
        let curve = SpendCurve {
            hours: vec![vec![d("1.00")]; 24],
            ratios: vec![d("0.8")],
        };
        let o = curve.optimum();
        assert_eq!(o.commitment, d("0.800"));
        assert_eq!(o.net_saving, d("4.80"));
        assert_eq!(o.unused, Decimal::ZERO);
        assert_eq!(o.covered, o.eligible);
    }

    #[test]
    fn a_commitment_sits_between_the_floor_and_the_peak() {
        // 16 hours at $1, 8 hours at $3, ratio 0.5: raising the commitment above $0.50 pays
        // off while at least half the hours use it (here 8 of 24 do not): stay at the floor.
        let mut hours = vec![vec![d("1")]; 16];
        hours.extend(vec![vec![d("3")]; 8]);
        let curve = SpendCurve {
            hours,
            ratios: vec![d("0.5")],
        };
        let o = curve.optimum();
        assert_eq!(o.commitment, d("0.500"));
        assert_eq!(o, brute_force(&curve));
        // With 13 busy hours of 24 the busy level still pays: 13/24 > 0.5.
        let mut hours = vec![vec![d("1")]; 11];
        hours.extend(vec![vec![d("3")]; 13]);
        let curve = SpendCurve {
            hours,
            ratios: vec![d("0.5")],
        };
        assert_eq!(curve.optimum().commitment, d("1.500"));
        let mut hours = vec![vec![d("1")]; 13];
        hours.extend(vec![vec![d("3")]; 11]);
        let curve = SpendCurve {
            hours,
            ratios: vec![d("0.5")],
        };
        assert_eq!(curve.optimum().commitment, d("0.500"));
    }

    #[test]
    fn no_spend_means_no_commitment() {
        let curve = SpendCurve {
            hours: vec![vec![Decimal::ZERO, Decimal::ZERO]; 5],
            ratios: vec![d("0.8"), d("0.55")],
        };
        let o = curve.optimum();
        assert_eq!(o.commitment, Decimal::ZERO);
        assert_eq!(o.net_saving, Decimal::ZERO);
    }

    #[test]
    fn the_largest_discount_is_covered_first() {
        // One hour, $1 at ratio 0.8 and $1 at ratio 0.5: a $0.50 commitment covers the 0.5 bucket.
        let curve = SpendCurve {
            hours: vec![vec![d("1"), d("1")]],
            ratios: vec![d("0.8"), d("0.5")],
        };
        let o = curve.evaluate(d("0.5"));
        assert_eq!(o.covered, d("1"));
        assert_eq!(o.net_saving, d("0.5"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// On synthetic spend curves the search finds the brute-force optimum.
        #[test]
        fn optimum_matches_brute_force(
            cents in proptest::collection::vec((0u32..250, 0u32..120), 1..30),
            r1 in 40u32..95,
            r2 in 40u32..95,
        ) {
            let curve = SpendCurve {
                hours: cents
                    .iter()
                    .map(|(a, b)| vec![Decimal::new(i64::from(*a), 2), Decimal::new(i64::from(*b), 2)])
                    .collect(),
                ratios: vec![Decimal::new(i64::from(r1), 2), Decimal::new(i64::from(r2), 2)],
            };
            let ours = curve.optimum();
            let brute = brute_force(&curve);
            prop_assert_eq!(ours.net_saving.round_dp(12), brute.net_saving.round_dp(12));
            prop_assert!(ours.net_saving >= Decimal::ZERO);
        }
    }
}
