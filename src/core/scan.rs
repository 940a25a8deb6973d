//! `scan`: what an ECS cluster runs now → a plan that prices it. Pure: the AWS adapter
//! (`crate::aws::scan`) observes, this turns the observations into plan values and text.
//!
//! Task definitions go through the same conversion as `import taskdef` ([`taskdef::parse`] on
//! the `describe-task-definition` JSON) and the same TOML writer ([`plan_toml`]); the
//! service settings (desired count, capacity, autoscaling, network, platform version, circuit
//! breaker) are added on top. Services that cannot be priced as Fargate (EC2 or EXTERNAL launch
//! type, capacity providers other than FARGATE/FARGATE_SPOT, an unreadable task definition) are
//! left out and listed, never guessed.

use crate::core::deploy::ObservedNetwork;
use crate::core::plan::CircuitBreaker;
use crate::core::plan::raw::{
    RawAutoscaling, RawCircuitBreaker, RawNetworkConfiguration, RawPlan, RawPlanSettings,
    RawService, RawStrategyItem,
};
use crate::core::plan::taskdef::{self, TaskDefinition};
use crate::core::plan::write::plan_toml;
use crate::core::rules::Facts;
use crate::core::vocab::strategy::Provider;
use crate::core::vocab::units::{Scalar, parse_cpu, parse_memory};

/// One capacity provider strategy item as ECS reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScannedStrategyItem {
    pub provider: String,
    pub base: i64,
    pub weight: i64,
}

/// A target-tracking scaling policy on the service's desired count.
#[derive(Clone, Debug, PartialEq)]
pub struct ScannedPolicy {
    pub name: String,
    /// The predefined metric type (`ECSServiceAverageCPUUtilization`...); `None` for a
    /// customized metric.
    pub metric: Option<String>,
    pub target_value: f64,
}

/// The service's Application Auto Scaling target (`ecs:service:DesiredCount`).
#[derive(Clone, Debug, PartialEq)]
pub struct ScannedScaling {
    pub min_capacity: i64,
    pub max_capacity: i64,
    /// Its target-tracking policies (step scaling policies are not listed).
    pub policies: Vec<ScannedPolicy>,
}

/// One ECS service as observed by `scan`.
#[derive(Clone, Debug, PartialEq)]
pub struct ScannedService {
    pub name: String,
    /// `ACTIVE`, `DRAINING`...
    pub status: String,
    /// The task definition the service runs (ARN or `family:revision`).
    pub task_definition_ref: String,
    /// That task definition as `aws ecs describe-task-definition` prints it
    /// (`{"taskDefinition": {...}}`).
    pub task_definition: serde_json::Value,
    pub desired_count: i64,
    pub launch_type: Option<String>,
    pub strategy: Vec<ScannedStrategyItem>,
    pub network: Option<ObservedNetwork>,
    pub platform_version: Option<String>,
    /// `None` when ECS did not report a deployment configuration.
    pub circuit_breaker: Option<CircuitBreaker>,
    pub scaling: Option<ScannedScaling>,
}

/// One line of the summary table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub service: String,
    pub task_definition: String,
    pub size: String,
    pub platform: String,
    pub desired: String,
    pub capacity: String,
    pub autoscaling: String,
}

/// The plan from a cluster, with what the reader should know about it.
#[derive(Clone, Debug)]
pub struct Scan {
    pub plan: RawPlan,
    /// One row per service in the plan, in plan order (by name).
    pub rows: Vec<Row>,
    /// Services left out, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Remarks (autoscaling the plan cannot hold, notes on the task definitions).
    pub notes: Vec<String>,
}

/// Application Auto Scaling's predefined metric → the plan's `metric`.
fn plan_metric(predefined: &str) -> Option<&'static str> {
    match predefined {
        "ECSServiceAverageCPUUtilization" => Some("cpu"),
        "ECSServiceAverageMemoryUtilization" => Some("memory"),
        "ALBRequestCountPerTarget" => Some("requests"),
        _ => None,
    }
}

fn number(x: f64) -> Scalar {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Scalar::Int(x as i64)
    } else {
        Scalar::Float(x)
    }
}

