//! The EC2 rows of a service: the same tasks on ECS container instances of the cheapest type that
//! packs them ([`crate::core::capacity`]), on demand; on Spot only with a discount the user gives;
//! and on ECS Managed Instances with its fee (an input). Each row says how it packed, the lower
//! bound and the gap, the density at which it breaks even with Fargate, public IPv4 on both
//! sides, and the operational costs it does not price. A Windows service gets a reason, not a
//! number: the book holds Linux prices only. See docs/ec2.md.

use super::fargate::Used;
use super::{
    Assumption, Capacity, CompareRow, CostItem, CostLine, Disqualifier, NotPriced, OptionId,
    ServiceComparison,
};
use crate::core::capacity::packing::Limit;
use crate::core::capacity::{
    ClusterMonth, Ec2Inputs, Ec2Month, Ec2Unpriced, PublicIpv4, break_even_density, ec2_month,
    shared_cluster,
};
use crate::core::plan::{Plan, Service};
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::CpuArch;
use rust_decimal::Decimal;
use serde::Serialize;

/// How EC2 capacity is bought.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ec2Capacity {
    OnDemand,
    /// On-demand less the user's Spot discount.
    Spot,
    /// ECS Managed Instances: the instance price plus a management fee.
    ManagedInstances,
}

impl Ec2Capacity {
    pub fn id(self) -> &'static str {
        match self {
            Ec2Capacity::OnDemand => "on_demand",
            Ec2Capacity::Spot => "spot",
            Ec2Capacity::ManagedInstances => "managed_instances",
        }
    }
}

/// What an EC2 row takes for granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ec2Assumption {
    /// How the peak tasks packed onto the chosen type.
    Packing {
        instance_type: String,
        tasks_per_instance: u32,
        limit: Limit,
        peak_tasks: u32,
        from_autoscaling: bool,
        zones: u32,
        per_zone: Vec<u32>,
        outside_tasks: u32,
        outside_instances: u32,
    },
    /// The type's size and what an instance keeps from tasks.
    Instance {
        instance_type: String,
        vcpu: u32,
        memory_mib: u32,
        max_enis: u32,
        reserved_memory_mib: u32,
        reserved_declared: bool,
        trunking_tasks: Option<u32>,
    },
    /// Instances if only total CPU and memory counted, against the packing.
    LowerBound {
        lower_bound: u32,
        instances: u32,
    },
    /// Tasks per instance at which EC2 costs what Fargate does, and the density packed.
    BreakEven {
        instance_type: String,
        density: Option<Decimal>,
        packed: Decimal,
        fargate_per_task_hour: Option<Usd>,
    },
    PublicIpv4(PublicIpv4),
    NoPublicIpv4,
    /// The next cheapest types: (type, instances at peak, monthly).
    RunnersUp(Vec<(String, u32, Usd)>),
    /// The user's Spot discount.
    SpotDiscount {
        discount: Decimal,
    },
    /// The Managed Instances fee per instance-hour, as given.
    ManagedFee {
        per_hour: Usd,
    },
    /// What running instances costs besides the instances, named, not priced.
    Operations,
    /// A Spot or Managed Instances row: the on-demand row's packing.
    SameAsOnDemand,
}

