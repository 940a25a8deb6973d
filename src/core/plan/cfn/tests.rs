//! CloudFormation reading: resolution, ties between resources, located problems.

use super::*;
use crate::core::rules::Facts;

fn facts() -> Facts {
    Facts::embedded().unwrap_or_else(|e| panic!("{e}"))
}
use serde_json::json;

fn template(service: Value, extra: Value) -> String {
    let mut resources = json!({
        "Cluster": {"Type": "AWS::ECS::Cluster"},
        "Td": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
            "Cpu": {"Fn::FindInMap": ["Sizes", {"Ref": "Size"}, "Cpu"]},
            "Memory": "2048",
            "NetworkMode": "awsvpc",
            "RequiresCompatibilities": ["FARGATE"],
            "ContainerDefinitions": [{
                "Name": "app",
                "Image": {"Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:1"},
                "Essential": true,
                "HealthCheck": {"Command": ["CMD-SHELL", "true"], "Interval": 30}
            }]
        }},
        "Web": {"Type": "AWS::ECS::Service", "Properties": service},
        "Target": {"Type": "AWS::ApplicationAutoScaling::ScalableTarget", "Properties": {
            "ServiceNamespace": "ecs",
            "ScalableDimension": "ecs:service:DesiredCount",
            "ResourceId": {"Fn::Sub": "service/${Cluster}/${Web.Name}"},
            "MinCapacity": 2, "MaxCapacity": 8
        }},
        "Policy": {"Type": "AWS::ApplicationAutoScaling::ScalingPolicy", "Properties": {
            "PolicyName": "cpu",
            "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": {"Ref": "Target"},
            "TargetTrackingScalingPolicyConfiguration": {
                "TargetValue": 70,
                "ScaleInCooldown": 120,
                "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageMemoryUtilization"}
            }
        }}
    });
    if let (Some(r), Value::Object(more)) = (resources.as_object_mut(), extra) {
        r.extend(more);
    }
    json!({
        "Parameters": {"Size": {"Type": "String", "Default": "small", "AllowedValues": ["small", "large"]},
                       "Count": {"Type": "Number", "Default": "3"}},
        "Mappings": {"Sizes": {"small": {"Cpu": "1024"}, "large": {"Cpu": "2048"}}},
        "Resources": resources
    })
    .to_string()
}

fn web(extra: Value) -> Value {
    let mut svc = json!({
        "Cluster": {"Ref": "Cluster"},
        "TaskDefinition": {"Ref": "Td"},
        "DesiredCount": {"Ref": "Count"},
        "LaunchType": "FARGATE",
        "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": [{"Fn::ImportValue": "subnet"}, "subnet-1"]}}
    });
    if let (Some(s), Value::Object(more)) = (svc.as_object_mut(), extra) {
        s.extend(more);
    }
    svc
}

fn cpu(s: &crate::core::plan::raw::RawService) -> String {
    s.cpu
        .as_ref()
        .map(|c| c.to_string().trim_matches('"').to_string())
        .unwrap_or_default()
}

fn paths(out: &Imported) -> Vec<String> {
    out.problems.iter().map(|p| p.path.to_string()).collect()
}

#[test]
fn parameters_mappings_and_sub_resolve_and_the_target_is_tied() {
    let opts = Options {
        region: Some("eu-west-1".into()),
        ..Options::default()
    };
    let out = parse(&template(web(json!({})), json!({})), &opts, &facts()).unwrap();
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let s = &out.services[0];
    assert_eq!(s.id, "Web");
    assert_eq!(s.raw.name, "Web");
    assert_eq!(s.raw.desired_count, Some(3));
    assert_eq!(cpu(&s.raw), "1024");
    let auto = s.raw.autoscaling.as_ref().unwrap();
    assert_eq!((auto.min_capacity, auto.max_capacity), (Some(2), Some(8)));
    assert_eq!(auto.metric.as_deref(), Some("memory"));
    assert!(s.raw.container_definitions[0].health_check.is_some());
    // An opaque subnet does not matter to the price; the literal one is kept.
    assert_eq!(
        s.raw.network_configuration.as_ref().unwrap().subnets,
        vec!["subnet-1".to_string()]
    );
    let mut opts = opts;
    opts.parameters.insert("Size".into(), "large".into());
    opts.parameters.insert("Count".into(), "5".into());
    let out = parse(&template(web(json!({})), json!({})), &opts, &facts()).unwrap();
    assert_eq!(out.services[0].raw.desired_count, Some(5));
    assert_eq!(cpu(&out.services[0].raw), "2048");
    opts.parameters.insert("Size".into(), "huge".into());
    let out = parse(&template(web(json!({})), json!({})), &opts, &facts()).unwrap();
    // The value is refused, and what depended on it cannot be read.
    assert_eq!(
        paths(&out),
        ["Parameters.Size", "Resources.Td.Properties.Cpu"]
    );
}

