//! Rolling deployments (issue 20 item 7): what replacing every task of a service costs in
//! overlap billing and in lost capacity, under the ECS rolling-update rules.
//!
//! ECS replaces the tasks of a rolling deployment in rounds, keeping the running count at or
//! below ⌊desired × `maximumPercent` / 100⌋ and the healthy count at or above ⌈desired ×
//! `minimumHealthyPercent` / 100⌉ (ECS API, DeploymentConfiguration: maximumPercent rounds
//! down, minimumHealthyPercent rounds up). A round starts as many new tasks as that room allows
//! (`up` = the tasks allowed above the desired count, plus `down` = those allowed below it),
//! stops old ones early only when `up` is not room enough, and stops the rest once the new ones
//! are healthy (`startup` later). A round therefore lasts `startup`; an old task stopped early
//! leaves the service one task short for `startup` and is billed `stop_timeout` more (it
//! drains); an old task stopped at the end of its round is billed `startup + stop_timeout` more,
//! next to its replacement. With neither room (e.g. 100 % and 100 %) ECS could not proceed; the
//! planner then replaces one task at a time below the desired count (assumed).
//!
//! Assumed, not AWS's: deployments are evenly spaced, `deployments_per_month` per 30 days, the
//! first half a period in; one that falls while the service has no task waits for its next
//! task; one does not start before the previous one ends. Old tasks are replaced FARGATE first,
//! then FARGATE_SPOT; a deployment sees every task healthy (its overlap with a trial's Spot
//! interruptions and failures is not modelled) and keeps the desired count it started with.
//! Every trial sees the same deployments, so they are computed once per service.

use super::demand::Steps;
use super::engine::{MONTH_30D_S, provider_index};
use crate::core::plan::Service;
use crate::core::vocab::strategy::{Provider, Strategy};

/// What a service's deployments add to every trial.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Deployments {
    /// `(time, Δshort)`: tasks short while a round's early-stopped tasks are replaced.
    pub events: Vec<(f64, i64)>,
    /// Billed seconds beyond a deployment-free run, per provider (FARGATE, FARGATE_SPOT).
    pub extra_billed_s: [u64; 2],
    /// Tasks launched by deployments, per provider.
    pub tasks: [u32; 2],
    /// ∫ shortfall dt the deployments cause, task-seconds.
    pub shortfall_s: f64,
    /// Each deployment's `[start, end)`, seconds (scale-in waits while one runs).
    pub windows: Vec<(u64, u64)>,
}

/// The rolling-update settings of a service.
#[derive(Clone, Copy, Debug)]
pub struct Rolling {
    pub per_month: f64,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    pub startup_s: u32,
    pub stop_timeout_s: u32,
}

impl Rolling {
    /// A service's rolling-update settings (`[service.availability]`, `[service.spot]`).
    pub fn of(service: &Service) -> Rolling {
        Rolling {
            per_month: service.availability.deployments_per_month,
            minimum_healthy_percent: service.availability.minimum_healthy_percent,
            maximum_percent: service.availability.maximum_percent,
            startup_s: service.availability.startup_s,
            stop_timeout_s: service.spot.stop_timeout_s,
        }
    }

    /// Rounds a deployment of `n` tasks takes (each lasts `startup`).
    fn rounds(&self, n: u32) -> u64 {
        let (up, down) = room(n, self);
        u64::from(n.div_ceil(up.saturating_add(down).max(1)))
    }
}

/// Each deployment's `[start, end)` in seconds over `desired`'s horizon.
pub fn windows(desired: &Steps, r: &Rolling) -> Vec<(u64, u64)> {
    let startup = u64::from(r.startup_s);
    starts(desired, r, |n| r.rounds(n) * startup)
        .into_iter()
        .map(|(t, n)| (t, (t + r.rounds(n) * startup).min(desired.end).max(t + 1)))
        .collect()
}

/// Room a deployment of `n` tasks has: (tasks above desired, tasks below desired).
pub fn room(n: u32, r: &Rolling) -> (u32, u32) {
    let n64 = u64::from(n);
    let max = n64 * u64::from(r.maximum_percent) / 100;
    let min = (n64 * u64::from(r.minimum_healthy_percent)).div_ceil(100);
    let up = u32::try_from(max.saturating_sub(n64)).unwrap_or(u32::MAX);
    let down = u32::try_from(n64.saturating_sub(min)).unwrap_or(u32::MAX);
    if up == 0 && down == 0 {
        (0, 1)
    } else {
        (up, down)
    }
}

