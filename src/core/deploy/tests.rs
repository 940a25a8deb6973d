//! The diff between desired and observed ECS state, on plans parsed from text.

use super::*;

const HEAD: &str = "[plan]\nname = \"shop\"\nregion = \"us-east-1\"\n\n[[service]]\nname = \"web\"\ncpu = 512\nmemory = 1024\n";
const CONTAINER: &str = "\n[[service.container_definitions]]\nname = \"web\"\nimage = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0\"\nport_mappings = [{ container_port = 3000 }]\nenvironment = [{ name = \"B\", value = \"2\" }, { name = \"A\", value = \"1\" }]\nlog_configuration = { log_driver = \"awslogs\", options = { \"awslogs-group\" = \"/ecs/web\", \"awslogs-region\" = \"us-east-1\", \"awslogs-stream-prefix\" = \"web\" } }\n";

fn plan(extra: &str) -> Plan {
    plan_with(extra, "")
}

fn plan_with(extra: &str, container_extra: &str) -> Plan {
    let text = format!("{HEAD}{extra}{CONTAINER}{container_extra}");
    crate::core::testing::plan(&text)
}

fn vpc() -> DefaultVpc {
    DefaultVpc {
        vpc_id: "vpc-1".into(),
        subnets: vec!["subnet-a".into(), "subnet-b".into()],
        security_group: "sg-default".into(),
    }
}

fn desired_of(plan: &Plan) -> Desired {
    let s = &plan.services[0];
    let network = network_for(s, Some(&vpc())).unwrap();
    desired(plan, s, network, None)
}

/// What ECS reports after `desired` was applied as is.
fn observed_after(d: &Desired) -> Observed {
    // ECS fills in hostPort and protocol, and returns environment in its own order.
    let mut spec = d.task_definition.clone();
    for c in &mut spec.containers {
        c.environment.reverse();
        for m in &mut c.port_mappings {
            m.host_port = Some(m.container_port);
            m.protocol = Some("tcp".into());
        }
        c.cpu = Some(0);
    }
    spec.tags.clear();
    let (launch_type, strategy) = match &d.service.capacity {
        Capacity::LaunchType => (Some("FARGATE".to_string()), vec![]),
        Capacity::Strategy(items) => (None, items.clone()),
    };
    Observed {
        cluster: Some(ObservedCluster {
            status: "ACTIVE".into(),
            capacity_providers: vec!["FARGATE_SPOT".into(), "FARGATE".into()],
        }),
        log_groups: d.log_groups.clone(),
        task_definition: Some(ObservedTaskDefinition {
            arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3".into(),
            revision: 3,
            spec,
        }),
        service: Some(ObservedService {
            status: "ACTIVE".into(),
            task_definition: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3".into(),
            launch_type,
            strategy,
            desired_count: d.service.desired_count,
            network: Some(ObservedNetwork {
                subnets: d.service.network.subnets.iter().rev().cloned().collect(),
                security_groups: d.service.network.security_groups.clone(),
                assign_public_ip: Some(d.service.network.assign_public_ip),
            }),
            platform_version: Some("LATEST".into()),
            circuit_breaker: Some(CircuitBreaker {
                enable: true,
                rollback: true,
            }),
        }),
        scaling: None,
    }
}

