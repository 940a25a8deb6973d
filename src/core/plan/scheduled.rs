//! Application Auto Scaling scheduled actions (CloudFormation `ScheduledActions`, Terraform
//! `aws_appautoscaling_scheduled_action`) as a plan's `uptime`: the common pair of a weekly
//! scale-up and scale-down at fixed times becomes one window, and the scaled-down capacity the
//! tasks kept outside it. Anything else (one action, rates, dates, different days) is left as a
//! note: the report then prices the desired count all the time.

use crate::core::plan::raw::{RawUptime, RawWindow};

/// One scheduled action, as the document gives it.
#[derive(Clone, Debug, Default)]
pub struct Action {
    /// `cron(M H ? * DAYS *)`.
    pub schedule: String,
    /// IANA zone; UTC when absent.
    pub timezone: Option<String>,
    pub min_capacity: Option<i64>,
    pub max_capacity: Option<i64>,
}

/// A scheduled action's capacity: a number, or a number written as text (the Terraform AWS
/// provider keeps these as strings).
pub fn capacity_value(v: &serde_json::Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// `cron(30 8 ? * MON-FRI *)` → (minute, hour, plan days).
fn cron(schedule: &str) -> Result<(u32, u32, String), String> {
    let inner = schedule
        .trim()
        .strip_prefix("cron(")
        .and_then(|s| s.strip_suffix(')'))
        .ok_or_else(|| format!("`{schedule}` is not a cron() schedule"))?;
    let f: Vec<&str> = inner.split_whitespace().collect();
    let [min, hour, dom, month, dow, rest @ ..] = f.as_slice() else {
        return Err(format!("`{schedule}`: a cron schedule has six fields"));
    };
    let minute: u32 = min
        .parse()
        .ok()
        .filter(|m| *m < 60)
        .ok_or_else(|| format!("`{schedule}`: the minute is not a fixed value"))?;
    let hour: u32 = hour
        .parse()
        .ok()
        .filter(|h| *h < 24)
        .ok_or_else(|| format!("`{schedule}`: the hour is not a fixed value"))?;
    let any = |s: &str| s == "*" || s == "?";
    if !any(dom) || !any(month) || !rest.iter().all(|y| any(y)) {
        return Err(format!(
            "`{schedule}`: only weekly schedules become uptime windows"
        ));
    }
    let days = if any(dow) {
        "daily".to_string()
    } else if dow
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == '-' || c == ',')
    {
        dow.to_ascii_lowercase()
    } else {
        return Err(format!(
            "`{schedule}`: days written as numbers are not read"
        ));
    };
    Ok((minute, hour, days))
}

fn capacity(a: &Action) -> Option<i64> {
    a.max_capacity.or(a.min_capacity)
}

/// The uptime a scale-up / scale-down pair describes, or why the actions are not one.
pub fn uptime(actions: &[Action]) -> Result<RawUptime, String> {
    let [a, b] = actions else {
        return Err(format!(
            "{} scheduled action(s): only a scale-up and scale-down pair becomes an uptime window",
            actions.len()
        ));
    };
    let (ca, cb) = (capacity(a), capacity(b));
    let (up, down) = match (ca, cb) {
        (Some(x), Some(y)) if x > y => (a, b),
        (Some(x), Some(y)) if y > x => (b, a),
        _ => return Err("the two scheduled actions do not scale to different capacities".into()),
    };
    let (um, uh, udays) = cron(&up.schedule)?;
    let (dm, dh, ddays) = cron(&down.schedule)?;
    if udays != ddays {
        return Err(format!(
            "the scale-up runs on `{udays}` and the scale-down on `{ddays}`: not one weekly window"
        ));
    }
    if up.timezone != down.timezone {
        return Err("the two scheduled actions have different time zones".into());
    }
    Ok(RawUptime {
        time_zone: up.timezone.clone(),
        windows: vec![RawWindow {
            days: udays,
            start: format!("{uh:02}:{um:02}"),
            end: format!("{dh:02}:{dm:02}"),
        }],
        outside_desired_count: capacity(down),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(schedule: &str, min: i64, max: i64) -> Action {
        Action {
            schedule: schedule.into(),
            timezone: Some("Europe/Berlin".into()),
            min_capacity: Some(min),
            max_capacity: Some(max),
        }
    }

    #[test]
    fn a_weekday_pair_is_one_window() {
        let u = uptime(&[
            act("cron(0 20 ? * MON-FRI *)", 0, 0),
            act("cron(30 7 ? * MON-FRI *)", 2, 10),
        ])
        .unwrap();
        assert_eq!(u.windows[0].days, "mon-fri");
        assert_eq!(
            (u.windows[0].start.as_str(), u.windows[0].end.as_str()),
            ("07:30", "20:00")
        );
        assert_eq!(u.outside_desired_count, Some(0));
        assert_eq!(u.time_zone.as_deref(), Some("Europe/Berlin"));
    }

    #[test]
    fn other_schedules_are_refused_with_the_reason() {
        assert!(uptime(&[act("rate(1 hour)", 0, 0), act("cron(0 8 * * ? *)", 2, 2)]).is_err());
        assert!(uptime(&[act("cron(0 8 ? * MON *)", 2, 2)]).is_err());
        let e = uptime(&[
            act("cron(0 20 ? * SAT *)", 0, 0),
            act("cron(0 8 ? * MON-FRI *)", 2, 4),
        ])
        .unwrap_err();
        assert!(e.contains("not one weekly window"), "{e}");
        assert!(
            uptime(&[
                act("cron(0 20 1 * ? *)", 0, 0),
                act("cron(0 8 2 * ? *)", 2, 4)
            ])
            .is_err()
        );
    }
}
