//! The architecture comparison as a value: for one workload, one row per way to run it (Fargate
//! x86 and ARM, on demand, Spot and a Spot mix, Lambda x86 and ARM, EKS on Fargate), each with its
//! monthly cost, what it assumes and what rules it out; the request rate at which Lambda costs as
//! much as each Fargate option; and both costs across a range of rates.
//!
//! Fargate rows reuse the report's pricing ([`crate::core::report::cost::price_service`],
//! [`crate::core::report::OptionKind`]); Lambda rows come from [`lambda`], EKS from
//! [`crate::core::compare::eks`]. An option that breaks a hard limit is marked with its reasons
//! and left unpriced; a missing price leaves it unpriced with a message saying how to get it.
//! Nothing is ever priced at zero for want of data. The pieces live beside this file: the price
//! ledger and Fargate rows in `fargate.rs`, one service's comparison in `service.rs`, the cost
//! series in `series.rs`.
//!
//! Spot mixes are rows like any other: [`build`] adds the plan's own mix, and
//! [`build_with_mixes`] takes mixes from elsewhere (the recommender, once it exists) tagged with
//! where they came from.

pub mod ec2;
pub mod eks;
pub mod items;
pub mod lambda;

mod fargate;
mod series;
mod service;
#[cfg(test)]
pub(crate) mod tests;

use crate::core::capacity::{Ec2Facts, Ec2Inputs, Ec2Month};
use crate::core::compare::ec2::Ec2Capacity;
use crate::core::compare::eks::EksFacts;
use crate::core::compare::fargate::Used;
pub use crate::core::compare::items::{
    Assumption, CostItem, Disqualifier, ExtendedFee, NotPriced, Note,
};
use crate::core::compare::service::compare_service;
use crate::core::plan::sections::ec2::Ec2Settings;
use crate::core::plan::{Plan, Service};
use crate::core::pricing::PriceBook;
use crate::core::pricing::ec2::Ec2Book;
use crate::core::pricing::eks::EksPriceBook;
use crate::core::pricing::lambda::LambdaPriceBook;
use crate::core::rules::Facts;
use crate::core::rules::lambda::LambdaLimits;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::strategy::{Provider, Strategy};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// Bumped when a field of the JSON comparison changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 3;

/// Every table the comparison reads.
#[derive(Clone, Copy)]
pub struct ComparePrices<'a> {
    pub book: &'a PriceBook,
    pub facts: &'a Facts,
    pub lambda: &'a LambdaPriceBook,
    pub limits: &'a LambdaLimits,
    pub eks: &'a EksFacts,
    /// The EKS cluster fee and pod rates by region.
    pub eks_prices: &'a EksPriceBook,
    /// EC2 instance specs and prices.
    pub ec2_book: &'a Ec2Book,
    pub ec2_facts: &'a Ec2Facts,
    /// Spot's discount on EC2 on-demand prices (`--ec2-spot-discount`), as a fraction.
    pub ec2_spot_discount: Option<Decimal>,
}

impl<'a> ComparePrices<'a> {
    /// The EC2 model's inputs under the plan's `[plan.ec2]` settings.
    pub fn ec2(&self, settings: &'a Ec2Settings) -> Ec2Inputs<'a> {
        Ec2Inputs {
            book: self.ec2_book,
            facts: self.ec2_facts,
            settings,
            spot_discount: self.ec2_spot_discount,
        }
    }
}

/// Where a Spot mix came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MixSource {
    /// The plan's own capacity provider strategy.
    Plan,
    /// The recommender's best mix for the service.
    Recommender,
}

impl MixSource {
    fn id(self) -> &'static str {
        match self {
            MixSource::Plan => "plan",
            MixSource::Recommender => "recommended",
        }
    }
}

/// A mix of FARGATE and FARGATE_SPOT to compare, priced on x86 and on ARM.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpotMix {
    pub strategy: Strategy,
    pub from: MixSource,
}

/// How Fargate capacity is bought.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Capacity {
    OnDemand,
    /// Every task on FARGATE_SPOT.
    Spot,
    Mix(SpotMix),
}

/// One way to run the workload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OptionId {
    Fargate {
        arch: CpuArch,
        capacity: Capacity,
    },
    Lambda {
        arch: CpuArch,
    },
    /// EKS pods on Fargate: x86 and on demand only.
    EksFargate,
    /// ECS on EC2 container instances of the cheapest type that packs the tasks.
    Ec2 {
        capacity: Ec2Capacity,
    },
}

