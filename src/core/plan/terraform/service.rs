//! `aws_ecs_service` resources with their task definitions and Application Auto Scaling as plan
//! services. Terraform's attribute names are the plan's own (snake_case), so most fields copy
//! across; nested blocks are one-item lists; `container_definitions` is a JSON string in ECS's
//! camelCase, read by the task definition reader.

use super::config::references;
use super::{Res, Side};
use crate::core::plan::imported::{Imported, ImportedService, Naming, SourceKind, document_path};
use crate::core::plan::raw::{
    RawAutoscaling, RawAvailability, RawCircuitBreaker, RawNetworkConfiguration, RawService,
    RawStrategyItem,
};
use crate::core::plan::scheduled::{self, Action};
use crate::core::plan::taskdef;
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem};
use crate::core::vocab::units::Scalar;
use serde_json::{Map, Value, json};

/// Task definition attributes a price or a rule depends on.
const TASK_HARD: [&str; 7] = [
    "cpu",
    "memory",
    "runtime_platform",
    "ephemeral_storage",
    "container_definitions",
    "requires_compatibilities",
    "network_mode",
];
/// Service attributes a price depends on (`launch_type` and `platform_version` are computed
/// when not set: unknown there means "not set").
const SERVICE_HARD: [&str; 2] = ["desired_count", "capacity_provider_strategy"];

fn any_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Array(a) => a.iter().any(any_true),
        Value::Object(o) => o.values().any(any_true),
        _ => false,
    }
}

impl Res<'_> {
    fn unknown(&self, attr: &str) -> bool {
        self.unknown.and_then(|u| u.get(attr)).is_some_and(any_true)
    }
    fn get(&self, attr: &str) -> Option<&Value> {
        self.values.get(attr).filter(|v| !v.is_null())
    }
    /// The first item of a nested block (`runtime_platform = [{...}]`).
    fn block(&self, attr: &str) -> Option<&Value> {
        self.get(attr)?.as_array()?.first()
    }
    fn path(&self) -> FieldPath {
        FieldPath::root().key(&self.address)
    }
    fn str(&self, attr: &str) -> Option<String> {
        self.get(attr)?
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }
}

fn same(a: &str, b: &str) -> bool {
    a == b || a.split('[').next() == Some(b) || b.split('[').next() == Some(a)
}

struct Builder<'a> {
    doc: &'a Value,
    resources: &'a [Res<'a>],
    facts: &'a Facts,
    problems: Vec<Problem>,
    notes: Vec<String>,
}

pub(super) fn services(doc: &Value, resources: &[Res], side: Side, facts: &Facts) -> Imported {
    let mut b = Builder {
        doc,
        resources,
        facts,
        problems: Vec::new(),
        notes: Vec::new(),
    };
    let mut services = Vec::new();
    for r in resources.iter().filter(|r| r.ty == "aws_ecs_service") {
        if let Some(s) = b.service(r) {
            services.push(s);
        }
    }
    for s in &mut services {
        b.autoscaling(s);
    }
    let _ = side;
    Imported {
        kind: SourceKind::Terraform,
        services,
        region: None,
        notes: b.notes,
        problems: b.problems,
    }
}

impl<'a> Builder<'a> {
    fn find(&self, address: &str) -> Option<&'a Res<'a>> {
        self.resources.iter().find(|r| same(&r.address, address))
    }

    fn unknown_problem(&mut self, r: &Res, attr: &str) {
        self.problems.push(
            Problem::new(
                r.path().key(attr),
                "known only after apply: the value cannot be priced from the plan",
            )
            .fix("set the value in the configuration, or price the plan again once it is applied"),
        );
    }

    /// The service's task definition: through the `task_definition` expression's references,
    /// else by the family in the ARN.
    fn task_of(&mut self, svc: &Res) -> Option<&'a Res<'a>> {
        let refs = references(self.doc, &svc.module, &svc.address, "task_definition");
        if let Some(td) = refs
            .iter()
            .find_map(|a| self.find(a).filter(|r| r.ty == "aws_ecs_task_definition"))
        {
            return Some(td);
        }
        let arn = svc.str("task_definition");
        let family = arn.as_deref().map(|a| {
            let tail = a.rsplit("task-definition/").next().unwrap_or(a);
            tail.split(':').next().unwrap_or(tail).to_string()
        });
        let found = family.as_deref().and_then(|f| {
            self.resources.iter().find(|r| {
                r.ty == "aws_ecs_task_definition" && r.str("family").as_deref() == Some(f)
            })
        });
        if found.is_none() {
            let mut p = Problem::new(
                svc.path().key("task_definition"),
                if svc.unknown("task_definition") {
                    "the task definition is known only after apply and the configuration names no aws_ecs_task_definition of this plan"
                } else {
                    "the task definition is not a resource of this plan: its size is what is priced"
                },
            )
            .fix("plan the module that declares the task definition too, or price its JSON with `fargate-planner report taskdef.json`");
            if let Some(a) = arn {
                p = p.value(a);
            }
            self.problems.push(p);
        }
        found
    }

