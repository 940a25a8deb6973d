//! The words of the comparison's EC2 rows: how the tasks packed, the lower bound and the gap,
//! the break-even density, public IPv4 on both sides, what is not priced and how to price it.
//! `compare_text` calls these for the EC2 variants; amounts are rounded only here.

use super::compare_text::{group, qty};
use crate::core::capacity::packing::Limit;
use crate::core::compare::ec2::{Ec2Assumption, Ec2Capacity};
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::units::MemoryMib;
use rust_decimal::Decimal;

/// The row label.
pub fn label(capacity: Ec2Capacity) -> String {
    match capacity {
        Ec2Capacity::OnDemand => "ECS on EC2 on-demand".to_string(),
        Ec2Capacity::Spot => "ECS on EC2 Spot".to_string(),
        Ec2Capacity::ManagedInstances => "ECS Managed Instances".to_string(),
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", group(u64::from(n)))
    }
}

fn percent(fraction: Decimal) -> String {
    format!(
        "{}%",
        (fraction * Decimal::ONE_HUNDRED).round_dp(2).normalize()
    )
}

/// `6 × m7g.large (4,380 instance-hours at $0.0816 per hour)`.
pub fn instances(instance_type: &str, n: u32, instance_hours: Decimal, per_hour: Usd) -> String {
    format!(
        "{} × {instance_type} ({} instance-hours at {} per hour)",
        group(u64::from(n)),
        qty(instance_hours),
        per_hour.display_rate()
    )
}

pub fn spot_discount(discount: Decimal) -> String {
    format!(
        "Spot discount of {} (your --ec2-spot-discount)",
        percent(discount)
    )
}

pub fn managed_fee(instance_hours: Decimal, per_hour: Usd) -> String {
    format!(
        "ECS Managed Instances fee ({} instance-hours at {} per instance-hour)",
        qty(instance_hours),
        per_hour.display_rate()
    )
}

fn limit(l: Limit) -> &'static str {
    match l {
        Limit::Cpu => "CPU",
        Limit::Memory => "memory",
        Limit::Enis => "awsvpc network interfaces",
    }
}

fn mib(m: u32) -> String {
    MemoryMib(m).to_string()
}