/// The EC2 rows of one service: on demand, Spot (with a discount), Managed Instances.
pub(super) fn ec2_rows(
    service: &Service,
    hours: Decimal,
    inputs: Ec2Inputs<'_>,
    fargate_rows: &[CompareRow],
    used: &mut Used,
) -> Vec<CompareRow> {
    let on_demand = OptionId::Ec2 {
        capacity: Ec2Capacity::OnDemand,
    };
    let mut month = match ec2_month(service, hours, inputs) {
        Ok(m) => m,
        Err(why) => {
            let mut row = CompareRow::new(on_demand, false);
            match why {
                Ec2Unpriced::Windows => row.not_priced = Some(NotPriced::Ec2Windows),
                Ec2Unpriced::NoPrices { region } => {
                    row.not_priced = Some(NotPriced::Ec2Region { region })
                }
                Ec2Unpriced::NoFit { archs } => row.disqualifiers.push(Disqualifier::Ec2TooLarge {
                    size: service.size,
                    archs,
                }),
            }
            return vec![row];
        }
    };
    used.ec2(&month.price);
    month.break_even_density = fargate_task_hour(fargate_rows, month.chosen.arch)
        .and_then(|f| break_even_density(month.chosen.per_hour, f));
    let base = base_assumptions(service, &month, fargate_rows);
    let instances_line = CostLine {
        item: CostItem::Ec2Instances {
            instance_type: month.chosen.instance_type.clone(),
            instances: month.chosen.peak.instances,
            instance_hours: month.chosen.instance_hours,
            per_hour: month.chosen.per_hour,
        },
        monthly: month.chosen.monthly,
    };
    let mut rows = Vec::new();

    let mut row = CompareRow::new(on_demand, false);
    row.monthly = Some(month.chosen.monthly);
    row.lines.push(instances_line.clone());
    row.assumptions = base;
    row.ec2 = Some(Box::new(month.clone()));
    rows.push(row);

    if let Some(discount) = inputs.spot_discount {
        let mut row = CompareRow::new(
            OptionId::Ec2 {
                capacity: Ec2Capacity::Spot,
            },
            false,
        );
        let off = month.chosen.monthly * discount;
        row.monthly = Some(month.chosen.monthly - off);
        row.lines.push(instances_line.clone());
        row.lines.push(CostLine {
            item: CostItem::Ec2SpotDiscount { discount },
            monthly: Usd::new(-off.0),
        });
        row.assumptions = vec![Assumption::Ec2(Ec2Assumption::SameAsOnDemand)];
        row.assumptions
            .push(Assumption::Ec2(Ec2Assumption::SpotDiscount { discount }));
        row.ec2 = Some(Box::new(month.clone()));
        rows.push(row);
    }

    let mut row = CompareRow::new(
        OptionId::Ec2 {
            capacity: Ec2Capacity::ManagedInstances,
        },
        false,
    );
    row.lines.push(instances_line);
    row.assumptions = vec![Assumption::Ec2(Ec2Assumption::SameAsOnDemand)];
    row.ec2 = Some(Box::new(month.clone()));
    match inputs.settings.managed_instances_fee {
        Some(fee) => {
            let fee_monthly = month.managed_fee(fee);
            row.monthly = Some(month.chosen.monthly + fee_monthly);
            row.lines.push(CostLine {
                item: CostItem::Ec2ManagedFee {
                    instance_hours: month.chosen.instance_hours,
                    per_hour: fee,
                },
                monthly: fee_monthly,
            });
            row.assumptions
                .push(Assumption::Ec2(Ec2Assumption::ManagedFee { per_hour: fee }));
        }
        None => {
            row.not_priced = Some(NotPriced::Ec2ManagedFee {
                ec2_monthly: month.chosen.monthly,
                example: inputs.facts.managed_fee_example.usd_per_hour,
            });
        }
    }
    rows.push(row);
    rows
}

/// Fargate's on-demand price per task-hour on `arch`, from the service's Fargate rows.
fn fargate_task_hour(rows: &[CompareRow], arch: CpuArch) -> Option<Usd> {
    rows.iter()
        .find(|r| {
            matches!(r.option, OptionId::Fargate { arch: a, capacity: Capacity::OnDemand } if a == arch)
        })
        .and_then(|r| {
            r.lines.iter().find_map(|l| match &l.item {
                CostItem::FargateTasks { per_task_hour, .. } => Some(*per_task_hour),
                _ => None,
            })
        })
}

