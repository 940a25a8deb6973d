//! The task startup `simulate` assumes, derived from what the plan says about the task (issue 20
//! item 4): image pull, the containers' health checks and a load balancer's health check. An
//! explicit `startup` still wins; a plan that says none of these keeps the old 60 s assumption.
//!
//! - Image pull: `image_pull` seconds, else 30 s (**assumed**: the low end of the ~30–60 s AWS
//!   documentation and field reports give). Fargate bills from the start of the pull
//!   (aws.amazon.com/fargate/pricing), so the pull is billed like the rest of the startup.
//! - Container health check: a container counts healthy at its first passing check after it
//!   starts. Inside the start period a failure does not count and a success marks it healthy,
//!   so a task is healthy at the first check, one `interval` after the start (ECS API
//!   `HealthCheck`; the default interval is `data/fargate-rules.toml` `[health_check]`). Only
//!   essential containers decide a task's health; the slowest one counts.
//! - Load balancer: ECS waits for the target group to report the task healthy. A newly
//!   registered target needs **one** passing check whatever `HealthyThresholdCount` says (the
//!   threshold applies only to a target recovering from unhealthy: ECS Developer Guide,
//!   "Optimize load balancer health check parameters"), so this adds one interval
//!   (`lb_health_check_interval`, the target group's `HealthCheckIntervalSeconds`). That
//!   registration waits for the containers to be healthy is **assumed** (the steps add up).

use super::parse_duration;
use crate::core::plan::raw::{RawAvailability, RawContainer};
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem};
use std::fmt::Write;

/// Planner assumption: image pull seconds when the plan gives none but derives the startup.
pub const DEFAULT_IMAGE_PULL_S: u32 = 30;

/// What the default startup (60 s) rests on.
pub fn default_derivation() -> String {
    format!(
        "{} s: planner default (assumed: image pull, start, health checks); set image_pull, a container health_check or lb_health_check_interval to derive it",
        super::spot::DEFAULT_STARTUP_S
    )
}

/// Checks `image_pull` and `lb_health_check_interval`.
pub(super) fn startup_fields(
    raw: &RawAvailability,
    path: &FieldPath,
    image_pull_s: &mut Option<u32>,
    lb_interval_s: &mut Option<u32>,
    push: &mut impl FnMut(Problem),
) {
    if let Some(v) = &raw.image_pull {
        match parse_duration(v) {
            Ok(s) if s <= 3600 => *image_pull_s = Some(s),
            Ok(_) => push(
                Problem::new(path.key("image_pull"), "an image pull of more than an hour")
                    .value(v)
                    .fix("give the seconds the task's images take to pull, e.g. image_pull = \"45s\""),
            ),
            Err(e) => push(Problem::new(path.key("image_pull"), e).value(v)),
        }
    }
    if let Some(v) = &raw.lb_health_check_interval {
        match parse_duration(v) {
            Ok(s) if (5..=300).contains(&s) => *lb_interval_s = Some(s),
            Ok(_) => push(
                Problem::new(
                    path.key("lb_health_check_interval"),
                    "a target group's HealthCheckIntervalSeconds is from 5 to 300 seconds",
                )
                .value(v)
                .fix("the Elastic Load Balancing default is 30 s"),
            ),
            Err(e) => push(Problem::new(path.key("lb_health_check_interval"), e).value(v)),
        }
    }
}

/// Sets `a.startup_s` and `a.startup_derivation` from the plan's containers and settings,
/// unless the plan wrote `startup`.
pub fn derive_startup(
    a: &mut super::spot::Availability,
    containers: &[RawContainer],
    facts: &Facts,
) {
    if a.startup_is_explicit {
        a.startup_derivation = format!("{} s as written (startup)", a.startup_s);
        return;
    }
    let default_interval = facts.rules.health_check.interval_default_s;
    let container = containers
        .iter()
        .filter(|c| c.essential != Some(false))
        .filter_map(|c| c.health_check.as_ref())
        .map(|h| {
            h.interval
                .and_then(|i| u32::try_from(i).ok())
                .unwrap_or(default_interval)
        })
        .max();
    if container.is_none() && a.image_pull_s.is_none() && a.lb_health_check_interval_s.is_none() {
        a.startup_s = super::spot::DEFAULT_STARTUP_S;
        a.startup_derivation = default_derivation();
        return;
    }
    let pull = a.image_pull_s.unwrap_or(DEFAULT_IMAGE_PULL_S);
    let mut text = match a.image_pull_s {
        Some(p) => format!("image pull {p} s"),
        None => format!("image pull {pull} s (assumed)"),
    };
    let mut total = pull;
    if let Some(i) = container {
        total = total.saturating_add(i);
        let _ = write!(
            text,
            " + container health check passing at its first interval {i} s"
        );
    }
    if let Some(i) = a.lb_health_check_interval_s {
        total = total.saturating_add(i);
        let _ = write!(
            text,
            " + load balancer: one passing check of a new target, interval {i} s"
        );
    }
    let _ = write!(text, " = {total} s");
    a.startup_s = total;
    a.startup_derivation = text;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::plan::raw::RawHealthCheck;
    use crate::core::plan::sections::spot::Availability;

    fn container(essential: Option<bool>, interval: Option<i64>) -> RawContainer {
        RawContainer {
            essential,
            health_check: Some(RawHealthCheck {
                command: vec!["CMD".into(), "true".into()],
                interval,
                ..RawHealthCheck::default()
            }),
            ..RawContainer::default()
        }
    }

    #[test]
    fn startup_is_pull_plus_first_container_check_plus_one_lb_check() {
        let facts = Facts::embedded().unwrap();
        // Nothing said: the 60 s assumption, unchanged.
        let mut a = Availability::default();
        derive_startup(&mut a, &[RawContainer::default()], &facts);
        assert_eq!(a.startup_s, 60);
        assert!(a.startup_derivation.contains("assumed"));
        // A health check at the ECS default interval (30 s) and the assumed 30 s pull: 60 s.
        derive_startup(&mut a, &[container(None, None)], &facts);
        assert_eq!(a.startup_s, 30 + 30);
        // Pull 45 s, the slower essential container checks every 20 s (a non-essential one
        // every 100 s does not count), load balancer every 15 s: 45 + 20 + 15 = 80 s.
        a.image_pull_s = Some(45);
        a.lb_health_check_interval_s = Some(15);
        let cs = [
            container(None, Some(10)),
            container(Some(true), Some(20)),
            container(Some(false), Some(100)),
        ];
        derive_startup(&mut a, &cs, &facts);
        assert_eq!(a.startup_s, 80);
        assert_eq!(
            a.startup_derivation,
            "image pull 45 s + container health check passing at its first interval 20 s + load balancer: one passing check of a new target, interval 15 s = 80 s"
        );
        // An explicit startup wins.
        a.startup_s = 90;
        a.startup_is_explicit = true;
        derive_startup(&mut a, &cs, &facts);
        assert_eq!(a.startup_s, 90);
        assert!(a.startup_derivation.contains("as written"));
    }
}
