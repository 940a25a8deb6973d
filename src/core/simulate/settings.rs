//! The plan's simulation settings: autoscaling, load, availability and Spot assumptions, checked
//! into typed values with located problems, like every other plan field.
//!
//! Precedence, field by field: the service's table > the plan's `[plan.spot]` /
//! `[plan.availability]` > the built-in defaults below. Every default that is an assumption
//! rather than an AWS fact says so, and the simulation report repeats it.

use crate::core::plan::raw::{
    RawAutoscaling, RawAvailability, RawLoad, RawPlanSettings, RawService, RawSpot,
};
use crate::core::problem::{FieldPath, Problem, did_you_mean};
use crate::core::units::Scalar;
use serde::Serialize;
use std::str::FromStr;

/// Application Auto Scaling target tracking needs the metric above the target for about
/// 3 minutes to scale out (facts §6).
pub const DEFAULT_SCALE_OUT_DELAY_S: u32 = 3 * 60;
/// ... and below it for about 15 minutes to scale in (facts §6).
pub const DEFAULT_SCALE_IN_DELAY_S: u32 = 15 * 60;
/// Application Auto Scaling's default target-tracking cooldowns for ECS services (API reference,
/// `TargetTrackingScalingPolicyConfiguration`: 300 seconds).
pub const DEFAULT_COOLDOWN_S: u32 = 300;
/// Planner assumption, not an AWS figure: AWS publishes no Fargate Spot interruption rate.
/// One interruption per task every ~6 weeks (0.001 per task-hour) is a round, deliberately
/// visible default; measure your own from ECS events with stopCode `SpotInterruption`.
pub const DEFAULT_INTERRUPTION_RATE: f64 = 0.001;
/// Container `stopTimeout` default on Fargate (facts §4: up to 120 s, default 30 s).
pub const DEFAULT_STOP_TIMEOUT_S: u32 = 30;
/// The Spot warning comes 2 minutes before the task is stopped (facts §4).
pub const SPOT_WARNING_S: u32 = 120;
/// Planner assumption: from placement to passing health checks (image pull, start, checks).
pub const DEFAULT_STARTUP_S: u32 = 60;
/// Planner assumption: no Spot capacity outages unless the plan sets them.
pub const DEFAULT_OUTAGES_PER_MONTH: f64 = 0.0;
pub const DEFAULT_OUTAGE_DURATION_S: u32 = 30 * 60;
/// ECS tasks-per-service quota, as in the plan checker.
const MAX_TASKS: i64 = 5000;

/// The target-tracking metric (Application Auto Scaling predefined metric types for ECS).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScalingMetric {
    /// `ECSServiceAverageCPUUtilization`, target in percent.
    Cpu,
    /// `ECSServiceAverageMemoryUtilization`, target in percent.
    Memory,
    /// `ALBRequestCountPerTarget`, target in requests per target per minute.
    Requests,
}

impl ScalingMetric {
    pub fn predefined_metric_type(self) -> &'static str {
        match self {
            ScalingMetric::Cpu => "ECSServiceAverageCPUUtilization",
            ScalingMetric::Memory => "ECSServiceAverageMemoryUtilization",
            ScalingMetric::Requests => "ALBRequestCountPerTarget",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ScalingMetric::Cpu => "cpu",
            ScalingMetric::Memory => "memory",
            ScalingMetric::Requests => "requests",
        }
    }
}

/// `[service.autoscaling]`: a scalable target on `ecs:service:DesiredCount` with one
/// target-tracking policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Autoscaling {
    pub min_capacity: u32,
    pub max_capacity: u32,
    pub metric: ScalingMetric,
    pub target_value: f64,
    /// Load units one task carries at 100 % of the metric (CPU or memory metrics).
    pub per_task_capacity: Option<f64>,
    pub scale_out_delay_s: u32,
    pub scale_in_delay_s: u32,
    pub scale_out_cooldown_s: u32,
    pub scale_in_cooldown_s: u32,
}

/// What a load value measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadUnit {
    /// Requests per second to the whole service.
    RequestsPerSecond,
    /// Work in percent of one task (e.g. average CPU % × running tasks): 250 is 2.5 tasks' worth.
    TaskPercent,
}

impl LoadUnit {
    pub fn name(self) -> &'static str {
        match self {
            LoadUnit::RequestsPerSecond => "requests_per_second",
            LoadUnit::TaskPercent => "task_percent",
        }
    }
}

/// A built-in load profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// The peak all the time.
    Flat,
    /// Peak on weekdays 08:00–18:00 local time, `low` otherwise.
    BusinessHours,
    /// A daily cosine from `low` at 04:00 to the peak at 16:00, weekends at 70 %.
    DiurnalWeb,
}

