//! The deterministic half of the model: uptime schedule + load + target tracking → the desired
//! count over time, as a step function computed once per service and shared by every trial.
//!
//! The clock is UTC seconds from the horizon start (a date at 00:00 UTC). Schedules and load
//! profiles are in their own time zones and are evaluated minute by minute in local time, so a
//! daylight-saving change moves a `08:00` window the way ECS scheduled actions move it.
//!
//! Target tracking as Application Auto Scaling does it (issue 20 item 5), per minute (the
//! metric's period): the policy sees the load of [`METRIC_LAG_MIN`] minute(s) ago (the
//! metric's publication lag, assumed). The ideal count is `ceil(load / (what one task carries at
//! the target))`, clamped to `[min_capacity, max_capacity]`. When it stays above the current
//! count for `scale_out_delay` (default 3 min: the alarm's 3 datapoints) the count jumps to the
//! ideal — also inside the scale-out cooldown, since AWS counts the capacity the last scale-out
//! added as desired and scales out again when the metric asks for more (`ScaleOutCooldown`,
//! API reference). Scale-in needs the metric well below the target: under
//! [`SCALE_IN_SHARE`] of it (assumed) for `scale_in_delay` (default 15 min: 15 datapoints);
//! it then drops to the ideal count, at most once per `scale_in_cooldown`, and never while a
//! rolling deployment runs (scale-in is suspended during deployments). Outside the uptime
//! windows the count is the plan's `outside_desired_count` (a scheduled action setting min =
//! max); on entering a window it starts from `max(min_capacity, that count)`.
//!
//! This count is shared by every trial (common random numbers). What a trial's own shortage does
//! to the metric — survivors carrying the load of the tasks it lacks — is the trial's surge
//! (`engine/surge.rs`), fed by the per-minute need computed here.

use super::SimError;
use crate::core::plan::sections::load::Profile;
use crate::core::plan::{Autoscaling, Load, LoadShape, LoadUnit, ScalingMetric, Service};
use crate::core::vocab::schedule::{MINUTES_PER_WEEK, Uptime};
use chrono::{Datelike, NaiveDate, Offset, TimeZone, Timelike};
use chrono_tz::Tz;
use serde::Serialize;
use std::str::FromStr;

/// A step function of time: `points[i].1` holds from `points[i].0` (seconds) until the next
/// point, the last one until `end`. Points are strictly increasing in time and change value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Steps {
    pub points: Vec<(u64, u32)>,
    pub end: u64,
}

impl Steps {
    /// A constant over `[0, end)`.
    pub fn constant(value: u32, end: u64) -> Steps {
        Steps {
            points: vec![(0, value)],
            end,
        }
    }

    /// Builds from `(time, value)` pairs, dropping repeats; the first pair must be at 0.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (u64, u32)>, end: u64) -> Steps {
        let mut points: Vec<(u64, u32)> = Vec::new();
        for (t, v) in pairs {
            if t >= end {
                break;
            }
            match points.last_mut() {
                Some(last) if last.0 == t => last.1 = v,
                Some(last) if last.1 == v => {}
                _ => points.push((t, v)),
            }
        }
        // Merging equal neighbours after an overwrite.
        points.dedup_by(|b, a| a.1 == b.1);
        Steps { points, end }
    }

    /// The value at time `t`.
    pub fn at(&self, t: u64) -> u32 {
        let i = self.points.partition_point(|p| p.0 <= t);
        if i == 0 { 0 } else { self.points[i - 1].1 }
    }

    /// `(start, end, value)` for each step.
    pub fn segments(&self) -> impl Iterator<Item = (u64, u64, u32)> + '_ {
        self.points.iter().enumerate().map(|(i, &(t, v))| {
            let next = self.points.get(i + 1).map_or(self.end, |p| p.0);
            (t, next, v)
        })
    }

    /// ∫ value dt, in value-seconds.
    pub fn integral(&self) -> u64 {
        self.segments()
            .map(|(a, b, v)| (b - a) * u64::from(v))
            .sum()
    }
}

/// Local clock in one time zone, cached per quarter hour (every zone changes offset on a quarter
/// hour, so the cache is exact).
struct LocalClock {
    tz: Tz,
    start: chrono::NaiveDateTime,
    cached_quarter: Option<u32>,
    offset_minutes: i64,
}