/// When the deployments start: evenly spaced, each at the service's next running instant and
/// never before the previous one has ended (`duration` of a deployment of `n` tasks).
fn starts(desired: &Steps, r: &Rolling, duration: impl Fn(u32) -> u64) -> Vec<(u64, u32)> {
    let mut out = Vec::new();
    if r.per_month <= 0.0 {
        return out;
    }
    let period = MONTH_30D_S / r.per_month;
    let mut free_from = 0u64;
    let mut j = 0u64;
    loop {
        let t = ((j as f64 + 0.5) * period) as u64;
        j += 1;
        if t >= desired.end {
            break;
        }
        let t = t.max(free_from);
        let first = if desired.at(t) > 0 {
            Some((t, desired.at(t)))
        } else {
            desired
                .points
                .iter()
                .find(|&&(s, n)| s >= t && n > 0)
                .copied()
        };
        let Some((at, n)) = first else { break };
        if at >= desired.end {
            break;
        }
        out.push((at, n));
        free_from = at.saturating_add(duration(n));
    }
    out
}

/// The deployments of a service over `desired`'s horizon.
pub fn deployments(desired: &Steps, strategy: &Strategy, r: &Rolling) -> Deployments {
    let mut d = Deployments::default();
    let startup = u64::from(r.startup_s);
    let end = desired.end;
    for (t, n) in starts(desired, r, |n| r.rounds(n) * startup) {
        let split = strategy.split_by_provider(n);
        let count = |p: Provider| split.iter().find(|(q, _)| *q == p).map_or(0, |(_, c)| *c);
        let fargate = count(Provider::Fargate);
        let (up, down) = room(n, r);
        let batch = up.saturating_add(down).max(1);
        let mut next = 0u32; // the next old task to replace, FARGATE ones first
        let mut round_start = t;
        while next < n {
            let k = batch.min(n - next);
            let early = k.saturating_sub(up).min(down);
            for i in 0..k {
                let p = if next + i < fargate {
                    Provider::Fargate
                } else {
                    Provider::FargateSpot
                };
                let x = provider_index(p);
                d.tasks[x] += 1;
                let extra = if i < early {
                    u64::from(r.stop_timeout_s)
                } else {
                    startup + u64::from(r.stop_timeout_s)
                };
                d.extra_billed_s[x] += extra;
            }
            let healthy = (round_start + startup).min(end);
            if early > 0 && healthy > round_start {
                d.events.push((round_start as f64, i64::from(early)));
                d.events.push((healthy as f64, -i64::from(early)));
                d.shortfall_s += f64::from(early) * (healthy - round_start) as f64;
            }
            next += k;
            round_start += startup;
        }
        d.windows.push((t, round_start.min(end).max(t + 1)));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::vocab::strategy::StrategyItem;

    fn rolling(min: u32, max: u32) -> Rolling {
        Rolling {
            per_month: 1.0,
            minimum_healthy_percent: min,
            maximum_percent: max,
            startup_s: 60,
            stop_timeout_s: 30,
        }
    }

    #[test]
    fn room_rounds_max_down_and_min_up() {
        // 4 tasks, 200 %/100 %: 4 above, none below. 150 %/50 %: ⌊6⌋ − 4 = 2 above,
        // 4 − ⌈2⌉ = 2 below. 5 tasks at 150 %/75 %: ⌊7.5⌋ − 5 = 2, 5 − ⌈3.75⌉ = 1.
        assert_eq!(room(4, &rolling(100, 200)), (4, 0));
        assert_eq!(room(4, &rolling(50, 150)), (2, 2));
        assert_eq!(room(5, &rolling(75, 150)), (2, 1));
        // No room either way: one at a time below the desired count (assumed).
        assert_eq!(room(1, &rolling(100, 150)), (0, 1));
    }

    #[test]
    fn a_deployment_costs_overlap_with_room_and_capacity_without() {
        let fargate = Strategy {
            items: vec![StrategyItem {
                provider: Provider::Fargate,
                base: 0,
                weight: 1,
            }],
        };
        let desired = Steps::constant(4, 30 * 86_400);
        // Defaults (100 %, 200 %): one round starts 4 new tasks; each old one runs on until its
        // replacement is healthy (60 s) and drains 30 s: 4 × 90 = 360 s billed extra, no
        // shortfall. The deployment is half a month (15 days) in.
        let d = deployments(&desired, &fargate, &rolling(100, 200));
        assert_eq!(d.extra_billed_s, [360, 0]);
        assert_eq!(d.tasks, [4, 0]);
        assert_eq!(d.shortfall_s, 0.0);
        assert_eq!(d.windows, vec![(15 * 86_400, 15 * 86_400 + 60)]);
        // 50 %, 100 %: no room above, 2 below: two rounds of two tasks stopped at once, each
        // short 60 s: 4 × 60 = 240 task-seconds short; billed extra only the drains, 4 × 30.
        let d = deployments(&desired, &fargate, &rolling(50, 100));
        assert_eq!(d.extra_billed_s, [120, 0]);
        assert_eq!(d.shortfall_s, 240.0);
        let t = (15 * 86_400) as f64;
        assert_eq!(
            d.events,
            vec![(t, 2), (t + 60.0, -2), (t + 60.0, 2), (t + 120.0, -2)]
        );
    }
}
