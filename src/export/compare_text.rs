//! The comparison's words: the core gives cost lines, assumptions, disqualifiers, unpriced reasons
//! and notes as values with exact numbers; this phrases them (and labels the options) for the
//! table, Markdown and JSON exporters, rounding quantities and amounts only for reading.

use super::compare_ec2;
use crate::core::compare::{
    Assumption, Capacity, CostItem, Disqualifier, MixSource, NotPriced, Note, OptionId,
};
use crate::core::vocab::money::group_digits;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::units::MemoryMib;
use rust_decimal::Decimal;

fn arch_label(arch: CpuArch) -> &'static str {
    match arch {
        CpuArch::X86_64 => "x86",
        CpuArch::Arm64 => "ARM",
    }
}

/// The row label: `Fargate ARM Spot`, `Lambda x86`, ...
pub fn option_label(option: &OptionId) -> String {
    match option {
        OptionId::Fargate { arch, capacity } => match capacity {
            Capacity::OnDemand => format!("Fargate {} on-demand", arch_label(*arch)),
            Capacity::Spot => format!("Fargate {} Spot", arch_label(*arch)),
            Capacity::Mix(m) => match m.from {
                MixSource::Plan => format!("Fargate {} Spot mix", arch_label(*arch)),
                MixSource::Recommender => {
                    format!("Fargate {} Spot mix (recommended)", arch_label(*arch))
                }
            },
        },
        OptionId::Lambda { arch } => format!("Lambda {}", arch_label(*arch)),
        OptionId::EksFargate => "EKS on Fargate x86".to_string(),
        OptionId::Ec2 { capacity } => compare_ec2::label(*capacity),
    }
}

/// A quantity for reading, to two decimals with grouped digits: `4,380`, `1,314,000.5`.
pub fn qty(d: Decimal) -> String {
    let r = d.round_dp(2).normalize();
    match r.trunc().to_string().parse::<u64>() {
        Ok(whole) if r.fract().is_zero() => group(whole),
        Ok(whole) => format!("{}{}", group(whole), &r.fract().to_string()[1..]),
        Err(_) => r.to_string(),
    }
}

fn tasks(n: u32) -> String {
    if n == 1 {
        "1 task".into()
    } else {
        format!("{n} tasks")
    }
}

/// `1,000,000`.
pub fn group(n: u64) -> String {
    group_digits(&n.to_string())
}

/// A duration for people: `120 ms`, `2.5 s`, `20 min`.
pub fn duration(ms: Decimal) -> String {
    let minute = Decimal::from(60_000);
    if ms >= minute && (ms % minute).is_zero() {
        format!("{} min", (ms / minute).normalize())
    } else if ms >= Decimal::from(1000) {
        format!("{} s", (ms / Decimal::from(1000)).round_dp(3).normalize())
    } else {
        format!("{} ms", ms.normalize())
    }
}

/// `all`, or the share as a decimal.
fn share_text(share: Decimal) -> String {
    if share == Decimal::ONE {
        "all".to_string()
    } else {
        share.normalize().to_string()
    }
}

/// A cost line's item: `6 tasks on FARGATE (4,380 task-hours at $0.04937 per task-hour)`.
pub fn cost_item(item: &CostItem) -> String {
    match item {
        CostItem::FargateTasks {
            tasks: n,
            provider,
            task_hours,
            per_task_hour,
        } => format!(
            "{} on {provider} ({} task-hours at {} per task-hour)",
            tasks(*n),
            qty(*task_hours),
            per_task_hour.display_rate()
        ),
        CostItem::LambdaRequests {
            requests,
            per_million,
        } => format!(
            "{} requests at {} per million",
            qty(*requests),
            per_million.display_cents()
        ),
        CostItem::LambdaDuration { gb_seconds } => {
            format!("{} GB-seconds of duration", qty(*gb_seconds))
        }
        CostItem::EksPods {
            pod_size,
            pod_hours,
        } => format!("pods of {pod_size} ({} pod-hours)", qty(*pod_hours)),
        CostItem::EksClusterFee {
            share,
            per_hour,
            hours,
        } => format!(
            "cluster fee, {} of {}/hour for {hours} hours",
            share_text(*share),
            per_hour.display_cents()
        ),
        CostItem::Ec2Instances {
            instance_type,
            instances,
            instance_hours,
            per_hour,
        } => compare_ec2::instances(instance_type, *instances, *instance_hours, *per_hour),
        CostItem::Ec2SpotDiscount { discount } => compare_ec2::spot_discount(*discount),
        CostItem::Ec2ManagedFee {
            instance_hours,
            per_hour,
        } => compare_ec2::managed_fee(*instance_hours, *per_hour),
    }
}

