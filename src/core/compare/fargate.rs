//! The Fargate side of a service's rows: the ledger of prices used (with provenance, for the
//! comparison's price list) and the row builder for one Fargate option, apart from `mod.rs` so
//! the types stay readable there.

use super::{Assumption, Capacity, CompareRow, CostItem, CostLine, Disqualifier, NotPriced};
use super::{OptionId, PriceRef};
use crate::core::plan::Service;
use crate::core::pricing::Price;
use crate::core::pricing::ec2::InstancePrice;
use crate::core::pricing::eks::EksPrice;
use crate::core::pricing::lambda::LambdaRates;
use crate::core::report::cost::{RateError, ServiceCost};
use crate::core::vocab::platform::CpuArch;
use std::collections::BTreeMap;

/// Prices used so far, one entry per service code, region and item.
#[derive(Default)]
pub(super) struct Used(pub(super) BTreeMap<(&'static str, String, String), PriceRef>);

impl Used {
    pub(super) fn fargate(&mut self, cost: &ServiceCost) {
        for p in &cost.providers {
            for line in &p.rate.lines {
                self.ecs(&line.price);
            }
        }
    }

    /// One row of the Fargate (AmazonECS) price book.
    pub(super) fn ecs(&mut self, price: &Price) {
        self.0
            .entry((
                "AmazonECS",
                price.region.clone(),
                price.dimension.id().to_string(),
            ))
            .or_insert_with(|| PriceRef {
                service_code: "AmazonECS",
                region: price.region.clone(),
                item: price.dimension.id().to_string(),
                usd_per_unit: price.usd_per_unit,
                unit: price.unit.clone(),
                as_of: price.as_of,
                source: price.source.clone(),
                stale: false,
            });
    }

    pub(super) fn lambda(&mut self, rates: &LambdaRates) {
        for p in rates.prices() {
            let tier = match p.tier_end {
                Some(end) if p.tier_start.is_zero() => format!(" up to {}", end.normalize()),
                Some(end) => format!(" {} to {}", p.tier_start.normalize(), end.normalize()),
                None if p.tier_start.is_zero() => String::new(),
                None => format!(" above {}", p.tier_start.normalize()),
            };
            let item = format!("{} {}{tier}", p.architecture, p.item.id());
            self.0
                .entry(("AWSLambda", p.region.clone(), item.clone()))
                .or_insert_with(|| PriceRef {
                    service_code: "AWSLambda",
                    region: p.region.clone(),
                    item,
                    usd_per_unit: p.usd_per_unit,
                    unit: p.unit.clone(),
                    as_of: p.as_of,
                    source: p.source.clone(),
                    stale: false,
                });
        }
    }

    /// An instance type's on-demand Linux price (AmazonEC2), under `TYPE linux_on_demand`.
    pub(super) fn ec2(&mut self, p: &InstancePrice) {
        let item = format!("{} linux_on_demand", p.instance_type);
        self.0
            .entry(("AmazonEC2", p.region.clone(), item.clone()))
            .or_insert_with(|| PriceRef {
                service_code: "AmazonEC2",
                region: p.region.clone(),
                item,
                usd_per_unit: p.usd_per_hour,
                unit: "instance-hour".to_string(),
                as_of: p.as_of,
                source: p.source.clone(),
                stale: false,
            });
    }

    /// Rows of the EKS price book, under their ids in `data/eks-prices.csv`.
    pub(super) fn eks<'p>(&mut self, prices: impl IntoIterator<Item = &'p EksPrice>) {
        for p in prices {
            let item = p.item.id().to_string();
            self.0
                .entry(("AmazonEKS", p.region.clone(), item.clone()))
                .or_insert_with(|| PriceRef {
                    service_code: "AmazonEKS",
                    region: p.region.clone(),
                    item,
                    usd_per_unit: p.usd_per_unit,
                    unit: p.unit.clone(),
                    as_of: p.as_of,
                    source: p.source.clone(),
                    stale: false,
                });
        }
    }
}

pub(super) fn fargate_row(
    option: OptionId,
    current: bool,
    cost: Result<ServiceCost, RateError>,
    service: &Service,
    used: &mut Used,
) -> CompareRow {
    let mut row = CompareRow::new(option, current);
    let (arch, capacity) = match &row.option {
        OptionId::Fargate { arch, capacity } => (*arch, capacity.clone()),
        _ => (CpuArch::X86_64, Capacity::OnDemand),
    };
    match cost {
        Ok(c) => {
            used.fargate(&c);
            row.monthly = Some(c.monthly);
            for p in &c.providers {
                row.lines.push(CostLine {
                    item: CostItem::FargateTasks {
                        tasks: p.tasks,
                        provider: p.provider,
                        task_hours: p.task_hours,
                        per_task_hour: p.rate.per_hour(),
                    },
                    monthly: p.monthly,
                });
            }
            row.assumptions.push(Assumption::Tasks {
                tasks: service.desired_count,
                size: service.size,
                uptime: service.uptime.clone(),
                task_hours: c.task_hours(),
            });
            if let Capacity::Mix(m) = &capacity {
                row.assumptions.push(Assumption::Mix {
                    strategy: m.strategy.clone(),
                    from: m.from,
                });
            }
            if c.providers
                .iter()
                .any(|p| p.provider.is_spot() && p.tasks > 0)
            {
                let as_of = c
                    .providers
                    .iter()
                    .filter(|p| p.provider.is_spot())
                    .flat_map(|p| p.rate.lines.first())
                    .map(|l| l.price.as_of)
                    .next();
                row.assumptions.push(Assumption::SpotPricesOf { as_of });
                row.assumptions.push(Assumption::SpotWarning);
                row.assumptions.push(Assumption::SpotNoFallback);
            }
        }
        Err(RateError::NotOffered(why)) => row.disqualifiers.push(Disqualifier::NotOffered(why)),
        Err(RateError::Missing(m)) => row.not_priced = Some(NotPriced::FargatePrice(m)),
    }
    if arch != service.arch {
        row.assumptions.push(Assumption::NeedsImage { arch });
    }
    row
}
