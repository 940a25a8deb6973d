//! `[service.workload]`: the request workload a service serves, which `compare` needs to price the
//! same work on Lambda and to find the request rate where Lambda and Fargate cost the same.
//!
//! Every field is checked here and reported at its own path; Lambda's hard limits (memory, 15
//! minutes, 10 GB images) are not errors: `compare` shows them as reasons that rule Lambda out.

use crate::core::plan::raw::RawWorkload;
use crate::core::vocab::problem::{FieldPath, Problem};
use crate::core::vocab::units::{MemoryMib, Scalar, parse_memory};
use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;

/// Highest request rate accepted: ten million a second is far above any single service, and keeps
/// a month's arithmetic far from the limits of exact decimals.
const MAX_REQUESTS_PER_SECOND: i64 = 10_000_000;
/// Longest duration accepted, a day: anything longer is not a request.
const MAX_DURATION_MS: i64 = 86_400_000;

/// A validated workload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Workload {
    /// Average requests per second while the service is up; `None` when not stated (the
    /// break-even rate is still found).
    pub requests_per_second: Option<Decimal>,
    /// Average billed duration of one request on Lambda, cold starts included, in ms.
    pub duration_ms: Decimal,
    /// The longest single request, in ms (defaults to `duration_ms`).
    pub max_duration_ms: Option<Decimal>,
    /// Lambda function memory; `None`: the task's memory.
    pub lambda_memory: Option<MemoryMib>,
    /// Uncompressed container image size, when known.
    pub image_size: Option<MemoryMib>,
    /// Take Lambda's free tier off (it is one per account, shared by every function).
    pub lambda_free_tier: bool,
    /// The part of an EKS cluster's fee this service would carry (0 < share ≤ 1).
    pub eks_cluster_share: Decimal,
}

fn decimal(v: &Scalar) -> Option<Decimal> {
    match v {
        Scalar::Int(i) => Some(Decimal::from(*i)),
        Scalar::Text(t) => Decimal::from_str(t.trim()).ok(),
        Scalar::Float(f) => Decimal::from_str(&f.to_string()).ok(),
    }
}