#[test]
fn from_nothing_everything_is_created_in_order() {
    let d = desired_of(&plan(""));
    let changes = diff(&d, &Observed::default()).unwrap();
    let kinds: Vec<&str> = changes
        .iter()
        .map(|c| match c {
            Change::CreateCluster { .. } => "cluster",
            Change::CreateLogGroup { .. } => "log group",
            Change::RegisterTaskDefinition { .. } => "task definition",
            Change::CreateService { .. } => "service",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["cluster", "log group", "task definition", "service"]
    );
    assert!(changes.iter().all(Change::creates));
    let Change::CreateService {
        spec,
        task_definition,
    } = &changes[3]
    else {
        panic!()
    };
    assert_eq!(task_definition, &TaskDefinitionRef::New);
    assert_eq!(spec.cluster, "shop");
    assert_eq!(spec.capacity, Capacity::LaunchType);
    assert_eq!(spec.network.from_default_vpc.as_deref(), Some("vpc-1"));
    assert_eq!(spec.network.security_groups, ["sg-default"]);
    assert!(
        spec.network.assign_public_ip,
        "default VPC subnets need a public IP"
    );
    assert_eq!(
        spec.tags.get("managed-by").map(String::as_str),
        Some("fargate-planner")
    );
    assert_eq!(
        spec.circuit_breaker,
        CircuitBreaker {
            enable: true,
            rollback: true
        }
    );
}

#[test]
fn what_matches_is_left_alone() {
    for extra in [
        "",
        "capacity_provider_strategy = [{ capacity_provider = \"FARGATE\", base = 1, weight = 1 }, { capacity_provider = \"FARGATE_SPOT\", weight = 4 }]\n",
    ] {
        let d = desired_of(&plan(extra));
        assert_eq!(diff(&d, &observed_after(&d)).unwrap(), vec![], "{extra}");
    }
}

#[test]
fn a_missing_provider_is_added_and_the_others_kept() {
    let d = desired_of(&plan(""));
    let mut o = observed_after(&d);
    o.cluster = Some(ObservedCluster {
        status: "ACTIVE".into(),
        capacity_providers: vec!["my-asg-provider".into(), "FARGATE".into()],
    });
    let changes = diff(&d, &o).unwrap();
    assert_eq!(
        changes,
        vec![Change::AddCapacityProviders {
            cluster: "shop".into(),
            keep: vec!["my-asg-provider".into(), "FARGATE".into()],
            add: vec![Provider::FargateSpot],
        }]
    );
}

#[test]
fn an_inactive_cluster_is_created_again() {
    let d = desired_of(&plan(""));
    let mut o = observed_after(&d);
    o.cluster = Some(ObservedCluster {
        status: "INACTIVE".into(),
        capacity_providers: vec![],
    });
    assert!(matches!(
        diff(&d, &o).unwrap()[0],
        Change::CreateCluster { .. }
    ));
}

#[test]
fn strategy_and_count_change_is_an_update() {
    let before = desired_of(&plan(
        "desired_count = 2\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE\", weight = 1 }]\n",
    ));
    let after = desired_of(&plan(
        "desired_count = 5\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE\", base = 1, weight = 1 }, { capacity_provider = \"FARGATE_SPOT\", weight = 4 }]\n",
    ));
    let changes = diff(&after, &observed_after(&before)).unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    let Change::UpdateService {
        changes: fields,
        force_new_deployment,
        task_definition,
        ..
    } = &changes[0]
    else {
        panic!("{changes:?}")
    };
    assert!(
        !force_new_deployment,
        "strategy to strategy needs no forced deployment"
    );
    assert!(matches!(task_definition, TaskDefinitionRef::Existing(arn) if arn.ends_with("web:3")));
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["desired_count", "capacity_provider_strategy"]);
    assert_eq!((fields[0].from.as_str(), fields[0].to.as_str()), ("2", "5"));
    assert_eq!(
        fields[1].to,
        "FARGATE base 1 weight 1, FARGATE_SPOT base 0 weight 4"
    );
}

#[test]
fn launch_type_to_strategy_forces_a_deployment_and_back_is_refused() {
    let lt = desired_of(&plan(""));
    let st = desired_of(&plan(
        "capacity_provider_strategy = [{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }]\n",
    ));
    let changes = diff(&st, &observed_after(&lt)).unwrap();
    assert!(matches!(
        &changes[0],
        Change::UpdateService { force_new_deployment: true, changes, .. } if changes[0].from == "launch type FARGATE"
    ));
    assert!(matches!(
        diff(&lt, &observed_after(&st)),
        Err(DeployError::CannotSwitchToLaunchType { .. })
    ));
}