    fn task(&mut self, td: &Res) -> taskdef::TaskDefinition {
        for attr in TASK_HARD {
            if td.unknown(attr) {
                self.unknown_problem(td, attr);
            }
        }
        let base = td.path();
        let mut obj = Map::new();
        let copy = |obj: &mut Map<String, Value>, from: &str, to: &str| {
            if let Some(v) = td.get(from) {
                obj.insert(to.to_string(), v.clone());
            }
        };
        copy(&mut obj, "family", "family");
        copy(&mut obj, "cpu", "cpu");
        copy(&mut obj, "memory", "memory");
        copy(&mut obj, "network_mode", "networkMode");
        copy(
            &mut obj,
            "requires_compatibilities",
            "requiresCompatibilities",
        );
        copy(&mut obj, "task_role_arn", "taskRoleArn");
        copy(&mut obj, "execution_role_arn", "executionRoleArn");
        if let Some(rp) = td.block("runtime_platform") {
            obj.insert(
                "runtimePlatform".into(),
                json!({
                    "cpuArchitecture": rp.get("cpu_architecture"),
                    "operatingSystemFamily": rp.get("operating_system_family"),
                }),
            );
        }
        if let Some(es) = td.block("ephemeral_storage") {
            obj.insert(
                "ephemeralStorage".into(),
                json!({ "sizeInGiB": es.get("size_in_gib") }),
            );
        }
        if let Some(text) = td.str("container_definitions") {
            match serde_json::from_str::<Value>(&text) {
                Ok(v) => {
                    obj.insert("containerDefinitions".into(), v);
                }
                Err(e) => self.problems.push(Problem::new(
                    base.key("container_definitions"),
                    format!("not valid JSON: {e}"),
                )),
            }
        }
        if let Some(Value::Object(tags)) = td.get("tags") {
            let list: Vec<Value> = tags
                .iter()
                .map(|(k, v)| json!({"key": k, "value": v}))
                .collect();
            obj.insert("tags".into(), Value::Array(list));
        }
        let mut t = taskdef::from_object(&obj, base.clone(), self.facts);
        for p in &mut t.problems {
            p.path = document_path(&base, &p.path, Naming::Snake);
        }
        self.problems.append(&mut t.problems);
        t
    }

