//! The Fargate side of a service's rows: the ledger of prices used (with provenance, for the
//! comparison's price list) and the row builder for one Fargate option, apart from `mod.rs` so
//! the types stay readable there.

use super::eks::ClusterFee;
use super::lambda;
use super::{Capacity, CompareRow, CostLine, MixSource, OptionId, PriceRef};
use crate::core::plan::Service;
use crate::core::pricing::lambda::LambdaRates;
use crate::core::report::cost::{RateError, ServiceCost};
use crate::core::vocab::platform::CpuArch;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Prices used so far, one entry per service code, region and item.
#[derive(Default)]
pub(super) struct Used(pub(super) BTreeMap<(&'static str, String, String), PriceRef>);

impl Used {
    pub(super) fn fargate(&mut self, cost: &ServiceCost) {
        for p in &cost.providers {
            for line in &p.rate.lines {
                let price = &line.price;
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
        }
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

    pub(super) fn eks(&mut self, fee: &ClusterFee) {
        self.0
            .entry(("AmazonEKS", fee.region.clone(), "cluster_hour".to_string()))
            .or_insert_with(|| PriceRef {
                service_code: "AmazonEKS",
                region: fee.region.clone(),
                item: "cluster_hour (standard support)".to_string(),
                usd_per_unit: fee.usd_per_hour,
                unit: "cluster-hour".to_string(),
                as_of: fee.as_of,
                source: fee.source.clone(),
                stale: false,
            });
    }
}

pub(super) fn qty(d: Decimal) -> String {
    let r = d.round_dp(2).normalize();
    match r.trunc().to_string().parse::<u64>() {
        Ok(whole) if r.fract().is_zero() => lambda::group(whole),
        Ok(whole) => format!("{}{}", lambda::group(whole), &r.fract().to_string()[1..]),
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
                    item: format!(
                        "{} on {} ({} task-hours at {} per task-hour)",
                        tasks(p.tasks),
                        p.provider,
                        qty(p.task_hours),
                        p.rate.per_hour().display_rate()
                    ),
                    monthly: p.monthly,
                });
            }
            row.assumptions.push(format!(
                "{} of {} over the uptime ({}), {} task-hours a month",
                tasks(service.desired_count),
                service.size,
                service.uptime,
                qty(c.task_hours())
            ));
            if let Capacity::Mix(m) = &capacity {
                row.assumptions.push(format!(
                    "strategy {} ({})",
                    m.strategy,
                    match m.from {
                        MixSource::Plan => "the plan's own",
                        MixSource::Recommender => "recommended",
                    }
                ));
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
                    .map(|l| l.price.as_of.to_string())
                    .next()
                    .unwrap_or_default();
                row.assumptions
                    .push(format!("Spot prices float; these are of {as_of}"));
                row.assumptions.push("a Spot task gets a 2-minute warning before an interruption; AWS publishes no interruption rate".to_string());
                row.assumptions.push("no automatic fallback to FARGATE: when Spot capacity is short, Spot tasks stay unplaced".to_string());
            }
        }
        Err(RateError::NotOffered(why)) => row.disqualifiers.push(why),
        Err(RateError::Missing(m)) => row.not_priced = Some(m.to_string()),
    }
    if arch == CpuArch::Arm64 && service.arch != CpuArch::Arm64 {
        row.assumptions
            .push("needs an arm64 (or multi-arch) image".to_string());
    }
    if arch == CpuArch::X86_64 && service.arch != CpuArch::X86_64 {
        row.assumptions
            .push("needs an x86_64 (or multi-arch) image".to_string());
    }
    row
}
