//! Tests of the task definition reader: the three JSON shapes, problems with JSON paths, plan
//! paths mapped back, merging, and fuzzing.

use super::*;
use crate::core::plan::raw::RawPlan;
use crate::core::plan::write::plan_toml;
use crate::core::vocab::units::Scalar;

/// The reader on the embedded rules.
fn parse(text: &str) -> Result<TaskDefinition, Vec<Problem>> {
    super::parse(text, &Facts::embedded().unwrap())
}

const WEB: &str = r#"{"taskDefinition": {"family": "web", "cpu": "512", "memory": "1024",
        "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
        "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        "ephemeralStorage": {"sizeInGiB": 30}, "revision": 3, "volumes": [],
        "containerDefinitions": [{"name": "web", "image": "nginx", "essential": true,
            "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
            "healthCheck": {"command": ["CMD", "true"]},
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-region": "eu-west-1"}}}]},
        "tags": [{"key": "team", "value": "web"}]}"#;

#[test]
fn reads_the_describe_shape() {
    let td = parse(WEB).unwrap();
    assert_eq!(td.prefix.to_string(), "taskDefinition");
    assert_eq!(td.service.name, "web");
    assert_eq!(td.service.cpu, Some(Scalar::Text("512".into())));
    assert_eq!(
        td.service
            .runtime_platform
            .as_ref()
            .and_then(|r| r.cpu_architecture.as_deref()),
        Some("ARM64")
    );
    assert_eq!(
        td.service.ephemeral_storage.as_ref().map(|e| e.size_in_gib),
        Some(30)
    );
    assert_eq!(td.service.tags.get("team").map(String::as_str), Some("web"));
    // `volumes: []` is empty: no note; the health check is read (deploy registers it).
    assert!(td.ignored.is_empty(), "{:?}", td.ignored);
    let hc = td.service.container_definitions[0].health_check.as_ref();
    assert_eq!(
        hc.map(|h| h.command.clone()),
        Some(vec!["CMD".into(), "true".into()])
    );
    assert_eq!(hc.and_then(|h| h.interval), None);
    let (region, path) = td.log_region.unwrap();
    assert_eq!(region, "eu-west-1");
    assert_eq!(
        path.to_string(),
        "taskDefinition.containerDefinitions[0].logConfiguration.options.awslogs-region"
    );
}

#[test]
fn numbers_and_bare_shape() {
    let td = parse(r#"{"family": "a", "cpu": 256, "memory": 512, "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
            "containerDefinitions": [{"name": "a", "image": "x", "cpu": "128", "memory": 256}]}"#)
        .unwrap();
    assert_eq!(td.prefix, FieldPath::root());
    assert_eq!(td.service.cpu, Some(Scalar::Int(256)));
    assert_eq!(td.service.container_definitions[0].cpu, Some(128));
    assert!(td.notes.is_empty(), "{:?}", td.notes);
}

#[test]
fn wrong_types_and_missing_sizes_have_json_paths() {
    let problems = parse(r#"{"taskDefinition": {"family": "a", "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{"name": "a", "image": "x", "cpu": 256}, {"name": true, "image": "y",
            "portMappings": [{"containerPort": "eighty"}]}]}}"#)
        .unwrap()
        .problems;
    let paths: Vec<String> = problems.iter().map(|p| p.path.to_string()).collect();
    for want in [
        "taskDefinition.requiresCompatibilities",
        "taskDefinition.containerDefinitions[1].name",
        "taskDefinition.containerDefinitions[1].portMappings[0].containerPort",
        "taskDefinition.cpu",
        "taskDefinition.memory",
    ] {
        assert!(paths.iter().any(|p| p == want), "{want} not in {paths:?}");
    }
    let cpu = problems
        .iter()
        .find(|p| p.path.to_string() == "taskDefinition.cpu")
        .unwrap();
    assert!(
        cpu.fix.as_deref().unwrap().contains("256 CPU units"),
        "{cpu:?}"
    );
}

