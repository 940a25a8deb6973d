//! `[service.recommend]`: what `recommend` may change about a service and the limits it must
//! respect: the architectures the images are built for, observed peak utilisation (which justifies
//! a smaller or larger task size) and a P95 monthly cost ceiling.

use crate::core::plan::raw::RawRecommend;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::{CpuArch, ImagePlatform};
use crate::core::vocab::problem::{FieldPath, Problem};
use crate::core::vocab::units::Scalar;
use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;

/// Peak utilisation a resized task may reach, unless the plan says otherwise.
pub const DEFAULT_UTILIZATION_CEILING_PERCENT: u32 = 80;

/// A service's checked `[service.recommend]` settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tuning {
    /// Architectures the service's images run on. Without the table: the architecture as
    /// written, so ARM is never proposed for images nobody said were built for arm64.
    pub image_architectures: Vec<CpuArch>,
    /// True when `image_architectures` came from the plan.
    pub image_architectures_declared: bool,
    /// What `recommend --images` read of each container's image (empty: nothing was read).
    /// `image_architectures` is then what every image has a Linux build for.
    #[serde(skip)]
    pub images: Vec<ImageRead>,
    /// Observed peak CPU utilisation of the task as written, percent.
    pub peak_cpu_percent: Option<Decimal>,
    /// Observed peak memory utilisation of the task as written, percent.
    pub peak_memory_percent: Option<Decimal>,
    /// Highest peak utilisation a resized task may run at, percent.
    pub utilization_ceiling_percent: Decimal,
    /// Highest acceptable P95 monthly cost.
    pub p95_cost_ceiling: Option<Usd>,
    /// `capacity = ["fargate", "ec2"]`: `recommend` may propose EC2 container instances.
    pub ec2_allowed: bool,
}

impl Tuning {
    /// The settings of a service without `[service.recommend]`.
    pub fn as_written(arch: CpuArch) -> Tuning {
        Tuning {
            image_architectures: vec![arch],
            image_architectures_declared: false,
            images: Vec::new(),
            peak_cpu_percent: None,
            peak_memory_percent: None,
            utilization_ceiling_percent: Decimal::from(DEFAULT_UTILIZATION_CEILING_PERCENT),
            p95_cost_ceiling: None,
            ec2_allowed: false,
        }
    }
}

/// What was read of one container's image: the platforms it was built for, or why it could
/// not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRead {
    pub container: String,
    pub image: String,
    pub platforms: Result<Vec<ImagePlatform>, String>,
}

impl ImageRead {
    /// The image has a build for `arch` on Linux.
    pub fn has(&self, arch: CpuArch) -> bool {
        self.platforms
            .as_ref()
            .is_ok_and(|p| p.iter().any(|p| p.fargate_arch() == Some(arch)))
    }
}

/// `"35%"`, `"35"`, `35` or `35.5` → 35.5; `None` when not a number.
fn percent(v: &Scalar) -> Option<Decimal> {
    match v {
        Scalar::Int(i) => Some(Decimal::from(*i)),
        Scalar::Float(f) => Decimal::from_str(&f.to_string()).ok(),
        Scalar::Text(t) => Decimal::from_str(t.trim().trim_end_matches('%').trim()).ok(),
    }
}