#[test]
fn a_new_image_is_a_new_revision_and_the_service_moves_to_it() {
    let before = desired_of(&plan(""));
    let mut after_plan = plan("");
    after_plan.services[0].containers[0].image =
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.1.0".into();
    let after = desired_of(&after_plan);
    let changes = diff(&after, &observed_after(&before)).unwrap();
    assert_eq!(changes.len(), 2, "{changes:?}");
    let Change::RegisterTaskDefinition {
        previous,
        changes: fields,
        ..
    } = &changes[0]
    else {
        panic!("{changes:?}")
    };
    assert_eq!(*previous, Some(3));
    assert_eq!(fields[0].field, "container `web` image");
    assert!(fields[0].to.ends_with("web:1.1.0"));
    let Change::UpdateService {
        changes: fields,
        task_definition,
        ..
    } = &changes[1]
    else {
        panic!("{changes:?}")
    };
    assert_eq!(task_definition, &TaskDefinitionRef::New);
    assert_eq!(fields[0].from, "web:3");
}

#[test]
fn every_managed_task_definition_field_counts() {
    let base = desired_of(&plan(""));
    let observed = observed_after(&base);
    for extra in [
        "task_role_arn = \"arn:aws:iam::123456789012:role/app\"\n",
        "execution_role_arn = \"arn:aws:iam::123456789012:role/exec\"\n",
        "ephemeral_storage = { size_in_gib = 30 }\n",
        "runtime_platform = { cpu_architecture = \"ARM64\" }\n",
    ] {
        let d = desired_of(&plan(extra));
        let changes = diff(&d, &observed).unwrap();
        assert!(
            matches!(&changes[0], Change::RegisterTaskDefinition { changes, .. } if !changes.is_empty()),
            "{extra}: {changes:?}"
        );
    }
    for container_extra in [
        "essential = false\n[[service.container_definitions]]\nname = \"side\"\nimage = \"busybox\"\n",
        "command = [\"serve\"]\n",
    ] {
        let d = desired_of(&plan_with("", container_extra));
        let changes = diff(&d, &observed).unwrap();
        assert!(
            matches!(&changes[0], Change::RegisterTaskDefinition { .. }),
            "{container_extra}: {changes:?}"
        );
    }
}

#[test]
fn the_service_follows_the_latest_revision() {
    let d = desired_of(&plan(""));
    let mut o = observed_after(&d);
    if let Some(s) = &mut o.service {
        // Echoed as given (moto does this for `family:rev`).
        s.task_definition = "web:2".into();
    }
    let changes = diff(&d, &o).unwrap();
    assert!(matches!(
        &changes[0],
        Change::UpdateService { changes, .. } if changes[0].field == "task_definition" && changes[0].from == "web:2" && changes[0].to == "web:3"
    ));
    if let Some(s) = &mut o.service {
        s.task_definition = "web:3".into();
    }
    assert_eq!(diff(&d, &o).unwrap(), vec![]);
}

#[test]
fn network_platform_and_breaker_are_compared_when_reported() {
    let d = desired_of(&plan(""));
    let mut o = observed_after(&d);
    if let Some(s) = &mut o.service {
        s.network = Some(ObservedNetwork {
            subnets: vec!["subnet-a".into()],
            security_groups: vec!["sg-default".into()],
            assign_public_ip: Some(true),
        });
        s.platform_version = Some("1.3.0".into());
        s.circuit_breaker = Some(CircuitBreaker {
            enable: false,
            rollback: false,
        });
    }
    let Change::UpdateService { changes, .. } = &diff(&d, &o).unwrap()[0] else {
        panic!()
    };
    let names: Vec<&str> = changes.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        names,
        [
            "network_configuration",
            "platform_version",
            "deployment_circuit_breaker"
        ]
    );
    // Not reported (moto drops it on CreateService): nothing to compare.
    if let Some(s) = &mut o.service {
        s.network = observed_after(&d).service.and_then(|s| s.network);
        s.platform_version = None;
        s.circuit_breaker = None;
    }
    assert_eq!(diff(&d, &o).unwrap(), vec![]);
}

