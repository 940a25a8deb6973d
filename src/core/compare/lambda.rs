//! Lambda cost for a request workload, so `compare` can answer "could this service be a Lambda?".
//!
//! A month of Lambda is the request charge plus the duration charge: requests × billed duration ×
//! memory gives GB-seconds, priced in tiers that differ by architecture, optionally less the free
//! tier. Prices are `data/lambda-prices.csv` (each row with its source and date); limits and the
//! free tier are `data/lambda-limits.toml`. The hard limits (15-minute invocations, 10,240 MB of
//! memory, 10 GB images) rule the option out: it is then marked, never priced.
//!
//! Conventions, stated because AWS leaves them to the reader: the free tier is taken off first and
//! the tiers apply to what is left (as the AWS Pricing Calculator does); the tiers count only this
//! service's usage, while AWS counts the account's whole usage per architecture and region, so the
//! figure is an upper bound for an account with other functions.
//!
//! Prices come from [`crate::core::pricing::lambda::LambdaPriceBook`], limits from
//! [`crate::core::rules::lambda::LambdaLimits`]. `lambda_row` turns a month into the
//! comparison's row.

use super::OptionId;
use super::fargate::Used;
use super::{Assumption, ComparePrices, CompareRow, CostItem, CostLine, Disqualifier, NotPriced};
use crate::core::plan::Service;
use crate::core::pricing::lambda::{LambdaPrice, LambdaRates};
use crate::core::rules::lambda::LambdaLimits;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::units::MemoryMib;
use rust_decimal::Decimal;
use serde::Serialize;

/// What a function would look like: enough to price a request and to check the limits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LambdaShape {
    /// Average billed duration of one invocation, cold starts included, in milliseconds.
    pub duration_ms: Decimal,
    /// The longest single invocation, in milliseconds.
    pub max_duration_ms: Decimal,
    pub memory: MemoryMib,
    /// Uncompressed container image size, when known.
    pub image: Option<MemoryMib>,
    pub free_tier: bool,
    /// The service runs Windows containers.
    pub windows: bool,
}

impl LambdaShape {
    /// GB-seconds one invocation bills: seconds × memory in GB (1 GB = 1024 MB, as AWS computes it).
    pub fn gb_seconds_per_request(&self) -> Decimal {
        self.duration_ms / Decimal::from(1000) * self.memory.gb()
    }
}

/// Why Lambda cannot run this workload at all: the hard limits it breaks. Empty when it fits.
pub fn disqualifiers(shape: &LambdaShape, limits: &LambdaLimits) -> Vec<Disqualifier> {
    let mut out = Vec::new();
    if shape.windows {
        out.push(Disqualifier::LambdaWindows);
    }
    if shape.memory.0 > limits.memory.max_mib {
        out.push(Disqualifier::LambdaMemory {
            memory: shape.memory,
            max_mib: limits.memory.max_mib,
        });
    }
    if shape.max_duration_ms > Decimal::from(limits.invocation.max_ms) {
        out.push(Disqualifier::LambdaDuration {
            max_duration_ms: shape.max_duration_ms,
            max_ms: limits.invocation.max_ms,
        });
    }
    if let Some(image) = shape.image
        && image.0 > limits.image.max_mib
    {
        out.push(Disqualifier::LambdaImage {
            image,
            max_mib: limits.image.max_mib,
        });
    }
    out
}

/// The charge of one tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierCharge {
    pub tier_start: Decimal,
    pub tier_end: Option<Decimal>,
    pub quantity: Decimal,
    pub usd_per_unit: Decimal,
    pub charge: Usd,
}

/// A month of Lambda for a number of requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LambdaMonth {
    pub requests: Decimal,
    pub gb_seconds: Decimal,
    /// Free-tier requests and GB-seconds taken off (zero without the free tier).
    pub free_requests: Decimal,
    pub free_gb_seconds: Decimal,
    pub request_charges: Vec<TierCharge>,
    pub duration_charges: Vec<TierCharge>,
    pub request_charge: Usd,
    pub duration_charge: Usd,
    pub monthly: Usd,
}

fn tiered(quantity: Decimal, tiers: &[LambdaPrice]) -> Vec<TierCharge> {
    let mut out = Vec::new();
    for t in tiers {
        if quantity <= t.tier_start {
            break;
        }
        let top = t.tier_end.map_or(quantity, |end| end.min(quantity));
        let q = top - t.tier_start;
        out.push(TierCharge {
            tier_start: t.tier_start,
            tier_end: t.tier_end,
            quantity: q,
            usd_per_unit: t.usd_per_unit,
            charge: Usd(q * t.usd_per_unit),
        });
    }
    out
}