/// One assumption of an EC2 row.
pub fn assumption(a: &Ec2Assumption) -> String {
    match a {
        Ec2Assumption::Packing {
            instance_type,
            tasks_per_instance,
            limit: l,
            peak_tasks,
            from_autoscaling,
            zones,
            per_zone,
            outside_tasks,
            outside_instances,
        } => {
            let peak = if *from_autoscaling {
                format!("{} (autoscaling's max_capacity)", plural(*peak_tasks, "task", "tasks"))
            } else {
                plural(*peak_tasks, "task", "tasks")
            };
            let zones_text: Vec<String> = per_zone.iter().map(|n| n.to_string()).collect();
            let mut s = format!(
                "{peak} packed first-fit over {} ({} instances per zone): one {instance_type} holds {} (limited by {}); instances follow the schedule and are sized for the peak",
                plural(*zones, "Availability Zone", "Availability Zones"),
                zones_text.join(" + "),
                plural(*tasks_per_instance, "task", "tasks"),
                limit(*l)
            );
            if *outside_tasks > 0 {
                s.push_str(&format!(
                    "; outside the uptime windows {} on {}",
                    plural(*outside_tasks, "task", "tasks"),
                    plural(*outside_instances, "instance", "instances")
                ));
            }
            s
        }
        Ec2Assumption::Instance {
            instance_type,
            vcpu,
            memory_mib,
            max_enis,
            reserved_memory_mib,
            reserved_declared,
            trunking_tasks,
        } => {
            let reserved = if *reserved_declared {
                format!("{} reserved per instance ([plan.ec2] reserved_memory)", mib(*reserved_memory_mib))
            } else {
                format!(
                    "{} reserved per instance for the ECS agent and OS (assumed; the ECS guide's ECS_RESERVED_MEMORY example; set [plan.ec2] reserved_memory)",
                    mib(*reserved_memory_mib)
                )
            };
            let slots = match trunking_tasks {
                Some(n) => format!("{n} awsvpc tasks per instance with ENI trunking ([plan.ec2] awsvpc_tasks_per_instance)"),
                None => format!(
                    "{} awsvpc tasks per instance ({max_enis} ENIs − 1, no ENI trunking; set [plan.ec2] awsvpc_tasks_per_instance with trunking)",
                    max_enis.saturating_sub(1)
                ),
            };
            format!(
                "{instance_type}: {vcpu} vCPU, {}; {reserved}; {slots}",
                mib(*memory_mib)
            )
        }
        Ec2Assumption::LowerBound {
            lower_bound,
            instances: n,
        } => {
            let gap = n.saturating_sub(*lower_bound);
            format!(
                "lower bound {} (total vCPU and memory ÷ the instance's); the packing needs {}, {} more for the reservation, the ENI limit, the zones and fragmentation",
                plural(*lower_bound, "instance", "instances"),
                group(u64::from(*n)),
                group(u64::from(gap))
            )
        }
        Ec2Assumption::BreakEven {
            instance_type,
            density,
            packed,
            fargate_per_task_hour,
        } => match (density, fargate_per_task_hour) {
            (Some(d), Some(f)) => format!(
                "break-even density: one {instance_type} costs what Fargate charges for {} tasks (Fargate on demand {} per task-hour); the tasks average {} per instance over the month, so {}",
                d.round_dp(2).normalize(),
                f.display_rate(),
                packed.round_dp(2).normalize(),
                if *packed > *d { "EC2 is cheaper" } else { "Fargate is cheaper" }
            ),
            _ => format!(
                "break-even density: no Fargate price on the instance's architecture to compare; the tasks average {} per instance over the month",
                packed.round_dp(2).normalize()
            ),
        },
        Ec2Assumption::PublicIpv4(ip) => format!(
            "public IPv4 at {} per address-hour, in neither figure: Fargate {} a month (one per task), EC2 {} (one per instance; awsvpc task ENIs on EC2 get none)",
            ip.per_hour.display_rate(),
            ip.fargate_monthly.display_cents(),
            ip.ec2_monthly.display_cents()
        ),
        Ec2Assumption::NoPublicIpv4 => {
            "no public IPv4 (assign_public_ip is off): none on either side".to_string()
        }
        Ec2Assumption::RunnersUp(list) => {
            let items: Vec<String> = list
                .iter()
                .map(|(t, n, m)| format!("{t} ×{n} {}", m.display_cents()))
                .collect();
            format!("next cheapest types: {}", items.join(", "))
        }
        Ec2Assumption::SpotDiscount { discount } => format!(
            "Spot at {} off on demand, as given; Spot instances can be reclaimed with a two-minute warning",
            percent(*discount)
        ),
        Ec2Assumption::ManagedFee { per_hour } => format!(
            "ECS Managed Instances fee {} per instance-hour ([plan.ec2] managed_instances_fee)",
            per_hour.display_rate()
        ),
        Ec2Assumption::SameAsOnDemand => {
            "the instances, packing and zones of the ECS on EC2 on-demand row".to_string()
        }
        Ec2Assumption::Operations => "not priced: the root EBS volumes, AMI patching and agent updates, draining instances for replacement, capacity provider and Auto Scaling group upkeep, and idle headroom while scaling".to_string(),
    }
}

pub fn too_large(size: &TaskSize, archs: &[CpuArch]) -> String {
    let names: Vec<&str> = archs.iter().map(|a| a.ecs_name()).collect();
    format!(
        "{size} fits no instance type of the book on {} (non-burstable types, less the reserved memory)",
        names.join(" or ")
    )
}

pub fn windows() -> String {
    "ECS on EC2 for Windows needs Windows instance prices (the EC2 book holds on-demand Linux prices only); a Windows price source would be the AWS Price List's AmazonEC2 rows with operatingSystem = Windows".to_string()
}

pub fn region(region: &str) -> String {
    format!(
        "no EC2 instance prices for region `{region}`; fetch them from the AWS Price List (ServiceCode `AmazonEC2`) with `fargate-planner prices fetch --region {region}`"
    )
}

pub fn managed_unpriced(ec2_monthly: Usd, example: Usd) -> String {
    format!(
        "the Managed Instances fee is not included: the EC2 part is {} a month; give the fee per instance-hour as [plan.ec2] managed_instances_fee (the ECS pricing page's one example: {} for a c6a.2xlarge)",
        ec2_monthly.display_cents(),
        example.display_rate()
    )
}

