//! Tests of rolling deployments and of scale-in waiting for them (issue 20 items 5 and 7),
//! against hand-checked figures.

use super::demand::desired_timeline;
use super::*;
use crate::core::plan::LoadShape;

fn service_plan(extra: &str) -> Plan {
    crate::core::testing::plan(&format!(
        "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"web\"\ncpu = 512\nmemory = 1024\n{extra}\n[[service.container_definitions]]\nname = \"web\"\nimage = \"x\"\n"
    ))
}

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()
}

#[test]
fn scale_in_waits_for_a_running_deployment() {
    let text = |deploys: &str| {
        format!(
            "availability = {{ startup = \"3m\", maximum_percent = 100, minimum_healthy_percent = 100{deploys} }}\n[service.autoscaling]\nmin_capacity = 1\nmax_capacity = 20\ntarget_value = 100\nper_task_capacity = 10\n[service.load]\nfile = \"load.csv\""
        )
    };
    let desired = |p: &mut Plan| {
        // 60 rps (6 tasks at 10 per task) until minute 710, then 10 rps (1 task).
        p.services[0].load.as_mut().unwrap().shape = LoadShape::Series {
            points: vec![(0, 60.0), (710, 10.0)],
            period_minutes: 1440,
        };
        desired_timeline(&p.services[0], monday(), 1440)
            .unwrap()
            .points
    };
    // Without deployments: the drop is seen at 711, 15 datapoints (711–725) scale in at 726.
    let mut p = service_plan(&text(""));
    assert_eq!(desired(&mut p), vec![(0, 6), (726 * 60, 1)]);
    // 30 a month: one a day, the first at 12:00 (minute 720), on 6 tasks. 100 %/100 % leaves
    // no room, so one task at a time (assumed): 6 rounds of the 3-minute startup, 720–738.
    // Scale-in waits for its end.
    let mut p = service_plan(&text(", deployments_per_month = 30"));
    assert_eq!(desired(&mut p), vec![(0, 6), (738 * 60, 1)]);
}

#[test]
fn a_deployment_without_room_above_costs_capacity_and_drains() {
    // 4 FARGATE tasks for 30 days, one deployment at day 15, minimumHealthyPercent 50,
    // maximumPercent 100: ⌈2⌉ must stay healthy, none may run above 4, so two rounds stop two
    // old tasks each and start two new ones (startup 60 s). Shortfall: 4 tasks × 60 s = 4
    // task-minutes; below min_healthy 3 for 2 × 60 s of the 2,592,000 s. Billing: each old
    // task drains 30 s (stop timeout) after its stop: 4 × 30 s = 2 task-minutes more than
    // 4 × 720 task-hours.
    let p = service_plan(
        "desired_count = 4\navailability = { min_healthy = 3, task_failure_rate = 0, startup = \"60s\", maximum_percent = 100, minimum_healthy_percent = 50, deployments_per_month = 1 }",
    );
    let o = SimOptions {
        trials: 3,
        seed: 7,
        horizon_minutes: 30 * 1440,
        start: monday(),
        timeline_step_s: None,
    };
    let sim = simulate(
        &p,
        &[],
        &crate::core::testing::book(),
        &crate::core::testing::facts(),
        &o,
        &|_| {},
    )
    .unwrap()
    .0;
    let s = &sim.services[0];
    assert!((s.shortfall_task_minutes.mean - 4.0).abs() < 1e-9);
    let lost = 100.0 * 120.0 / 2_592_000.0;
    assert!((s.min_healthy_percent.mean - (100.0 - lost)).abs() < 1e-9);
    assert!((s.availability_percent.mean - (100.0 - lost)).abs() < 1e-9);
    let hours = s.task_hours_per_month[0].1.mean;
    // Task-hours per month scale the horizon's by 730 / 720.
    let expected = (4.0 * 720.0 + 120.0 / 3600.0) * 730.0 / 720.0;
    assert!((hours - expected).abs() < 1e-9, "{hours} vs {expected}");
}
