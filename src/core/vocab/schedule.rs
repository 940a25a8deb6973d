//! Weekly uptime schedules: when a service runs, as minute intervals of the week.

use serde::Serialize;
use std::fmt;

pub const MINUTES_PER_WEEK: u32 = 7 * 24 * 60;
pub const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const FULL_DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A half-open interval of minutes since Monday 00:00, `start < end <= MINUTES_PER_WEEK`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct WeekInterval {
    pub start: u32,
    pub end: u32,
}

/// A weekly schedule in a time zone. `intervals` are sorted and disjoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WeeklySchedule {
    pub time_zone: String,
    pub intervals: Vec<WeekInterval>,
    /// The windows as written, for display (`mon-fri 08:00-20:00`).
    pub description: String,
}

/// When the service runs its desired count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Uptime {
    Always,
    Weekly(WeeklySchedule),
}

impl Uptime {
    /// Minutes per week inside the schedule.
    pub fn minutes_per_week(&self) -> u32 {
        match self {
            Uptime::Always => MINUTES_PER_WEEK,
            Uptime::Weekly(s) => s.intervals.iter().map(|i| i.end - i.start).sum(),
        }
    }
}

impl fmt::Display for Uptime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Uptime::Always => f.write_str("always on"),
            Uptime::Weekly(s) => write!(f, "{} ({})", s.description, s.time_zone),
        }
    }
}

/// Parses a day list: `mon-fri`, `sat,sun`, `daily`, `weekdays`, `weekends`, `mon,wed-fri`.
/// Returns day indexes (0 = Monday).
pub fn parse_days(text: &str) -> Result<Vec<usize>, String> {
    let allowed = "day names mon..sun, ranges like `mon-fri`, lists like `sat,sun`, or `daily`, `weekdays`, `weekends`";
    let mut days = Vec::new();
    for part in text.split(',').map(|p| p.trim().to_ascii_lowercase()) {
        match part.as_str() {
            "daily" | "every day" | "all" => days.extend(0..7),
            "weekdays" => days.extend(0..5),
            "weekends" => days.extend(5..7),
            _ => {
                let day = |name: &str| {
                    let name = name.trim();
                    FULL_DAY_NAMES
                        .iter()
                        .position(|full| name.len() >= 3 && full.starts_with(name))
                        .ok_or_else(|| format!("`{name}` is not a day; expected {allowed}"))
                };
                if let Some((a, b)) = part.split_once('-') {
                    let (a, b) = (day(a)?, day(b)?);
                    if a <= b {
                        days.extend(a..=b);
                    } else {
                        days.extend(a..7);
                        days.extend(0..=b);
                    }
                } else {
                    days.push(day(&part)?);
                }
            }
        }
    }
    if days.is_empty() {
        return Err(format!("no days given; expected {allowed}"));
    }
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// Parses `HH:MM` (00:00 to 24:00) into minutes since midnight.
pub fn parse_clock(text: &str) -> Result<u32, String> {
    let bad = || format!("`{text}` is not a time of day; expected HH:MM from 00:00 to 24:00");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// One window as written: days, start and end. An end at or before the start runs past midnight
/// into the next day.
pub fn window_intervals(days: &[usize], start: u32, end: u32) -> Vec<WeekInterval> {
    let mut out = Vec::new();
    for &d in days {
        let day_start = d as u32 * 24 * 60;
        let s = day_start + start;
        let e = if end > start {
            day_start + end
        } else {
            day_start + 24 * 60 + end
        };
        if e <= MINUTES_PER_WEEK {
            out.push(WeekInterval { start: s, end: e });
        } else {
            out.push(WeekInterval {
                start: s,
                end: MINUTES_PER_WEEK,
            });
            out.push(WeekInterval {
                start: 0,
                end: e - MINUTES_PER_WEEK,
            });
        }
    }
    out
}

/// Sorts and merges overlapping or touching intervals.
pub fn merge(mut intervals: Vec<WeekInterval>) -> Vec<WeekInterval> {
    intervals.retain(|i| i.end > i.start);
    intervals.sort();
    let mut out: Vec<WeekInterval> = Vec::with_capacity(intervals.len());
    for i in intervals {
        match out.last_mut() {
            Some(last) if i.start <= last.end => last.end = last.end.max(i.end),
            _ => out.push(i),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_lists() {
        assert_eq!(parse_days("mon-fri"), Ok(vec![0, 1, 2, 3, 4]));
        assert_eq!(parse_days("sat,sun"), Ok(vec![5, 6]));
        assert_eq!(parse_days("Weekdays"), Ok(vec![0, 1, 2, 3, 4]));
        assert_eq!(parse_days("fri-mon"), Ok(vec![0, 4, 5, 6]));
        assert_eq!(parse_days("monday,wed"), Ok(vec![0, 2]));
        assert!(parse_days("funday").is_err());
        assert!(parse_days("mo").is_err());
        assert!(parse_days("").is_err());
    }

    #[test]
    fn clocks() {
        assert_eq!(parse_clock("08:00"), Ok(480));
        assert_eq!(parse_clock("24:00"), Ok(1440));
        assert_eq!(parse_clock("8:30"), Ok(510));
        for bad in ["24:01", "08:60", "8", "08:0", "-1:00", "x:00"] {
            assert!(parse_clock(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn weekday_business_hours_are_sixty_hours() {
        let days = parse_days("mon-fri").unwrap();
        let iv = merge(window_intervals(&days, 480, 1200));
        let s = Uptime::Weekly(WeeklySchedule {
            time_zone: "UTC".into(),
            intervals: iv,
            description: String::new(),
        });
        assert_eq!(s.minutes_per_week(), 60 * 60);
    }

    #[test]
    fn overnight_windows_wrap_and_overlaps_merge() {
        // Sunday 22:00 to Monday 06:00 wraps around the end of the week.
        let iv = merge(window_intervals(&[6], 22 * 60, 6 * 60));
        assert_eq!(
            iv,
            vec![
                WeekInterval { start: 0, end: 360 },
                WeekInterval {
                    start: 6 * 1440 + 1320,
                    end: MINUTES_PER_WEEK
                }
            ]
        );
        let mut both = window_intervals(&[0], 0, 1440);
        both.extend(window_intervals(&[0], 600, 700));
        assert_eq!(
            merge(both),
            vec![WeekInterval {
                start: 0,
                end: 1440
            }]
        );
    }
}
