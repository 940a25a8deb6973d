//! `[service.load]`: the load the autoscaling tracks, as a built-in profile, hourly values, a
//! series or a CSV file, and the CSV reader.

use super::number;
use crate::core::plan::raw::RawLoad;
use crate::core::vocab::problem::{FieldPath, Problem, did_you_mean};
use crate::core::vocab::units::Scalar;
use serde::Serialize;
use std::str::FromStr;

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

pub(super) fn load(
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
    let shape = if let Some(p) = &raw.profile {
        profile(raw, p, path, push)?
    } else if let Some(rows) = &raw.hourly {
        hourly(rows, &path.key("hourly"), push)?
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

/// A built-in profile with its peak and low.
fn profile(
    raw: &RawLoad,
    p: &str,
    path: &FieldPath,
    push: &mut impl FnMut(Problem),
) -> Option<LoadShape> {
    let positive = |field: &str, v: &Scalar, push: &mut dyn FnMut(Problem)| match number(v) {
        Some(x) if x >= 0.0 => Some(x),
        _ => {
            push(Problem::new(path.key(field), "a load value is a number of 0 or more").value(v));
            None
        }
    };
    let profile = Profile::ALL.iter().find(|(n, _)| *n == p).map(|(_, k)| *k);
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
    Some(LoadShape::Profile {
        profile: profile?,
        peak: peak?,
        low: low?,
    })
}

/// An hourly table: 7 rows, Monday first, of 24 values.
fn hourly(
    rows: &[Vec<Scalar>],
    hp: &FieldPath,
    push: &mut impl FnMut(Problem),
) -> Option<LoadShape> {
    if rows.len() != 7 || rows.iter().any(|r| r.len() != 24) {
        push(
            Problem::new(
                hp.clone(),
                "an hourly table has 7 rows (Monday first) of 24 values",
            )
            .value(format!(
                "{} rows of {:?} values",
                rows.len(),
                rows.iter().map(Vec::len).collect::<Vec<_>>()
            )),
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
    Some(LoadShape::Hourly { rows: out })
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
