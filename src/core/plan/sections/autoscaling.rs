//! `[service.autoscaling]`: Application Auto Scaling target tracking on the desired count, with
//! the scaling delays and cooldowns AWS documents.

use super::number;
use super::parse_duration;
use crate::core::plan::raw::RawAutoscaling;
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem, did_you_mean};
use crate::core::vocab::units::Scalar;
use serde::Serialize;

/// Application Auto Scaling target tracking needs the metric above the target for about
/// 3 minutes to scale out (Application Auto Scaling User Guide, "Target tracking scaling policies":
/// the CloudWatch alarms it creates).
pub const DEFAULT_SCALE_OUT_DELAY_S: u32 = 3 * 60;
/// ... and below it for about 15 minutes to scale in (same source).
pub const DEFAULT_SCALE_IN_DELAY_S: u32 = 15 * 60;
/// Application Auto Scaling's default target-tracking cooldowns for ECS services (API reference,
/// `TargetTrackingScalingPolicyConfiguration`: 300 seconds).
pub const DEFAULT_COOLDOWN_S: u32 = 300;

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

pub(super) fn autoscaling(
    raw: &RawAutoscaling,
    path: &FieldPath,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) -> Option<Autoscaling> {
    let (min, max, ok) = capacities(raw, path, facts, push);
    let metric = metric(raw, path, push);
    let target_value = target_value(raw, metric, path, push);
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

/// `min_capacity` and `max_capacity`, and whether they are usable.
fn capacities(
    raw: &RawAutoscaling,
    path: &FieldPath,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) -> (u32, u32, bool) {
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
        Some(n) if (0..=i64::from(facts.max_tasks())).contains(&n) => n as u32,
        Some(n) => {
            push(
                Problem::new(
                    path.key(field),
                    format!(
                        "{field} must be 0 to {} (ECS tasks-per-service quota)",
                        facts.max_tasks()
                    ),
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
    (min, max, ok)
}

/// `metric`: cpu (the default), memory or requests.
fn metric(
    raw: &RawAutoscaling,
    path: &FieldPath,
    push: &mut impl FnMut(Problem),
) -> Option<ScalingMetric> {
    let names: Vec<&str> = ["cpu", "memory", "requests"].to_vec();
    match raw.metric.as_deref() {
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
    }
}

/// `target_value`, within the range of the metric.
fn target_value(
    raw: &RawAutoscaling,
    metric: Option<ScalingMetric>,
    path: &FieldPath,
    push: &mut impl FnMut(Problem),
) -> Option<f64> {
    match &raw.target_value {
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
    }
}
