//! The template's ECS resources as plan services: each `AWS::ECS::Service` with the task
//! definition it references, its capacity, deployment settings and the Application Auto Scaling
//! target and target-tracking policy tied to it. Values a price depends on must resolve; the
//! others (images, role ARNs, subnets) may stay opaque.

use super::intrinsic::{Ctx, call, referenced_ids, short};
use crate::core::plan::imported::{Imported, ImportedService, Naming, SourceKind, document_path};
use crate::core::plan::raw::{
    RawAutoscaling, RawAvailability, RawCircuitBreaker, RawNetworkConfiguration, RawService,
    RawStrategyItem, RawUptime,
};
use crate::core::plan::scheduled::{self, Action};
use crate::core::plan::taskdef;
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem, Seg};
use crate::core::vocab::units::Scalar;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

const SERVICE: &str = "AWS::ECS::Service";
const TASK: &str = "AWS::ECS::TaskDefinition";
const TARGET: &str = "AWS::ApplicationAutoScaling::ScalableTarget";
const POLICY: &str = "AWS::ApplicationAutoScaling::ScalingPolicy";

/// Properties a price or a rule depends on, per resource type: an opaque value there is a
/// problem. Container properties are listed under `ContainerDefinitions`.
fn hard(ty: &str, rel: &[Seg]) -> bool {
    let key = |i: usize| match rel.get(i) {
        Some(Seg::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    let Some(first) = key(0) else {
        return true;
    };
    match ty {
        TASK if first == "ContainerDefinitions" => match key(2) {
            None => true,
            Some(k) => [
                "Cpu",
                "Memory",
                "MemoryReservation",
                "Essential",
                "PortMappings",
                "HealthCheck",
            ]
            .contains(&k),
        },
        TASK => [
            "Cpu",
            "Memory",
            "RuntimePlatform",
            "EphemeralStorage",
            "RequiresCompatibilities",
            "NetworkMode",
        ]
        .contains(&first),
        SERVICE => [
            "DesiredCount",
            "LaunchType",
            "CapacityProviderStrategy",
            "PlatformVersion",
            "DeploymentConfiguration",
        ]
        .contains(&first),
        TARGET => ["MinCapacity", "MaxCapacity"].contains(&first),
        POLICY => ["PolicyType", "TargetTrackingScalingPolicyConfiguration"].contains(&first),
        _ => false,
    }
}

/// ECS camelCase names for a CloudFormation property tree (log options and labels keep theirs).
fn camel(v: &Value) -> Value {
    match v {
        Value::Object(obj) => Value::Object(
            obj.iter()
                .map(|(k, item)| {
                    let mut chars = k.chars();
                    let key = match chars.next() {
                        Some(c) => c.to_lowercase().chain(chars).collect(),
                        None => String::new(),
                    };
                    let value = if k == "Options" || k == "DockerLabels" {
                        item.clone()
                    } else {
                        camel(item)
                    };
                    (key, value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(camel).collect()),
        other => other.clone(),
    }
}

fn props_path(id: &str) -> FieldPath {
    FieldPath::root().key("Resources").key(id).key("Properties")
}

struct Builder<'a> {
    ctx: &'a Ctx<'a>,
    facts: &'a Facts,
    problems: Vec<Problem>,
    notes: Vec<String>,
    /// Uptime windows from scheduled actions, by service id.
    uptimes: BTreeMap<String, RawUptime>,
}

/// Every ECS service of the template, in logical id order.
pub(super) fn services(ctx: &Ctx, facts: &Facts) -> Imported {
    let mut b = Builder {
        ctx,
        facts,
        problems: Vec::new(),
        notes: Vec::new(),
        uptimes: BTreeMap::new(),
    };
    let of_type = |ty: &str| -> Vec<String> {
        ctx.resources
            .iter()
            .filter(|(_, r)| r.get("Type").and_then(Value::as_str) == Some(ty))
            .map(|(id, _)| id.clone())
            .collect()
    };
    let service_ids = of_type(SERVICE);
    if service_ids.is_empty() {
        b.problems.push(
            Problem::new(
                FieldPath::root().key("Resources"),
                "the template has no AWS::ECS::Service resource: nothing to price",
            )
            .fix(
                "give the template that declares the ECS services (for the CDK: `cdk synth STACK`)",
            ),
        );
    }
    let (scaling, scaling_targets) = b.scaling(&service_ids, &of_type(TARGET), &of_type(POLICY));
    let mut services = Vec::new();
    for id in &service_ids {
        if let Some(mut s) = b.service(id) {
            if let Some((target_id, auto)) = scaling.get(id) {
                s.raw.autoscaling = Some(Box::new(auto.clone()));
                s.scaling_path = Some(props_path(target_id));
            }
            if let Some(u) = b.uptimes.remove(id) {
                s.raw.uptime = Some(u);
                if s.scaling_path.is_none() {
                    s.scaling_path = scaling_targets.get(id).map(|t| props_path(t));
                }
            }
            services.push(s);
        }
    }
    Imported {
        kind: SourceKind::Cloudformation,
        services,
        region: None,
        notes: b.notes,
        problems: b.problems,
    }
}

impl Builder<'_> {
    /// A resource's properties resolved; opaque values where they matter are problems.
    fn props(&mut self, id: &str, ty: &str) -> Value {
        let resource = self.ctx.resources.get(id);
        if let Some(cond) = resource.and_then(|r| r.get("Condition")) {
            self.problems.push(
                Problem::new(
                    FieldPath::root().key("Resources").key(id).key("Condition"),
                    format!("{id} exists only when condition {} holds: conditions are not evaluated", short(cond)),
                )
                .fix("price a template without the condition on its ECS resources, or the template `cdk synth` gives for one context"),
            );
        }
        let empty = Value::Object(Map::new());
        let props = resource.and_then(|r| r.get("Properties")).unwrap_or(&empty);
        let base = props_path(id);
        let resolved = self.ctx.tree(props, &base);
        for (path, why) in resolved.opaque {
            let rel = &path.0[base.0.len()..];
            if hard(ty, rel) {
                self.problems.push(
                    Problem::new(path.clone(), format!("{why}: the value must be known to price the service"))
                        .fix("write the value, or a Ref to a parameter with a Default (`--parameter KEY=VALUE` sets one)"),
                );
            }
        }
        resolved.value
    }

    fn int(&mut self, v: Option<&Value>, path: FieldPath) -> Option<i64> {
        match v? {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            Value::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            Value::String(s) if s.starts_with('<') => None,
            other => {
                self.problems
                    .push(Problem::new(path, "expected an integer").value(short(other)));
                None
            }
        }
    }

    fn text(&mut self, v: Option<&Value>, path: FieldPath) -> Option<String> {
        match v? {
            Value::String(s) if s.starts_with('<') => None,
            Value::String(s) => Some(s.clone()),
            other => {
                self.problems
                    .push(Problem::new(path, "expected a string").value(short(other)));
                None
            }
        }
    }

    fn task(&mut self, id: &str) -> taskdef::TaskDefinition {
        let props = self.props(id, TASK);
        let base = props_path(id);
        let camel = match camel(&props) {
            Value::Object(o) => o,
            _ => Map::new(),
        };
        let mut td = taskdef::from_object(&camel, base.clone(), self.facts);
        for p in &mut td.problems {
            p.path = document_path(&base, &p.path, Naming::Pascal);
        }
        // A value already reported as unresolvable is not reported again as malformed.
        let known: Vec<FieldPath> = self.problems.iter().map(|p| p.path.clone()).collect();
        td.problems
            .retain(|p| !known.iter().any(|k| p.path.0.starts_with(&k.0)));
        self.problems.append(&mut td.problems);
        if !td.ignored.is_empty() {
            self.notes.push(format!(
                "Resources.{id}: ignored (not needed to price or check the task): {}",
                td.ignored.join(", ")
            ));
        }
        td
    }

    fn service(&mut self, id: &str) -> Option<ImportedService> {
        let props = self.props(id, SERVICE);
        let path = props_path(id);
        let raw_td = self
            .ctx
            .resources
            .get(id)
            .and_then(|r| r.get("Properties"))
            .and_then(|p| p.get("TaskDefinition"));
        let td_id = match raw_td.and_then(call) {
            Some(("Ref", Value::String(t)))
                if self
                    .ctx
                    .resources
                    .get(t)
                    .and_then(|r| r.get("Type"))
                    .and_then(Value::as_str)
                    == Some(TASK) =>
            {
                t.clone()
            }
            _ => {
                let mut p = Problem::new(
                    path.key("TaskDefinition"),
                    "the task definition must be a Ref to an AWS::ECS::TaskDefinition of this template: its size is what is priced",
                )
                .fix("declare the task definition in the template, or price its JSON with `fargate-planner report taskdef.json`");
                if let Some(v) = raw_td {
                    p = p.value(short(v));
                }
                self.problems.push(p);
                return None;
            }
        };
        let td = self.task(&td_id);
        let mut raw: RawService = td.service.clone();
        // Role ARNs known only at deploy time are not written into a plan as placeholders.
        for arn in [&mut raw.task_role_arn, &mut raw.execution_role_arn] {
            if arn.as_deref().is_some_and(|a| a.starts_with('<')) {
                *arn = None;
            }
        }
        raw.name = self
            .text(props.get("ServiceName"), path.key("ServiceName"))
            .unwrap_or_else(|| id.to_string());
        raw.desired_count = self.int(props.get("DesiredCount"), path.key("DesiredCount"));
        if props.get("DesiredCount").is_none() {
            self.notes.push(format!(
                "Resources.{id}: no DesiredCount, priced at 1 task (the count ECS gives a new service)"
            ));
            raw.desired_count = Some(1);
        }
        raw.launch_type = self.text(props.get("LaunchType"), path.key("LaunchType"));
        raw.platform_version = self.text(props.get("PlatformVersion"), path.key("PlatformVersion"));
        raw.capacity_provider_strategy = self.strategy(&props, &path);
        self.deployment(&props, &path, &mut raw);
        raw.network_configuration = network(&props);
        let log_region = td.log_region.as_ref().map(|(r, _)| r.clone());
        Some(ImportedService {
            id: id.to_string(),
            raw,
            service_path: path,
            task_path: props_path(&td_id),
            scaling_path: None,
            log_region,
        })
    }

    fn strategy(&mut self, props: &Value, path: &FieldPath) -> Option<Vec<RawStrategyItem>> {
        let items = props.get("CapacityProviderStrategy")?.as_array()?;
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ip = path.key("CapacityProviderStrategy").index(i);
            out.push(RawStrategyItem {
                capacity_provider: self
                    .text(item.get("CapacityProvider"), ip.key("CapacityProvider"))
                    .unwrap_or_default(),
                base: self.int(item.get("Base"), ip.key("Base")),
                weight: self.int(item.get("Weight"), ip.key("Weight")),
            });
        }
        Some(out)
    }

    fn deployment(&mut self, props: &Value, path: &FieldPath, raw: &mut RawService) {
        let Some(dc) = props.get("DeploymentConfiguration") else {
            return;
        };
        let dp = path.key("DeploymentConfiguration");
        if let Some(cb) = dc.get("DeploymentCircuitBreaker") {
            raw.deployment_circuit_breaker = Some(RawCircuitBreaker {
                enable: cb.get("Enable").and_then(Value::as_bool).unwrap_or(false),
                rollback: cb.get("Rollback").and_then(Value::as_bool),
            });
        }
        if let Some(max) = self.int(dc.get("MaximumPercent"), dp.key("MaximumPercent")) {
            raw.availability = Some(Box::new(RawAvailability {
                maximum_percent: Some(max),
                ..RawAvailability::default()
            }));
        }
    }

    /// Each service's scalable target and target-tracking policy: service id → (target id,
    /// settings).
    fn scaling(
        &mut self,
        services: &[String],
        targets: &[String],
        policies: &[String],
    ) -> (
        BTreeMap<String, (String, RawAutoscaling)>,
        BTreeMap<String, String>,
    ) {
        let mut out = BTreeMap::new();
        let mut target_service = BTreeMap::new();
        for t in targets {
            let props = self.props(t, TARGET);
            if props.get("ScalableDimension").and_then(Value::as_str)
                != Some("ecs:service:DesiredCount")
            {
                continue;
            }
            let Some(svc) = self.tie(t, services) else {
                self.notes.push(format!(
                    "Resources.{t}: a scalable target not tied to a service of this template (its ResourceId names none): left out"
                ));
                continue;
            };
            let tp = props_path(t);
            let auto = RawAutoscaling {
                min_capacity: self.int(props.get("MinCapacity"), tp.key("MinCapacity")),
                max_capacity: self.int(props.get("MaxCapacity"), tp.key("MaxCapacity")),
                ..RawAutoscaling::default()
            };
            if let Some(list) = props.get("ScheduledActions").and_then(Value::as_array) {
                let actions: Vec<Action> = list
                    .iter()
                    .map(|a| {
                        let target = a.get("ScalableTargetAction");
                        let cap = |k: &str| {
                            target
                                .and_then(|t| t.get(k))
                                .and_then(scheduled::capacity_value)
                        };
                        Action {
                            schedule: a
                                .get("Schedule")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_string(),
                            timezone: a
                                .get("Timezone")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                            min_capacity: cap("MinCapacity"),
                            max_capacity: cap("MaxCapacity"),
                        }
                    })
                    .collect();
                match scheduled::uptime(&actions) {
                    Ok(u) => {
                        self.uptimes.insert(svc.clone(), u);
                    }
                    Err(why) => self.notes.push(format!(
                        "Resources.{t}.Properties.ScheduledActions: {why}; the report prices the desired count all the time"
                    )),
                }
            }
            target_service.insert(t.clone(), svc.clone());
            out.insert(svc, (t.clone(), auto));
        }
        for p in policies {
            let props = self.props(p, POLICY);
            let raw_target = self
                .ctx
                .resources
                .get(p)
                .and_then(|r| r.get("Properties"))
                .and_then(|r| r.get("ScalingTargetId"));
            let mut ids = Vec::new();
            if let Some(v) = raw_target {
                referenced_ids(v, &mut ids);
            }
            let svc = ids
                .iter()
                .find_map(|i| target_service.get(i).cloned())
                .or_else(|| self.tie(p, services));
            let Some(svc) = svc else { continue };
            let Some((_, auto)) = out.get_mut(&svc) else {
                continue;
            };
            let ty = props
                .get("PolicyType")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let cfg = props.get("TargetTrackingScalingPolicyConfiguration");
            let metric = cfg
                .and_then(|c| c.get("PredefinedMetricSpecification"))
                .and_then(|m| m.get("PredefinedMetricType"))
                .and_then(Value::as_str);
            let metric = match metric {
                Some("ECSServiceAverageCPUUtilization") => Some("cpu"),
                Some("ECSServiceAverageMemoryUtilization") => Some("memory"),
                Some("ALBRequestCountPerTarget") => Some("requests"),
                _ => None,
            };
            match (ty, metric) {
                ("TargetTrackingScaling", Some(m)) if auto.metric.is_none() => {
                    let cfg = cfg.unwrap_or(&Value::Null);
                    auto.metric = Some(m.to_string());
                    auto.target_value = scalar(cfg.get("TargetValue"));
                    auto.scale_in_cooldown = scalar(cfg.get("ScaleInCooldown"));
                    auto.scale_out_cooldown = scalar(cfg.get("ScaleOutCooldown"));
                }
                ("TargetTrackingScaling", Some(_)) => self.notes.push(format!(
                    "Resources.{p}: a second target-tracking policy on `{svc}`: only the first is modelled"
                )),
                ("TargetTrackingScaling", None) => self.notes.push(format!(
                    "Resources.{p}: target tracking on a custom metric is not modelled"
                )),
                _ => self.notes.push(format!(
                    "Resources.{p}: {ty} policies are not modelled (step scaling): the autoscaling of `{svc}` keeps its bounds only"
                )),
            }
        }
        // A plan's autoscaling is target tracking: a target without such a policy never
        // changes the count, so it is left out rather than given a guessed policy.
        out.retain(|svc, (t, auto)| {
            if auto.metric.is_none() {
                self.notes.push(format!(
                    "Resources.{t}: no target-tracking policy scales `{svc}`: its bounds are left out"
                ));
            }
            auto.metric.is_some()
        });
        let by_service = target_service
            .into_iter()
            .map(|(t, svc)| (svc, t))
            .collect();
        (out, by_service)
    }

    /// The service a scalable target or policy's `ResourceId` names: through a reference to the
    /// service's logical id, else its literal `service/CLUSTER/NAME`.
    fn tie(&mut self, id: &str, services: &[String]) -> Option<String> {
        let raw = self
            .ctx
            .resources
            .get(id)?
            .get("Properties")?
            .get("ResourceId")?;
        let mut ids = Vec::new();
        referenced_ids(raw, &mut ids);
        if let Some(s) = ids.iter().find(|i| services.contains(i)) {
            return Some(s.clone());
        }
        let text = self.ctx.eval(raw).ok()?;
        let name = text.as_str()?.rsplit('/').next()?.to_string();
        services
            .iter()
            .find(|s| {
                let declared = self
                    .ctx
                    .resources
                    .get(*s)
                    .and_then(|r| r.get("Properties"))
                    .and_then(|p| p.get("ServiceName"))
                    .and_then(|v| self.ctx.eval(v).ok());
                declared.as_ref().and_then(Value::as_str) == Some(name.as_str())
            })
            .cloned()
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

/// `NetworkConfiguration.AwsvpcConfiguration` with the literal subnets and security groups.
fn network(props: &Value) -> Option<RawNetworkConfiguration> {
    let vpc = props
        .get("NetworkConfiguration")?
        .get("AwsvpcConfiguration")?;
    let literal = |key: &str| -> Vec<String> {
        vpc.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .filter(|s| !s.starts_with('<'))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    Some(RawNetworkConfiguration {
        subnets: literal("Subnets"),
        security_groups: literal("SecurityGroups"),
        assign_public_ip: vpc
            .get("AssignPublicIp")
            .and_then(Value::as_str)
            .map(|s| s == "ENABLED"),
    })
}
