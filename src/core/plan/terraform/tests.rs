//! Terraform plan reading: modules, unknown values, before and after.

use super::*;
use crate::core::rules::Facts;

fn facts() -> Facts {
    Facts::embedded().unwrap_or_else(|e| panic!("{e}"))
}

const PLAN: &str = include_str!("../../../../tests/fixtures/terraform/api-arm-spot.json");
const UNKNOWN: &str = include_str!("../../../../tests/fixtures/terraform/unknown-count.json");

fn names(out: &Imported) -> Vec<(String, String)> {
    out.services
        .iter()
        .map(|s| (s.id.clone(), s.raw.name.clone()))
        .collect()
}

#[test]
fn before_and_after_sides() {
    let before = parse(PLAN, Side::Before, &facts()).unwrap();
    assert!(before.problems.is_empty(), "{:?}", before.problems);
    assert_eq!(
        names(&before),
        [
            ("aws_ecs_service.api".to_string(), "api".to_string()),
            ("aws_ecs_service.cron".to_string(), "cron".to_string())
        ]
    );
    let api = &before.services[0].raw;
    assert_eq!(api.desired_count, Some(2));
    assert_eq!(api.launch_type.as_deref(), Some("FARGATE"));
    assert_eq!(
        api.runtime_platform
            .as_ref()
            .and_then(|r| r.cpu_architecture.as_deref()),
        Some("X86_64")
    );
    let after = parse(PLAN, Side::After, &facts()).unwrap();
    assert!(after.problems.is_empty(), "{:?}", after.problems);
    assert_eq!(
        after.region,
        Some((
            "eu-west-1".to_string(),
            "the Terraform provider `aws` (configuration.provider_config)".to_string()
        ))
    );
    let api = &after.services[0];
    // The replaced task definition, found through `configuration`.
    assert_eq!(api.task_path.to_string(), "aws_ecs_task_definition.api");
    assert_eq!(
        api.raw
            .runtime_platform
            .as_ref()
            .and_then(|r| r.cpu_architecture.as_deref()),
        Some("ARM64")
    );
    assert_eq!(api.raw.desired_count, Some(4));
    assert_eq!(api.raw.launch_type, None);
    assert_eq!(
        api.raw.capacity_provider_strategy.as_ref().map(Vec::len),
        Some(2)
    );
    let auto = api.raw.autoscaling.as_ref().unwrap();
    assert_eq!((auto.min_capacity, auto.max_capacity), (Some(4), Some(12)));
    let worker = &after.services[1];
    assert_eq!(worker.id, "module.worker.aws_ecs_service.this");
    assert_eq!(
        worker.task_path.to_string(),
        "module.worker.aws_ecs_task_definition.this"
    );
}

#[test]
fn unknown_counts_are_problems_not_zeros() {
    let out = parse(UNKNOWN, Side::After, &facts()).unwrap();
    let paths: Vec<String> = out.problems.iter().map(|p| p.path.to_string()).collect();
    assert_eq!(paths, ["aws_ecs_service.api.desired_count"]);
    assert_eq!(out.services[0].raw.desired_count, None);
}

#[test]
fn modules_of_addresses() {
    assert_eq!(
        module_of("module.a.module.b.aws_ecs_service.x[0]"),
        "module.a.module.b"
    );
    assert_eq!(module_of("aws_ecs_service.x"), "");
    assert!(!looks_like(&serde_json::json!({"Resources": {}})));
}

#[test]
fn scheduled_actions_on_the_target_become_uptime() {
    let mut doc: serde_json::Value = serde_json::from_str(PLAN).unwrap();
    let action = |name: &str, schedule: &str, min: &str, max: &str| {
        serde_json::json!({
            "address": format!("aws_appautoscaling_scheduled_action.{name}"),
            "mode": "managed", "type": "aws_appautoscaling_scheduled_action", "name": name,
            "change": {"actions": ["create"], "before": null, "after": {
                "name": name, "resource_id": "service/shop/api",
                "scalable_dimension": "ecs:service:DesiredCount", "service_namespace": "ecs",
                "schedule": schedule, "timezone": "Europe/Paris",
                "scalable_target_action": [{"min_capacity": min, "max_capacity": max}]
            }, "after_unknown": {}}
        })
    };
    let changes = doc["resource_changes"].as_array_mut().unwrap();
    changes.push(action("up", "cron(0 7 ? * MON-SAT *)", "4", "12"));
    changes.push(action("down", "cron(0 22 ? * MON-SAT *)", "1", "1"));
    let out = parse(&doc.to_string(), Side::After, &facts()).unwrap();
    let u = out.services[0].raw.uptime.as_ref().unwrap();
    assert_eq!(u.windows[0].days, "mon-sat");
    assert_eq!(
        (u.windows[0].start.as_str(), u.windows[0].end.as_str()),
        ("07:00", "22:00")
    );
    assert_eq!(u.outside_desired_count, Some(1));
    assert_eq!(u.time_zone.as_deref(), Some("Europe/Paris"));
}