#[test]
fn draining_services_are_refused_and_inactive_ones_recreated() {
    let d = desired_of(&plan(""));
    let mut o = observed_after(&d);
    for (status, expect_create) in [("DRAINING", None), ("INACTIVE", Some(true))] {
        if let Some(s) = &mut o.service {
            s.status = status.into();
        }
        match (diff(&d, &o), expect_create) {
            (Err(DeployError::ServiceDraining { .. }), None) => {}
            (Ok(c), Some(true)) => assert!(matches!(c[0], Change::CreateService { .. })),
            other => panic!("{status}: {other:?}"),
        }
    }
}

#[test]
fn named_subnets_are_used_as_written() {
    let p = plan(
        "network_configuration = { subnets = [\"subnet-0123456789abcdef0\"], security_groups = [\"sg-0123456789abcdef0\"] }\n",
    );
    let n = network_for(&p.services[0], None).unwrap();
    assert_eq!(n.subnets, ["subnet-0123456789abcdef0"]);
    assert_eq!(n.from_default_vpc, None);
    assert!(!n.assign_public_ip, "private subnets by default");
    assert!(!needs_default_vpc(&p.services[0]));
    assert!(needs_default_vpc(&plan("").services[0]));
    assert!(matches!(
        network_for(&plan("").services[0], None),
        Err(DeployError::NoDefaultVpc { .. })
    ));
}

#[test]
fn log_groups_come_from_awslogs_options() {
    let d = desired_of(&plan(""));
    assert_eq!(d.log_groups, ["/ecs/web"]);
    let p = plan_with(
        "",
        "[[service.container_definitions]]\nname = \"side\"\nimage = \"busybox\"\nlog_configuration = { log_driver = \"awslogs\", options = { \"awslogs-group\" = \"/ecs/web\" } }\n",
    );
    assert_eq!(desired_of(&p).log_groups, ["/ecs/web"], "deduplicated");
}