fn free(shape: &LambdaShape, limits: &LambdaLimits) -> (Decimal, Decimal) {
    if shape.free_tier {
        (
            Decimal::from(limits.free_tier.requests_per_month),
            Decimal::from(limits.free_tier.gb_seconds_per_month),
        )
    } else {
        (Decimal::ZERO, Decimal::ZERO)
    }
}

/// What `requests` invocations a month cost.
pub fn month(
    requests: Decimal,
    shape: &LambdaShape,
    rates: &LambdaRates,
    limits: &LambdaLimits,
) -> LambdaMonth {
    let requests = requests.max(Decimal::ZERO);
    let gb_seconds = requests * shape.gb_seconds_per_request();
    let (free_req, free_gbs) = free(shape, limits);
    let free_requests = free_req.min(requests);
    let free_gb_seconds = free_gbs.min(gb_seconds);
    let request_charges = tiered(requests - free_requests, &rates.request);
    let duration_charges = tiered(gb_seconds - free_gb_seconds, &rates.duration);
    let request_charge: Usd = request_charges.iter().map(|c| c.charge).sum();
    let duration_charge: Usd = duration_charges.iter().map(|c| c.charge).sum();
    LambdaMonth {
        requests,
        gb_seconds,
        free_requests,
        free_gb_seconds,
        request_charges,
        duration_charges,
        request_charge,
        duration_charge,
        monthly: request_charge + duration_charge,
    }
}

/// The fewest requests a month at which Lambda costs `target`: the break-even against an option
/// that costs `target` whatever the rate. `None` when Lambda never reaches it.
///
/// The month is piecewise linear and never falls as requests rise, with corners where the free
/// tier runs out and where a duration or request tier starts; the answer is found on the segment
/// that crosses the target, exactly.
pub fn requests_costing(
    target: Usd,
    shape: &LambdaShape,
    rates: &LambdaRates,
    limits: &LambdaLimits,
) -> Option<Decimal> {
    if target.0 < Decimal::ZERO {
        return None;
    }
    let per_request = shape.gb_seconds_per_request();
    if per_request <= Decimal::ZERO {
        return None;
    }
    let (free_req, free_gbs) = free(shape, limits);
    let mut corners: Vec<Decimal> = vec![free_req];
    corners.extend(rates.request.iter().map(|t| free_req + t.tier_start));
    corners.push(free_gbs / per_request);
    corners.extend(
        rates
            .duration
            .iter()
            .map(|t| (free_gbs + t.tier_start) / per_request),
    );
    corners.retain(|c| *c > Decimal::ZERO);
    corners.sort();
    corners.dedup();

    let cost = |n: Decimal| month(n, shape, rates, limits).monthly.0;
    let (mut at, mut cost_at) = (Decimal::ZERO, Decimal::ZERO);
    if target.0 <= cost_at {
        return Some(Decimal::ZERO);
    }
    for corner in corners {
        let c = cost(corner);
        if c >= target.0 {
            // c > cost_at here: the target lies strictly between them.
            return Some(at + (target.0 - cost_at) * (corner - at) / (c - cost_at));
        }
        (at, cost_at) = (corner, c);
    }
    // Past every corner: every free allowance is used and the last tiers apply.
    let slope = rates
        .request
        .last()
        .map_or(Decimal::ZERO, |t| t.usd_per_unit)
        + per_request
            * rates
                .duration
                .last()
                .map_or(Decimal::ZERO, |t| t.usd_per_unit);
    (slope > Decimal::ZERO).then(|| at + (target.0 - cost_at) / slope)
}

/// What every Lambda row of a service shares: the function's shape and the requests a month.
pub(super) struct LambdaSide {
    pub(super) shape: LambdaShape,
    pub(super) up_seconds: Decimal,
    pub(super) requests_per_month: Option<Decimal>,
    pub(super) has_workload: bool,
}

