//! The cost report as a value: per service, the plan's own cost and the alternatives (x86 and ARM,
//! on demand and Spot), totals, and every price used with its source and date.
//!
//! Exporters render this value; they compute nothing. Amounts are exact; rounding to cents happens
//! only when an exporter shows them.

pub mod budget;
pub mod cost;
pub mod coverage;
pub mod diff;
pub mod gate;

use crate::core::plan::{Plan, Service};
use crate::core::pricing::{Dimension, Price, PriceBook};
use crate::core::report::cost::{Component, RateError, ServiceCost, price_service};
use crate::core::rules::Facts;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::strategy::{Provider, Strategy};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// Bumped when a field of the JSON report changes meaning, appears or disappears
/// (2: `inputs`).
pub const SCHEMA_VERSION: u32 = 2;

/// The schema of `report --compare-to` / `--diff` JSON, which has not changed since 1.
pub const DIFF_SCHEMA_VERSION: u32 = 1;

/// A file the plan was read from (`inputs[]` of the JSON report).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Input {
    /// `plan`, `taskdef`, `cloudformation` or `terraform`.
    pub kind: String,
    pub path: String,
    /// Each plan service and where it is in the file.
    pub services: Vec<InputService>,
}

/// A plan service and its place in an input: `service[0]` in a plan, the task definition file,
/// the CloudFormation logical id or the Terraform address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct InputService {
    pub name: String,
    pub source: String,
}

/// The alternatives every service is priced under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionKind {
    X86OnDemand,
    ArmOnDemand,
    X86Spot,
    ArmSpot,
}

impl OptionKind {
    pub const ALL: [OptionKind; 4] = [
        OptionKind::X86OnDemand,
        OptionKind::ArmOnDemand,
        OptionKind::X86Spot,
        OptionKind::ArmSpot,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OptionKind::X86OnDemand => "x86 on-demand",
            OptionKind::ArmOnDemand => "ARM on-demand",
            OptionKind::X86Spot => "x86 Spot",
            OptionKind::ArmSpot => "ARM Spot",
        }
    }

    pub fn arch(self) -> CpuArch {
        match self {
            OptionKind::X86OnDemand | OptionKind::X86Spot => CpuArch::X86_64,
            OptionKind::ArmOnDemand | OptionKind::ArmSpot => CpuArch::Arm64,
        }
    }

    pub fn provider(self) -> Provider {
        match self {
            OptionKind::X86OnDemand | OptionKind::ArmOnDemand => Provider::Fargate,
            OptionKind::X86Spot | OptionKind::ArmSpot => Provider::FargateSpot,
        }
    }
}

/// A priced month and what it saves against x86 on-demand.
#[derive(Clone, Debug, Serialize)]
pub struct Priced {
    pub monthly: Usd,
    /// `monthly − x86 on-demand` (negative is a saving).
    pub vs_x86_on_demand: Usd,
    /// The same as a percentage of x86 on-demand, one decimal.
    pub vs_x86_on_demand_percent: Option<Decimal>,
}

/// One alternative for a service.
#[derive(Clone, Debug, Serialize)]
pub struct OptionCost {
    pub option: OptionKind,
    /// What one task costs per hour under this option (all tasks on one provider).
    pub per_task_hour: Option<Usd>,
    pub priced: Option<Priced>,
    /// Why the option is not priced, when it is not.
    pub unavailable: Option<String>,
}

/// One provider line of the plan's own strategy.
#[derive(Clone, Debug, Serialize)]
pub struct ProviderLine {
    pub provider: Provider,
    pub tasks: u32,
    pub task_hours: Decimal,
    pub per_task_hour: Usd,
    pub monthly: Usd,
    pub components: BTreeMap<Component, Usd>,
}

/// The service as the plan runs it.
#[derive(Clone, Debug, Serialize)]
pub struct PlanCost {
    pub arch: CpuArch,
    pub strategy: String,
    pub providers: Vec<ProviderLine>,
    pub priced: Priced,
}

/// `--round-up`: the size asked for, the size priced, and what the difference costs per month.
#[derive(Clone, Debug, Serialize)]
pub struct Rounding {
    pub requested: TaskSize,
    pub priced: TaskSize,
    pub extra_monthly: Usd,
}

