//! `[plan.ec2]`: how `compare` and `recommend` model EC2 container instances for the same tasks:
//! the Availability Zones the tasks spread over, the memory each instance keeps for the ECS agent
//! and the OS, the awsvpc task limit with ENI trunking, and the ECS Managed Instances fee.
//! Every default here is an assumption and says so; see docs/ec2.md.

use crate::core::plan::raw::RawEc2;
use crate::core::vocab::money::Usd;
use crate::core::vocab::problem::{FieldPath, Problem};
use crate::core::vocab::units::{Scalar, parse_memory};
use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;

/// Zones the tasks spread over unless the plan says otherwise (assumed: two zones, the fewest an
/// ECS service is usually spread over for availability).
pub const DEFAULT_AVAILABILITY_ZONES: u32 = 2;

/// Memory each instance keeps from tasks unless the plan says otherwise, MiB. Assumed, from the
/// ECS Developer Guide, "Reserving Amazon ECS Linux container instance memory": an m4.large's
/// 8,192 MiB registers as 7,985 (207 MiB of kernel and platform overhead), and its example
/// reserves `ECS_RESERVED_MEMORY=256` more for the agent and system processes.
pub const DEFAULT_RESERVED_MEMORY_MIB: u32 = 256;

/// Checked `[plan.ec2]` settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ec2Settings {
    pub availability_zones: u32,
    pub reserved_memory_mib: u32,
    /// True when the plan set `reserved_memory`.
    pub reserved_memory_declared: bool,
    /// awsvpc tasks per instance with ENI trunking (`awsvpcTrunking`); `None`: max ENIs − 1.
    pub awsvpc_tasks_per_instance: Option<u32>,
    /// ECS Managed Instances management fee per instance-hour; `None`: not known.
    pub managed_instances_fee: Option<Usd>,
}

impl Default for Ec2Settings {
    fn default() -> Self {
        Ec2Settings {
            availability_zones: DEFAULT_AVAILABILITY_ZONES,
            reserved_memory_mib: DEFAULT_RESERVED_MEMORY_MIB,
            reserved_memory_declared: false,
            awsvpc_tasks_per_instance: None,
            managed_instances_fee: None,
        }
    }
}

fn whole(v: i64, lo: i64, hi: i64) -> Option<u32> {
    (lo..=hi)
        .contains(&v)
        .then(|| u32::try_from(v).ok())
        .flatten()
}

/// Checks `[plan.ec2]`, pushing a located problem per bad field.
pub fn check(
    raw: Option<&RawEc2>,
    path: &FieldPath,
    push: &mut impl FnMut(Problem),
) -> Ec2Settings {
    let mut out = Ec2Settings::default();
    let Some(raw) = raw else {
        return out;
    };
    if let Some(n) = raw.availability_zones {
        match whole(n, 1, 6) {
            Some(n) => out.availability_zones = n,
            None => push(
                Problem::new(
                    path.key("availability_zones"),
                    "availability_zones is the number of zones the tasks spread over, 1 to 6",
                )
                .value(n),
            ),
        }
    }
    if let Some(v) = &raw.reserved_memory {
        let parsed = match v {
            Scalar::Int(0) => Ok(crate::core::vocab::units::MemoryMib(0)),
            v => parse_memory(v),
        };
        match parsed {
            Ok(m) if m.0 <= 65_536 => {
                out.reserved_memory_mib = m.0;
                out.reserved_memory_declared = true;
            }
            Ok(_) => push(
                Problem::new(
                    path.key("reserved_memory"),
                    "reserved_memory is at most 64 GB",
                )
                .value(v),
            ),
            Err(e) => push(Problem::new(path.key("reserved_memory"), e).value(v)),
        }
    }
    if let Some(n) = raw.awsvpc_tasks_per_instance {
        match whole(n, 1, 120) {
            Some(n) => out.awsvpc_tasks_per_instance = Some(n),
            None => push(
                Problem::new(
                    path.key("awsvpc_tasks_per_instance"),
                    "awsvpc_tasks_per_instance is the task limit per instance with ENI trunking, 1 to 120",
                )
                .value(n)
                .fix("look the type up in the ECS Developer Guide, \"Supported instance types\" under ENI trunking"),
            ),
        }
    }
    if let Some(v) = &raw.managed_instances_fee {
        let amount = match v {
            Scalar::Int(i) => Some(Decimal::from(*i)),
            Scalar::Float(f) => Decimal::from_str(&f.to_string()).ok(),
            Scalar::Text(t) => Decimal::from_str(t.trim().trim_start_matches('$').trim()).ok(),
        };
        match amount.filter(|a| *a > Decimal::ZERO && *a <= Decimal::from(10)) {
            Some(a) => out.managed_instances_fee = Some(Usd::new(a)),
            None => push(
                Problem::new(
                    path.key("managed_instances_fee"),
                    "managed_instances_fee is the ECS Managed Instances fee in USD per instance-hour, above 0 and at most 10",
                )
                .value(v)
                .fix("e.g. managed_instances_fee = 0.037 (the ECS pricing page's c6a.2xlarge example)"),
            ),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Ec2Settings, Vec<String>) {
        let raw: RawEc2 = toml::from_str(text).unwrap();
        let mut problems = Vec::new();
        let s = check(
            Some(&raw),
            &FieldPath::root().key("plan").key("ec2"),
            &mut |p| problems.push(format!("{}: {}", p.path, p.message)),
        );
        (s, problems)
    }

    #[test]
    fn defaults_and_values() {
        assert_eq!(
            check(None, &FieldPath::root(), &mut |_| {}),
            Ec2Settings::default()
        );
        let (s, p) = run(
            "availability_zones = 3\nreserved_memory = \"512 MiB\"\nawsvpc_tasks_per_instance = 10\nmanaged_instances_fee = 0.037\n",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(s.availability_zones, 3);
        assert_eq!(s.reserved_memory_mib, 512);
        assert!(s.reserved_memory_declared);
        assert_eq!(s.awsvpc_tasks_per_instance, Some(10));
        assert_eq!(s.managed_instances_fee, Some(Usd::new(Decimal::new(37, 3))));
    }

    #[test]
    fn bad_values_are_located() {
        let (_, p) = run(
            "availability_zones = 0\nreserved_memory = \"lots\"\nawsvpc_tasks_per_instance = 0\nmanaged_instances_fee = \"-1\"\n",
        );
        assert_eq!(p.len(), 4, "{p:?}");
        assert!(p.iter().all(|m| m.contains("plan.ec2")), "{p:?}");
    }
}
