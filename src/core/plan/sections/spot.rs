//! `[service.spot]` and `[service.availability]` (defaults from `[plan.spot]` and
//! `[plan.availability]`): the Spot and availability assumptions `simulate` and `recommend` use.

use super::{number, parse_duration};
use crate::core::plan::raw::{RawAvailability, RawSpot};
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem};
use serde::Serialize;

/// Planner assumption, not an AWS figure: AWS publishes no Fargate Spot interruption rate.
/// One interruption per task every ~6 weeks (0.001 per task-hour) is a round, deliberately
/// visible default; measure your own from ECS events with stopCode `SpotInterruption`.
pub const DEFAULT_INTERRUPTION_RATE: f64 = 0.001;
/// Container `stopTimeout` default on Fargate (ECS API ContainerDefinition `stopTimeout`: up to 120 s, default 30 s).
pub const DEFAULT_STOP_TIMEOUT_S: u32 = 30;
/// The Spot warning comes 2 minutes before the task is stopped (ECS Developer Guide, "AWS Fargate capacity providers": Spot
/// interruption notice).
pub const SPOT_WARNING_S: u32 = 120;
/// Planner assumption: from placement to passing health checks (image pull, start, checks).
pub const DEFAULT_STARTUP_S: u32 = 60;
/// Planner assumption: no Spot capacity outages unless the plan sets them.
pub const DEFAULT_OUTAGES_PER_MONTH: f64 = 0.0;
pub const DEFAULT_OUTAGE_DURATION_S: u32 = 30 * 60;
/// Planner assumption: no single-zone Spot capacity outages unless the plan sets them.
pub const DEFAULT_ZONE_OUTAGES_PER_MONTH: f64 = 0.0;
pub const DEFAULT_ZONE_OUTAGE_DURATION_S: u32 = 30 * 60;
/// Planner assumption, not an AWS figure: when a Spot task cannot be placed, the ECS service
/// scheduler tries again after 15 s, then waits twice as long after each failed try, up to
/// 5 minutes between tries. AWS documents that the scheduler retries with back-off but not its
/// timing.
pub const PLACEMENT_RETRY_FIRST_S: u32 = 15;
pub const PLACEMENT_RETRY_MAX_S: u32 = 300;
/// Planner assumption, not an AWS figure: task failures (application crash, failed health
/// check, Fargate task retirement) per task-hour, on FARGATE and FARGATE_SPOT alike. AWS
/// publishes no rate; one failure per task every ~12 weeks (0.0005 per task-hour) keeps an
/// on-demand task from looking perfect. Measure yours from ECS events (stopped tasks whose
/// stopCode is not SpotInterruption and that your deployments did not stop).
pub const DEFAULT_TASK_FAILURE_RATE: f64 = 0.0005;
/// ECS's default `deploymentConfiguration.maximumPercent` for a replica service (ECS API,
/// DeploymentConfiguration).
pub const DEFAULT_MAXIMUM_PERCENT: u32 = 200;
/// ECS's default `deploymentConfiguration.minimumHealthyPercent` for a replica service (ECS
/// API, DeploymentConfiguration).
pub const DEFAULT_MINIMUM_HEALTHY_PERCENT: u32 = 100;

/// Spot assumptions (`[service.spot]`, defaults from `[plan.spot]`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpotAssumptions {
    /// Interruptions per Spot task-hour (Poisson). An assumption: AWS publishes none.
    pub interruption_rate: f64,
    /// True when the rate is the planner's default rather than the plan's.
    pub interruption_rate_is_default: bool,
    /// Seconds from the warning until the task stops (container `stopTimeout`, ≤ 120).
    pub stop_timeout_s: u32,
    /// Spot capacity outages per 30 days (Poisson), during which no Spot task can be placed.
    pub outages_per_month: f64,
    pub outage_duration_s: u32,
    /// Share of running Spot tasks that get the 2-minute warning together when an outage
    /// starts: AWS taking capacity back. 0 (the default) keeps interruptions independent.
    pub reclaim_share: f64,
    /// Spot capacity outages of one availability zone, per zone, per 30 days of that zone's
    /// quiet time: no Spot task can be placed in the zone, and `reclaim_share` of the Spot
    /// tasks running there are warned when it starts; replacements go to the other zones.
    pub zone_outages_per_month: f64,
    pub zone_outage_duration_s: u32,
}