/// The plan's `[service.autoscaling]`, or why the scaling cannot be written as one.
fn autoscaling(service: &str, s: &ScannedScaling) -> Result<RawAutoscaling, String> {
    let usable: Vec<(&ScannedPolicy, &'static str)> = s
        .policies
        .iter()
        .filter_map(|p| Some((p, plan_metric(p.metric.as_deref()?)?)))
        .collect();
    // The policy `deploy` writes, else the first by name.
    let own = format!("fargate-planner-{service}");
    let chosen = usable
        .iter()
        .find(|(p, _)| p.name == own)
        .or_else(|| usable.first());
    let Some((policy, metric)) = chosen else {
        return Err(format!(
            "service `{service}` scales between {} and {} tasks but has no target-tracking policy on CPU, memory or ALB requests; the plan's [service.autoscaling] needs one, so it was left out (the plan prices desired_count)",
            s.min_capacity, s.max_capacity
        ));
    };
    Ok(RawAutoscaling {
        min_capacity: Some(s.min_capacity),
        max_capacity: Some(s.max_capacity),
        metric: Some((*metric).to_string()),
        target_value: Some(number(policy.target_value)),
        ..RawAutoscaling::default()
    })
}

/// `launch type FARGATE` or `FARGATE base 1 weight 1, FARGATE_SPOT weight 4`.
fn describe_capacity(svc: &RawService) -> String {
    match &svc.capacity_provider_strategy {
        Some(items) => items
            .iter()
            .map(|i| {
                let base = i.base.unwrap_or(0);
                let weight = i.weight.unwrap_or(0);
                if base > 0 {
                    format!("{} base {base} weight {weight}", i.capacity_provider)
                } else {
                    format!("{} weight {weight}", i.capacity_provider)
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        None => format!(
            "launch type {}",
            svc.launch_type.as_deref().unwrap_or("FARGATE")
        ),
    }
}

fn describe_size(svc: &RawService) -> String {
    let cpu = svc.cpu.as_ref().map(|c| {
        parse_cpu(c)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| c.to_string())
    });
    let memory = svc.memory.as_ref().map(|m| {
        parse_memory(m)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| m.to_string())
    });
    format!(
        "{} / {}",
        cpu.unwrap_or_else(|| "?".into()),
        memory.unwrap_or_else(|| "?".into())
    )
}

/// `family:revision` of a task definition reference.
fn short_ref(reference: &str) -> &str {
    crate::core::deploy::family_revision(reference)
}

/// Why a service cannot be in a Fargate plan, if it cannot.
fn not_fargate(s: &ScannedService) -> Option<String> {
    if s.status != "ACTIVE" {
        return Some(format!("status {}", s.status));
    }
    if !s.strategy.is_empty() {
        let others: Vec<&str> = s
            .strategy
            .iter()
            .filter(|i| Provider::parse(&i.provider).is_none())
            .map(|i| i.provider.as_str())
            .collect();
        if !others.is_empty() {
            return Some(format!(
                "capacity provider {} is not Fargate (only FARGATE and FARGATE_SPOT are priced)",
                others.join(", ")
            ));
        }
        return None;
    }
    match s.launch_type.as_deref() {
        Some("FARGATE") => None,
        Some(other) => Some(format!("launch type {other}, not Fargate")),
        None => Some("neither a launch type nor a capacity provider strategy reported".to_string()),
    }
}

/// Builds the plan of `services` (any order; the plan lists them by name). Task definitions are
/// read as `import taskdef` reads them, on the Fargate rules `facts`.
pub fn scan(cluster: &str, region: &str, services: &[ScannedService], facts: &Facts) -> Scan {
    let mut sorted: Vec<&ScannedService> = services.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut out = Scan {
        plan: RawPlan {
            plan: Some(RawPlanSettings {
                name: Some(cluster.to_string()),
                region: Some(region.to_string()),
                cluster: Some(cluster.to_string()),
                ..RawPlanSettings::default()
            }),
            service: Vec::new(),
        },
        rows: Vec::new(),
        skipped: Vec::new(),
        notes: Vec::new(),
    };
    for s in sorted {
        if let Some(why) = not_fargate(s) {
            out.skipped.push((s.name.clone(), why));
            continue;
        }
        let td_ref = short_ref(&s.task_definition_ref).to_string();
        let Some(td) = task_definition(s, &td_ref, facts, &mut out.skipped) else {
            continue;
        };
        if !td.ignored.is_empty() {
            out.notes.push(format!(
                "service `{}` ({td_ref}): not in the plan (not needed to price the task, and `deploy` would not set them): {}",
                s.name,
                td.ignored.join(", ")
            ));
        }
        for n in &td.notes {
            out.notes
                .push(format!("service `{}` ({td_ref}): {n}", s.name));
        }
        let mut svc = td.service;
        fill_service(&mut svc, s);
        let scaling_cell = scaling(&mut svc, s, &mut out.notes);
        out.rows.push(row(s, td_ref, &svc, scaling_cell));
        out.plan.service.push(svc);
    }
    out
}

/// The service's task definition, or why it cannot be priced (added to `skipped`).
fn task_definition(
    s: &ScannedService,
    td_ref: &str,
    facts: &Facts,
    skipped: &mut Vec<(String, String)>,
) -> Option<TaskDefinition> {
    match taskdef::parse(&s.task_definition.to_string(), facts) {
        Ok(td) if td.problems.is_empty() => Some(td),
        Ok(td) => {
            let problems: Vec<String> = td
                .problems
                .iter()
                .map(|p| format!("`{}`: {}", p.path, p.message))
                .collect();
            skipped.push((
                s.name.clone(),
                format!(
                    "task definition {td_ref} cannot be priced on Fargate: {}",
                    problems.join("; ")
                ),
            ));
            None
        }
        Err(problems) => {
            let problems: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
            skipped.push((
                s.name.clone(),
                format!(
                    "task definition {td_ref} is unreadable: {}",
                    problems.join("; ")
                ),
            ));
            None
        }
    }
}

/// What the service sets beyond its task definition: count, capacity, platform version, network
/// and circuit breaker.
fn fill_service(svc: &mut RawService, s: &ScannedService) {
    // ECS reports `"cpu": 0` for a container without a CPU reservation: the plan leaves it out.
    for c in &mut svc.container_definitions {
        if c.cpu == Some(0) {
            c.cpu = None;
        }
    }
    svc.family = svc.family.take().filter(|f| *f != s.name);
    svc.name = s.name.clone();
    svc.desired_count = Some(s.desired_count);
    if s.strategy.is_empty() {
        svc.launch_type = s.launch_type.clone();
    } else {
        svc.capacity_provider_strategy = Some(
            s.strategy
                .iter()
                .map(|i| RawStrategyItem {
                    capacity_provider: i.provider.clone(),
                    base: Some(i.base),
                    weight: Some(i.weight),
                })
                .collect(),
        );
    }
    svc.platform_version = s
        .platform_version
        .clone()
        .filter(|v| v != "LATEST" && !v.is_empty());
    svc.network_configuration = s.network.as_ref().map(|n| RawNetworkConfiguration {
        subnets: n.subnets.clone(),
        security_groups: n.security_groups.clone(),
        assign_public_ip: n.assign_public_ip,
    });
    // Written only when it differs from the plan's default (enabled with rollback), so that
    // `deploy` keeps what runs.
    svc.deployment_circuit_breaker = s
        .circuit_breaker
        .filter(|b| *b != CircuitBreaker::default())
        .map(|b| RawCircuitBreaker {
            enable: b.enable,
            rollback: Some(b.rollback),
        });
}

/// The service's autoscaling in the plan (or a note on why not), and its cell in the summary.
fn scaling(svc: &mut RawService, s: &ScannedService, notes: &mut Vec<String>) -> String {
    let mut scaling_cell = "—".to_string();
    if let Some(scaling) = &s.scaling {
        match autoscaling(&s.name, scaling) {
            Ok(a) => {
                scaling_cell = format!(
                    "{}–{}, {} {}",
                    scaling.min_capacity,
                    scaling.max_capacity,
                    a.metric.as_deref().unwrap_or("?"),
                    a.target_value
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                );
                svc.autoscaling = Some(Box::new(a));
            }
            Err(note) => {
                scaling_cell = format!(
                    "{}–{} (not in plan)",
                    scaling.min_capacity, scaling.max_capacity
                );
                notes.push(note);
            }
        }
    }
    scaling_cell
}

/// The summary row of a service in the plan.
fn row(s: &ScannedService, td_ref: String, svc: &RawService, scaling_cell: String) -> Row {
    let platform = svc.runtime_platform.as_ref();
    Row {
        service: s.name.clone(),
        task_definition: td_ref,
        size: describe_size(svc),
        platform: format!(
            "{}/{}",
            platform
                .and_then(|p| p.operating_system_family.as_deref())
                .unwrap_or("LINUX"),
            platform
                .and_then(|p| p.cpu_architecture.as_deref())
                .unwrap_or("X86_64")
        ),
        desired: s.desired_count.to_string(),
        capacity: describe_capacity(svc),
        autoscaling: scaling_cell,
    }
}

/// The comment at the top of a scanned plan: where it came from and what it left out.
pub fn header(cluster: &str, region: &str, scan: &Scan) -> String {
    let mut lines = vec![
        format!("fargate-planner plan scanned from ECS cluster `{cluster}` in {region}."),
        "It prices what runs now; `fargate-planner report` prices it, `deploy` recreates it."
            .to_string(),
    ];
    if !scan.rows.is_empty() {
        lines.push(String::new());
        for r in &scan.rows {
            lines.push(format!(
                "service {}: task definition {}",
                r.service, r.task_definition
            ));
        }
    }
    if !scan.notes.is_empty() {
        lines.push(String::new());
        lines.push("Notes:".to_string());
        for n in &scan.notes {
            lines.push(format!("  {n}"));
        }
    }
    if !scan.skipped.is_empty() {
        lines.push(String::new());
        lines.push("Not in this plan:".to_string());
        for (name, why) in &scan.skipped {
            lines.push(format!("  {name}: {why}"));
        }
    }
    lines.join("\n")
}

/// The plan as TOML text under [`header`], written by the `import taskdef` writer.
pub fn plan_text(cluster: &str, region: &str, scan: &Scan) -> Result<String, String> {
    plan_toml(&scan.plan, &header(cluster, region, scan))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The scan on the embedded rules.
    fn scan(cluster: &str, region: &str, services: &[ScannedService]) -> Scan {
        super::scan(cluster, region, services, &crate::core::testing::facts())
    }

    fn taskdef(family: &str, cpu: &str, memory: &str, arch: &str) -> serde_json::Value {
        json!({"taskDefinition": {
            "taskDefinitionArn": format!("arn:aws:ecs:us-east-1:123456789012:task-definition/{family}:3"),
            "family": family, "revision": 3, "status": "ACTIVE",
            "cpu": cpu, "memory": memory, "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"],
            "runtimePlatform": {"cpuArchitecture": arch, "operatingSystemFamily": "LINUX"},
            "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
            "containerDefinitions": [{"name": "app", "image": "nginx:1.27", "cpu": 0,
                "essential": true, "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
                "environment": [{"name": "MODE", "value": "prod"}]}]
        }})
    }

    fn service(name: &str, td: serde_json::Value) -> ScannedService {
        ScannedService {
            name: name.to_string(),
            status: "ACTIVE".to_string(),
            task_definition_ref: format!(
                "arn:aws:ecs:us-east-1:123456789012:task-definition/{name}:3"
            ),
            task_definition: td,
            desired_count: 2,
            launch_type: Some("FARGATE".to_string()),
            strategy: Vec::new(),
            network: None,
            platform_version: None,
            circuit_breaker: None,
            scaling: None,
        }
    }

    fn check(plan: &RawPlan) -> crate::core::plan::Plan {
        let facts = crate::core::testing::facts();
        crate::core::plan::check(plan, &facts, Default::default())
            .unwrap_or_else(|p| panic!("{p:?}"))
    }

    #[test]
    fn services_become_plan_services_with_their_settings() {
        let mut web = service("web", taskdef("web", "512", "1024", "ARM64"));
        web.network = Some(ObservedNetwork {
            subnets: vec!["subnet-0123456789abcdef0".into()],
            security_groups: vec!["sg-0123456789abcdef0".into()],
            assign_public_ip: Some(false),
        });
        web.circuit_breaker = Some(CircuitBreaker {
            enable: false,
            rollback: false,
        });
        web.platform_version = Some("1.4.0".into());
        let mut spot = service("worker", taskdef("jobs", "1024", "2048", "X86_64"));
        spot.launch_type = Some("EC2".into()); // moto leaves this beside a strategy
        spot.strategy = vec![
            ScannedStrategyItem {
                provider: "FARGATE".into(),
                base: 1,
                weight: 1,
            },
            ScannedStrategyItem {
                provider: "FARGATE_SPOT".into(),
                base: 0,
                weight: 3,
            },
        ];
        spot.desired_count = 4;
        spot.scaling = Some(ScannedScaling {
            min_capacity: 2,
            max_capacity: 10,
            policies: vec![ScannedPolicy {
                name: "cpu".into(),
                metric: Some("ECSServiceAverageCPUUtilization".into()),
                target_value: 60.0,
            }],
        });
        // Given out of order: the plan lists them by name.
        let scan = scan("shop", "eu-west-1", &[spot, web]);
        assert!(scan.skipped.is_empty(), "{:?}", scan.skipped);
        let names: Vec<&str> = scan.plan.service.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["web", "worker"]);
        let settings = scan.plan.plan.as_ref().unwrap();
        assert_eq!(settings.cluster.as_deref(), Some("shop"));
        assert_eq!(settings.region.as_deref(), Some("eu-west-1"));

        let web = &scan.plan.service[0];
        assert_eq!(web.family, None, "family = name is not repeated");
        assert_eq!(web.launch_type.as_deref(), Some("FARGATE"));
        assert_eq!(web.desired_count, Some(2));
        assert_eq!(web.container_definitions[0].cpu, None, "cpu 0 dropped");
        assert_eq!(web.platform_version.as_deref(), Some("1.4.0"));
        assert_eq!(
            web.network_configuration.as_ref().unwrap().subnets,
            ["subnet-0123456789abcdef0"]
        );
        let b = web.deployment_circuit_breaker.as_ref().unwrap();
        assert!(!b.enable && b.rollback == Some(false));

        let worker = &scan.plan.service[1];
        assert_eq!(worker.family.as_deref(), Some("jobs"));
        assert_eq!(
            worker.launch_type, None,
            "a strategy wins over a launch type"
        );
        let items = worker.capacity_provider_strategy.as_ref().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].capacity_provider, "FARGATE_SPOT");
        assert_eq!((items[1].base, items[1].weight), (Some(0), Some(3)));
        let a = worker.autoscaling.as_ref().unwrap();
        assert_eq!((a.min_capacity, a.max_capacity), (Some(2), Some(10)));
        assert_eq!(a.metric.as_deref(), Some("cpu"));
        assert_eq!(a.target_value, Some(Scalar::Int(60)));

        assert_eq!(scan.rows[0].size, "0.5 vCPU / 1 GB");
        assert_eq!(scan.rows[0].platform, "LINUX/ARM64");
        assert_eq!(scan.rows[0].task_definition, "web:3");
        assert_eq!(
            scan.rows[1].capacity,
            "FARGATE base 1 weight 1, FARGATE_SPOT weight 3"
        );
        assert_eq!(scan.rows[1].autoscaling, "2–10, cpu 60");

        // The plan passes every rule and reads back the same.
        let plan = check(&scan.plan);
        assert_eq!(plan.cluster, "shop");
        assert_eq!(plan.services[1].desired_count, 4);
        let text = plan_text("shop", "eu-west-1", &scan).unwrap();
        assert!(text.starts_with("# fargate-planner plan scanned from ECS cluster `shop`"));
        let back = crate::core::plan::parse(&text).unwrap();
        check(&back.raw);
        assert_eq!(
            toml::to_string(&back.raw).unwrap(),
            toml::to_string(&scan.plan).unwrap(),
            "the written plan reads back as the scanned one"
        );
    }

    #[test]
    fn services_not_on_fargate_are_left_out_with_the_reason() {
        let mut ec2 = service("legacy", taskdef("legacy", "512", "1024", "X86_64"));
        ec2.launch_type = Some("EC2".into());
        let mut asg = service("asg", taskdef("asg", "512", "1024", "X86_64"));
        asg.strategy = vec![ScannedStrategyItem {
            provider: "my-asg-provider".into(),
            base: 0,
            weight: 1,
        }];
        let mut draining = service("old", taskdef("old", "512", "1024", "X86_64"));
        draining.status = "DRAINING".into();
        let broken = service(
            "broken",
            json!({"taskDefinition": {"family": "broken",
            "requiresCompatibilities": ["FARGATE"], "containerDefinitions": [{"name": "a", "image": "x"}]}}),
        );
        let mut ok = service("web", taskdef("web", "256", "512", "X86_64"));
        ok.task_definition["taskDefinition"]["containerDefinitions"][0]["dependsOn"] =
            serde_json::Value::Bool(true);
        let scan = scan("c", "us-east-1", &[ec2, asg, draining, broken, ok]);
        assert_eq!(scan.plan.service.len(), 1);
        let skipped: Vec<(&str, &str)> = scan
            .skipped
            .iter()
            .map(|(n, w)| (n.as_str(), w.as_str()))
            .collect();
        assert_eq!(skipped.len(), 4, "{skipped:?}");
        assert!(skipped[0].0 == "asg" && skipped[0].1.contains("my-asg-provider"));
        assert!(skipped[1].0 == "broken" && skipped[1].1.contains("task-level cpu"));
        assert!(skipped[2].0 == "legacy" && skipped[2].1.contains("launch type EC2"));
        assert!(skipped[3].0 == "old" && skipped[3].1.contains("DRAINING"));
        assert!(
            scan.notes
                .iter()
                .any(|n| n.contains("service `web` (web:3)")
                    && n.contains("taskDefinition.containerDefinitions[*].dependsOn")),
            "{:?}",
            scan.notes
        );
        let header = header("c", "us-east-1", &scan);
        assert!(header.contains("Not in this plan:\n  asg: capacity provider my-asg-provider"));
    }

    #[test]
    fn scaling_without_a_usable_policy_is_a_note_not_a_guess() {
        let mut s = service("api", taskdef("api", "512", "1024", "X86_64"));
        s.scaling = Some(ScannedScaling {
            min_capacity: 1,
            max_capacity: 5,
            policies: vec![ScannedPolicy {
                name: "custom".into(),
                metric: None,
                target_value: 10.0,
            }],
        });
        let scan = scan("c", "us-east-1", &[s]);
        assert!(scan.plan.service[0].autoscaling.is_none());
        assert_eq!(scan.rows[0].autoscaling, "1–5 (not in plan)");
        assert!(
            scan.notes[0].contains("scales between 1 and 5 tasks"),
            "{:?}",
            scan.notes
        );
        check(&scan.plan);
        let text = plan_text("c", "us-east-1", &scan).unwrap();
        assert!(
            text.contains("# Notes:\n#   service `api` scales between 1 and 5 tasks"),
            "{text}"
        );
    }

    #[test]
    fn deploys_own_policy_is_preferred_and_fractions_kept() {
        let scaling = ScannedScaling {
            min_capacity: 1,
            max_capacity: 3,
            policies: vec![
                ScannedPolicy {
                    name: "aaa".into(),
                    metric: Some("ECSServiceAverageMemoryUtilization".into()),
                    target_value: 70.0,
                },
                ScannedPolicy {
                    name: "fargate-planner-api".into(),
                    metric: Some("ECSServiceAverageCPUUtilization".into()),
                    target_value: 55.5,
                },
            ],
        };
        let a = autoscaling("api", &scaling).unwrap();
        assert_eq!(a.metric.as_deref(), Some("cpu"));
        assert_eq!(a.target_value, Some(Scalar::Float(55.5)));
        let a = autoscaling("other", &scaling).unwrap();
        assert_eq!(a.metric.as_deref(), Some("memory"));
    }
}