/// The row for Lambda on `arch`, and its rates when it can be priced.
pub(super) fn lambda_row(
    arch: CpuArch,
    side: &LambdaSide,
    service: &Service,
    prices: ComparePrices<'_>,
    used: &mut Used,
) -> (CompareRow, Option<LambdaRates>) {
    let mut row = CompareRow::new(OptionId::Lambda { arch }, false);
    let limits = prices.limits;
    row.disqualifiers = disqualifiers(&side.shape, limits);
    if arch != service.arch {
        row.assumptions.push(Assumption::NeedsImage { arch });
    }
    if row.is_ruled_out() {
        return (row, None);
    }
    if !side.has_workload {
        row.not_priced = Some(NotPriced::NoWorkload);
        return (row, None);
    }
    let rates = match prices.lambda.rates(&service.region, arch) {
        Ok(r) => r,
        Err(e) => {
            row.not_priced = Some(NotPriced::LambdaPrice(e));
            return (row, None);
        }
    };
    used.lambda(&rates);
    let s = &side.shape;
    if let Some(n) = side.requests_per_month {
        let m = month(n, s, &rates, limits);
        row.monthly = Some(m.monthly);
        row.lines.push(CostLine {
            item: CostItem::LambdaRequests {
                requests: m.requests - m.free_requests,
                per_million: Usd(rates.request[0].usd_per_unit * Decimal::from(1_000_000)),
            },
            monthly: m.request_charge,
        });
        row.lines.push(CostLine {
            item: CostItem::LambdaDuration {
                gb_seconds: m.gb_seconds - m.free_gb_seconds,
            },
            monthly: m.duration_charge,
        });
        row.assumptions.push(Assumption::LambdaRequests {
            requests: n,
            duration_ms: s.duration_ms,
            memory: s.memory,
            gb_seconds: m.gb_seconds,
        });
    } else {
        row.not_priced = Some(NotPriced::NoRequestRate);
        row.assumptions.push(Assumption::LambdaPerRequest {
            duration_ms: s.duration_ms,
            memory: s.memory,
        });
    }
    row.assumptions.push(Assumption::LambdaBilledPerMs);
    row.assumptions.push(if s.free_tier {
        Assumption::LambdaFreeTier {
            requests: limits.free_tier.requests_per_month,
            gb_seconds: limits.free_tier.gb_seconds_per_month,
        }
    } else {
        Assumption::LambdaNoFreeTier
    });
    row.assumptions.push(Assumption::LambdaTiersThisService);
    (row, Some(rates))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::pricing::lambda::LambdaPriceBook;
    use crate::core::vocab::platform::CpuArch;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn shape(duration_ms: &str, memory: u32, free_tier: bool) -> LambdaShape {
        LambdaShape {
            duration_ms: d(duration_ms),
            max_duration_ms: d(duration_ms),
            memory: MemoryMib(memory),
            image: None,
            free_tier,
            windows: false,
        }
    }

    fn rates(arch: CpuArch) -> LambdaRates {
        LambdaPriceBook::embedded()
            .unwrap()
            .rates("us-east-1", arch)
            .unwrap()
    }

    fn limits() -> LambdaLimits {
        LambdaLimits::embedded().unwrap()
    }

    #[test]
    fn embedded_data_matches_the_facts() {
        let x86 = rates(CpuArch::X86_64);
        let prices: Vec<String> = x86
            .duration
            .iter()
            .map(|t| t.usd_per_unit.to_string())
            .collect();
        assert_eq!(prices, ["0.0000166667", "0.000015", "0.0000133334"]);
        assert_eq!(x86.duration[0].tier_end, Some(d("6000000000")));
        assert_eq!(x86.duration[1].tier_end, Some(d("15000000000")));
        let arm = rates(CpuArch::Arm64);
        let prices: Vec<String> = arm
            .duration
            .iter()
            .map(|t| t.usd_per_unit.to_string())
            .collect();
        assert_eq!(prices, ["0.0000133334", "0.0000120001", "0.0000106667"]);
        assert_eq!(arm.duration[0].tier_end, Some(d("7500000000")));
        assert_eq!(arm.duration[1].tier_end, Some(d("18750000000")));
        assert_eq!(x86.request[0].usd_per_unit, d("0.0000002"));
        assert!(x86.prices().all(|p| p.source.contains("AWSLambda")));
        let l = limits();
        assert_eq!(
            (l.memory.max_mib, l.invocation.max_ms, l.image.max_mib),
            (10240, 900_000, 10240)
        );
        assert_eq!(
            (
                l.free_tier.requests_per_month,
                l.free_tier.gb_seconds_per_month
            ),
            (1_000_000, 400_000)
        );
    }

    #[test]
    fn first_tier_by_hand() {
        // 13,140,000 requests × 100 ms × 1 GB = 1,314,000 GB-s.
        // x86: 13.14 M × $0.20/M = $2.628; 1,314,000 × 0.0000166667 = $21.9000438.
        let m = month(
            d("13140000"),
            &shape("100", 1024, false),
            &rates(CpuArch::X86_64),
            &limits(),
        );
        assert_eq!(m.gb_seconds, d("1314000"));
        assert_eq!(m.request_charge.exact(), d("2.628"));
        assert_eq!(m.duration_charge.exact(), d("21.9000438"));
        assert_eq!(m.monthly.exact(), d("24.5280438"));
        // ARM: 1,314,000 × 0.0000133334 = $17.5200876; requests cost the same.
        let m = month(
            d("13140000"),
            &shape("100", 1024, false),
            &rates(CpuArch::Arm64),
            &limits(),
        );
        assert_eq!(m.monthly.exact(), d("20.1480876"));
    }

    #[test]
    fn free_tier_comes_off_first() {
        // 3 M requests × 1 s × 512 MB = 1,500,000 GB-s (AWS's own example 1):
        // (1,500,000 − 400,000) × 0.0000166667 = $18.33337; (3 M − 1 M) × $0.20/M = $0.40.
        let m = month(
            d("3000000"),
            &shape("1000", 512, true),
            &rates(CpuArch::X86_64),
            &limits(),
        );
        assert_eq!(
            (m.free_requests, m.free_gb_seconds),
            (d("1000000"), d("400000"))
        );
        assert_eq!(m.duration_charge.exact(), d("18.33337"));
        assert_eq!(m.request_charge.exact(), d("0.4"));
        assert_eq!(m.monthly.display_cents(), "$18.73");
        // Inside the free tier everything is free.
        let m = month(
            d("500000"),
            &shape("1000", 512, true),
            &rates(CpuArch::X86_64),
            &limits(),
        );
        assert_eq!(m.monthly, Usd::ZERO);
    }

    #[test]
    fn tiers_split_large_months() {
        // 1 G requests × 8 s × 1 GB = 8 G GB-s on x86:
        // 6 G × 0.0000166667 + 2 G × 0.000015 = 100,000.2 + 30,000 = $130,000.2 of duration,
        // plus 1,000 M × $0.20/M = $200 of requests.
        let m = month(
            d("1000000000"),
            &shape("8000", 1024, false),
            &rates(CpuArch::X86_64),
            &limits(),
        );
        assert_eq!(m.duration_charges.len(), 2);
        assert_eq!(m.duration_charges[1].quantity, d("2000000000"));
        assert_eq!(m.duration_charge.exact(), d("130000.2"));
        assert_eq!(m.monthly.exact(), d("130200.2"));
        // 20 G GB-s on ARM: 7.5 G × 0.0000133334 + 11.25 G × 0.0000120001 + 1.25 G × 0.0000106667
        // = 100,000.5 + 135,001.125 + 13,333.375 = $248,335.
        let m = month(
            d("2500000000"),
            &shape("8000", 1024, false),
            &rates(CpuArch::Arm64),
            &limits(),
        );
        assert_eq!(m.gb_seconds, d("20000000000"));
        assert_eq!(m.duration_charges.len(), 3);
        assert_eq!(m.duration_charge.exact(), d("248335"));
    }

    #[test]
    fn break_even_inverts_the_month() {
        let l = limits();
        for (arch, free_tier, target) in [
            (CpuArch::X86_64, false, "18.02005"),
            (CpuArch::Arm64, false, "14.4175"),
            (CpuArch::X86_64, true, "18.02005"),
            (CpuArch::X86_64, false, "250000"),
            (CpuArch::Arm64, true, "0.1"),
        ] {
            let s = shape("100", 1024, free_tier);
            let r = rates(arch);
            let n = requests_costing(Usd(d(target)), &s, &r, &l).unwrap();
            let back = month(n, &s, &r, &l).monthly.0;
            assert!(
                (back - d(target)).abs() < d("0.000001"),
                "{arch:?} {free_tier} {target}: {n} → {back}"
            );
        }
        // $18.02005 / (0.0000002 + 0.1 × 0.0000166667) per request, without the free tier.
        let n = requests_costing(
            Usd(d("18.02005")),
            &shape("100", 1024, false),
            &rates(CpuArch::X86_64),
            &l,
        )
        .unwrap();
        assert_eq!(n.round_dp(2), d("9653580.98"));
        assert_eq!(
            requests_costing(
                Usd::ZERO,
                &shape("100", 1024, true),
                &rates(CpuArch::X86_64),
                &l
            ),
            Some(Decimal::ZERO)
        );
    }

    #[test]
    fn hard_limits_disqualify() {
        let l = limits();
        assert!(disqualifiers(&shape("100", 10240, false), &l).is_empty());
        let mut s = shape("100", 30720, false);
        s.max_duration_ms = d("1200000");
        s.image = Some(MemoryMib(12288));
        s.windows = true;
        let out = disqualifiers(&s, &l);
        assert_eq!(out.len(), 4, "{out:?}");
        // Their wording is the exporter's (export::compare_text::tests::hard_limits_read_well).
        assert_eq!(
            out[1..],
            [
                Disqualifier::LambdaMemory {
                    memory: MemoryMib(30720),
                    max_mib: 10240
                },
                Disqualifier::LambdaDuration {
                    max_duration_ms: d("1200000"),
                    max_ms: 900_000
                },
                Disqualifier::LambdaImage {
                    image: MemoryMib(12288),
                    max_mib: 10240
                },
            ]
        );
        // Exactly at the limits is allowed.
        s = shape("100", 10240, false);
        s.max_duration_ms = d("900000");
        s.image = Some(MemoryMib(10240));
        assert!(disqualifiers(&s, &l).is_empty());
    }

    #[test]
    fn bad_rows_are_rejected() {
        let header =
            "region,architecture,item,tier_start,tier_end,usd_per_unit,unit,as_of,source\n";
        let ok = "r,X86_64,request,0,,0.0000002,request,2026-01-01,x\n";
        for rows in [
            "r,X86_64,request,0,,0,request,2026-01-01,x\n",
            "r,X86,request,0,,0.1,request,2026-01-01,x\n",
            "r,X86_64,requests,0,,0.1,request,2026-01-01,x\n",
            "r,X86_64,request,0,,0.1,GB-second,2026-01-01,x\n",
            "r,X86_64,duration,0,10,0.1,GB-second,2026-01-01,x\nr,X86_64,duration,20,,0.1,GB-second,2026-01-01,x\n",
            "r,X86_64,duration,0,10,0.1,GB-second,2026-01-01,x\n",
            "r,X86_64,duration,5,,0.1,GB-second,2026-01-01,x\n",
            "r,X86_64,duration,0,,0.1,GB-second,someday,x\n",
        ] {
            assert!(
                LambdaPriceBook::from_csv("t.csv", &format!("{header}{ok}{rows}")).is_err(),
                "{rows}"
            );
        }
        let book = LambdaPriceBook::from_csv("t.csv", &format!("{header}{ok}")).unwrap();
        let err = book.rates("r", CpuArch::X86_64).unwrap_err();
        assert!(
            err.to_string().contains("duration") && err.to_string().contains("AWSLambda"),
            "{err}"
        );
    }

    /// The Price List's Lambda prices, parsed, give the same month as the embedded table
    /// (moved here from the parser's tests: the parser sits below the cost model).
    #[test]
    fn parsed_prices_give_the_embedded_month() {
        use crate::core::pricing::parse::lambda::parse_region;
        use crate::core::pricing::parse::lambda::tests::{now, us_east_1_pages};
        let parsed = parse_region("us-east-1", &us_east_1_pages(), now()).unwrap();
        let book = LambdaPriceBook::from_prices(parsed.prices.clone()).unwrap();
        // The same prices as the embedded table give the same month.
        let limits = LambdaLimits::embedded().unwrap();
        let shape = LambdaShape {
            duration_ms: d("8000"),
            max_duration_ms: d("8000"),
            memory: MemoryMib(1024),
            image: None,
            free_tier: false,
            windows: false,
        };
        let embedded = LambdaPriceBook::embedded().unwrap();
        for arch in [CpuArch::X86_64, CpuArch::Arm64] {
            let a = month(
                d("2500000000"),
                &shape,
                &book.rates("us-east-1", arch).unwrap(),
                &limits,
            );
            let b = month(
                d("2500000000"),
                &shape,
                &embedded.rates("us-east-1", arch).unwrap(),
                &limits,
            );
            assert_eq!(a.monthly, b.monthly, "{arch}");
        }
    }
}