    fn service(&mut self, r: &Res) -> Option<ImportedService> {
        for attr in SERVICE_HARD {
            if r.unknown(attr) {
                self.unknown_problem(r, attr);
            }
        }
        let td_res = self.task_of(r)?;
        let td = self.task(td_res);
        let mut raw: RawService = td.service.clone();
        raw.name = r.str("name").unwrap_or_else(|| {
            r.address
                .rsplit('.')
                .next()
                .unwrap_or(&r.address)
                .to_string()
        });
        raw.desired_count = match r.get("desired_count") {
            Some(v) => v.as_i64(),
            // The provider's default.
            None if !r.unknown("desired_count") => Some(0),
            None => None,
        };
        raw.launch_type = r.str("launch_type");
        raw.platform_version = r.str("platform_version");
        if let Some(items) = r
            .get("capacity_provider_strategy")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        {
            raw.capacity_provider_strategy = Some(
                items
                    .iter()
                    .map(|i| RawStrategyItem {
                        capacity_provider: i
                            .get("capacity_provider")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        base: i.get("base").and_then(Value::as_i64),
                        weight: i.get("weight").and_then(Value::as_i64),
                    })
                    .collect(),
            );
            // The provider reports launch_type "" or leaves it computed beside a strategy.
            raw.launch_type = None;
        }
        if let Some(cb) = r.block("deployment_circuit_breaker") {
            raw.deployment_circuit_breaker = Some(RawCircuitBreaker {
                enable: cb.get("enable").and_then(Value::as_bool).unwrap_or(false),
                rollback: cb.get("rollback").and_then(Value::as_bool),
            });
        }
        if let Some(max) = r.get("deployment_maximum_percent").and_then(Value::as_i64) {
            raw.availability = Some(Box::new(RawAvailability {
                maximum_percent: Some(max),
                ..RawAvailability::default()
            }));
        }
        if let Some(n) = r.block("network_configuration") {
            let strings = |k: &str| -> Vec<String> {
                n.get(k)
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            raw.network_configuration = Some(RawNetworkConfiguration {
                subnets: strings("subnets"),
                security_groups: strings("security_groups"),
                assign_public_ip: n.get("assign_public_ip").and_then(Value::as_bool),
            });
        }
        Some(ImportedService {
            id: r.address.clone(),
            raw,
            service_path: r.path(),
            task_path: td_res.path(),
            scaling_path: None,
            log_region: td.log_region.map(|(r, _)| r),
        })
    }

    /// Whether `r`'s `resource_id` names the service: a configuration reference to `to`
    /// (the service or its target), else the literal `service/CLUSTER/NAME`.
    fn ties(&self, r: &Res, to: &str, literal: Option<&str>) -> bool {
        if references(self.doc, &r.module, &r.address, "resource_id")
            .iter()
            .any(|a| same(a, to))
        {
            return true;
        }
        match (r.str("resource_id"), literal) {
            (Some(id), Some(l)) => id == l,
            _ => false,
        }
    }

    fn autoscaling(&mut self, s: &mut ImportedService) {
        let name = s.raw.name.clone();
        let resources = self.resources;
        let target = resources.iter().find(|t| {
            t.ty == "aws_appautoscaling_target"
                && t.str("scalable_dimension").as_deref() == Some("ecs:service:DesiredCount")
                && (self.ties(t, &s.id, None)
                    || t.str("resource_id")
                        .is_some_and(|id| id.ends_with(&format!("/{name}"))))
        });
        let Some(t) = target else { return };
        let mut auto = RawAutoscaling {
            min_capacity: t.get("min_capacity").and_then(Value::as_i64),
            max_capacity: t.get("max_capacity").and_then(Value::as_i64),
            ..RawAutoscaling::default()
        };
        for attr in ["min_capacity", "max_capacity"] {
            if t.unknown(attr) {
                self.unknown_problem(t, attr);
            }
        }
        let target_id = t.str("resource_id");
        self.scheduled(s, t, target_id.as_deref());
        let policies: Vec<&Res> = resources
            .iter()
            .filter(|p| {
                p.ty == "aws_appautoscaling_policy"
                    && (self.ties(p, &t.address, target_id.as_deref()) || self.ties(p, &s.id, None))
            })
            .collect();
        for p in policies {
            let ty = p.str("policy_type").unwrap_or_default();
            let cfg = p.block("target_tracking_scaling_policy_configuration");
            let metric = cfg
                .and_then(|c| c.get("predefined_metric_specification"))
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|m| m.get("predefined_metric_type"))
                .and_then(Value::as_str);
            let metric = match metric {
                Some("ECSServiceAverageCPUUtilization") => Some("cpu"),
                Some("ECSServiceAverageMemoryUtilization") => Some("memory"),
                Some("ALBRequestCountPerTarget") => Some("requests"),
                _ => None,
            };
            match (ty.as_str(), metric, cfg) {
                ("TargetTrackingScaling", Some(m), Some(cfg)) if auto.metric.is_none() => {
                    auto.metric = Some(m.to_string());
                    auto.target_value = scalar(cfg.get("target_value"));
                    auto.scale_in_cooldown = scalar(cfg.get("scale_in_cooldown"));
                    auto.scale_out_cooldown = scalar(cfg.get("scale_out_cooldown"));
                }
                ("TargetTrackingScaling", _, _) => self.notes.push(format!(
                    "{}: a second or custom-metric target-tracking policy on `{name}` is not modelled",
                    p.address
                )),
                _ => self.notes.push(format!(
                    "{}: {ty} policies are not modelled (step scaling)",
                    p.address
                )),
            }
        }
        if auto.metric.is_none() {
            self.notes.push(format!(
                "{}: no target-tracking policy scales `{name}`: its bounds are left out",
                t.address
            ));
            return;
        }
        s.raw.autoscaling = Some(Box::new(auto));
        s.scaling_path = Some(t.path());
    }
}

impl Builder<'_> {
    /// The scheduled actions on the service's target as its uptime, when they are one
    /// scale-up / scale-down pair.
    fn scheduled(&mut self, s: &mut ImportedService, t: &Res, target_id: Option<&str>) {
        let resources = self.resources;
        let tied: Vec<&Res> = resources
            .iter()
            .filter(|a| {
                a.ty == "aws_appautoscaling_scheduled_action"
                    && (self.ties(a, &t.address, target_id) || self.ties(a, &s.id, None))
            })
            .collect();
        if tied.is_empty() {
            return;
        }
        let actions: Vec<Action> = tied
            .iter()
            .map(|a| {
                let target = a.block("scalable_target_action");
                // The provider keeps these as strings.
                let cap = |k: &str| {
                    target
                        .and_then(|t| t.get(k))
                        .and_then(scheduled::capacity_value)
                };
                Action {
                    schedule: a.str("schedule").unwrap_or_default(),
                    timezone: a.str("timezone"),
                    min_capacity: cap("min_capacity"),
                    max_capacity: cap("max_capacity"),
                }
            })
            .collect();
        match scheduled::uptime(&actions) {
            Ok(u) => s.raw.uptime = Some(u),
            Err(why) => self.notes.push(format!(
                "{}: {why}; the report prices the desired count all the time",
                tied.iter()
                    .map(|a| a.address.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

fn scalar(v: Option<&Value>) -> Option<Scalar> {
    match v? {
        Value::Number(n) => n
            .as_i64()
            .map(Scalar::Int)
            .or_else(|| n.as_f64().map(Scalar::Float)),
        Value::String(s) => Some(Scalar::Text(s.clone())),
        _ => None,
    }
}
