//! The Fargate rules applied to a raw plan: every problem at once, or a validated [`Plan`].
//!
//! The checks read the rules only, never a price book, so `validate` gives the same answer
//! whatever prices are at hand. One file per topic: the service as a whole (`service`), its size,
//! uptime, capacity provider strategy, containers and the settings only `deploy` reads.

mod containers;
mod deploy;
mod service;
mod size;
mod strategy;
#[cfg(test)]
pub(crate) mod tests;
mod uptime;

use crate::core::plan::raw::{RawPlan, RawPlanSettings};
use crate::core::plan::{Plan, sections};
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem, did_you_mean};
use crate::core::vocab::units::Scalar;
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::str::FromStr;

/// Choices that change how strict the check is.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions {
    /// Price an invalid CPU/memory pair as the next valid size instead of rejecting it.
    pub round_up: bool,
}

/// Settings a valid plan carries that the pricing commands cannot use as written, as located
/// warnings: today `[service.autoscaling]` without `[service.load]`, which no command can simulate,
/// so the service is priced at its `desired_count` (`deploy` still registers the scaling policy).
pub fn ignored_settings(plan: &Plan) -> Vec<Problem> {
    plan.services
        .iter()
        .filter(|s| s.autoscaling.is_some() && s.load.is_none())
        .map(|s| {
            Problem::new(
                FieldPath::root()
                    .key("service")
                    .index(s.index)
                    .key("autoscaling"),
                format!(
                    "autoscaling is not simulated without a load curve: priced at desired_count {}",
                    s.desired_count
                ),
            )
            .fix("add [service.load] (the metric over the week) to simulate scaling; docs/model.md describes it")
        })
        .collect()
}

/// Checks a raw plan against the Fargate rules. Prices play no part: whether the price book covers
/// what a valid plan needs is `report::coverage`, a separate step.
pub fn check(raw: &RawPlan, facts: &Facts, opts: CheckOptions) -> Result<Plan, Vec<Problem>> {
    let mut problems = Vec::new();
    let root = FieldPath::root();
    let settings = raw.plan.clone().unwrap_or_default();
    let plan_path = root.key("plan");

    let hours_per_month = match &settings.hours_per_month {
        None => facts.hours_per_month(),
        Some(v) => match positive_decimal(v) {
            Some(h) if h <= Decimal::from(facts.rules.billing.max_hours_per_month) => h,
            _ => {
                problems.push(
                    Problem::new(
                        plan_path.key("hours_per_month"),
                        format!(
                            "hours per month must be a number above 0 and at most {} (31 days)",
                            facts.rules.billing.max_hours_per_month
                        ),
                    )
                    .value(v)
                    .fix(format!(
                        "use {} to match the AWS Pricing Calculator",
                        facts.rules.billing.hours_per_month
                    )),
                );
                facts.hours_per_month()
            }
        },
    };
    if let Some(region) = &settings.region {
        check_region(region, &plan_path.key("region"), facts, &mut problems);
    }

    let cluster = check_cluster(&settings, &plan_path, &mut problems);
    sections::check_plan_defaults(&settings, &plan_path, facts, &mut |p| problems.push(p));
    let ec2 = sections::ec2::check(settings.ec2.as_ref(), &plan_path.key("ec2"), &mut |p| {
        problems.push(p)
    });

    if raw.service.is_empty() {
        problems.push(
            Problem::new(root.key("service"), "the plan has no services").fix(
                "add a `[[service]]` table; `fargate-planner init` writes a commented example",
            ),
        );
    }

    let mut names = BTreeSet::new();
    let mut services = Vec::new();
    for (index, svc) in raw.service.iter().enumerate() {
        let path = root.key("service").index(index);
        if !names.insert(svc.name.clone()) {
            problems.push(
                Problem::new(
                    path.key("name"),
                    format!("a service named `{}` is already in the plan", svc.name),
                )
                .value(&svc.name)
                .fix("give each service a unique name"),
            );
        }
        let uptime_zone = svc.uptime.as_ref().and_then(|u| u.time_zone.as_deref());
        let sim = sections::check_service(svc, &settings, &path, uptime_zone, facts, &mut |p| {
            problems.push(p)
        });
        let at = service::ServiceContext {
            index,
            path: &path,
            default_region: settings.region.as_deref(),
        };
        if let Some(mut service) = service::check_service(svc, at, facts, opts, &mut problems) {
            service.autoscaling = sim.autoscaling;
            service.load = sim.load;
            service.spot = sim.spot;
            service.availability = sim.availability;
            services.push(service);
        }
    }

    if problems.is_empty() {
        Ok(Plan {
            name: settings.name.clone(),
            cluster,
            hours_per_month,
            services,
            ec2,
        })
    } else {
        Err(problems)
    }
}

fn positive_decimal(v: &Scalar) -> Option<Decimal> {
    let d = match v {
        Scalar::Int(i) => Decimal::from(*i),
        Scalar::Text(t) => Decimal::from_str(t.trim()).ok()?,
        Scalar::Float(f) => Decimal::from_str(&f.to_string()).ok()?,
    };
    (d > Decimal::ZERO).then_some(d)
}

fn is_region_name(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    (3..=4).contains(&parts.len())
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
        && parts[0].len() == 2
}

pub(super) fn check_region(
    region: &str,
    path: &FieldPath,
    facts: &Facts,
    problems: &mut Vec<Problem>,
) -> bool {
    if is_region_name(region) {
        return true;
    }
    let known = &facts.rules.regions.fargate;
    let fix = match did_you_mean(region, known.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`? Regions look like `us-east-1`"),
        None => format!(
            "use an AWS region code such as `us-east-1`; Fargate is sold in {}",
            known.join(", ")
        ),
    };
    problems.push(
        Problem::new(path.clone(), "not an AWS region code")
            .value(format!("{region:?}"))
            .fix(fix),
    );
    false
}

/// The cluster `deploy` uses: `[plan] cluster`, else the plan name, else `fargate-planner`.
fn check_cluster(
    settings: &RawPlanSettings,
    plan_path: &FieldPath,
    problems: &mut Vec<Problem>,
) -> String {
    match (&settings.cluster, &settings.name) {
        (Some(c), _) => {
            if !service::is_ecs_name(c) {
                problems.push(
                    Problem::new(
                        plan_path.key("cluster"),
                        "ECS cluster names are 1 to 255 letters, digits, hyphens and underscores",
                    )
                    .value(format!("{c:?}")),
                );
            }
            c.clone()
        }
        (None, Some(name)) if service::is_ecs_name(name) => name.clone(),
        _ => "fargate-planner".to_string(),
    }
}