/// An assumption as a sentence.
pub fn assumption(a: &Assumption) -> String {
    match a {
        Assumption::Tasks {
            tasks: n,
            size,
            uptime,
            task_hours,
        } => format!(
            "{} of {size} over the uptime ({uptime}), {} task-hours a month",
            tasks(*n),
            qty(*task_hours)
        ),
        Assumption::Mix { strategy, from } => format!(
            "strategy {strategy} ({})",
            match from {
                MixSource::Plan => "the plan's own",
                MixSource::Recommender => "recommended",
            }
        ),
        Assumption::SpotPricesOf { as_of } => format!(
            "Spot prices float; these are of {}",
            as_of.map(|d| d.to_string()).unwrap_or_default()
        ),
        Assumption::SpotWarning => "a Spot task gets a 2-minute warning before an interruption; AWS publishes no interruption rate".to_string(),
        Assumption::SpotNoFallback => "no automatic fallback to FARGATE: when Spot capacity is short, Spot tasks stay unplaced".to_string(),
        Assumption::NeedsImage { arch } => format!(
            "needs an {} (or multi-arch) image",
            match arch {
                CpuArch::X86_64 => "x86_64",
                CpuArch::Arm64 => "arm64",
            }
        ),
        Assumption::LambdaConcurrency { concurrency, quota } => format!(
            "about {} concurrent executions, above the default quota of {} per region (AWS raises it on request)",
            qty(*concurrency),
            group(u64::from(*quota))
        ),
        Assumption::LambdaRequests {
            requests,
            duration_ms,
            memory,
            gb_seconds,
        } => format!(
            "{} requests a month, {} each at {} MB ({} GB-seconds)",
            qty(*requests),
            duration(*duration_ms),
            group(u64::from(memory.0)),
            qty(*gb_seconds)
        ),
        Assumption::LambdaPerRequest {
            duration_ms,
            memory,
        } => format!(
            "{} per request at {} MB",
            duration(*duration_ms),
            group(u64::from(memory.0))
        ),
        Assumption::LambdaBilledPerMs => "the duration is billed per 1 ms and includes cold starts (INIT is billed for every function since 2025-08-01)".to_string(),
        Assumption::LambdaFreeTier {
            requests,
            gb_seconds,
        } => format!(
            "the free tier comes off first ({} requests and {} GB-seconds a month; one per account, shared by every function)",
            group(*requests),
            group(*gb_seconds)
        ),
        Assumption::LambdaNoFreeTier => "no free tier: it is one per account, shared by every function (set lambda_free_tier = true to take it off)".to_string(),
        Assumption::LambdaTiersThisService => "duration tiers are counted on this service alone; AWS counts all of the account's functions of an architecture in the region, which can only lower the price".to_string(),
        Assumption::EksNeedsX86Image => {
            "needs an x86_64 (or multi-arch) image: EKS on Fargate has no ARM".to_string()
        }
        Assumption::EksX86OnDemandOnly => {
            "x86 on demand only: EKS on Fargate has no ARM and no Spot".to_string()
        }
        Assumption::EksPodSize {
            size,
            overhead_mib,
            pod_size,
        } => format!(
            "pod requests = the task's {size}; + {overhead_mib} MiB for Kubernetes, Fargate provisions {pod_size}"
        ),
        Assumption::EksClusterFee {
            per_hour,
            share,
            extended,
        } => format!(
            "the cluster fee (standard support, {}/hour) runs all month; this service carries {} of it (eks_cluster_share); {}",
            per_hour.display_cents(),
            share_text(*share),
            match extended {
                Some(x) => format!(
                    "extended support costs {}/hour, the sum of the {} standard fee and the {} extended-support surcharge",
                    x.per_hour.display_cents(),
                    per_hour.display_cents(),
                    x.surcharge.display_cents()
                ),
                None => "extended support costs more (no surcharge price for the region)".to_string(),
            }
        ),
        Assumption::EksPodPrices {
            per_vcpu_hour,
            per_gb_hour,
        } => format!(
            "pods are billed at the region's EKS on Fargate Linux/x86 prices ({} per vCPU-hour, {} per GB-hour; AmazonEKS rows, not the ECS task prices)",
            per_vcpu_hour.display_rate(),
            per_gb_hour.display_rate()
        ),
        Assumption::EksStorageAtFargatePrice { gib } => format!(
            "ephemeral storage above 20 GiB ({gib} GiB per pod) at the region's Fargate storage price (AmazonECS): the EKS price rows have none"
        ),
        Assumption::Ec2(a) => compare_ec2::assumption(a),
    }
}