#[test]
fn scaling_is_put_when_missing_or_different() {
    let d = desired_of(&plan(""));
    let spec = ScalingSpec {
        resource_id: "service/shop/web".into(),
        min_capacity: 1,
        max_capacity: 4,
        metric: "ECSServiceAverageCPUUtilization".into(),
        target_value: 60.0,
        policy_name: "fargate-planner-web".into(),
    };
    let mut d = d;
    d.scaling = Some(spec.clone());
    let mut o = observed_after(&d);
    let kinds = |c: &[Change]| -> Vec<String> {
        c.iter()
            .map(|c| match c {
                Change::PutScalableTarget { changes, .. } => format!("target {}", changes.len()),
                Change::PutScalingPolicy { changes, .. } => format!("policy {}", changes.len()),
                other => format!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(kinds(&diff(&d, &o).unwrap()), ["target 0", "policy 0"]);
    o.scaling = Some(ObservedScaling {
        min_capacity: Some(1),
        max_capacity: Some(4),
        policy: Some(("ECSServiceAverageCPUUtilization".into(), 60.0)),
    });
    assert_eq!(diff(&d, &o).unwrap(), vec![]);
    o.scaling = Some(ObservedScaling {
        min_capacity: Some(1),
        max_capacity: Some(2),
        policy: Some(("ECSServiceAverageMemoryUtilization".into(), 60.0)),
    });
    assert_eq!(kinds(&diff(&d, &o).unwrap()), ["target 1", "policy 1"]);
}

#[test]
fn autoscaling_owns_the_count_within_its_range() {
    let mut d = desired_of(&plan("desired_count = 2\n"));
    d.scaling = Some(ScalingSpec {
        resource_id: "service/shop/web".into(),
        min_capacity: 2,
        max_capacity: 6,
        metric: "ECSServiceAverageCPUUtilization".into(),
        target_value: 60.0,
        policy_name: "fargate-planner-web".into(),
    });
    let mut o = observed_after(&d);
    o.scaling = Some(ObservedScaling {
        min_capacity: Some(2),
        max_capacity: Some(6),
        policy: Some(("ECSServiceAverageCPUUtilization".into(), 60.0)),
    });
    if let Some(s) = &mut o.service {
        s.desired_count = 5;
    }
    assert_eq!(diff(&d, &o).unwrap(), vec![], "scaled out to 5: left alone");
    if let Some(s) = &mut o.service {
        s.desired_count = 9;
    }
    assert!(matches!(
        &diff(&d, &o).unwrap()[0],
        Change::UpdateService { changes, .. } if changes[0].field == "desired_count"
    ));
}

#[test]
fn request_count_scaling_needs_a_load_balancer() {
    let p = plan(
        "\n[service.autoscaling]\nmin_capacity = 1\nmax_capacity = 3\nmetric = \"requests\"\ntarget_value = 100\nper_task_capacity = 50\n\n[service.load]\nprofile = \"diurnal_web\"\npeak = 400\nunit = \"requests_per_second\"\n",
    );
    assert!(matches!(
        scaling_for("shop", &p.services[0]),
        Err(DeployError::RequestMetricNeedsLoadBalancer { .. })
    ));
    let p = plan(
        "\n[service.autoscaling]\nmin_capacity = 1\nmax_capacity = 3\nmetric = \"cpu\"\ntarget_value = 70\n\n[service.load]\nprofile = \"diurnal_web\"\npeak = 400\nunit = \"task_percent\"\n",
    );
    let s = scaling_for("shop", &p.services[0]).unwrap().unwrap();
    assert_eq!(s.resource_id, "service/shop/web");
    assert_eq!(s.metric, "ECSServiceAverageCPUUtilization");
    assert_eq!(
        (s.min_capacity, s.max_capacity, s.target_value),
        (1, 3, 70.0)
    );
}

#[test]
fn secrets_and_health_checks_are_registered_and_compared() {
    let extra = "execution_role_arn = \"arn:aws:iam::123456789012:role/exec\"\n";
    let container = "secrets = [{ name = \"DB_PASSWORD\", value_from = \"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf\" }]\nhealth_check = { command = [\"CMD-SHELL\", \"curl -f http://localhost:3000/ || exit 1\"], start_period = 30 }\n";
    let d = desired_of(&plan_with(extra, container));
    let c = &d.task_definition.containers[0];
    assert_eq!(c.secrets.len(), 1);
    assert_eq!(
        c.health_check.as_ref().map(|h| h.start_period),
        Some(Some(30))
    );
    // ECS reports the health check with its defaults filled in: still no change.
    let mut observed = observed_after(&d);
    if let Some(td) = observed.task_definition.as_mut()
        && let Some(h) = td.spec.containers[0].health_check.as_mut()
    {
        let (interval, timeout, retries) = spec::HEALTH_CHECK_DEFAULTS;
        h.interval = Some(interval);
        h.timeout = Some(timeout);
        h.retries = Some(retries);
    }
    assert_eq!(diff(&d, &observed).unwrap(), vec![]);
    // Without them in the plan (what `import taskdef` used to write) they would be dropped: a
    // new revision, with the change named.
    let bare = desired_of(&plan(extra));
    let changes = diff(&bare, &observed).unwrap();
    let Change::RegisterTaskDefinition {
        changes: fields, ..
    } = &changes[0]
    else {
        panic!("{changes:?}")
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        names,
        vec!["container `web` secrets", "container `web` health_check"]
    );
    assert!(
        fields[0]
            .from
            .contains("DB_PASSWORD ← arn:aws:secretsmanager")
    );
}

#[test]
fn health_check_defaults_match_the_rules_data() {
    let rules = crate::core::rules::Facts::embedded()
        .unwrap()
        .rules
        .health_check;
    let (interval, timeout, retries) = spec::HEALTH_CHECK_DEFAULTS;
    assert_eq!(
        (interval, timeout, retries),
        (
            rules.interval_default_s as i32,
            rules.timeout_default_s as i32,
            rules.retries_default as i32
        )
    );
}
