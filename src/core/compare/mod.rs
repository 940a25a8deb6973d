//! The architecture comparison as a value: for one workload, one row per way to run it (Fargate
//! x86 and ARM, on demand, Spot and a Spot mix, Lambda x86 and ARM, EKS on Fargate), each with its
//! monthly cost, what it assumes and what rules it out; the request rate at which Lambda costs as
//! much as each Fargate option; and both costs across a range of rates.
//!
//! Fargate rows reuse the report's pricing ([`price_service`], [`OptionKind`]); Lambda rows come
//! from [`lambda`], EKS from [`crate::core::compare::eks`]. An option that breaks a hard limit
//! is marked with its reasons and left unpriced; a missing price leaves it unpriced with a message
//! saying how to get it. Nothing is ever priced at zero for want of data.
//!
//! Spot mixes are rows like any other: [`build`] adds the plan's own mix, and
//! [`build_with_mixes`] takes mixes from elsewhere (the recommender, once it exists) tagged with
//! where they came from.

pub mod eks;
pub mod lambda;

use crate::core::compare::eks::{EksError, EksFacts};
use crate::core::compare::lambda::LambdaShape;
use crate::core::plan::{Plan, Service};
use crate::core::pricing::PriceBook;
use crate::core::pricing::lambda::{LambdaPriceBook, LambdaRates};
use crate::core::report::OptionKind;
use crate::core::report::cost::{RateError, ServiceCost, price_service};
use crate::core::rules::Facts;
use crate::core::rules::lambda::LambdaLimits;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::schedule::MINUTES_PER_WEEK;
use crate::core::vocab::strategy::{Provider, Strategy};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// Bumped when a field of the JSON comparison changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// Points in the cost series after 0 (the series has this many + 1 rates).
const SERIES_STEPS: u32 = 20;

/// Every table the comparison reads.
#[derive(Clone, Copy)]
pub struct ComparePrices<'a> {
    pub book: &'a PriceBook,
    pub facts: &'a Facts,
    pub lambda: &'a LambdaPriceBook,
    pub limits: &'a LambdaLimits,
    pub eks: &'a EksFacts,
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
}

fn arch_id(arch: CpuArch) -> &'static str {
    match arch {
        CpuArch::X86_64 => "x86",
        CpuArch::Arm64 => "arm",
    }
}

fn arch_label(arch: CpuArch) -> &'static str {
    match arch {
        CpuArch::X86_64 => "x86",
        CpuArch::Arm64 => "ARM",
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
        }
    }

    /// The row label: `Fargate ARM Spot`, `Lambda x86`, ...
    pub fn label(&self) -> String {
        match self {
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
        }
    }

    /// The Lambda architecture this option is compared with: the same one (EKS runs x86).
    pub fn paired_lambda(&self) -> Option<CpuArch> {
        match self {
            OptionId::Fargate { arch, .. } => Some(*arch),
            OptionId::EksFargate => Some(CpuArch::X86_64),
            OptionId::Lambda { .. } => None,
        }
    }
}

/// One priced part of a row's month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CostLine {
    pub item: String,
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

/// One option for a service.
#[derive(Clone, Debug, Serialize)]
pub struct CompareRow {
    pub id: String,
    pub option: OptionId,
    pub label: String,
    /// The plan runs this option as written.
    pub current: bool,
    /// The month, when priced.
    pub monthly: Option<Usd>,
    /// `monthly − Fargate x86 on-demand` (negative is a saving).
    pub vs_x86_on_demand: Option<Usd>,
    pub vs_x86_on_demand_percent: Option<Decimal>,
    pub lines: Vec<CostLine>,
    /// What the figure takes for granted.
    pub assumptions: Vec<String>,
    /// Hard limits the workload breaks: the option is ruled out, not priced.
    pub disqualifiers: Vec<String>,
    /// Why a row that is not ruled out has no figure (missing input or price).
    pub not_priced: Option<String>,
    /// Where Lambda costs as much as this row (Fargate and EKS rows), per Lambda architecture.
    pub break_even: Vec<BreakEven>,
}