fn base_assumptions(
    service: &Service,
    m: &Ec2Month,
    fargate_rows: &[CompareRow],
) -> Vec<Assumption> {
    let c = &m.chosen;
    let mut out = vec![
        Ec2Assumption::Packing {
            instance_type: c.instance_type.clone(),
            tasks_per_instance: c.tasks_per_instance,
            limit: c.limit,
            peak_tasks: m.peak_tasks,
            from_autoscaling: m.peak_from_autoscaling,
            zones: m.zones,
            per_zone: c.peak.per_zone.clone(),
            outside_tasks: m.outside_tasks,
            outside_instances: c.outside_instances,
        },
        Ec2Assumption::Instance {
            instance_type: c.instance_type.clone(),
            vcpu: m.spec.vcpu,
            memory_mib: m.spec.memory_mib,
            max_enis: m.spec.max_enis,
            reserved_memory_mib: m.reserved_memory_mib,
            reserved_declared: m.reserved_memory_declared,
            trunking_tasks: m.awsvpc_tasks_per_instance,
        },
        Ec2Assumption::LowerBound {
            lower_bound: c.peak.lower_bound,
            instances: c.peak.instances,
        },
    ];
    let per_task = fargate_task_hour(fargate_rows, c.arch);
    out.push(Ec2Assumption::BreakEven {
        instance_type: c.instance_type.clone(),
        density: per_task.and_then(|f| break_even_density(c.per_hour, f)),
        packed: m.density(),
        fargate_per_task_hour: per_task,
    });
    out.push(match &m.public_ipv4 {
        Some(ip) => Ec2Assumption::PublicIpv4(ip.clone()),
        None => Ec2Assumption::NoPublicIpv4,
    });
    if !m.runners_up.is_empty() {
        out.push(Ec2Assumption::RunnersUp(
            m.runners_up
                .iter()
                .map(|r| (r.instance_type.clone(), r.peak.instances, r.monthly))
                .collect(),
        ));
    }
    out.push(Ec2Assumption::Operations);
    let mut out: Vec<Assumption> = out.into_iter().map(Assumption::Ec2).collect();
    if c.arch != service.arch {
        out.push(Assumption::NeedsImage { arch: c.arch });
    }
    out
}

/// One region's Linux services on one shared EC2 cluster, against the same services apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterComparison {
    pub region: String,
    pub services: Vec<String>,
    pub cluster: Result<ClusterMonth, Ec2Unpriced>,
    /// The services' own `ec2_on_demand` rows summed, when every one is priced.
    pub separate_monthly: Option<Usd>,
    /// The services' rows as the plan runs them (Fargate) summed, when every one is priced.
    pub fargate_monthly: Option<Usd>,
}

/// A shared cluster per region that has two Linux services or more.
pub(super) fn clusters(
    plan: &Plan,
    compared: &[ServiceComparison],
    inputs: Ec2Inputs<'_>,
    used: &mut Used,
) -> Vec<ClusterComparison> {
    let mut regions: Vec<&str> = plan.services.iter().map(|s| s.region.as_str()).collect();
    regions.sort_unstable();
    regions.dedup();
    let mut out = Vec::new();
    for region in regions {
        let services: Vec<&Service> = plan
            .services
            .iter()
            .filter(|s| s.region == region && !s.os.is_windows())
            .collect();
        if services.len() < 2 {
            continue;
        }
        let rows = |pick: &dyn Fn(&CompareRow) -> bool| -> Option<Usd> {
            services
                .iter()
                .map(|s| {
                    compared
                        .iter()
                        .find(|c| c.name == s.name)?
                        .rows
                        .iter()
                        .find(|r| pick(r))?
                        .monthly
                })
                .sum()
        };
        let cluster = shared_cluster(&services, plan.hours_per_month, inputs);
        if let Ok(c) = &cluster {
            used.ec2(&c.price);
        }
        out.push(ClusterComparison {
            region: region.to_string(),
            services: services.iter().map(|s| s.name.clone()).collect(),
            cluster,
            separate_monthly: rows(&|r: &CompareRow| r.id == "ec2_on_demand"),
            fargate_monthly: rows(&|r: &CompareRow| r.current),
        });
    }
    out
}