impl LocalClock {
    fn new(zone: &str, start: NaiveDate) -> Result<LocalClock, SimError> {
        let tz = Tz::from_str(zone)
            .map_err(|_| SimError::Input(format!("`{zone}` is not an IANA time zone")))?;
        Ok(LocalClock {
            tz,
            start: start.and_hms_opt(0, 0, 0).unwrap_or_default(),
            cached_quarter: None,
            offset_minutes: 0,
        })
    }

    /// Minute of the local week (0 = Monday 00:00) at UTC minute `m` of the horizon.
    fn week_minute(&mut self, m: u32) -> u32 {
        let quarter = m / 15;
        if self.cached_quarter != Some(quarter) {
            let utc = self.start + chrono::Duration::minutes(i64::from(m));
            self.offset_minutes = i64::from(
                self.tz
                    .offset_from_utc_datetime(&utc)
                    .fix()
                    .local_minus_utc(),
            ) / 60;
            self.cached_quarter = Some(quarter);
        }
        let local = self.start + chrono::Duration::minutes(i64::from(m) + self.offset_minutes);
        local.weekday().num_days_from_monday() * 1440 + local.hour() * 60 + local.minute()
    }
}

/// A 7 × 24 table (Monday first) for a built-in profile.
pub fn profile_table(profile: Profile, peak: f64, low: f64) -> Vec<[f64; 24]> {
    (0..7)
        .map(|day| {
            let mut row = [0.0; 24];
            for (h, v) in row.iter_mut().enumerate() {
                *v = match profile {
                    Profile::Flat => peak,
                    Profile::BusinessHours => {
                        if day < 5 && (8..18).contains(&h) {
                            peak
                        } else {
                            low
                        }
                    }
                    Profile::DiurnalWeb => {
                        let phase = (h as f64 - 4.0) / 24.0 * std::f64::consts::TAU;
                        let daily = low + (peak - low) * (1.0 - libm::cos(phase)) / 2.0;
                        if day < 5 {
                            daily
                        } else {
                            low + (daily - low) * 0.7
                        }
                    }
                };
            }
            row
        })
        .collect()
}

/// The load at each minute, as a closure over the minute index.
enum LoadSource {
    Table(Vec<[f64; 24]>, LocalClock),
    Series(Vec<(u32, f64)>, u32),
}

impl LoadSource {
    fn new(load: &Load, start: NaiveDate) -> Result<LoadSource, SimError> {
        Ok(match &load.shape {
            LoadShape::Profile { profile, peak, low } => LoadSource::Table(
                profile_table(*profile, *peak, *low),
                LocalClock::new(&load.time_zone, start)?,
            ),
            LoadShape::Hourly { rows } => {
                LoadSource::Table(rows.clone(), LocalClock::new(&load.time_zone, start)?)
            }
            LoadShape::Series {
                points,
                period_minutes,
            } => {
                if points.is_empty() || *period_minutes == 0 {
                    return Err(SimError::Input("the load series is empty".to_string()));
                }
                LoadSource::Series(points.clone(), *period_minutes)
            }
            LoadShape::File { path } => {
                return Err(SimError::Input(format!(
                    "the load file `{path}` was not read; the command line reads it before simulating"
                )));
            }
        })
    }

    fn at(&mut self, m: u32) -> f64 {
        match self {
            LoadSource::Table(rows, clock) => {
                let wm = clock.week_minute(m);
                rows[(wm / 1440) as usize % 7][((wm % 1440) / 60) as usize]
            }
            LoadSource::Series(points, period) => {
                let x = m % *period;
                let i = points.partition_point(|p| p.0 <= x);
                points[i.saturating_sub(1)].1
            }
        }
    }
}

/// The load one task carries with the metric at the target.
fn per_task_at_target(a: &Autoscaling, unit: LoadUnit) -> f64 {
    match a.metric {
        // ALBRequestCountPerTarget counts requests per target per minute.
        ScalingMetric::Requests => a.target_value / 60.0,
        ScalingMetric::Cpu | ScalingMetric::Memory => {
            let capacity = a.per_task_capacity.unwrap_or(match unit {
                LoadUnit::TaskPercent => 100.0,
                LoadUnit::RequestsPerSecond => f64::INFINITY,
            });
            capacity * a.target_value / 100.0
        }
    }
}