impl Default for SpotAssumptions {
    fn default() -> Self {
        SpotAssumptions {
            interruption_rate: DEFAULT_INTERRUPTION_RATE,
            interruption_rate_is_default: true,
            stop_timeout_s: DEFAULT_STOP_TIMEOUT_S,
            outages_per_month: DEFAULT_OUTAGES_PER_MONTH,
            outage_duration_s: DEFAULT_OUTAGE_DURATION_S,
            reclaim_share: 0.0,
            zone_outages_per_month: DEFAULT_ZONE_OUTAGES_PER_MONTH,
            zone_outage_duration_s: DEFAULT_ZONE_OUTAGE_DURATION_S,
        }
    }
}

/// Availability settings (`[service.availability]`, defaults from `[plan.availability]`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Availability {
    /// Fewest healthy tasks the service can live with (capped at the desired count).
    pub min_healthy: u32,
    /// Target share of service time with healthy ≥ min_healthy, in percent.
    pub target_percent: Option<f64>,
    /// Seconds from placement until a new task is healthy.
    pub startup_s: u32,
    /// Task failures per task-hour, on either provider (an assumption: AWS publishes none).
    pub task_failure_rate: f64,
    /// True when the failure rate is the planner's default rather than the plan's.
    pub task_failure_rate_is_default: bool,
    /// `deploymentConfiguration.maximumPercent`: running tasks may reach desired × this / 100,
    /// which lets ECS start a Spot task's replacement at the warning.
    pub maximum_percent: u32,
    /// True when the plan wrote `startup` (it then wins over the derivation).
    pub startup_is_explicit: bool,
    /// Seconds to pull the images (`image_pull`), part of the derived startup; billed.
    pub image_pull_s: Option<u32>,
    /// The load balancer target group's health check interval, seconds, when behind one.
    pub lb_health_check_interval_s: Option<u32>,
    /// How `startup_s` was reached, in words (shown with every result).
    pub startup_derivation: String,
    /// `deploymentConfiguration.minimumHealthyPercent` during rolling deployments.
    pub minimum_healthy_percent: u32,
    /// Rolling deployments per 30 days (0: none).
    pub deployments_per_month: f64,
}

impl Default for Availability {
    fn default() -> Self {
        Availability {
            min_healthy: 1,
            target_percent: None,
            startup_s: DEFAULT_STARTUP_S,
            task_failure_rate: DEFAULT_TASK_FAILURE_RATE,
            task_failure_rate_is_default: true,
            maximum_percent: DEFAULT_MAXIMUM_PERCENT,
            startup_is_explicit: false,
            image_pull_s: None,
            lb_health_check_interval_s: None,
            startup_derivation: super::startup::default_derivation(),
            minimum_healthy_percent: DEFAULT_MINIMUM_HEALTHY_PERCENT,
            deployments_per_month: 0.0,
        }
    }
}

#[derive(Default)]
pub(super) struct SpotFields {
    rate: Option<f64>,
    stop_timeout_s: Option<u32>,
    outages: Option<f64>,
    outage_duration_s: Option<u32>,
    reclaim_share: Option<f64>,
    zone_outages: Option<f64>,
    zone_outage_duration_s: Option<u32>,
}

pub(super) fn merge_spot(into: &mut SpotAssumptions, f: &SpotFields) {
    if let Some(r) = f.rate {
        into.interruption_rate = r;
        into.interruption_rate_is_default = false;
    }
    if let Some(s) = f.stop_timeout_s {
        into.stop_timeout_s = s;
    }
    if let Some(o) = f.outages {
        into.outages_per_month = o;
    }
    if let Some(d) = f.outage_duration_s {
        into.outage_duration_s = d;
    }
    if let Some(r) = f.reclaim_share {
        into.reclaim_share = r;
    }
    if let Some(o) = f.zone_outages {
        into.zone_outages_per_month = o;
    }
    if let Some(d) = f.zone_outage_duration_s {
        into.zone_outage_duration_s = d;
    }
}