/// Checks `[service.recommend]`, pushing a located problem per bad field.
pub fn check(
    raw: Option<&RawRecommend>,
    arch: CpuArch,
    path: &FieldPath,
    push: &mut impl FnMut(Problem),
) -> Option<Tuning> {
    let mut out = Tuning::as_written(arch);
    let Some(raw) = raw else {
        return Some(out);
    };
    let mut ok = true;
    if let Some(list) = &raw.image_architectures {
        let mut archs = Vec::new();
        for (i, name) in list.iter().enumerate() {
            match CpuArch::parse(name.trim()) {
                Some(a) if !archs.contains(&a) => archs.push(a),
                Some(_) => {}
                None => {
                    ok = false;
                    push(
                        Problem::new(
                            path.key("image_architectures").index(i),
                            "an image architecture is X86_64 or ARM64 (runtimePlatform.cpuArchitecture)",
                        )
                        .value(format!("`{name}`")),
                    );
                }
            }
        }
        if list.is_empty() {
            ok = false;
            push(
                Problem::new(
                    path.key("image_architectures"),
                    "list the architectures the images are built for",
                )
                .fix("e.g. image_architectures = [\"X86_64\", \"ARM64\"] for a multi-arch image"),
            );
        }
        archs.sort();
        out.image_architectures = archs;
        out.image_architectures_declared = true;
    }
    let mut pct = |field: &str, v: &Option<Scalar>, low_exclusive: Decimal, what: &str| match v {
        None => None,
        Some(v) => match percent(v).filter(|p| *p > low_exclusive && *p <= Decimal::ONE_HUNDRED) {
            Some(p) => Some(p),
            None => {
                ok = false;
                push(Problem::new(path.key(field), what.to_string()).value(v));
                None
            }
        },
    };
    out.peak_cpu_percent = pct(
        "peak_cpu",
        &raw.peak_cpu,
        Decimal::ZERO,
        "peak_cpu is the highest CPU utilisation the task reaches, in percent above 0 and at most 100 (CloudWatch CPUUtilization, Maximum), e.g. peak_cpu = \"35%\"",
    );
    out.peak_memory_percent = pct(
        "peak_memory",
        &raw.peak_memory,
        Decimal::ZERO,
        "peak_memory is the highest memory utilisation the task reaches, in percent above 0 and at most 100 (CloudWatch MemoryUtilization, Maximum), e.g. peak_memory = \"60%\"",
    );
    if let Some(c) = pct(
        "utilization_ceiling",
        &raw.utilization_ceiling,
        Decimal::from(10),
        "utilization_ceiling is the peak utilisation a resized task may run at: a percentage above 10 and at most 100, e.g. \"80%\"",
    ) {
        out.utilization_ceiling_percent = c;
    }
    if let Some(v) = &raw.p95_cost_ceiling {
        let amount = match v {
            Scalar::Int(i) => Some(Decimal::from(*i)),
            Scalar::Float(f) => Decimal::from_str(&f.to_string()).ok(),
            Scalar::Text(t) => {
                Decimal::from_str(t.trim().trim_start_matches('$').replace(',', "").trim()).ok()
            }
        }
        .filter(|d| *d > Decimal::ZERO);
        match amount {
            Some(d) => out.p95_cost_ceiling = Some(Usd(d)),
            None => {
                ok = false;
                push(
                    Problem::new(
                        path.key("p95_cost_ceiling"),
                        "p95_cost_ceiling is the most the service may cost per month in 95% of simulated months, in USD above 0",
                    )
                    .value(v)
                    .fix("e.g. p95_cost_ceiling = \"450.00\""),
                );
            }
        }
    }
    if let Some(list) = &raw.capacity {
        for (i, c) in list.iter().enumerate() {
            match c.trim() {
                "fargate" => {}
                "ec2" => out.ec2_allowed = true,
                other => {
                    ok = false;
                    push(
                        Problem::new(
                            path.key("capacity").index(i),
                            "capacity lists what recommend may propose: \"fargate\" and \"ec2\"",
                        )
                        .value(format!("`{other}`"))
                        .fix("e.g. capacity = [\"fargate\", \"ec2\"]"),
                    );
                }
            }
        }
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(raw: &RawRecommend) -> (Option<Tuning>, Vec<Problem>) {
        let mut problems = Vec::new();
        let t = check(
            Some(raw),
            CpuArch::X86_64,
            &FieldPath::root().key("recommend"),
            &mut |p| problems.push(p),
        );
        (t, problems)
    }

    #[test]
    fn defaults_keep_the_written_architecture() {
        let mut push = |_p: Problem| {};
        let t = check(None, CpuArch::X86_64, &FieldPath::root(), &mut push);
        assert_eq!(
            t.map(|t| t.image_architectures),
            Some(vec![CpuArch::X86_64])
        );
    }

    #[test]
    fn fields_parse_and_bad_values_are_located() {
        let raw = RawRecommend {
            image_architectures: Some(vec!["ARM64".into(), "X86_64".into()]),
            peak_cpu: Some(Scalar::Text("35%".into())),
            peak_memory: Some(Scalar::Int(60)),
            utilization_ceiling: None,
            p95_cost_ceiling: Some(Scalar::Text("$1,200.50".into())),
            capacity: Some(vec!["fargate".into(), "ec2".into()]),
        };
        let (t, p) = run(&raw);
        assert!(p.is_empty(), "{p:?}");
        let t = t.unwrap_or_else(|| panic!("no tuning"));
        assert_eq!(t.image_architectures, vec![CpuArch::X86_64, CpuArch::Arm64]);
        assert_eq!(t.peak_cpu_percent, Some(Decimal::from(35)));
        assert_eq!(t.utilization_ceiling_percent, Decimal::from(80));
        assert_eq!(t.p95_cost_ceiling, Some(Usd(Decimal::new(120050, 2))));
        assert!(t.ec2_allowed);

        let bad = RawRecommend {
            image_architectures: Some(vec!["arm".into()]),
            peak_cpu: Some(Scalar::Text("135%".into())),
            peak_memory: None,
            utilization_ceiling: Some(Scalar::Int(5)),
            p95_cost_ceiling: Some(Scalar::Int(0)),
            capacity: Some(vec!["lambda".into()]),
        };
        let (t, p) = run(&bad);
        assert!(t.is_none());
        let paths: Vec<String> = p.iter().map(|p| p.path.to_string()).collect();
        assert_eq!(
            paths,
            vec![
                "recommend.image_architectures[0]",
                "recommend.peak_cpu",
                "recommend.utilization_ceiling",
                "recommend.p95_cost_ceiling",
                "recommend.capacity[0]"
            ]
        );
    }
}