#[derive(Clone, Debug, Serialize)]
pub struct ServiceReport {
    pub name: String,
    pub region: String,
    pub operating_system_family: String,
    pub cpu_architecture: CpuArch,
    pub cpu_units: u32,
    pub memory_mib: u32,
    pub size: String,
    pub ephemeral_storage_gib: u32,
    pub desired_count: u32,
    pub uptime: String,
    pub plan: PlanCost,
    pub options: Vec<OptionCost>,
    pub rounding: Option<Rounding>,
}

impl ServiceReport {
    pub fn option(&self, kind: OptionKind) -> Option<&OptionCost> {
        self.options.iter().find(|o| o.option == kind)
    }
}

/// Sums over services. For an alternative, a service where it is unavailable counts at its plan
/// cost ("move what can move").
#[derive(Clone, Debug, Serialize)]
pub struct Totals {
    pub plan_monthly: Usd,
    /// Twelve months of the plan (12 × the exact monthly total).
    pub plan_yearly: Usd,
    pub plan_vs_x86_on_demand: Usd,
    pub options: BTreeMap<OptionKind, Usd>,
}

/// A price used by the report, with provenance.
#[derive(Clone, Debug, Serialize)]
pub struct PriceUse {
    #[serde(flatten)]
    pub price: Price,
    /// Older than a year on the report date.
    pub stale: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub plan_name: Option<String>,
    /// The files the plan was read from; filled by the caller that read them.
    pub inputs: Vec<Input>,
    pub generated_on: NaiveDate,
    pub hours_per_month: Decimal,
    pub currency: &'static str,
    pub services: Vec<ServiceReport>,
    pub totals: Totals,
    pub prices: Vec<PriceUse>,
    pub notes: Vec<String>,
}

/// The plan's own strategy could not be priced.
#[derive(Debug, thiserror::Error)]
#[error("service `{service}`: {source}")]
pub struct ReportError {
    pub service: String,
    #[source]
    pub source: RateError,
}

/// Builds the report for a validated plan. `today` dates the report and decides which prices are
/// stale (older than a year).
pub fn build(
    plan: &Plan,
    book: &PriceBook,
    facts: &Facts,
    today: NaiveDate,
) -> Result<Report, ReportError> {
    let mut used: BTreeMap<(String, Dimension), Price> = BTreeMap::new();
    let mut services = Vec::with_capacity(plan.services.len());
    for service in &plan.services {
        services.push(service_report(
            service,
            plan.hours_per_month,
            book,
            facts,
            &mut used,
        )?);
    }

    let plan_monthly: Usd = services.iter().map(|s| s.plan.priced.monthly).sum();
    let x86_total: Usd = services
        .iter()
        .map(|s| s.plan.priced.monthly - s.plan.priced.vs_x86_on_demand)
        .sum();
    let options = OptionKind::ALL
        .into_iter()
        .map(|kind| {
            let total = services
                .iter()
                .map(|s| {
                    s.option(kind)
                        .and_then(|o| o.priced.as_ref())
                        .map_or(s.plan.priced.monthly, |p| p.monthly)
                })
                .sum();
            (kind, total)
        })
        .collect();

    let prices: Vec<PriceUse> = used
        .into_values()
        .map(|price| PriceUse {
            stale: price.is_stale(today),
            price,
        })
        .collect();
    let mut notes = vec![format!(
        "Monthly figures use {} hours per month; scheduled services run their weekly hours × {} / 168.",
        plan.hours_per_month.normalize(),
        plan.hours_per_month.normalize()
    )];
    if plan.services.iter().any(|s| {
        s.strategy.uses(Provider::FargateSpot)
            || s.ephemeral_storage_gib > facts.rules.ephemeral_storage.free_gib
    }) {
        notes.push(
            "Ephemeral storage above 20 GiB is billed at the on-demand storage rate on Spot too."
                .to_string(),
        );
    }
    notes.push(
        "Strategies split tasks with ECS base-then-weight semantics; remainders go to the largest fractional share (ties to the first item)."
            .to_string(),
    );
    for s in plan.services.iter().filter(|s| s.autoscaling.is_some()) {
        notes.push(if s.load.is_some() {
            format!(
                "{}: priced at desired_count {} (the static figure); `simulate` and `recommend` give the mean over its load curve with autoscaling.",
                s.name, s.desired_count
            )
        } else {
            format!(
                "{}: priced at desired_count {}; its [service.autoscaling] is not simulated without [service.load].",
                s.name, s.desired_count
            )
        });
    }
    let stale: Vec<&PriceUse> = prices.iter().filter(|p| p.stale).collect();
    if !stale.is_empty() {
        notes.push(format!(
            "{} price(s) are more than a year old on {today}; Spot prices float and may have moved. Refresh them: `{}`.",
            stale.len(),
            crate::core::pricing::refresh_command(stale.iter().map(|p| p.price.region.as_str()))
        ));
    }
    notes.push("Not included: load balancers, NAT gateways, public IPv4 addresses, CloudWatch Logs and data transfer.".to_string());

    Ok(Report {
        schema_version: SCHEMA_VERSION,
        plan_name: plan.name.clone(),
        inputs: Vec::new(),
        generated_on: today,
        hours_per_month: plan.hours_per_month,
        currency: "USD",
        totals: Totals {
            plan_monthly,
            plan_yearly: plan_monthly * Decimal::from(12),
            plan_vs_x86_on_demand: plan_monthly - x86_total,
            options,
        },
        services,
        prices,
        notes,
    })
}