/// Why an option is ruled out.
pub fn disqualifier(d: &Disqualifier) -> String {
    match d {
        Disqualifier::NotOffered(why) => why.clone(),
        Disqualifier::LambdaWindows => {
            "Lambda runs Linux only; this service runs Windows containers".to_string()
        }
        Disqualifier::LambdaMemory { memory, max_mib } => format!(
            "needs {memory} of memory; a Lambda function has at most {} MB",
            group(u64::from(*max_mib))
        ),
        Disqualifier::LambdaDuration {
            max_duration_ms,
            max_ms,
        } => format!(
            "its longest request takes {}; a Lambda invocation stops at {}",
            duration(*max_duration_ms),
            duration(Decimal::from(*max_ms))
        ),
        Disqualifier::LambdaImage { image, max_mib } => format!(
            "its image is {image}; Lambda takes container images up to {}",
            MemoryMib(*max_mib)
        ),
        Disqualifier::EksWindows => {
            "EKS on Fargate runs Linux pods only; this service runs Windows containers".to_string()
        }
        Disqualifier::EksTooLarge { size, overhead_mib } => format!(
            "{size} plus {overhead_mib} MiB for Kubernetes is more than the largest Fargate size"
        ),
        Disqualifier::EksStorage { needs_gib, max_gib } => format!(
            "needs {needs_gib} GiB of ephemeral storage; EKS Fargate pods have at most {max_gib} GiB"
        ),
        Disqualifier::Ec2TooLarge { size, archs } => compare_ec2::too_large(size, archs),
    }
}

/// Why a row has no figure.
pub fn not_priced(n: &NotPriced) -> String {
    match n {
        NotPriced::NoWorkload => {
            "no [service.workload]: set duration_ms (and requests_per_second) to price Lambda"
                .to_string()
        }
        NotPriced::NoRequestRate => "no requests_per_second in [service.workload]; the break-even rate is on the Fargate rows".to_string(),
        NotPriced::FargatePrice(e) => e.to_string(),
        NotPriced::LambdaPrice(e) => e.to_string(),
        NotPriced::Eks(e) => e.to_string(),
        NotPriced::Ec2Windows => compare_ec2::windows(),
        NotPriced::Ec2Region { region } => compare_ec2::region(region),
        NotPriced::Ec2ManagedFee {
            ec2_monthly,
            example,
        } => compare_ec2::managed_unpriced(*ec2_monthly, *example),
    }
}