#[test]
fn deploy_time_values_where_a_price_depends_on_them_are_located() {
    let out = parse(
        &template(
            web(json!({"DesiredCount": {"Fn::GetAtt": ["Counter", "Value"]},
                       "PlatformVersion": {"Fn::If": ["New", "1.4.0", "LATEST"]}})),
            json!({"Counter": {"Type": "Custom::Count", "Properties": {}}}),
        ),
        &Options::default(),
        &facts(),
    )
    .unwrap();
    assert_eq!(
        paths(&out),
        [
            "Resources.Web.Properties.DesiredCount",
            "Resources.Web.Properties.PlatformVersion"
        ]
    );
    assert!(out.problems[0].message.contains("custom resource"));
    assert!(out.problems[1].message.contains("condition `New`"));
}

#[test]
fn conditions_and_foreign_task_definitions_are_problems() {
    let mut svc =
        json!({"Type": "AWS::ECS::Service", "Condition": "Prod", "Properties": web(json!({}))});
    let text = template(
        web(json!({"TaskDefinition": "arn:aws:ecs:eu-west-1:1:task-definition/x:1"})),
        json!({"Other": svc.take()}),
    );
    let out = parse(&text, &Options::default(), &facts()).unwrap();
    assert_eq!(
        paths(&out),
        [
            "Resources.Other.Condition",
            "Resources.Web.Properties.TaskDefinition"
        ]
    );
}

#[test]
fn step_scaling_is_noted_and_leaves_no_guessed_policy() {
    let text = template(web(json!({})), json!({})).replace("TargetTrackingScaling", "StepScaling");
    let out = parse(&text, &Options::default(), &facts()).unwrap();
    assert!(out.services[0].raw.autoscaling.is_none());
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("StepScaling policies are not modelled")),
        "{:?}",
        out.notes
    );
}

#[test]
fn not_a_template() {
    assert!(parse("[1, 2]", &Options::default(), &facts()).is_err());
    assert!(parse("Resources: [", &Options::default(), &facts()).is_err());
    assert!(looks_like(
        &json!({"Resources": {"A": {"Type": "AWS::S3::Bucket"}}})
    ));
    assert!(!looks_like(&json!({"family": "x"})));
}

#[test]
fn scheduled_actions_become_an_uptime_window() {
    let text = template(web(json!({})), json!({})).replace(
        "\"MinCapacity\":2",
        "\"ScheduledActions\":[{\"ScheduledActionName\":\"up\",\"Schedule\":\"cron(0 8 ? * MON-FRI *)\",\"ScalableTargetAction\":{\"MinCapacity\":2,\"MaxCapacity\":8}},{\"ScheduledActionName\":\"down\",\"Schedule\":\"cron(0 19 ? * MON-FRI *)\",\"ScalableTargetAction\":{\"MinCapacity\":0,\"MaxCapacity\":0}}],\"MinCapacity\":2",
    );
    assert!(text.contains("ScheduledActions"), "{text}");
    let out = parse(&text, &Options::default(), &facts()).unwrap();
    let u = out.services[0].raw.uptime.as_ref().unwrap();
    assert_eq!(u.windows[0].days, "mon-fri");
    assert_eq!(
        (u.windows[0].start.as_str(), u.windows[0].end.as_str()),
        ("08:00", "19:00")
    );
    assert_eq!(u.outside_desired_count, Some(0));
}