fn arch_id(arch: CpuArch) -> &'static str {
    match arch {
        CpuArch::X86_64 => "x86",
        CpuArch::Arm64 => "arm",
    }
}

impl OptionId {
    /// A stable id for columns and scripts: `fargate_x86_on_demand`, `lambda_arm`, ...
    pub fn key(&self) -> String {
        match self {
            OptionId::Fargate { arch, capacity } => {
                let c = match capacity {
                    Capacity::OnDemand => "on_demand".to_string(),
                    Capacity::Spot => "spot".to_string(),
                    Capacity::Mix(m) => format!("mix_{}", m.from.id()),
                };
                format!("fargate_{}_{c}", arch_id(*arch))
            }
            OptionId::Lambda { arch } => format!("lambda_{}", arch_id(*arch)),
            OptionId::EksFargate => "eks_fargate_x86".to_string(),
            OptionId::Ec2 { capacity } => format!("ec2_{}", capacity.id()),
        }
    }

    /// The Lambda architecture this option is compared with: the same one (EKS runs x86).
    pub fn paired_lambda(&self) -> Option<CpuArch> {
        match self {
            OptionId::Fargate { arch, .. } => Some(*arch),
            OptionId::EksFargate => Some(CpuArch::X86_64),
            OptionId::Lambda { .. } | OptionId::Ec2 { .. } => None,
        }
    }
}

/// One priced part of a row's month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostLine {
    pub item: CostItem,
    pub monthly: Usd,
}

/// The request rate at which a Lambda architecture costs as much as a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BreakEven {
    pub lambda: CpuArch,
    /// `None`: Lambda never costs that much (it cannot, with a positive price per request).
    pub requests_per_second: Option<Decimal>,
    pub requests_per_month: Option<Decimal>,
}

/// One option for a service (its label is the exporters', from [`OptionId`]).
#[derive(Clone, Debug)]
pub struct CompareRow {
    pub id: String,
    pub option: OptionId,
    /// The plan runs this option as written.
    pub current: bool,
    /// The month, when priced.
    pub monthly: Option<Usd>,
    /// `monthly − Fargate x86 on-demand` (negative is a saving).
    pub vs_x86_on_demand: Option<Usd>,
    pub vs_x86_on_demand_percent: Option<Decimal>,
    pub lines: Vec<CostLine>,
    /// What the figure takes for granted.
    pub assumptions: Vec<Assumption>,
    /// Hard limits the workload breaks: the option is ruled out, not priced.
    pub disqualifiers: Vec<Disqualifier>,
    /// Why a row that is not ruled out has no figure (missing input or price).
    pub not_priced: Option<NotPriced>,
    /// Where Lambda costs as much as this row (Fargate and EKS rows), per Lambda architecture.
    pub break_even: Vec<BreakEven>,
    /// The EC2 month behind an EC2 row (chosen type, packing, runners-up).
    pub ec2: Option<Box<Ec2Month>>,
}

impl CompareRow {
    fn new(option: OptionId, current: bool) -> CompareRow {
        CompareRow {
            id: option.key(),
            option,
            current,
            monthly: None,
            vs_x86_on_demand: None,
            vs_x86_on_demand_percent: None,
            lines: Vec::new(),
            assumptions: Vec::new(),
            disqualifiers: Vec::new(),
            not_priced: None,
            break_even: Vec::new(),
            ec2: None,
        }
    }

    pub fn is_ruled_out(&self) -> bool {
        !self.disqualifiers.is_empty()
    }

    /// The break-even with the Lambda of the row's own architecture.
    pub fn paired_break_even(&self) -> Option<&BreakEven> {
        let arch = self.option.paired_lambda()?;
        self.break_even.iter().find(|b| b.lambda == arch)
    }
}

/// The workload as the comparison read it, defaults filled in.
#[derive(Clone, Debug, Serialize)]
pub struct WorkloadSummary {
    pub requests_per_second: Option<Decimal>,
    pub requests_per_month: Option<Decimal>,
    pub duration_ms: Decimal,
    pub max_duration_ms: Decimal,
    pub lambda_memory_mib: u32,
    /// The Lambda memory is the task's (no `lambda_memory` in the plan).
    pub lambda_memory_is_task_memory: bool,
    pub image_size_mib: Option<u32>,
    pub lambda_free_tier: bool,
    pub eks_cluster_share: Decimal,
    /// Concurrent Lambda executions the stated rate needs on average (rate × duration).
    pub concurrency: Option<Decimal>,
}