/// Checks `[service.workload]`, pushing a located problem per bad field.
pub fn check(
    raw: &RawWorkload,
    path: &FieldPath,
    push: &mut impl FnMut(Problem),
) -> Option<Workload> {
    let mut ok = true;
    let mut number = |field: &str, v: &Scalar, min_exclusive: bool, max: i64, what: &str| {
        let d = decimal(v).filter(|d| {
            (if min_exclusive {
                *d > Decimal::ZERO
            } else {
                *d >= Decimal::ZERO
            }) && *d <= Decimal::from(max)
        });
        if d.is_none() {
            ok = false;
            push(Problem::new(path.key(field), what.to_string()).value(v));
        }
        d
    };
    let requests_per_second = raw.requests_per_second.as_ref().and_then(|v| {
        number(
            "requests_per_second",
            v,
            false,
            MAX_REQUESTS_PER_SECOND,
            "requests per second must be a number from 0 to 10,000,000, e.g. `requests_per_second = 25` or `\"2.5\"`",
        )
    });
    let duration_ms = match &raw.duration_ms {
        Some(v) => number(
            "duration_ms",
            v,
            true,
            MAX_DURATION_MS,
            "duration_ms is the average time one request takes, in milliseconds: a number above 0 and at most 86,400,000 (a day)",
        ),
        None => None,
    };
    let max_duration_ms = raw.max_duration_ms.as_ref().and_then(|v| {
        number(
            "max_duration_ms",
            v,
            true,
            MAX_DURATION_MS,
            "max_duration_ms is the longest single request, in milliseconds: a number above 0 and at most 86,400,000 (a day)",
        )
    });
    let eks_cluster_share = match &raw.eks_cluster_share {
        None => Some(Decimal::ONE),
        Some(v) => number(
            "eks_cluster_share",
            v,
            true,
            1,
            "eks_cluster_share is the part of one EKS cluster's fee this service carries: above 0 and at most 1 (e.g. 0.25 for one of four services)",
        ),
    };
    if raw.duration_ms.is_none() {
        ok = false;
        push(
            Problem::new(
                path.key("duration_ms"),
                "a workload needs the average duration of a request",
            )
            .fix("set duration_ms, e.g. `duration_ms = 120`; Lambda bills every request for it"),
        );
    }
    if let (Some(avg), Some(max)) = (duration_ms, max_duration_ms)
        && max < avg
    {
        ok = false;
        push(
            Problem::new(
                path.key("max_duration_ms"),
                format!(
                    "the longest request cannot be shorter than the average ({} ms)",
                    avg.normalize()
                ),
            )
            .value(max.normalize())
            .fix("raise max_duration_ms or remove it (it defaults to duration_ms)"),
        );
    }
    let mut size = |field: &str, v: &Option<Scalar>, example: &str| match v {
        None => None,
        Some(v) => match parse_memory(v) {
            Ok(m) => Some(m),
            Err(e) => {
                ok = false;
                push(
                    Problem::new(path.key(field), e.replace("memory", "a size"))
                        .value(v)
                        .fix(format!("e.g. `{field} = {example}`")),
                );
                None
            }
        },
    };
    let lambda_memory = size("lambda_memory", &raw.lambda_memory, "\"1 GB\"");
    let image_size = size("image_size", &raw.image_size, "\"750 MB\"");
    if let Some(m) = lambda_memory
        && m.0 < 128
    {
        ok = false;
        push(
            Problem::new(
                path.key("lambda_memory"),
                "a Lambda function has at least 128 MB of memory",
            )
            .value(m.0)
            .fix("set lambda_memory to 128 MB or more (up to 10,240 MB)"),
        );
    }
    ok.then(|| Workload {
        requests_per_second,
        duration_ms: duration_ms.unwrap_or_default(),
        max_duration_ms,
        lambda_memory,
        image_size,
        lambda_free_tier: raw.lambda_free_tier.unwrap_or(false),
        eks_cluster_share: eks_cluster_share.unwrap_or(Decimal::ONE),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(toml_text: &str) -> (Option<Workload>, Vec<Problem>) {
        let raw: RawWorkload = toml::from_str(toml_text).unwrap();
        let mut problems = Vec::new();
        let w = check(&raw, &FieldPath::root().key("workload"), &mut |p| {
            problems.push(p)
        });
        (w, problems)
    }

    #[test]
    fn a_full_workload() {
        let (w, ps) = run(
            "requests_per_second = \"2.5\"\nduration_ms = 120\nmax_duration_ms = 900000\nlambda_memory = \"512 MB\"\nimage_size = \"1.5 GB\"\nlambda_free_tier = true\neks_cluster_share = 0.25\n",
        );
        assert!(ps.is_empty(), "{ps:?}");
        let w = w.unwrap();
        assert_eq!(
            w.requests_per_second,
            Some(Decimal::from_str("2.5").unwrap())
        );
        assert_eq!(w.duration_ms, Decimal::from(120));
        assert_eq!(w.lambda_memory, Some(MemoryMib(512)));
        assert_eq!(w.image_size, Some(MemoryMib(1536)));
        assert_eq!(w.eks_cluster_share, Decimal::from_str("0.25").unwrap());
        assert!(w.lambda_free_tier);
    }

    #[test]
    fn defaults() {
        let (w, _) = run("duration_ms = 80");
        let w = w.unwrap();
        assert_eq!(w.requests_per_second, None);
        assert_eq!(w.lambda_memory, None);
        assert!(!w.lambda_free_tier);
        assert_eq!(w.eks_cluster_share, Decimal::ONE);
    }

    #[test]
    fn every_bad_field_is_located() {
        let (w, ps) = run(
            "requests_per_second = -1\nmax_duration_ms = 0\nlambda_memory = 64\nimage_size = \"big\"\neks_cluster_share = 2\n",
        );
        assert!(w.is_none());
        let paths: Vec<String> = ps.iter().map(|p| p.path.to_string()).collect();
        assert_eq!(
            paths,
            [
                "workload.requests_per_second",
                "workload.max_duration_ms",
                "workload.eks_cluster_share",
                "workload.duration_ms",
                "workload.image_size",
                "workload.lambda_memory",
            ]
        );
        let (_, ps) = run("duration_ms = 500\nmax_duration_ms = 100\n");
        assert!(ps[0].message.contains("shorter than the average"), "{ps:?}");
    }
}