/// The count target tracking aims at for a load, before min/max.
pub fn ideal_count(a: &Autoscaling, unit: LoadUnit, load: f64) -> u32 {
    let per_task_at_target = per_task_at_target(a, unit);
    if per_task_at_target <= 0.0 || !per_task_at_target.is_finite() {
        return 0;
    }
    // A hair of tolerance so that 120 / 60 is 2, not 3, whatever the float rounding.
    let x = (load / per_task_at_target - 1e-9).ceil();
    if x <= 0.0 {
        0
    } else if x >= f64::from(a.max_capacity) {
        // Target tracking never asks for more than the scalable target's maximum.
        a.max_capacity
    } else {
        x as u32
    }
}

/// Minutes between the load and the metric the policy sees: one metric period (1 minute),
/// assumed to be published within the next minute.
pub const METRIC_LAG_MIN: u32 = 1;
/// Share of the target the metric must stay under to scale in (assumed: AWS says it scales in
/// only when the metric is well below the target and publishes no figure).
pub const SCALE_IN_SHARE: f64 = 0.9;

/// The desired count of a service over `horizon_minutes` from `start` 00:00 UTC. With rolling
/// deployments and target tracking, scale-in waits while a deployment runs: the deployments are
/// placed on a first timeline, and the count recomputed around them.
pub fn desired_timeline(
    service: &Service,
    start: NaiveDate,
    horizon_minutes: u32,
) -> Result<Steps, SimError> {
    Ok(desired_and_need(service, start, horizon_minutes)?.0)
}

/// [`desired_timeline`], and for a service that tracks a load: per minute, the tasks the load
/// needs to keep the metric at the target (`load / what one task carries at the target`, not
/// rounded; NaN outside the uptime windows, where no policy acts). Survivors of a shortage push
/// the metric over the target when fewer than this many are healthy ([`super::surge`]).
pub fn desired_and_need(
    service: &Service,
    start: NaiveDate,
    horizon_minutes: u32,
) -> Result<(Steps, Option<Vec<f64>>), SimError> {
    let mut need = Vec::new();
    let first = timeline(service, start, horizon_minutes, &[], &mut need)?;
    let tracked = service.autoscaling.is_some() && service.load.is_some();
    if service.autoscaling.is_none() || service.availability.deployments_per_month <= 0.0 {
        return Ok((first, tracked.then_some(need)));
    }
    let windows = super::deploy::windows(&first, &super::deploy::Rolling::of(service));
    need.clear();
    let steps = timeline(service, start, horizon_minutes, &windows, &mut need)?;
    Ok((steps, tracked.then_some(need)))
}

fn timeline(
    service: &Service,
    start: NaiveDate,
    horizon_minutes: u32,
    no_scale_in: &[(u64, u64)],
    need: &mut Vec<f64>,
) -> Result<Steps, SimError> {
    let end = u64::from(horizon_minutes) * 60;
    let mut in_window: Option<(Vec<bool>, LocalClock)> = match &service.uptime {
        Uptime::Always => None,
        Uptime::Weekly(s) => {
            let mut bits = vec![false; MINUTES_PER_WEEK as usize];
            for i in &s.intervals {
                for b in &mut bits[i.start as usize..i.end as usize] {
                    *b = true;
                }
            }
            Some((bits, LocalClock::new(&s.time_zone, start)?))
        }
    };
    let mut inside = |m: u32| match &mut in_window {
        None => true,
        Some((bits, clock)) => bits[clock.week_minute(m) as usize],
    };
    let (Some(a), Some(load)) = (&service.autoscaling, &service.load) else {
        // Fixed replicas. Autoscaling with no load to track keeps the desired count, moved into
        // its min..=max range as Application Auto Scaling would.
        let clamp = |n: u32| match &service.autoscaling {
            Some(a) => n.clamp(a.min_capacity, a.max_capacity.max(a.min_capacity)),
            None => n,
        };
        let pairs = (0..horizon_minutes).map(|m| {
            let n = if inside(m) {
                clamp(service.desired_count)
            } else {
                service.outside_desired_count
            };
            (u64::from(m) * 60, n)
        });
        return Ok(Steps::from_pairs(pairs, end));
    };
    let mut source = LoadSource::new(load, start)?;
    let clamp = |n: u32| n.clamp(a.min_capacity, a.max_capacity);
    let out_delay = a.scale_out_delay_s.div_ceil(60);
    let in_delay = a.scale_in_delay_s.div_ceil(60);
    let in_cd = a.scale_in_cooldown_s.div_ceil(60);
    let mut pairs = Vec::new();
    let mut current: u32 = 0;
    let mut was_inside = false;
    let (mut above, mut below) = (0u32, 0u32);
    let mut last_in: Option<u32> = None;
    // The last loads, oldest first: the policy sees the one `METRIC_LAG_MIN` minutes back.
    let mut recent: std::collections::VecDeque<f64> = std::collections::VecDeque::new();
    let deploying = |m: u32| {
        let t = u64::from(m) * 60;
        no_scale_in.iter().any(|&(s, e)| t >= s && t < e)
    };
    for m in 0..horizon_minutes {
        let now = source.at(m);
        let carried = per_task_at_target(a, load.unit);
        need.push(if inside(m) && carried > 0.0 && carried.is_finite() {
            now / carried
        } else {
            f64::NAN
        });
        recent.push_back(now);
        if recent.len() > METRIC_LAG_MIN as usize + 1 {
            recent.pop_front();
        }
        let seen = recent.front().copied().unwrap_or(0.0);
        let ideal = clamp(ideal_count(a, load.unit, seen));
        // The count below which the metric would be under SCALE_IN_SHARE of the target.
        let low = clamp(ideal_count(a, load.unit, seen / SCALE_IN_SHARE));
        if !inside(m) {
            current = service.outside_desired_count;
            was_inside = false;
            above = 0;
            below = 0;
        } else {
            if m == 0 {
                // The horizon starts in steady state.
                current = ideal;
            } else if !was_inside {
                current = a
                    .min_capacity
                    .max(service.outside_desired_count)
                    .min(a.max_capacity);
                above = 0;
                below = 0;
            } else {
                // Act on the minutes before this one.
                let cooled = |last: Option<u32>, cd: u32| last.is_none_or(|l| m - l >= cd);
                if above >= out_delay.max(1) {
                    current = pending_out(current, ideal);
                    above = 0;
                } else if below >= in_delay.max(1) && cooled(last_in, in_cd) && !deploying(m) {
                    current = ideal.min(current);
                    last_in = Some(m);
                    below = 0;
                }
            }
            was_inside = true;
            // Observe this minute.
            if ideal > current {
                above += 1;
                below = 0;
            } else if low < current {
                below += 1;
                above = 0;
            } else {
                above = 0;
                below = 0;
            }
        }
        pairs.push((u64::from(m) * 60, current));
    }
    Ok(Steps::from_pairs(pairs, end))
}

