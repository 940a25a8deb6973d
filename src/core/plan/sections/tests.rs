//! Tests of the simulation tables: durations, defaults and load files.

use super::*;
use crate::core::plan::sections::load::{LoadShape, parse_load_csv};

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

/// `[service.availability]` text read and merged over the defaults, with its problems.
fn availability(text: &str) -> (Availability, Vec<Problem>) {
    let facts = crate::core::rules::Facts::embedded().unwrap();
    let path = FieldPath::root().key("availability");
    let raw: crate::core::plan::raw::RawAvailability = toml::from_str(text).unwrap();
    let mut problems = Vec::new();
    let f = spot::availability_fields(&raw, &path, &facts, &mut |p| problems.push(p));
    let mut a = Availability::default();
    spot::merge_availability(&mut a, &f);
    (a, problems)
}

/// `[service.spot]` text read and merged over the defaults, with its problems.
fn spot_section(text: &str) -> (spot::SpotAssumptions, Vec<Problem>) {
    let path = FieldPath::root().key("spot");
    let raw: crate::core::plan::raw::RawSpot = toml::from_str(text).unwrap();
    let mut problems = Vec::new();
    let f = spot::spot_fields(&raw, &path, &mut |p| problems.push(p));
    let mut a = spot::SpotAssumptions::default();
    spot::merge_spot(&mut a, &f);
    (a, problems)
}

#[test]
fn zone_outage_fields_are_read_and_checked() {
    let (a, ps) = spot_section("zone_outages_per_month = 2\nzone_outage_duration = \"20m\"");
    assert!(ps.is_empty(), "{ps:?}");
    assert_eq!(a.zone_outages_per_month, 2.0);
    assert_eq!(a.zone_outage_duration_s, 1200);
    assert_eq!(a.outages_per_month, 0.0);
    for (bad, field) in [
        ("zone_outages_per_month = -1", "zone_outages_per_month"),
        ("zone_outage_duration = \"0s\"", "zone_outage_duration"),
    ] {
        let (_, ps) = spot_section(bad);
        let text = format!("{ps:?}");
        assert!(text.contains(field), "{text}");
    }
}

#[test]
fn task_failure_rate_and_maximum_percent_default_merge_and_are_checked() {
    let check = availability;
    let (a, ps) = check("");
    assert!(ps.is_empty());
    // Assumed, not an AWS figure; maximumPercent is ECS's default.
    assert_eq!(a.task_failure_rate, 0.0005);
    assert!(a.task_failure_rate_is_default);
    assert_eq!(a.maximum_percent, 200);
    let (a, ps) = check("task_failure_rate = 0\nmaximum_percent = 100");
    assert!(ps.is_empty());
    assert_eq!(
        (a.task_failure_rate, a.task_failure_rate_is_default),
        (0.0, false)
    );
    assert_eq!(a.maximum_percent, 100);
    let (_, ps) = check("task_failure_rate = -1\nmaximum_percent = 99");
    let fields: Vec<String> = ps.iter().map(|p| p.path.to_string()).collect();
    assert_eq!(
        fields,
        [
            "availability.task_failure_rate",
            "availability.maximum_percent"
        ],
        "{ps:?}"
    );
}

#[test]
fn startup_and_deployment_fields_default_merge_and_are_checked() {
    let check = availability;
    let (a, ps) = check("");
    assert!(ps.is_empty());
    // ECS's default minimumHealthyPercent; no deployments unless the plan says so.
    assert_eq!(
        (a.minimum_healthy_percent, a.deployments_per_month),
        (100, 0.0)
    );
    assert_eq!((a.image_pull_s, a.lb_health_check_interval_s), (None, None));
    let (a, ps) = check(
        "image_pull = \"45s\"\nlb_health_check_interval = 15\nminimum_healthy_percent = 50\ndeployments_per_month = 8",
    );
    assert!(ps.is_empty(), "{ps:?}");
    assert_eq!(
        (a.image_pull_s, a.lb_health_check_interval_s),
        (Some(45), Some(15))
    );
    assert_eq!(
        (a.minimum_healthy_percent, a.deployments_per_month),
        (50, 8.0)
    );
    assert!(!a.startup_is_explicit);
    let (_, ps) = check(
        "image_pull = \"2h\"\nlb_health_check_interval = 4\nminimum_healthy_percent = 101\ndeployments_per_month = -1",
    );
    let fields: Vec<String> = ps.iter().map(|p| p.path.to_string()).collect();
    assert_eq!(
        fields,
        [
            "availability.image_pull",
            "availability.lb_health_check_interval",
            "availability.minimum_healthy_percent",
            "availability.deployments_per_month"
        ],
        "{ps:?}"
    );
}