pub(super) fn spot_fields(
    raw: &RawSpot,
    path: &FieldPath,
    push: &mut impl FnMut(Problem),
) -> SpotFields {
    let mut f = SpotFields::default();
    if let Some(v) = &raw.interruption_rate {
        match number(v) {
            Some(x) if (0.0..=10.0).contains(&x) => f.rate = Some(x),
            _ => push(
                Problem::new(
                    path.key("interruption_rate"),
                    "interruptions per Spot task-hour must be a number from 0 to 10",
                )
                .value(v)
                .fix("AWS publishes no rate; 0.001 is one interruption per task every ~6 weeks"),
            ),
        }
    }
    if let Some(v) = &raw.stop_timeout {
        match parse_duration(v) {
            Ok(s) if s <= SPOT_WARNING_S => f.stop_timeout_s = Some(s),
            Ok(_) => push(
                Problem::new(
                    path.key("stop_timeout"),
                    "a container's stopTimeout is at most 120 seconds, the Spot warning",
                )
                .value(v),
            ),
            Err(e) => push(Problem::new(path.key("stop_timeout"), e).value(v)),
        }
    }
    f.outages = outage_rate(
        raw.outages_per_month.as_ref(),
        path,
        "outages_per_month",
        push,
    );
    f.outage_duration_s =
        outage_duration(raw.outage_duration.as_ref(), path, "outage_duration", push);
    f.zone_outages = outage_rate(
        raw.zone_outages_per_month.as_ref(),
        path,
        "zone_outages_per_month",
        push,
    );
    f.zone_outage_duration_s = outage_duration(
        raw.zone_outage_duration.as_ref(),
        path,
        "zone_outage_duration",
        push,
    );
    if let Some(v) = &raw.reclaim_share {
        match number(v) {
            Some(x) if (0.0..=1.0).contains(&x) => f.reclaim_share = Some(x),
            _ => push(
                Problem::new(
                    path.key("reclaim_share"),
                    "the share of running Spot tasks warned when an outage starts is a number from 0 to 1",
                )
                .value(v)
                .fix("e.g. reclaim_share = 0.5: half the Spot tasks get the 2-minute warning at once"),
            ),
        }
    }
    f
}

/// An outage rate field: outage starts per 30 days of quiet time, 0 to 1000.
fn outage_rate(
    v: Option<&crate::core::vocab::units::Scalar>,
    path: &FieldPath,
    key: &str,
    push: &mut impl FnMut(Problem),
) -> Option<f64> {
    let v = v?;
    match number(v) {
        Some(x) if (0.0..=1000.0).contains(&x) => Some(x),
        _ => {
            push(
                Problem::new(
                    path.key(key),
                    format!(
                        "{key} (Spot capacity outages per 30 days) must be a number from 0 to 1000"
                    ),
                )
                .value(v),
            );
            None
        }
    }
}

/// An outage length field: a duration above 0.
fn outage_duration(
    v: Option<&crate::core::vocab::units::Scalar>,
    path: &FieldPath,
    key: &str,
    push: &mut impl FnMut(Problem),
) -> Option<u32> {
    let v = v?;
    match parse_duration(v) {
        Ok(s) if s > 0 => Some(s),
        Ok(_) => {
            push(Problem::new(path.key(key), "an outage lasts more than 0 seconds").value(v));
            None
        }
        Err(e) => {
            push(Problem::new(path.key(key), e).value(v));
            None
        }
    }
}

#[derive(Default)]
pub(super) struct AvailabilityFields {
    min_healthy: Option<u32>,
    target: Option<f64>,
    startup_s: Option<u32>,
    task_failure_rate: Option<f64>,
    maximum_percent: Option<u32>,
    image_pull_s: Option<u32>,
    lb_interval_s: Option<u32>,
    minimum_healthy_percent: Option<u32>,
    deployments_per_month: Option<f64>,
}