impl Profile {
    const ALL: [(&'static str, Profile); 3] = [
        ("flat", Profile::Flat),
        ("business_hours", Profile::BusinessHours),
        ("diurnal_web", Profile::DiurnalWeb),
    ];
}

/// The shape of the load over time.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LoadShape {
    Profile {
        profile: Profile,
        peak: f64,
        low: f64,
    },
    /// Seven rows (Monday first) of 24 hourly values, local time.
    Hourly { rows: Vec<[f64; 24]> },
    /// A CSV file, relative to the plan file; the CLI reads it into [`LoadShape::Series`].
    File { path: String },
    /// A series of (minute offset, value), repeating every `period_minutes`.
    Series {
        points: Vec<(u32, f64)>,
        period_minutes: u32,
    },
}

/// `[service.load]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Load {
    pub shape: LoadShape,
    pub unit: LoadUnit,
    /// IANA zone of the profile or hourly table; defaults to the uptime's zone, else UTC.
    pub time_zone: String,
}

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
}

impl Default for Availability {
    fn default() -> Self {
        Availability {
            min_healthy: 1,
            target_percent: None,
            startup_s: DEFAULT_STARTUP_S,
        }
    }
}

/// A service's checked simulation settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SimSettings {
    pub autoscaling: Option<Autoscaling>,
    pub load: Option<Load>,
    pub spot: SpotAssumptions,
    pub availability: Availability,
}

/// A number as written: `60`, `0.5`, `"99.9%"`, `"0.5"`.
fn number(v: &Scalar) -> Option<f64> {
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
    push: &mut impl FnMut(Problem),
) {
    if let Some(spot) = &settings.spot {
        spot_fields(spot, &path.key("spot"), push);
    }
    if let Some(a) = &settings.availability {
        availability_fields(a, &path.key("availability"), push);
    }
}

/// Checks a service's simulation tables and merges them over the plan's defaults.
pub fn check_service(
    svc: &RawService,
    settings: &RawPlanSettings,
    path: &FieldPath,
    uptime_time_zone: Option<&str>,
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
            &availability_fields(a, &FieldPath::root(), &mut silent),
        );
    }
    if let Some(spot) = &svc.spot {
        merge_spot(&mut out.spot, &spot_fields(spot, &path.key("spot"), push));
    }
    if let Some(a) = &svc.availability {
        merge_availability(
            &mut out.availability,
            &availability_fields(a, &path.key("availability"), push),
        );
    }
    out.autoscaling = svc
        .autoscaling
        .as_ref()
        .and_then(|a| autoscaling(a, &path.key("autoscaling"), push));
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

#[derive(Default)]
struct SpotFields {
    rate: Option<f64>,
    stop_timeout_s: Option<u32>,
    outages: Option<f64>,
    outage_duration_s: Option<u32>,
    reclaim_share: Option<f64>,
}

fn merge_spot(into: &mut SpotAssumptions, f: &SpotFields) {
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
}

