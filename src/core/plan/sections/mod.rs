//! The plan's simulation settings: autoscaling, load, availability and Spot assumptions, checked
//! into typed values with located problems, like every other plan field.
//!
//! Precedence, field by field: the service's table > the plan's `[plan.spot]` /
//! `[plan.availability]` > the built-in defaults below. Every default that is an assumption
//! rather than an AWS fact says so, and the simulation report repeats it.

pub mod autoscaling;
pub mod ec2;
pub mod load;
pub mod recommend;
pub mod spot;
pub mod startup;
#[cfg(test)]
mod tests;
pub mod workload;

use crate::core::plan::raw::{RawPlanSettings, RawService};
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem};
use crate::core::vocab::units::Scalar;
use autoscaling::{Autoscaling, ScalingMetric, autoscaling};
use load::{Load, LoadUnit, load};
use serde::Serialize;
use spot::{
    Availability, SpotAssumptions, availability_fields, merge_availability, merge_spot, spot_fields,
};
use std::str::FromStr;

/// A service's checked simulation settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SimSettings {
    pub autoscaling: Option<Autoscaling>,
    pub load: Option<Load>,
    pub spot: SpotAssumptions,
    pub availability: Availability,
}

/// A number as written: `60`, `0.5`, `"99.9%"`, `"0.5"`.
pub(super) fn number(v: &Scalar) -> Option<f64> {
    let x = match v {
        Scalar::Int(i) => *i as f64,
        Scalar::Float(f) => *f,
        Scalar::Text(t) => f64::from_str(t.trim().trim_end_matches('%').trim()).ok()?,
    };
    x.is_finite().then_some(x)
}

/// A duration: whole seconds (`90`) or text with a unit (`"90s"`, `"3m"`, `"3 min"`, `"2h"`,
/// `"1d"`).
pub fn parse_duration(v: &Scalar) -> Result<u32, String> {
    let bad = || {
        format!(
            "`{v}` is not a duration; write seconds (90) or a number with s, m, h or d (\"3m\")"
        )
    };
    let secs: f64 = match v {
        Scalar::Int(i) => *i as f64,
        Scalar::Float(f) => *f,
        Scalar::Text(t) => {
            let t = t.trim().to_ascii_lowercase();
            let split = t
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(t.len());
            let (num, unit) = t.split_at(split);
            let n: f64 = num.parse().map_err(|_| bad())?;
            let mult = match unit.trim() {
                "" | "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
                "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
                "h" | "hr" | "hour" | "hours" => 3600.0,
                "d" | "day" | "days" => 86_400.0,
                _ => return Err(bad()),
            };
            n * mult
        }
    };
    if !secs.is_finite() || !(0.0..=366.0 * 86_400.0).contains(&secs) || secs.fract() != 0.0 {
        return Err(bad());
    }
    Ok(secs as u32)
}

/// Checks `[plan.spot]` and `[plan.availability]` once (services fall back to them).
pub fn check_plan_defaults(
    settings: &RawPlanSettings,
    path: &FieldPath,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) {
    if let Some(spot) = &settings.spot {
        spot_fields(spot, &path.key("spot"), push);
    }
    if let Some(a) = &settings.availability {
        availability_fields(a, &path.key("availability"), facts, push);
    }
}

/// Checks a service's simulation tables and merges them over the plan's defaults.
pub fn check_service(
    svc: &RawService,
    settings: &RawPlanSettings,
    path: &FieldPath,
    uptime_time_zone: Option<&str>,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) -> SimSettings {
    let mut out = SimSettings::default();
    // Plan defaults first (already reported when bad; a bad value is simply not used here).
    let mut silent = |_: Problem| {};
    if let Some(spot) = &settings.spot {
        merge_spot(
            &mut out.spot,
            &spot_fields(spot, &FieldPath::root(), &mut silent),
        );
    }
    if let Some(a) = &settings.availability {
        merge_availability(
            &mut out.availability,
            &availability_fields(a, &FieldPath::root(), facts, &mut silent),
        );
    }
    if let Some(spot) = &svc.spot {
        merge_spot(&mut out.spot, &spot_fields(spot, &path.key("spot"), push));
    }
    if let Some(a) = &svc.availability {
        merge_availability(
            &mut out.availability,
            &availability_fields(a, &path.key("availability"), facts, push),
        );
    }
    startup::derive_startup(&mut out.availability, &svc.container_definitions, facts);
    out.autoscaling = svc
        .autoscaling
        .as_ref()
        .and_then(|a| autoscaling(a, &path.key("autoscaling"), facts, push));
    out.load = svc
        .load
        .as_ref()
        .and_then(|l| load(l, &path.key("load"), uptime_time_zone, push));
    // Autoscaling without a load is valid: deploy registers it, and the simulation keeps the
    // desired count (within min..=max) since it has nothing to track.
    if let (None, Some(_)) = (&svc.autoscaling, &svc.load) {
        push(
            Problem::new(
                path.key("load"),
                "a load curve only changes the task count with autoscaling",
            )
            .fix("add [service.autoscaling] with min_capacity, max_capacity, metric and target_value, or remove the load"),
        );
    }
    if let (Some(a), Some(l)) = (&out.autoscaling, &out.load) {
        let ap = path.key("autoscaling");
        match (a.metric, l.unit, a.per_task_capacity) {
            (ScalingMetric::Requests, LoadUnit::TaskPercent, _) => push(
                Problem::new(
                    ap.key("metric"),
                    "the requests metric needs a load in requests per second",
                )
                .value("\"requests\"")
                .fix("use metric = \"cpu\" with a task_percent load, or give the load in requests_per_second"),
            ),
            (ScalingMetric::Cpu | ScalingMetric::Memory, LoadUnit::RequestsPerSecond, None) => {
                push(
                    Problem::new(
                        ap.key("per_task_capacity"),
                        "with a load in requests per second, the CPU and memory metrics need the requests one task carries at 100 %",
                    )
                    .fix("set per_task_capacity, e.g. per_task_capacity = 50"),
                )
            }
            _ => {}
        }
    }
    out
}