/// The count a scale-out sets: the ideal count at the moment the alarm fires (never lower).
fn pending_out(current: u32, ideal: u32) -> u32 {
    ideal.max(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_merge_repeats_and_integrate() {
        let s = Steps::from_pairs([(0, 2), (60, 2), (120, 3), (180, 3), (240, 2)], 300);
        assert_eq!(s.points, vec![(0, 2), (120, 3), (240, 2)]);
        assert_eq!(s.integral(), 120 * 2 + 120 * 3 + 60 * 2);
        assert_eq!(s.at(119), 2);
        assert_eq!(s.at(120), 3);
    }

    #[test]
    fn ideal_counts() {
        let a = Autoscaling {
            min_capacity: 1,
            max_capacity: 10,
            metric: ScalingMetric::Cpu,
            target_value: 50.0,
            per_task_capacity: Some(100.0),
            scale_out_delay_s: 180,
            scale_in_delay_s: 900,
            scale_out_cooldown_s: 300,
            scale_in_cooldown_s: 300,
        };
        // 100 rps per task at 100 % CPU, target 50 %: 50 rps per task.
        assert_eq!(ideal_count(&a, LoadUnit::RequestsPerSecond, 100.0), 2);
        assert_eq!(ideal_count(&a, LoadUnit::RequestsPerSecond, 101.0), 3);
        assert_eq!(ideal_count(&a, LoadUnit::RequestsPerSecond, 0.0), 0);
        let r = Autoscaling {
            metric: ScalingMetric::Requests,
            target_value: 600.0,
            per_task_capacity: None,
            ..a
        };
        // 600 requests per target per minute = 10 rps per task.
        assert_eq!(ideal_count(&r, LoadUnit::RequestsPerSecond, 95.0), 10);
    }

    #[test]
    fn profiles_peak_where_documented() {
        let t = profile_table(Profile::DiurnalWeb, 100.0, 10.0);
        assert!((t[0][16] - 100.0).abs() < 1e-9 && (t[0][4] - 10.0).abs() < 1e-9);
        assert!((t[6][16] - 73.0).abs() < 1e-9);
        let b = profile_table(Profile::BusinessHours, 100.0, 10.0);
        assert_eq!((b[0][8], b[0][18], b[5][12]), (100.0, 10.0, 10.0));
    }
}
