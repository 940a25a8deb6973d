//! `uptime`: the weekly schedule a service runs on, and the tasks kept outside it.

use crate::core::plan::raw::RawUptime;
use crate::core::vocab::problem::{FieldPath, Problem, did_you_mean};
use crate::core::vocab::schedule::{self, Uptime, WeeklySchedule};
use std::str::FromStr;

pub(super) fn check_uptime(
    u: &RawUptime,
    path: &FieldPath,
    desired: u32,
    push: &mut impl FnMut(Problem),
) -> (Option<Uptime>, u32) {
    let tz = u.time_zone.clone().unwrap_or_else(|| "UTC".to_string());
    if chrono_tz::Tz::from_str(&tz).is_err() {
        let names = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
        let hint = did_you_mean(&tz, names)
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
        push(
            Problem::new(path.key("time_zone"), "not an IANA time zone")
                .value(format!("{tz:?}"))
                .fix(format!(
                    "{hint}use a name such as `UTC`, `Europe/Berlin` or `America/New_York`"
                )),
        );
    }
    let outside = match u.outside_desired_count {
        None => 0,
        Some(n) if n >= 0 && n <= i64::from(desired) => n as u32,
        Some(n) => {
            push(
                Problem::new(
                    path.key("outside_desired_count"),
                    format!("tasks outside the windows must be 0 to the desired count ({desired})"),
                )
                .value(n),
            );
            0
        }
    };
    if u.windows.is_empty() {
        push(
            Problem::new(path.key("windows"), "an uptime schedule needs at least one window")
                .fix("add windows = [{ days = \"mon-fri\", start = \"08:00\", end = \"20:00\" }], or remove [uptime] for an always-on service"),
        );
        return (None, outside);
    }
    let mut intervals = Vec::new();
    let mut descriptions = Vec::new();
    let mut ok = true;
    for (i, w) in u.windows.iter().enumerate() {
        let wp = path.key("windows").index(i);
        let days = schedule::parse_days(&w.days)
            .map_err(|e| push(Problem::new(wp.key("days"), e).value(format!("{:?}", w.days))));
        let start = schedule::parse_clock(&w.start)
            .map_err(|e| push(Problem::new(wp.key("start"), e).value(format!("{:?}", w.start))));
        let end = schedule::parse_clock(&w.end)
            .map_err(|e| push(Problem::new(wp.key("end"), e).value(format!("{:?}", w.end))));
        match (days, start, end) {
            (Ok(days), Ok(start), Ok(end)) => {
                if start == end || (start == 1440 && end == 0) {
                    push(
                        Problem::new(
                            wp.clone(),
                            "the window is empty: start and end are the same time",
                        )
                        .fix("use start = \"00:00\", end = \"24:00\" for a whole day"),
                    );
                    ok = false;
                } else {
                    intervals.extend(schedule::window_intervals(&days, start % 1440, end));
                    descriptions.push(format!("{} {}-{}", w.days, w.start, w.end));
                }
            }
            _ => ok = false,
        }
    }
    if !ok {
        return (None, outside);
    }
    let schedule = WeeklySchedule {
        time_zone: tz,
        intervals: schedule::merge(intervals),
        description: descriptions.join(", "),
    };
    (Some(Uptime::Weekly(schedule)), outside)
}
