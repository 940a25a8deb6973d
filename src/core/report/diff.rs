//! The cost difference between two plans, service by service: what a change to the plan costs.

use crate::core::report::{Report, ServiceReport};
use crate::core::vocab::money::Usd;
use rust_decimal::Decimal;
use serde::Serialize;

/// One service in either plan.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceDiff {
    pub name: String,
    /// Monthly cost in the old plan, `None` when the service is new.
    pub before: Option<Usd>,
    /// Monthly cost in the new plan, `None` when the service was removed.
    pub after: Option<Usd>,
    pub change: Usd,
    pub change_percent: Option<Decimal>,
    /// What changed in the service's shape (size, count, strategy, architecture, region, uptime).
    pub changes: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportDiff {
    pub schema_version: u32,
    pub before_plan: Option<String>,
    pub after_plan: Option<String>,
    pub services: Vec<ServiceDiff>,
    pub before_monthly: Usd,
    pub after_monthly: Usd,
    pub change: Usd,
    pub change_percent: Option<Decimal>,
    pub hours_per_month: Decimal,
}

fn shape_changes(old: &ServiceReport, new: &ServiceReport) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = |what: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{what} {a} → {b}"));
        }
    };
    field("size", old.size.clone(), new.size.clone());
    field(
        "tasks",
        old.desired_count.to_string(),
        new.desired_count.to_string(),
    );
    field(
        "strategy",
        old.plan.strategy.clone(),
        new.plan.strategy.clone(),
    );
    field(
        "architecture",
        old.cpu_architecture.to_string(),
        new.cpu_architecture.to_string(),
    );
    field(
        "OS",
        old.operating_system_family.clone(),
        new.operating_system_family.clone(),
    );
    field("region", old.region.clone(), new.region.clone());
    field("uptime", old.uptime.clone(), new.uptime.clone());
    field(
        "storage",
        format!("{} GiB", old.ephemeral_storage_gib),
        format!("{} GiB", new.ephemeral_storage_gib),
    );
    out
}

/// Compares two reports by service name. Services keep the new plan's order; removed ones follow.
pub fn diff(before: &Report, after: &Report) -> ReportDiff {
    let mut services = Vec::new();
    for new in &after.services {
        let old = before.services.iter().find(|s| s.name == new.name);
        let a = new.plan.priced.monthly;
        let b = old.map(|o| o.plan.priced.monthly);
        let change = a - b.unwrap_or(Usd::ZERO);
        services.push(ServiceDiff {
            name: new.name.clone(),
            before: b,
            after: Some(a),
            change,
            change_percent: b.and_then(|b| change.percent_of(b)),
            changes: old.map_or_else(|| vec!["added".to_string()], |o| shape_changes(o, new)),
        });
    }
    for old in before
        .services
        .iter()
        .filter(|o| !after.services.iter().any(|s| s.name == o.name))
    {
        let b = old.plan.priced.monthly;
        services.push(ServiceDiff {
            name: old.name.clone(),
            before: Some(b),
            after: None,
            change: Usd::ZERO - b,
            change_percent: Some(Decimal::from(-100)),
            changes: vec!["removed".to_string()],
        });
    }
    let change = after.totals.plan_monthly - before.totals.plan_monthly;
    ReportDiff {
        schema_version: crate::core::report::DIFF_SCHEMA_VERSION,
        before_plan: before.plan_name.clone(),
        after_plan: after.plan_name.clone(),
        services,
        before_monthly: before.totals.plan_monthly,
        after_monthly: after.totals.plan_monthly,
        change,
        change_percent: change.percent_of(before.totals.plan_monthly),
        hours_per_month: after.hours_per_month,
    }
}