fn spot_fields(raw: &RawSpot, path: &FieldPath, push: &mut impl FnMut(Problem)) -> SpotFields {
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
    if let Some(v) = &raw.outages_per_month {
        match number(v) {
            Some(x) if (0.0..=1000.0).contains(&x) => f.outages = Some(x),
            _ => push(
                Problem::new(
                    path.key("outages_per_month"),
                    "Spot capacity outages per month must be a number from 0 to 1000",
                )
                .value(v),
            ),
        }
    }
    if let Some(v) = &raw.outage_duration {
        match parse_duration(v) {
            Ok(s) if s > 0 => f.outage_duration_s = Some(s),
            Ok(_) => push(
                Problem::new(
                    path.key("outage_duration"),
                    "an outage lasts more than 0 seconds",
                )
                .value(v),
            ),
            Err(e) => push(Problem::new(path.key("outage_duration"), e).value(v)),
        }
    }
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

#[derive(Default)]
struct AvailabilityFields {
    min_healthy: Option<u32>,
    target: Option<f64>,
    startup_s: Option<u32>,
}

fn merge_availability(into: &mut Availability, f: &AvailabilityFields) {
    if let Some(m) = f.min_healthy {
        into.min_healthy = m;
    }
    if let Some(t) = f.target {
        into.target_percent = Some(t);
    }
    if let Some(s) = f.startup_s {
        into.startup_s = s;
    }
}

fn availability_fields(
    raw: &RawAvailability,
    path: &FieldPath,
    push: &mut impl FnMut(Problem),
) -> AvailabilityFields {
    let mut f = AvailabilityFields::default();
    if let Some(n) = raw.min_healthy {
        if (0..=MAX_TASKS).contains(&n) {
            f.min_healthy = Some(n as u32);
        } else {
            push(
                Problem::new(
                    path.key("min_healthy"),
                    format!("min_healthy is a task count from 0 to {MAX_TASKS}"),
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
    f
}

fn autoscaling(
    raw: &RawAutoscaling,
    path: &FieldPath,
    push: &mut impl FnMut(Problem),
) -> Option<Autoscaling> {
    let mut ok = true;
    let mut count = |field: &str, v: Option<i64>, push: &mut dyn FnMut(Problem)| match v {
        None => {
            push(
                Problem::new(path.key(field), format!("{field} is required"))
                    .fix("set min_capacity and max_capacity, e.g. 2 and 10"),
            );
            ok = false;
            0
        }
        Some(n) if (0..=MAX_TASKS).contains(&n) => n as u32,
        Some(n) => {
            push(
                Problem::new(
                    path.key(field),
                    format!("{field} must be 0 to {MAX_TASKS} (ECS tasks-per-service quota)"),
                )
                .value(n),
            );
            ok = false;
            0
        }
    };
    let min = count("min_capacity", raw.min_capacity, push);
    let max = count("max_capacity", raw.max_capacity, push);
    if ok && min > max {
        push(
            Problem::new(
                path.key("max_capacity"),
                format!("max_capacity is below min_capacity ({min})"),
            )
            .value(max),
        );
        ok = false;
    }
    if ok && max == 0 {
        push(
            Problem::new(path.key("max_capacity"), "max_capacity 0 never runs a task")
                .value(0)
                .fix("scale to zero outside business hours with [service.uptime] instead"),
        );
        ok = false;
    }
    let names: Vec<&str> = ["cpu", "memory", "requests"].to_vec();
    let metric = match raw.metric.as_deref() {
        None | Some("cpu") => Some(ScalingMetric::Cpu),
        Some("memory") => Some(ScalingMetric::Memory),
        Some("requests") => Some(ScalingMetric::Requests),
        Some(m) => {
            let hint = match m {
                "ECSServiceAverageCPUUtilization" => Some("cpu"),
                "ECSServiceAverageMemoryUtilization" => Some("memory"),
                "ALBRequestCountPerTarget" => Some("requests"),
                _ => did_you_mean(m, names.iter().copied()),
            }
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
            push(
                Problem::new(path.key("metric"), "not a target-tracking metric")
                    .value(format!("{m:?}"))
                    .fix(format!(
                        "{hint}allowed: cpu (ECSServiceAverageCPUUtilization), memory (ECSServiceAverageMemoryUtilization), requests (ALBRequestCountPerTarget)"
                    )),
            );
            None
        }
    };
    let target_value = match &raw.target_value {
        None => {
            push(
                Problem::new(path.key("target_value"), "target_value is required")
                    .fix("e.g. target_value = 60 (percent CPU), or requests per target per minute"),
            );
            None
        }
        Some(v) => match (number(v), metric) {
            (Some(x), Some(ScalingMetric::Cpu | ScalingMetric::Memory))
                if x > 0.0 && x <= 100.0 =>
            {
                Some(x)
            }
            (Some(x), Some(ScalingMetric::Requests)) if x > 0.0 && x <= 1e9 => Some(x),
            (_, None) => None,
            _ => {
                push(
                    Problem::new(
                        path.key("target_value"),
                        "the target is a utilisation percentage above 0 and at most 100 for cpu and memory, or requests per target per minute above 0",
                    )
                    .value(v),
                );
                None
            }
        },
    };
    let per_task_capacity = match &raw.per_task_capacity {
        None => Some(None),
        Some(v) => match number(v) {
            Some(x) if x > 0.0 => Some(Some(x)),
            _ => {
                push(
                    Problem::new(
                        path.key("per_task_capacity"),
                        "per-task capacity is the load one task carries at 100 %, above 0",
                    )
                    .value(v),
                );
                None
            }
        },
    };
    let mut delay = |field: &str, v: &Option<Scalar>, default: u32| match v {
        None => Some(default),
        Some(v) => parse_duration(v)
            .map_err(|e| push(Problem::new(path.key(field), e).value(v)))
            .ok(),
    };
    let out = delay(
        "scale_out_delay",
        &raw.scale_out_delay,
        DEFAULT_SCALE_OUT_DELAY_S,
    );
    let inn = delay(
        "scale_in_delay",
        &raw.scale_in_delay,
        DEFAULT_SCALE_IN_DELAY_S,
    );
    let out_cd = delay(
        "scale_out_cooldown",
        &raw.scale_out_cooldown,
        DEFAULT_COOLDOWN_S,
    );
    let in_cd = delay(
        "scale_in_cooldown",
        &raw.scale_in_cooldown,
        DEFAULT_COOLDOWN_S,
    );
    if !ok {
        return None;
    }
    Some(Autoscaling {
        min_capacity: min,
        max_capacity: max,
        metric: metric?,
        target_value: target_value?,
        per_task_capacity: per_task_capacity?,
        scale_out_delay_s: out?,
        scale_in_delay_s: inn?,
        scale_out_cooldown_s: out_cd?,
        scale_in_cooldown_s: in_cd?,
    })
}

fn load(
    raw: &RawLoad,
    path: &FieldPath,
    uptime_time_zone: Option<&str>,
    push: &mut impl FnMut(Problem),
) -> Option<Load> {
    let unit = match raw.unit.as_deref() {
        None | Some("requests_per_second") => Some(LoadUnit::RequestsPerSecond),
        Some("task_percent") => Some(LoadUnit::TaskPercent),
        Some(u) => {
            push(
                Problem::new(path.key("unit"), "not a load unit")
                    .value(format!("{u:?}"))
                    .fix("allowed: requests_per_second, task_percent (percent of one task, e.g. average CPU % × tasks)"),
            );
            None
        }
    };
    let time_zone = match &raw.time_zone {
        Some(tz) => {
            if chrono_tz::Tz::from_str(tz).is_err() {
                let names = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
                let hint = did_you_mean(tz, names)
                    .map(|b| format!("did you mean `{b}`? "))
                    .unwrap_or_default();
                push(
                    Problem::new(path.key("time_zone"), "not an IANA time zone")
                        .value(format!("{tz:?}"))
                        .fix(format!("{hint}use a name such as `UTC` or `Europe/Berlin`")),
                );
                return None;
            }
            tz.clone()
        }
        None => uptime_time_zone.unwrap_or("UTC").to_string(),
    };
    let given = [
        raw.profile.is_some(),
        raw.hourly.is_some(),
        raw.file.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if given != 1 {
        push(
            Problem::new(path.clone(), "a load is exactly one of profile, hourly or file")
                .fix("e.g. profile = \"diurnal_web\" with peak = 400; or hourly = [[...24 values], ...7 rows]; or file = \"load.csv\""),
        );
        return None;
    }
    let positive = |field: &str, v: &Scalar, push: &mut dyn FnMut(Problem)| match number(v) {
        Some(x) if x >= 0.0 => Some(x),
        _ => {
            push(Problem::new(path.key(field), "a load value is a number of 0 or more").value(v));
            None
        }
    };
    let shape = if let Some(p) = &raw.profile {
        let profile = Profile::ALL
            .iter()
            .find(|(n, _)| *n == p.as_str())
            .map(|(_, k)| *k);
        if profile.is_none() {
            let hint = did_you_mean(p, Profile::ALL.iter().map(|(n, _)| *n))
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            push(
                Problem::new(path.key("profile"), "not a built-in load profile")
                    .value(format!("{p:?}"))
                    .fix(format!("{hint}allowed: flat, business_hours, diurnal_web")),
            );
        }
        let peak = match &raw.peak {
            None => {
                push(
                    Problem::new(path.key("peak"), "a profile needs its peak load")
                        .fix("e.g. peak = 400 (requests per second)"),
                );
                None
            }
            Some(v) => positive("peak", v, push),
        };
        let low = match &raw.low {
            None => peak.map(|p| p * 0.1),
            Some(v) => positive("low", v, push),
        };
        if let (Some(pk), Some(lo)) = (peak, low)
            && lo > pk
        {
            push(Problem::new(path.key("low"), format!("low is above the peak ({pk})")).value(lo));
            return None;
        }
        LoadShape::Profile {
            profile: profile?,
            peak: peak?,
            low: low?,
        }
    } else if let Some(rows) = &raw.hourly {
        let hp = path.key("hourly");
        if rows.len() != 7 || rows.iter().any(|r| r.len() != 24) {
            push(
                Problem::new(hp, "an hourly table has 7 rows (Monday first) of 24 values").value(
                    format!(
                        "{} rows of {:?} values",
                        rows.len(),
                        rows.iter().map(Vec::len).collect::<Vec<_>>()
                    ),
                ),
            );
            return None;
        }
        let mut out = Vec::with_capacity(7);
        let mut ok = true;
        for (d, row) in rows.iter().enumerate() {
            let mut hours = [0.0; 24];
            for (h, v) in row.iter().enumerate() {
                match number(v) {
                    Some(x) if x >= 0.0 => hours[h] = x,
                    _ => {
                        push(
                            Problem::new(
                                hp.index(d).index(h),
                                "a load value is a number of 0 or more",
                            )
                            .value(v),
                        );
                        ok = false;
                    }
                }
            }
            out.push(hours);
        }
        if !ok {
            return None;
        }
        LoadShape::Hourly { rows: out }
    } else {
        let file = raw.file.clone().unwrap_or_default();
        if file.trim().is_empty() {
            push(Problem::new(
                path.key("file"),
                "the load file name is empty",
            ));
            return None;
        }
        LoadShape::File { path: file }
    };
    Some(Load {
        shape,
        unit: unit?,
        time_zone,
    })
}

/// Reads a load CSV: a header, then `minute,value` rows (minute offsets from 0, increasing).
/// The series repeats with a period of the last minute plus the last step. Errors name the line.
pub fn parse_load_csv(text: &str) -> Result<LoadShape, String> {
    let mut points: Vec<(u32, f64)> = Vec::new();
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, header)) => {
            let cols: Vec<String> = header
                .split(',')
                .map(|c| c.trim().to_ascii_lowercase())
                .collect();
            if cols.len() != 2 || cols[0] != "minute" {
                return Err(format!(
                    "line 1: expected the header `minute,value` (value in the load's unit), found `{}`",
                    header.trim()
                ));
            }
        }
        None => return Err("the file is empty; expected `minute,value` rows".to_string()),
    }
    for (i, line) in lines {
        let n = i + 1;
        let (m, v) = line
            .split_once(',')
            .ok_or_else(|| format!("line {n}: expected `minute,value`, found `{}`", line.trim()))?;
        let minute: u32 = m
            .trim()
            .parse()
            .map_err(|_| format!("line {n}: `{}` is not a whole minute offset", m.trim()))?;
        let value: f64 = v
            .trim()
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| format!("line {n}: `{}` is not a load of 0 or more", v.trim()))?;
        match points.last() {
            None if minute != 0 => {
                return Err(format!("line {n}: the first row must be minute 0"));
            }
            Some(&(prev, _)) if minute <= prev => {
                return Err(format!(
                    "line {n}: minute {minute} is not after the previous row's {prev}"
                ));
            }
            _ => {}
        }
        points.push((minute, value));
    }
    if points.len() < 2 {
        return Err("at least two rows are needed to know the series' step".to_string());
    }
    let k = points.len();
    let period_minutes = points[k - 1].0 + (points[k - 1].0 - points[k - 2].0);
    Ok(LoadShape::Series {
        points,
        period_minutes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration(&Scalar::Int(90)), Ok(90));
        assert_eq!(parse_duration(&Scalar::Text("3m".into())), Ok(180));
        assert_eq!(parse_duration(&Scalar::Text("15 min".into())), Ok(900));
        assert_eq!(parse_duration(&Scalar::Text("2h".into())), Ok(7200));
        assert_eq!(parse_duration(&Scalar::Text("1.5m".into())), Ok(90));
        for bad in ["x", "3 parsecs", "-1s", "0.5s", ""] {
            assert!(parse_duration(&Scalar::Text(bad.into())).is_err(), "{bad}");
        }
        assert!(parse_duration(&Scalar::Int(-3)).is_err());
    }

    #[test]
    fn load_csv() {
        let s = parse_load_csv("minute,rps\n0,10\n60,20\n120,5\n").unwrap();
        assert_eq!(
            s,
            LoadShape::Series {
                points: vec![(0, 10.0), (60, 20.0), (120, 5.0)],
                period_minutes: 180
            }
        );
        assert!(parse_load_csv("").unwrap_err().contains("empty"));
        assert!(parse_load_csv("t,v\n0,1\n").unwrap_err().contains("line 1"));
        assert!(
            parse_load_csv("minute,v\n5,1\n6,1")
                .unwrap_err()
                .contains("minute 0")
        );
        assert!(
            parse_load_csv("minute,v\n0,1\n0,2")
                .unwrap_err()
                .contains("line 3")
        );
        assert!(
            parse_load_csv("minute,v\n0,1\n10,-2")
                .unwrap_err()
                .contains("line 3")
        );
        assert!(
            parse_load_csv("minute,v\n0,1")
                .unwrap_err()
                .contains("two rows")
        );
    }
}