pub(super) fn merge_availability(into: &mut Availability, f: &AvailabilityFields) {
    if let Some(m) = f.min_healthy {
        into.min_healthy = m;
    }
    if let Some(t) = f.target {
        into.target_percent = Some(t);
    }
    if let Some(s) = f.startup_s {
        into.startup_s = s;
        into.startup_is_explicit = true;
    }
    if let Some(s) = f.image_pull_s {
        into.image_pull_s = Some(s);
    }
    if let Some(s) = f.lb_interval_s {
        into.lb_health_check_interval_s = Some(s);
    }
    if let Some(m) = f.minimum_healthy_percent {
        into.minimum_healthy_percent = m;
    }
    if let Some(d) = f.deployments_per_month {
        into.deployments_per_month = d;
    }
    if let Some(r) = f.task_failure_rate {
        into.task_failure_rate = r;
        into.task_failure_rate_is_default = false;
    }
    if let Some(m) = f.maximum_percent {
        into.maximum_percent = m;
    }
}

pub(super) fn availability_fields(
    raw: &RawAvailability,
    path: &FieldPath,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) -> AvailabilityFields {
    let mut f = AvailabilityFields::default();
    if let Some(n) = raw.min_healthy {
        if (0..=i64::from(facts.max_tasks())).contains(&n) {
            f.min_healthy = Some(n as u32);
        } else {
            push(
                Problem::new(
                    path.key("min_healthy"),
                    format!(
                        "min_healthy is a task count from 0 to {}",
                        facts.max_tasks()
                    ),
                )
                .value(n),
            );
        }
    }
    if let Some(v) = &raw.target {
        match number(v) {
            Some(x) if x > 0.0 && x <= 100.0 => f.target = Some(x),
            _ => push(
                Problem::new(
                    path.key("target"),
                    "an availability target is a percentage above 0 and at most 100",
                )
                .value(v)
                .fix("e.g. target = \"99.9%\""),
            ),
        }
    }
    if let Some(v) = &raw.startup {
        match parse_duration(v) {
            Ok(s) if s <= 3600 => f.startup_s = Some(s),
            Ok(_) => push(
                Problem::new(path.key("startup"), "a task startup of more than an hour")
                    .value(v)
                    .fix("give the time from placement to healthy, e.g. startup = \"90s\""),
            ),
            Err(e) => push(Problem::new(path.key("startup"), e).value(v)),
        }
    }
    if let Some(v) = &raw.task_failure_rate {
        match number(v) {
            Some(x) if (0.0..=10.0).contains(&x) => f.task_failure_rate = Some(x),
            _ => push(
                Problem::new(
                    path.key("task_failure_rate"),
                    "task failures per task-hour must be a number from 0 to 10",
                )
                .value(v)
                .fix("AWS publishes no rate; 0.0005 is one failure per task every ~12 weeks"),
            ),
        }
    }
    if let Some(n) = raw.maximum_percent {
        if (100..=1000).contains(&n) {
            f.maximum_percent = Some(n as u32);
        } else {
            push(
                Problem::new(
                    path.key("maximum_percent"),
                    "maximum_percent is the service's deploymentConfiguration.maximumPercent, from 100 to 1000",
                )
                .value(n)
                .fix("ECS's default is 200; 100 never runs a task above the desired count"),
            );
        }
    }
    super::startup::startup_fields(raw, path, &mut f.image_pull_s, &mut f.lb_interval_s, push);
    if let Some(n) = raw.minimum_healthy_percent {
        if (0..=100).contains(&n) {
            f.minimum_healthy_percent = Some(n as u32);
        } else {
            push(
                Problem::new(
                    path.key("minimum_healthy_percent"),
                    "minimum_healthy_percent is the service's deploymentConfiguration.minimumHealthyPercent, from 0 to 100",
                )
                .value(n)
                .fix("ECS's default is 100: a deployment never goes below the desired count"),
            );
        }
    }
    if let Some(v) = &raw.deployments_per_month {
        match number(v) {
            Some(x) if (0.0..=1000.0).contains(&x) => f.deployments_per_month = Some(x),
            _ => push(
                Problem::new(
                    path.key("deployments_per_month"),
                    "rolling deployments per 30 days must be a number from 0 to 1000",
                )
                .value(v)
                .fix("e.g. deployments_per_month = 8 for two a week"),
            ),
        }
    }
    f
}