#[test]
fn not_json_and_not_objects() {
    assert!(parse("{").is_err());
    assert!(parse("[]").is_err());
    assert!(parse(r#"{"taskDefinition": 3}"#).is_err());
    // A container that is not an object keeps its place, so later indices stay right.
    let td = parse(r#"{"family": "a", "cpu": 256, "memory": 512, "containerDefinitions": [3, {"name": "b", "image": "x"}]}"#).unwrap();
    assert_eq!(td.service.container_definitions.len(), 2);
    assert_eq!(td.problems.len(), 1);
}

#[test]
fn plan_paths_map_to_json_paths() {
    let prefix = FieldPath::root().key("taskDefinition");
    let svc = FieldPath::root().key("service").index(0);
    let host = svc
        .key("container_definitions")
        .index(1)
        .key("port_mappings")
        .index(0)
        .key("host_port");
    assert_eq!(
        json_path(&prefix, &host).unwrap().to_string(),
        "taskDefinition.containerDefinitions[1].portMappings[0].hostPort"
    );
    assert_eq!(
        json_path(&prefix, &svc.key("ephemeral_storage").key("size_in_gib"))
            .unwrap()
            .to_string(),
        "taskDefinition.ephemeralStorage.sizeInGiB"
    );
    assert_eq!(
        json_path(
            &FieldPath::root(),
            &svc.key("runtime_platform").key("cpu_architecture")
        )
        .unwrap()
        .to_string(),
        "runtimePlatform.cpuArchitecture"
    );
    assert!(json_path(&prefix, &svc.key("desired_count")).is_none());
}

#[test]
fn plan_fields_override_the_task_definition() {
    let td = parse(WEB).unwrap();
    let over = RawService {
        name: "api".into(),
        cpu: Some(Scalar::Int(1024)),
        desired_count: Some(3),
        ..RawService::default()
    };
    let merged = merge(&td.service, &over).unwrap();
    assert_eq!(merged.name, "api");
    assert_eq!(merged.family.as_deref(), Some("web"));
    assert_eq!(merged.cpu, Some(Scalar::Int(1024)));
    assert_eq!(merged.memory, Some(Scalar::Text("1024".into())));
    assert_eq!(merged.desired_count, Some(3));
    assert_eq!(merged.container_definitions.len(), 1);
    let set = fields_set(&over);
    assert!(set.contains("cpu") && !set.contains("memory"), "{set:?}");
}

#[test]
fn plan_toml_drops_empty_fields_and_reads_back() {
    let td = parse(WEB).unwrap();
    let plan = RawPlan {
        plan: None,
        service: vec![td.service],
    };
    let text = plan_toml(&plan, "header").unwrap();
    assert!(text.starts_with("# header\n"), "{text}");
    assert!(!text.contains("environment"), "{text}");
    let back = crate::core::plan::parse(&text).unwrap();
    assert_eq!(back.raw.service[0].cpu, Some(Scalar::Text("512".into())));
}

proptest::proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = parse(&text);
    }

    #[test]
    fn arbitrary_json_never_panics(v in json_value()) {
        let text = v.to_string();
        let _ = parse(&text);
        let wrapped = serde_json::json!({"taskDefinition": v}).to_string();
        let _ = parse(&wrapped);
    }
}

fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let keys = prop::sample::select(vec![
        "family",
        "cpu",
        "memory",
        "containerDefinitions",
        "name",
        "image",
        "portMappings",
        "containerPort",
        "hostPort",
        "runtimePlatform",
        "cpuArchitecture",
        "ephemeralStorage",
        "sizeInGiB",
        "requiresCompatibilities",
        "logConfiguration",
        "logDriver",
        "options",
        "environment",
        "value",
        "tags",
        "key",
        "taskDefinition",
        "essential",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone(), inner, 0..6).prop_map(|m| {
                Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}