fn remember(cost: &ServiceCost, used: &mut BTreeMap<(String, Dimension), Price>) {
    for p in &cost.providers {
        for line in &p.rate.lines {
            used.entry((line.price.region.clone(), line.price.dimension))
                .or_insert_with(|| line.price.clone());
        }
    }
}

fn priced(monthly: Usd, baseline: Option<Usd>) -> Priced {
    match baseline {
        Some(base) => Priced {
            monthly,
            vs_x86_on_demand: monthly - base,
            vs_x86_on_demand_percent: (monthly - base).percent_of(base),
        },
        None => Priced {
            monthly,
            vs_x86_on_demand: Usd::ZERO,
            vs_x86_on_demand_percent: None,
        },
    }
}

fn service_report(
    service: &Service,
    hours: Decimal,
    book: &PriceBook,
    facts: &Facts,
    used: &mut BTreeMap<(String, Dimension), Price>,
) -> Result<ServiceReport, ReportError> {
    let fail = |source| ReportError {
        service: service.name.clone(),
        source,
    };
    let own = price_service(
        service,
        service.arch,
        service.size,
        &service.strategy,
        hours,
        book,
        facts,
    )
    .map_err(fail)?;
    remember(&own, used);

    let mut alternatives: Vec<(OptionKind, Result<ServiceCost, RateError>)> = Vec::new();
    for kind in OptionKind::ALL {
        let cost = price_service(
            service,
            kind.arch(),
            service.size,
            &Strategy::single(kind.provider()),
            hours,
            book,
            facts,
        );
        if let Ok(c) = &cost {
            remember(c, used);
        }
        alternatives.push((kind, cost));
    }
    let baseline = alternatives
        .iter()
        .find(|(k, _)| *k == OptionKind::X86OnDemand)
        .and_then(|(_, c)| c.as_ref().ok())
        .map(|c| c.monthly);
    let options = alternatives
        .into_iter()
        .map(|(kind, cost)| match cost {
            Ok(c) => OptionCost {
                option: kind,
                per_task_hour: c.providers.first().map(|p| p.rate.per_hour()),
                priced: Some(priced(c.monthly, baseline)),
                unavailable: None,
            },
            Err(e) => OptionCost {
                option: kind,
                per_task_hour: None,
                priced: None,
                unavailable: Some(e.to_string()),
            },
        })
        .collect();

    let rounding = if service.was_rounded() {
        let asked = price_service(
            service,
            service.arch,
            service.requested_size,
            &service.strategy,
            hours,
            book,
            facts,
        )
        .map_err(fail)?;
        Some(Rounding {
            requested: service.requested_size,
            priced: service.size,
            extra_monthly: own.monthly - asked.monthly,
        })
    } else {
        None
    };

    let providers = own
        .providers
        .iter()
        .map(|p| ProviderLine {
            provider: p.provider,
            tasks: p.tasks,
            task_hours: p.task_hours,
            per_task_hour: p.rate.per_hour(),
            monthly: p.monthly,
            components: p.components().into_iter().collect(),
        })
        .collect();

    Ok(ServiceReport {
        name: service.name.clone(),
        region: service.region.clone(),
        operating_system_family: service.os.ecs_name().to_string(),
        cpu_architecture: service.arch,
        cpu_units: service.size.cpu.0,
        memory_mib: service.size.memory.0,
        size: service.size.to_string(),
        ephemeral_storage_gib: service.ephemeral_storage_gib,
        desired_count: service.desired_count,
        uptime: service.uptime.to_string(),
        plan: PlanCost {
            arch: service.arch,
            strategy: service.strategy.to_string(),
            providers,
            priced: priced(own.monthly, baseline),
        },
        options,
        rounding,
    })
}