/// Costs of every row at one request rate.
#[derive(Clone, Debug, Serialize)]
pub struct SeriesPoint {
    pub requests_per_second: Decimal,
    pub requests_per_month: Decimal,
    /// One per column of [`Series::columns`]; `None` where the row is not priced.
    pub monthly: Vec<Option<Usd>>,
}

/// Monthly costs across a range of request rates.
#[derive(Clone, Debug, Serialize)]
pub struct Series {
    /// Row ids, in row order.
    pub columns: Vec<String>,
    pub points: Vec<SeriesPoint>,
}

#[derive(Clone, Debug)]
pub struct ServiceComparison {
    pub name: String,
    pub region: String,
    pub operating_system_family: String,
    pub cpu_architecture: CpuArch,
    pub size: String,
    pub desired_count: u32,
    pub uptime: String,
    pub strategy: String,
    /// Seconds a month the service is up: the time its requests arrive in.
    pub seconds_up_per_month: Decimal,
    pub workload: Option<WorkloadSummary>,
    pub rows: Vec<CompareRow>,
    /// Empty without a workload.
    pub series: Series,
}

impl ServiceComparison {
    pub fn row(&self, id: &str) -> Option<&CompareRow> {
        self.rows.iter().find(|r| r.id == id)
    }
}

/// A price the comparison used, with provenance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PriceRef {
    /// AWS Price List service code: `AmazonECS`, `AWSLambda`, `AmazonEKS`.
    pub service_code: &'static str,
    pub region: String,
    pub item: String,
    pub usd_per_unit: Decimal,
    pub unit: String,
    pub as_of: NaiveDate,
    pub source: String,
    /// Older than a year on the comparison date.
    pub stale: bool,
}

/// The comparison; `crate::export::compare` lays it out, JSON included.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub schema_version: u32,
    pub plan_name: Option<String>,
    pub generated_on: NaiveDate,
    pub hours_per_month: Decimal,
    pub currency: &'static str,
    pub services: Vec<ServiceComparison>,
    /// Per region with two Linux services or more: all of them on one shared EC2 cluster.
    pub clusters: Vec<ec2::ClusterComparison>,
    pub prices: Vec<PriceRef>,
    pub notes: Vec<Note>,
}

/// The plan's own Spot mix, when its strategy has both providers (all on one provider is already
/// an on-demand or Spot row).
pub fn plan_mixes(service: &Service) -> Vec<SpotMix> {
    let s = &service.strategy;
    if s.uses(Provider::Fargate) && s.uses(Provider::FargateSpot) {
        vec![SpotMix {
            strategy: s.clone(),
            from: MixSource::Plan,
        }]
    } else {
        Vec::new()
    }
}

/// Compares every service of the plan, with the plan's own Spot mixes.
pub fn build(plan: &Plan, prices: ComparePrices<'_>, today: NaiveDate) -> Comparison {
    build_with_mixes(plan, prices, today, plan_mixes)
}

/// Compares every service of the plan, with the Spot mixes `mixes` gives for each service.
pub fn build_with_mixes(
    plan: &Plan,
    prices: ComparePrices<'_>,
    today: NaiveDate,
    mixes: impl Fn(&Service) -> Vec<SpotMix>,
) -> Comparison {
    let mut used = Used::default();
    let services: Vec<ServiceComparison> = plan
        .services
        .iter()
        .map(|s| {
            let ec2 = prices.ec2(&plan.ec2);
            compare_service(s, plan.hours_per_month, prices, ec2, &mixes(s), &mut used)
        })
        .collect();

    let clusters = ec2::clusters(plan, &services, prices.ec2(&plan.ec2), &mut used);
    let prices_used: Vec<PriceRef> = used
        .0
        .into_values()
        .map(|mut p| {
            p.stale = crate::core::pricing::is_stale(p.as_of, today);
            p
        })
        .collect();
    let mut notes = vec![
        Note::HoursPerMonth {
            hours: plan.hours_per_month,
        },
        Note::FlatFargate,
        Note::LambdaCpu,
        Note::SpotRows,
    ];
    let stale = prices_used.iter().filter(|p| p.stale).count();
    if stale > 0 {
        notes.push(Note::StalePrices { count: stale });
    }
    notes.push(Note::Ec2 {
        spot_discount: prices.ec2_spot_discount,
    });
    notes.push(Note::NotIncluded);

    Comparison {
        schema_version: SCHEMA_VERSION,
        plan_name: plan.name.clone(),
        generated_on: today,
        hours_per_month: plan.hours_per_month,
        currency: "USD",
        services,
        clusters,
        prices: prices_used,
        notes,
    }
}