/// A note on the whole comparison.
pub fn note(n: &Note) -> String {
    match n {
        Note::HoursPerMonth { hours } => {
            let hours = hours.normalize();
            format!("Monthly figures use {hours} hours per month; requests arrive while the service is up (weekly uptime × {hours} / 168).")
        }
        Note::FlatFargate => "Fargate and EKS rows cost the same at every request rate: the plan's task count is taken to serve the whole range. Lambda grows with the requests.".to_string(),
        Note::LambdaCpu => "Lambda CPU scales with memory (1,769 MB is one vCPU): measure the request duration at the Lambda memory used here.".to_string(),
        Note::SpotRows => "Spot rows put every task on FARGATE_SPOT; a Spot mix row prices the plan's own strategy when it mixes FARGATE and FARGATE_SPOT, and a recommended mix row the cheapest strategy `recommend` finds that meets the service's availability target.".to_string(),
        Note::StalePrices { count } => format!(
            "{count} price(s) are more than a year old; check them against the AWS pricing pages."
        ),
        Note::NotIncluded => "Not included: a load balancer, API Gateway or function URL in front, NAT gateways, public IPv4 addresses, CloudWatch Logs and data transfer.".to_string(),
        Note::Ec2 { spot_discount } => compare_ec2::note(*spot_discount),
        Note::RecommendedMixes { trials } => format!(
            "recommended mixes: `fargate-planner recommend` over 30 days from 2026-01-05 with {trials} trials per candidate (seed 1), for the services whose best strategy mixes FARGATE and FARGATE_SPOT"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::compare::lambda::{LambdaShape, disqualifiers};
    use crate::core::compare::tests::compare;
    use crate::core::rules::lambda::LambdaLimits;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn plan(extra: &str, workload: &str) -> String {
        format!(
            "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"web\"\n{extra}\n{workload}\n[[service.container_definitions]]\nname = \"web\"\nimage = \"x\"\n"
        )
    }

    const WORKLOAD: &str = "[service.workload]\nrequests_per_second = 5\nduration_ms = 100";

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(d("120")), "120 ms");
        assert_eq!(duration(d("2500")), "2.5 s");
        assert_eq!(duration(d("1200000")), "20 min");
        assert_eq!(group(10240), "10,240");
    }

    /// Moved from the core's `lambda::tests::hard_limits_disqualify`, with the same wording.
    #[test]
    fn hard_limits_read_well() {
        let l = LambdaLimits::embedded().unwrap();
        let s = LambdaShape {
            duration_ms: d("100"),
            max_duration_ms: d("1200000"),
            memory: MemoryMib(30720),
            image: Some(MemoryMib(12288)),
            free_tier: false,
            windows: true,
        };
        let out: Vec<String> = disqualifiers(&s, &l).iter().map(disqualifier).collect();
        assert_eq!(out.len(), 4, "{out:?}");
        assert!(
            out[1].contains("30 GB") && out[1].contains("10,240 MB"),
            "{out:?}"
        );
        assert!(
            out[2].contains("20 min") && out[2].contains("15 min"),
            "{out:?}"
        );
        assert!(
            out[3].contains("12 GB") && out[3].contains("10 GB"),
            "{out:?}"
        );
    }

    /// The wording the core's tests asserted before the core gave values.
    #[test]
    fn rows_read_as_before() {
        let c = compare(&plan(
            "cpu = 16384\nmemory = 122880",
            "[service.workload]\nrequests_per_second = 1\nduration_ms = 1000\nmax_duration_ms = 1200000\nimage_size = \"12 GB\"",
        ));
        let s = &c.services[0];
        assert!(
            disqualifier(&s.row("eks_fargate_x86").unwrap().disqualifiers[0])
                .contains("largest Fargate size")
        );
        let c = compare(&plan(
            "cpu = 1024\nmemory = 2048\nruntime_platform = { operating_system_family = \"WINDOWS_SERVER_2022_CORE\" }",
            WORKLOAD,
        ));
        let s = &c.services[0];
        assert!(
            disqualifier(&s.row("lambda_x86").unwrap().disqualifiers[0]).contains("Linux only")
        );
        let c = compare(&plan(
            "region = \"us-gov-west-1\"\ncpu = 512\nmemory = 1024",
            WORKLOAD,
        ));
        for id in ["eks_fargate_x86", "fargate_arm_spot"] {
            let r = c.services[0].row(id).unwrap();
            let why = r.not_priced.as_ref().map(not_priced).unwrap_or_default();
            assert!(why.contains("us-gov-west-1"), "{id}: {why}");
        }
        let eks = c.services[0].row("eks_fargate_x86").unwrap();
        let why = eks.not_priced.as_ref().map(not_priced).unwrap_or_default();
        assert!(
            why.contains("no EKS `pod_linux_x86_vcpu_hour` price for region `us-gov-west-1`")
                && why.contains("fargate-planner prices fetch --region us-gov-west-1"),
            "{why}"
        );
        let c = compare(&plan("cpu = 512\nmemory = 1024", ""));
        let r = c.services[0].row("lambda_x86").unwrap();
        let why = r.not_priced.as_ref().map(not_priced).unwrap_or_default();
        assert!(why.contains("[service.workload]"));
        let option = OptionId::Fargate {
            arch: CpuArch::Arm64,
            capacity: Capacity::Mix(crate::core::compare::SpotMix {
                strategy: crate::core::vocab::strategy::Strategy::single(
                    crate::core::vocab::strategy::Provider::FargateSpot,
                ),
                from: MixSource::Recommender,
            }),
        };
        assert_eq!(option_label(&option), "Fargate ARM Spot mix (recommended)");
    }
}