pub fn note(spot_discount: Option<Decimal>) -> String {
    let spot = match spot_discount {
        Some(d) => format!("the Spot row takes {} off on demand, as given", percent(d)),
        None => "no EC2 Spot row: Spot instance prices are not in the Price List; give a discount with --ec2-spot-discount 60%".to_string(),
    };
    format!(
        "EC2 rows pack each service's peak tasks onto the cheapest non-burstable instance type of the book (on-demand Linux prices; Graviton only for ARM64 images), spread over the zones of [plan.ec2]; {spot}. Operational costs of running instances are named, not priced."
    )
}

/// One service's EC2 line in `recommend` (services whose `capacity` lists `"ec2"`).
pub fn recommend_line(p: &crate::core::recommend::ec2::Ec2Proposal) -> String {
    use crate::core::capacity::Ec2Unpriced;
    use crate::core::recommend::ec2::Ec2Outcome;
    let packing = p.month.as_ref().map(|m| {
        format!(
            "{} × {} at {} an hour for {} at peak over {}, {} a month on demand",
            group(u64::from(m.chosen.peak.instances)),
            m.chosen.instance_type,
            m.chosen.per_hour.display_rate(),
            plural(m.peak_tasks, "task", "tasks"),
            plural(m.zones, "zone", "zones"),
            m.chosen.monthly.display_cents()
        )
    });
    let packing = packing.unwrap_or_default();
    match &p.outcome {
        Ec2Outcome::Proposed { saving_monthly } => format!(
            "{}: EC2 proposed — {packing}, {} less than Fargate's expected {} (not written by --write; instance upkeep not priced; `compare` shows the packing)",
            p.service,
            saving_monthly.display_cents(),
            p.fargate_monthly.display_cents()
        ),
        Ec2Outcome::FargateCheaper { extra_monthly } => format!(
            "{}: Fargate stays cheaper — EC2 would be {packing}, {} more than Fargate's expected {}",
            p.service,
            extra_monthly.display_cents(),
            p.fargate_monthly.display_cents()
        ),
        Ec2Outcome::NotPriced(why) => format!(
            "{}: EC2 not priced — {}",
            p.service,
            match why {
                Ec2Unpriced::Windows => windows(),
                Ec2Unpriced::NoPrices { region: r } => region(r),
                Ec2Unpriced::NoFit { archs } => {
                    let names: Vec<&str> = archs.iter().map(|a| a.ecs_name()).collect();
                    format!("no instance type on {} holds one task", names.join(" or "))
                }
            }
        ),
    }
}

/// One region's shared-cluster line.
pub fn cluster_line(c: &crate::core::compare::ec2::ClusterComparison) -> String {
    use crate::core::capacity::Ec2Unpriced;
    let names = c.services.join(", ");
    let sum = |u: Option<Usd>| u.map_or_else(|| "n/a".to_string(), Usd::display_cents);
    match &c.cluster {
        Ok(m) => format!(
            "{} ({names}): {} at peak on {} × {} ({} per zone; lower bound {}), running all month: {} a month, against {} on their own instances and {} on Fargate as planned",
            c.region,
            plural(m.tasks, "task", "tasks"),
            group(u64::from(m.packing.instances)),
            m.instance_type,
            m.packing
                .per_zone
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" + "),
            group(u64::from(m.packing.lower_bound)),
            m.monthly.display_cents(),
            sum(c.separate_monthly),
            sum(c.fargate_monthly)
        ),
        Err(Ec2Unpriced::NoFit { archs }) if archs.is_empty() => format!(
            "{} ({names}): no shared cluster: the services' images share no CPU architecture",
            c.region
        ),
        Err(Ec2Unpriced::NoFit { archs }) => {
            let names_a: Vec<&str> = archs.iter().map(|a| a.ecs_name()).collect();
            format!(
                "{} ({names}): no shared cluster: no instance type on {} holds the largest task",
                c.region,
                names_a.join(" or ")
            )
        }
        Err(Ec2Unpriced::Windows) => format!("{}: not priced: {}", c.region, windows()),
        Err(Ec2Unpriced::NoPrices { region: r }) => {
            format!("{} ({names}): {}", c.region, region(r.as_str()))
        }
    }
}