impl CompareRow {
    fn new(option: OptionId, current: bool) -> CompareRow {
        CompareRow {
            id: option.key(),
            label: option.label(),
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

#[derive(Clone, Debug, Serialize)]
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

#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub schema_version: u32,
    pub plan_name: Option<String>,
    pub generated_on: NaiveDate,
    pub hours_per_month: Decimal,
    pub currency: &'static str,
    pub services: Vec<ServiceComparison>,
    pub prices: Vec<PriceRef>,
    pub notes: Vec<String>,
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
        .map(|s| compare_service(s, plan.hours_per_month, prices, &mixes(s), &mut used))
        .collect();

    let prices_used: Vec<PriceRef> = used
        .0
        .into_values()
        .map(|mut p| {
            p.stale = (today - p.as_of).num_days() > 365;
            p
        })
        .collect();
    let hours = plan.hours_per_month.normalize();
    let mut notes = vec![
        format!("Monthly figures use {hours} hours per month; requests arrive while the service is up (weekly uptime × {hours} / 168)."),
        "Fargate and EKS rows cost the same at every request rate: the plan's task count is taken to serve the whole range. Lambda grows with the requests.".to_string(),
        "Lambda CPU scales with memory (1,769 MB is one vCPU): measure the request duration at the Lambda memory used here.".to_string(),
        "Spot rows put every task on FARGATE_SPOT; a Spot mix row prices the plan's own strategy when it mixes FARGATE and FARGATE_SPOT, and a recommended mix row the cheapest strategy `recommend` finds that meets the service's availability target.".to_string(),
    ];
    let stale = prices_used.iter().filter(|p| p.stale).count();
    if stale > 0 {
        notes.push(format!(
            "{stale} price(s) are more than a year old; check them against the AWS pricing pages."
        ));
    }
    notes.push("Not included: a load balancer, API Gateway or function URL in front, NAT gateways, public IPv4 addresses, CloudWatch Logs and data transfer.".to_string());

    Comparison {
        schema_version: SCHEMA_VERSION,
        plan_name: plan.name.clone(),
        generated_on: today,
        hours_per_month: plan.hours_per_month,
        currency: "USD",
        services,
        prices: prices_used,
        notes,
    }
}

/// Prices used so far, one entry per service code, region and item.
#[derive(Default)]
struct Used(BTreeMap<(&'static str, String, String), PriceRef>);

impl Used {
    fn fargate(&mut self, cost: &ServiceCost) {
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

    fn lambda(&mut self, rates: &LambdaRates) {
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

    fn eks(&mut self, fee: &crate::core::compare::eks::ClusterFee) {
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

fn qty(d: Decimal) -> String {
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

fn fargate_row(
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

struct LambdaSide {
    shape: LambdaShape,
    up_seconds: Decimal,
    requests_per_month: Option<Decimal>,
    has_workload: bool,
}

fn lambda_row(
    arch: CpuArch,
    side: &LambdaSide,
    service: &Service,
    prices: ComparePrices<'_>,
    used: &mut Used,
) -> (CompareRow, Option<LambdaRates>) {
    let mut row = CompareRow::new(OptionId::Lambda { arch }, false);
    let limits = prices.limits;
    row.disqualifiers = lambda::disqualifiers(&side.shape, limits);
    if arch == CpuArch::Arm64 && service.arch != CpuArch::Arm64 {
        row.assumptions
            .push("needs an arm64 (or multi-arch) image".to_string());
    }
    if arch == CpuArch::X86_64 && service.arch != CpuArch::X86_64 {
        row.assumptions
            .push("needs an x86_64 (or multi-arch) image".to_string());
    }
    if row.is_ruled_out() {
        return (row, None);
    }
    if !side.has_workload {
        row.not_priced = Some(
            "no [service.workload]: set duration_ms (and requests_per_second) to price Lambda"
                .to_string(),
        );
        return (row, None);
    }
    let rates = match prices.lambda.rates(&service.region, arch) {
        Ok(r) => r,
        Err(e) => {
            row.not_priced = Some(e.to_string());
            return (row, None);
        }
    };
    used.lambda(&rates);
    let s = &side.shape;
    if let Some(n) = side.requests_per_month {
        let m = lambda::month(n, s, &rates, limits);
        row.monthly = Some(m.monthly);
        row.lines.push(CostLine {
            item: format!(
                "{} requests at {} per million",
                qty(m.requests - m.free_requests),
                Usd(rates.request[0].usd_per_unit * Decimal::from(1_000_000)).display_cents()
            ),
            monthly: m.request_charge,
        });
        row.lines.push(CostLine {
            item: format!(
                "{} GB-seconds of duration",
                qty(m.gb_seconds - m.free_gb_seconds)
            ),
            monthly: m.duration_charge,
        });
        row.assumptions.push(format!(
            "{} requests a month, {} each at {} MB ({} GB-seconds)",
            qty(n),
            lambda::duration(s.duration_ms),
            lambda::group(u64::from(s.memory.0)),
            qty(m.gb_seconds)
        ));
    } else {
        row.not_priced = Some(
            "no requests_per_second in [service.workload]; the break-even rate is on the Fargate rows"
                .to_string(),
        );
        row.assumptions.push(format!(
            "{} per request at {} MB",
            lambda::duration(s.duration_ms),
            lambda::group(u64::from(s.memory.0))
        ));
    }
    row.assumptions.push("the duration is billed per 1 ms and includes cold starts (INIT is billed for every function since 2025-08-01)".to_string());
    row.assumptions.push(if s.free_tier {
        format!(
            "the free tier comes off first ({} requests and {} GB-seconds a month; one per account, shared by every function)",
            lambda::group(limits.free_tier.requests_per_month),
            lambda::group(limits.free_tier.gb_seconds_per_month)
        )
    } else {
        "no free tier: it is one per account, shared by every function (set lambda_free_tier = true to take it off)".to_string()
    });
    row.assumptions.push("duration tiers are counted on this service alone; AWS counts all of the account's functions of an architecture in the region, which can only lower the price".to_string());
    (row, Some(rates))
}

fn eks_row(
    service: &Service,
    hours: Decimal,
    share: Decimal,
    prices: ComparePrices<'_>,
    used: &mut Used,
) -> CompareRow {
    let mut row = CompareRow::new(OptionId::EksFargate, false);
    let eks = prices.eks;
    row.disqualifiers = eks.disqualifiers(prices.facts, service);
    if service.arch == CpuArch::Arm64 {
        row.assumptions
            .push("needs an x86_64 (or multi-arch) image: EKS on Fargate has no ARM".to_string());
    } else {
        row.assumptions
            .push("x86 on demand only: EKS on Fargate has no ARM and no Spot".to_string());
    }
    if row.is_ruled_out() {
        return row;
    }
    match crate::core::compare::eks::price(service, hours, prices.book, prices.facts, eks, share) {
        Ok(m) => {
            used.fargate(&m.pods);
            used.eks(&m.cluster_fee);
            row.monthly = Some(m.monthly);
            row.lines.push(CostLine {
                item: format!(
                    "pods of {} ({} pod-hours)",
                    m.pod_size,
                    qty(m.pods.task_hours())
                ),
                monthly: m.pods.monthly,
            });
            row.lines.push(CostLine {
                item: format!(
                    "cluster fee, {} of {}/hour for {hours} hours",
                    share_text(m.cluster_share),
                    Usd(m.cluster_fee.usd_per_hour).display_cents()
                ),
                monthly: m.cluster_monthly,
            });
            row.assumptions.push(format!(
                "pod requests = the task's {}; + {} MiB for Kubernetes, Fargate provisions {}",
                service.size, eks.pod.kubernetes_overhead_mib, m.pod_size
            ));
            row.assumptions.push(format!(
                "the cluster fee (standard support, {}/hour) runs all month; this service carries {} of it (eks_cluster_share); extended support costs more",
                Usd(m.cluster_fee.usd_per_hour).display_cents(),
                share_text(m.cluster_share)
            ));
            row.assumptions.push("pods are billed at the Fargate Linux/x86 prices (the same usage types under AmazonEKS)".to_string());
        }
        Err(EksError::Rate(RateError::NotOffered(why))) => row.disqualifiers.push(why),
        Err(e) => row.not_priced = Some(e.to_string()),
    }
    row
}

/// `all`, or the share as a decimal.
fn share_text(share: Decimal) -> String {
    if share == Decimal::ONE {
        "all".to_string()
    } else {
        share.normalize().to_string()
    }
}

/// The smallest of 1, 2, 2.5 and 5 × 10ⁿ at least `x` (> 0).
fn nice_step(x: Decimal) -> Decimal {
    let mut p = Decimal::ONE;
    let tiny = Decimal::new(1, 6);
    while p > x && p > tiny {
        p /= Decimal::TEN;
    }
    while p * Decimal::TEN <= x {
        p *= Decimal::TEN;
    }
    for m in ["1", "2", "2.5", "5", "10"] {
        let step = p * m.parse::<Decimal>().unwrap_or(Decimal::TEN);
        if step >= x {
            return step;
        }
    }
    p * Decimal::TEN
}

fn compare_service(
    service: &Service,
    hours: Decimal,
    prices: ComparePrices<'_>,
    mixes: &[SpotMix],
    used: &mut Used,
) -> ServiceComparison {
    let up_hours =
        hours * Decimal::from(service.uptime.minutes_per_week()) / Decimal::from(MINUTES_PER_WEEK);
    let up_seconds = up_hours * Decimal::from(3600);

    // Fargate: the report's four options, then each mix on both architectures.
    let mut rows = Vec::new();
    for kind in OptionKind::ALL {
        let strategy = Strategy::single(kind.provider());
        let cost = price_service(
            service,
            kind.arch(),
            service.size,
            &strategy,
            hours,
            prices.book,
            prices.facts,
        );
        let capacity = if kind.provider().is_spot() {
            Capacity::Spot
        } else {
            Capacity::OnDemand
        };
        let current = kind.arch() == service.arch && strategy == service.strategy;
        let option = OptionId::Fargate {
            arch: kind.arch(),
            capacity,
        };
        rows.push(fargate_row(option, current, cost, service, used));
    }
    for mix in mixes {
        for arch in [CpuArch::X86_64, CpuArch::Arm64] {
            let cost = price_service(
                service,
                arch,
                service.size,
                &mix.strategy,
                hours,
                prices.book,
                prices.facts,
            );
            let current = arch == service.arch && mix.strategy == service.strategy;
            let option = OptionId::Fargate {
                arch,
                capacity: Capacity::Mix(mix.clone()),
            };
            rows.push(fargate_row(option, current, cost, service, used));
        }
    }

    // Lambda.
    let w = service.workload.as_ref();
    let shape = LambdaShape {
        duration_ms: w.map_or(Decimal::ZERO, |w| w.duration_ms),
        max_duration_ms: w.map_or(Decimal::ZERO, |w| {
            w.max_duration_ms.unwrap_or(w.duration_ms)
        }),
        memory: w
            .and_then(|w| w.lambda_memory)
            .unwrap_or(service.size.memory),
        image: w.and_then(|w| w.image_size),
        free_tier: w.is_some_and(|w| w.lambda_free_tier),
        windows: service.os.is_windows(),
    };
    let requests_per_month = w
        .and_then(|w| w.requests_per_second)
        .map(|r| r * up_seconds);
    let side = LambdaSide {
        shape,
        up_seconds,
        requests_per_month,
        has_workload: w.is_some(),
    };
    let mut lambda_rates: Vec<(CpuArch, LambdaRates)> = Vec::new();
    for arch in [CpuArch::X86_64, CpuArch::Arm64] {
        let (mut row, rates) = lambda_row(arch, &side, service, prices, used);
        if let (Some(w), Some(rps)) = (w, w.and_then(|w| w.requests_per_second)) {
            let concurrency = rps * w.duration_ms / Decimal::from(1000);
            let quota = prices.limits.concurrency.default_quota;
            if rates.is_some() && concurrency > Decimal::from(quota) {
                row.assumptions.push(format!(
                    "about {} concurrent executions, above the default quota of {} per region (AWS raises it on request)",
                    qty(concurrency),
                    lambda::group(u64::from(quota))
                ));
            }
        }
        rows.push(row);
        if let Some(r) = rates {
            lambda_rates.push((arch, r));
        }
    }

    // EKS on Fargate.
    let share = w.map_or(Decimal::ONE, |w| w.eks_cluster_share);
    rows.push(eks_row(service, hours, share, prices, used));

    // Savings against x86 on-demand.
    let baseline = rows
        .iter()
        .find(|r| r.id == "fargate_x86_on_demand")
        .and_then(|r| r.monthly);
    for row in &mut rows {
        if let (Some(m), Some(base)) = (row.monthly, baseline) {
            row.vs_x86_on_demand = Some(m - base);
            row.vs_x86_on_demand_percent = (m - base).percent_of(base);
        }
    }

    // Break-even with each Lambda architecture that can be priced.
    for row in &mut rows {
        let (Some(monthly), Some(_)) = (row.monthly, row.option.paired_lambda()) else {
            continue;
        };
        for (arch, rates) in &lambda_rates {
            let n = lambda::requests_costing(monthly, &side.shape, rates, prices.limits);
            row.break_even.push(BreakEven {
                lambda: *arch,
                requests_per_second: n
                    .filter(|_| up_seconds > Decimal::ZERO)
                    .map(|n| n / up_seconds),
                requests_per_month: n,
            });
        }
    }

    let series = series(
        &rows,
        &side,
        &lambda_rates,
        w.and_then(|w| w.requests_per_second),
        prices,
    );

    ServiceComparison {
        name: service.name.clone(),
        region: service.region.clone(),
        operating_system_family: service.os.ecs_name().to_string(),
        cpu_architecture: service.arch,
        size: service.size.to_string(),
        desired_count: service.desired_count,
        uptime: service.uptime.to_string(),
        strategy: service.strategy.to_string(),
        seconds_up_per_month: up_seconds,
        workload: w.map(|w| WorkloadSummary {
            requests_per_second: w.requests_per_second,
            requests_per_month,
            duration_ms: w.duration_ms,
            max_duration_ms: side.shape.max_duration_ms,
            lambda_memory_mib: side.shape.memory.0,
            lambda_memory_is_task_memory: w.lambda_memory.is_none(),
            image_size_mib: w.image_size.map(|m| m.0),
            lambda_free_tier: w.lambda_free_tier,
            eks_cluster_share: w.eks_cluster_share,
            concurrency: w
                .requests_per_second
                .map(|r| r * w.duration_ms / Decimal::from(1000)),
        }),
        rows,
        series,
    }
}

/// Costs from 0 to about twice the highest break-even (or stated rate) in [`SERIES_STEPS`] steps.
fn series(
    rows: &[CompareRow],
    side: &LambdaSide,
    lambda_rates: &[(CpuArch, LambdaRates)],
    stated: Option<Decimal>,
    prices: ComparePrices<'_>,
) -> Series {
    let columns: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    if lambda_rates.is_empty() || side.up_seconds <= Decimal::ZERO {
        return Series {
            columns,
            points: Vec::new(),
        };
    }
    let top = rows
        .iter()
        .filter_map(|r| r.paired_break_even())
        .filter_map(|b| b.requests_per_second)
        .chain(stated)
        .max()
        .unwrap_or(Decimal::ONE)
        .max(Decimal::new(1, 2))
        * Decimal::TWO;
    let step = nice_step(top / Decimal::from(SERIES_STEPS));
    let points = (0..=SERIES_STEPS)
        .map(|i| {
            let rps = step * Decimal::from(i);
            let n = rps * side.up_seconds;
            let monthly =
                rows.iter()
                    .map(|r| match &r.option {
                        OptionId::Lambda { arch } => lambda_rates
                            .iter()
                            .find(|(a, _)| a == arch)
                            .map(|(_, rates)| {
                                lambda::month(n, &side.shape, rates, prices.limits).monthly
                            }),
                        _ => r.monthly,
                    })
                    .collect();
            SeriesPoint {
                requests_per_second: rps.normalize(),
                requests_per_month: n.normalize(),
                monthly,
            }
        })
        .collect();
    Series { columns, points }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::plan::{CheckOptions, check, parse};
    use std::str::FromStr;

    pub(crate) struct Tables {
        pub book: PriceBook,
        pub facts: Facts,
        pub lambda: LambdaPriceBook,
        pub limits: LambdaLimits,
        pub eks: EksFacts,
    }

    impl Tables {
        pub fn embedded() -> Tables {
            Tables {
                book: PriceBook::embedded().unwrap(),
                facts: Facts::embedded().unwrap(),
                lambda: LambdaPriceBook::embedded().unwrap(),
                limits: LambdaLimits::embedded().unwrap(),
                eks: EksFacts::embedded().unwrap(),
            }
        }

        pub fn prices(&self) -> ComparePrices<'_> {
            ComparePrices {
                book: &self.book,
                facts: &self.facts,
                lambda: &self.lambda,
                limits: &self.limits,
                eks: &self.eks,
            }
        }
    }

    pub(crate) fn compare(text: &str) -> Comparison {
        let t = Tables::embedded();
        let plan = check(
            &parse(text).ok().unwrap().raw,
            &t.facts,
            CheckOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        build(
            &plan,
            t.prices(),
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        )
    }

    fn service(extra: &str, workload: &str) -> String {
        format!(
            "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"web\"\n{extra}\n{workload}\n[[service.container_definitions]]\nname = \"web\"\nimage = \"x\"\n"
        )
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const WEB: &str = "cpu = 512\nmemory = 1024";
    const WORKLOAD: &str = "[service.workload]\nrequests_per_second = 5\nduration_ms = 100";

    #[test]
    fn the_web_server_side_by_side() {
        let c = compare(&service(WEB, WORKLOAD));
        let s = &c.services[0];
        let ids: Vec<&str> = s.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "fargate_x86_on_demand",
                "fargate_arm_on_demand",
                "fargate_x86_spot",
                "fargate_arm_spot",
                "lambda_x86",
                "lambda_arm",
                "eks_fargate_x86"
            ]
        );
        let monthly = |id: &str| {
            s.row(id)
                .and_then(|r| r.monthly)
                .map(|u| u.exact().to_string())
        };
        assert_eq!(
            monthly("fargate_x86_on_demand").as_deref(),
            Some("18.02005")
        );
        assert_eq!(monthly("fargate_arm_on_demand").as_deref(), Some("14.4175"));
        assert_eq!(monthly("fargate_x86_spot").as_deref(), Some("5.73752625"));
        // 5 req/s × 2,628,000 s = 13,140,000 requests; see lambda::tests::first_tier_by_hand.
        assert_eq!(monthly("lambda_x86").as_deref(), Some("24.5280438"));
        assert_eq!(monthly("lambda_arm").as_deref(), Some("20.1480876"));
        // EKS: 0.5 vCPU / 2 GB pods, 730 × (0.5 × 0.04048 + 2 × 0.004445) = 21.2649, + $73 fee.
        assert_eq!(monthly("eks_fargate_x86").as_deref(), Some("94.2649"));
        assert!(s.row("fargate_x86_on_demand").unwrap().current);
        assert!(!s.row("fargate_arm_on_demand").unwrap().current);

        // Lambda x86 equals $18.02005 at 18.02005 / 0.00000186667 requests a month.
        let be = s
            .row("fargate_x86_on_demand")
            .unwrap()
            .paired_break_even()
            .unwrap();
        assert_eq!(be.lambda, CpuArch::X86_64);
        let rps = be.requests_per_second.unwrap();
        assert_eq!(rps.round_dp(4), d("3.6734"));
        assert_eq!(
            (be.requests_per_month.unwrap() / d("2628000")).round_dp(10),
            rps.round_dp(10)
        );
        let vs = s.row("lambda_x86").unwrap().vs_x86_on_demand.unwrap();
        assert_eq!(vs.exact().to_string(), "6.5079938");
    }

    #[test]
    fn the_series_crosses_at_the_break_even() {
        let c = compare(&service(WEB, WORKLOAD));
        let s = &c.services[0];
        assert_eq!(s.series.points.len(), 21);
        let col = |id: &str| s.series.columns.iter().position(|c| c == id).unwrap();
        let (fx, lx) = (col("fargate_x86_on_demand"), col("lambda_x86"));
        let rps = s
            .row("fargate_x86_on_demand")
            .unwrap()
            .paired_break_even()
            .unwrap()
            .requests_per_second
            .unwrap();
        for p in &s.series.points {
            let (f, l) = (p.monthly[fx].unwrap(), p.monthly[lx].unwrap());
            assert_eq!(l < f, p.requests_per_second < rps, "{p:?}");
        }
        assert_eq!(s.series.points[0].monthly[lx], Some(Usd::ZERO));
        // Up to twice the highest paired break-even (EKS's, 19.2 req/s) in nice steps of 2.
        let last = s.series.points.last().unwrap().requests_per_second;
        assert_eq!(last, d("40"));
    }

    #[test]
    fn disqualified_options_are_marked_not_priced() {
        // 16 vCPU / 120 GB, a 20-minute request, a 12 GB image, on Windows? No: Windows needs
        // another size table; Linux here, Windows below.
        let c = compare(&service(
            "cpu = 16384\nmemory = 122880",
            "[service.workload]\nrequests_per_second = 1\nduration_ms = 1000\nmax_duration_ms = 1200000\nimage_size = \"12 GB\"",
        ));
        let s = &c.services[0];
        for id in ["lambda_x86", "lambda_arm", "eks_fargate_x86"] {
            let r = s.row(id).unwrap();
            assert!(r.is_ruled_out(), "{id}: {r:?}");
            assert_eq!(r.monthly, None, "{id} must not be priced");
            assert!(r.break_even.is_empty());
        }
        let l = s.row("lambda_x86").unwrap();
        assert_eq!(l.disqualifiers.len(), 3, "{:?}", l.disqualifiers);
        assert!(
            s.row("eks_fargate_x86").unwrap().disqualifiers[0].contains("largest Fargate size")
        );
        assert!(s.row("fargate_x86_on_demand").unwrap().monthly.is_some());
        // No Lambda to compare with: no break-even and no series.
        assert!(
            s.row("fargate_x86_on_demand")
                .unwrap()
                .break_even
                .is_empty()
        );
        assert!(s.series.points.is_empty());

        let c = compare(&service(
            "cpu = 1024\nmemory = 2048\nruntime_platform = { operating_system_family = \"WINDOWS_SERVER_2022_CORE\" }",
            WORKLOAD,
        ));
        let s = &c.services[0];
        for id in [
            "fargate_arm_on_demand",
            "fargate_x86_spot",
            "fargate_arm_spot",
            "lambda_x86",
            "lambda_arm",
            "eks_fargate_x86",
        ] {
            let r = s.row(id).unwrap();
            assert!(r.is_ruled_out() && r.monthly.is_none(), "{id}: {r:?}");
        }
        assert!(s.row("lambda_x86").unwrap().disqualifiers[0].contains("Linux only"));
        assert!(s.row("fargate_x86_on_demand").unwrap().monthly.is_some());
    }

    #[test]
    fn missing_prices_leave_rows_unpriced_with_a_reason() {
        let c = compare(&service(
            &format!("region = \"us-east-2\"\n{WEB}"),
            WORKLOAD,
        ));
        let s = &c.services[0];
        for id in ["lambda_x86", "eks_fargate_x86", "fargate_arm_spot"] {
            let r = s.row(id).unwrap();
            assert_eq!(r.monthly, None, "{id}");
            assert!(!r.is_ruled_out(), "{id}: a missing price rules nothing out");
            assert!(
                r.not_priced.as_deref().unwrap_or("").contains("us-east-2"),
                "{id}: {r:?}"
            );
        }
    }

    #[test]
    fn without_a_workload_lambda_waits_for_one() {
        let c = compare(&service(WEB, ""));
        let s = &c.services[0];
        assert!(s.workload.is_none());
        let r = s.row("lambda_x86").unwrap();
        assert!(
            r.monthly.is_none()
                && r.not_priced
                    .as_deref()
                    .unwrap_or("")
                    .contains("[service.workload]")
        );
        assert!(s.row("eks_fargate_x86").unwrap().monthly.is_some());
        assert!(s.series.points.is_empty());
        // A duration without a rate still finds the break-even.
        let c = compare(&service(WEB, "[service.workload]\nduration_ms = 100"));
        let s = &c.services[0];
        assert!(s.row("lambda_x86").unwrap().monthly.is_none());
        assert!(
            s.row("fargate_x86_on_demand")
                .unwrap()
                .paired_break_even()
                .is_some()
        );
        assert_eq!(s.series.points.len(), 21);
    }

    #[test]
    fn the_plans_mix_is_a_row_and_a_recommended_mix_slots_in() {
        let mix = "desired_count = 5\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE\", base = 1, weight = 1 }, { capacity_provider = \"FARGATE_SPOT\", weight = 4 }]";
        let c = compare(&service(&format!("{WEB}\n{mix}"), WORKLOAD));
        let s = &c.services[0];
        let r = s.row("fargate_x86_mix_plan").unwrap();
        assert!(r.current);
        // 2 FARGATE + 3 FARGATE_SPOT (see strategy): 2 × 18.02005 + 3 × 5.73752625.
        assert_eq!(r.monthly.unwrap().exact().to_string(), "53.25267875");
        assert!(s.row("fargate_arm_mix_plan").unwrap().monthly.is_some());

        let t = Tables::embedded();
        let plan = check(
            &parse(&service(WEB, WORKLOAD)).ok().unwrap().raw,
            &t.facts,
            CheckOptions::default(),
        )
        .unwrap();
        let recommended = SpotMix {
            strategy: Strategy::single(Provider::FargateSpot),
            from: MixSource::Recommender,
        };
        let c = build_with_mixes(
            &plan,
            t.prices(),
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            |_| vec![recommended.clone()],
        );
        let r = c.services[0].row("fargate_arm_mix_recommended").unwrap();
        assert_eq!(r.label, "Fargate ARM Spot mix (recommended)");
        assert!(r.monthly.is_some());
    }

    #[test]
    fn eks_cluster_share_and_prices_are_listed() {
        let c = compare(&service(
            WEB,
            "[service.workload]\nrequests_per_second = 5\nduration_ms = 100\neks_cluster_share = 0.25",
        ));
        let r = c.services[0].row("eks_fargate_x86").unwrap();
        assert_eq!(r.monthly.unwrap().exact().to_string(), "39.5149");
        let codes: Vec<&str> = c.prices.iter().map(|p| p.service_code).collect();
        assert!(
            codes.contains(&"AmazonECS")
                && codes.contains(&"AWSLambda")
                && codes.contains(&"AmazonEKS")
        );
        assert!(c.prices.iter().all(|p| !p.source.is_empty()));
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(d("0.5")), d("0.5"));
        assert_eq!(nice_step(d("0.37")), d("0.5"));
        assert_eq!(nice_step(d("0.21")), d("0.25"));
        assert_eq!(nice_step(d("13")), d("20"));
        assert_eq!(nice_step(d("1")), d("1"));
    }
}
