//! What ECS holds (as the AWS adapters observed it) against what the plan wants: the list of
//! changes `deploy` makes, empty when everything matches.

use super::{Capacity, DeployError, Desired, ScalingSpec, ServiceSpec, TaskDefinitionSpec};
use crate::core::plan::CircuitBreaker;
use crate::core::vocab::strategy::{Provider, StrategyItem};
use serde::Serialize;

/// A cluster as observed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedCluster {
    pub status: String,
    pub capacity_providers: Vec<String>,
}

/// The latest ACTIVE revision of a task definition family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedTaskDefinition {
    pub arn: String,
    pub revision: i32,
    pub spec: TaskDefinitionSpec,
}

/// The awsvpc configuration as observed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObservedNetwork {
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: Option<bool>,
}

/// A service as observed. `None` fields were not reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedService {
    pub status: String,
    pub task_definition: String,
    pub launch_type: Option<String>,
    pub strategy: Vec<StrategyItem>,
    pub desired_count: u32,
    pub network: Option<ObservedNetwork>,
    pub platform_version: Option<String>,
    pub circuit_breaker: Option<CircuitBreaker>,
}

/// The scalable target and policy as observed.
#[derive(Clone, Debug, PartialEq)]
pub struct ObservedScaling {
    pub min_capacity: Option<u32>,
    pub max_capacity: Option<u32>,
    /// The policy of `policy_name`: its metric and target.
    pub policy: Option<(String, f64)>,
}

/// What exists for one service.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Observed {
    pub cluster: Option<ObservedCluster>,
    pub log_groups: Vec<String>,
    pub task_definition: Option<ObservedTaskDefinition>,
    pub service: Option<ObservedService>,
    pub scaling: Option<ObservedScaling>,
}

/// One field that differs: `field`, then what is there and what will be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub from: String,
    pub to: String,
}

impl FieldChange {
    pub fn new(field: &str, from: impl ToString, to: impl ToString) -> FieldChange {
        FieldChange {
            field: field.to_string(),
            from: from.to_string(),
            to: to.to_string(),
        }
    }
}

/// Which task definition revision a service will run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum TaskDefinitionRef {
    /// An existing revision.
    Existing(String),
    /// The revision this run registers.
    New,
}

/// One change `deploy --apply` makes. Nothing is ever deleted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Change {
    CreateCluster {
        name: String,
        providers: Vec<Provider>,
    },
    /// `PutClusterCapacityProviders` with the providers already there plus the missing ones.
    AddCapacityProviders {
        cluster: String,
        keep: Vec<String>,
        add: Vec<Provider>,
    },
    CreateLogGroup {
        name: String,
    },
    RegisterTaskDefinition {
        spec: TaskDefinitionSpec,
        /// The latest active revision, if any, and what differs from it.
        previous: Option<i32>,
        changes: Vec<FieldChange>,
    },
    CreateService {
        spec: ServiceSpec,
        task_definition: TaskDefinitionRef,
    },
    UpdateService {
        spec: ServiceSpec,
        task_definition: TaskDefinitionRef,
        changes: Vec<FieldChange>,
        /// Moving from a launch type to a strategy needs a new deployment.
        force_new_deployment: bool,
    },
    PutScalableTarget {
        spec: ScalingSpec,
        changes: Vec<FieldChange>,
    },
    PutScalingPolicy {
        spec: ScalingSpec,
        changes: Vec<FieldChange>,
    },
}

impl Change {
    /// Creates something new (as opposed to changing what is there).
    pub fn creates(&self) -> bool {
        match self {
            Change::CreateCluster { .. }
            | Change::CreateLogGroup { .. }
            | Change::CreateService { .. } => true,
            Change::RegisterTaskDefinition { previous, .. } => previous.is_none(),
            Change::PutScalableTarget { changes, .. }
            | Change::PutScalingPolicy { changes, .. } => changes.is_empty(),
            Change::AddCapacityProviders { .. } | Change::UpdateService { .. } => false,
        }
    }
}

/// The changes that bring `observed` to `desired`, in the order they must be made.
pub fn diff(desired: &Desired, observed: &Observed) -> Result<Vec<Change>, DeployError> {
    let mut changes = Vec::new();

    // Cluster and its capacity providers (kept, never removed).
    match &observed.cluster {
        Some(c) if c.status == "ACTIVE" => {
            let add: Vec<Provider> = desired
                .providers
                .iter()
                .copied()
                .filter(|p| !c.capacity_providers.iter().any(|have| have == p.name()))
                .collect();
            if !add.is_empty() {
                changes.push(Change::AddCapacityProviders {
                    cluster: desired.cluster.clone(),
                    keep: c.capacity_providers.clone(),
                    add,
                });
            }
        }
        _ => changes.push(Change::CreateCluster {
            name: desired.cluster.clone(),
            providers: desired.providers.clone(),
        }),
    }

    for group in &desired.log_groups {
        if !observed.log_groups.contains(group) {
            changes.push(Change::CreateLogGroup {
                name: group.clone(),
            });
        }
    }

    // Task definition: a new revision only when the latest active one differs.
    let task_definition = match &observed.task_definition {
        Some(td) if td.spec.normalized() == desired.task_definition.normalized() => {
            TaskDefinitionRef::Existing(td.arn.clone())
        }
        previous => {
            changes.push(Change::RegisterTaskDefinition {
                spec: desired.task_definition.clone(),
                previous: previous.as_ref().map(|p| p.revision),
                changes: previous
                    .as_ref()
                    .map(|p| p.spec.differences(&desired.task_definition))
                    .unwrap_or_default(),
            });
            TaskDefinitionRef::New
        }
    };

    let spec = &desired.service;
    match &observed.service {
        None => changes.push(Change::CreateService {
            spec: spec.clone(),
            task_definition,
        }),
        Some(s) if s.status == "INACTIVE" => changes.push(Change::CreateService {
            spec: spec.clone(),
            task_definition,
        }),
        Some(s) if s.status == "DRAINING" => {
            return Err(DeployError::ServiceDraining {
                service: spec.name.clone(),
                cluster: spec.cluster.clone(),
                status: s.status.clone(),
            });
        }
        Some(s) => {
            let (fields, force) = service_differences(spec, s, &task_definition, desired)?;
            if !fields.is_empty() {
                changes.push(Change::UpdateService {
                    spec: spec.clone(),
                    task_definition,
                    changes: fields,
                    force_new_deployment: force,
                });
            }
        }
    }

    if let Some(scaling) = &desired.scaling {
        changes.extend(scaling_changes(scaling, observed.scaling.as_ref()));
    }
    Ok(changes)
}

/// The changes for one service of the plan, with what the reader should know about them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Section {
    pub service: String,
    pub region: String,
    pub cluster: String,
    pub changes: Vec<Change>,
    pub notes: Vec<String>,
}

impl Section {
    pub fn new(desired: &Desired, changes: Vec<Change>) -> Section {
        let mut notes = Vec::new();
        let n = &desired.service.network;
        if let Some(vpc) = &n.from_default_vpc {
            notes.push(format!(
                "the plan names no subnets: service `{}` uses the default VPC {vpc} (subnets {}; security group {}; public IP {}), as the ECS console does",
                desired.service.name,
                n.subnets.join(", "),
                n.security_groups.join(", "),
                if n.assign_public_ip { "ENABLED" } else { "DISABLED" }
            ));
        }
        Section {
            service: desired.service.name.clone(),
            region: desired.region.clone(),
            cluster: desired.cluster.clone(),
            changes,
            notes,
        }
    }
}

/// The name part of a task definition reference: `family:revision`.
pub fn family_revision(reference: &str) -> &str {
    reference
        .rsplit_once("task-definition/")
        .map_or(reference, |(_, fr)| fr)
}

fn service_differences(
    spec: &ServiceSpec,
    s: &ObservedService,
    task_definition: &TaskDefinitionRef,
    desired: &Desired,
) -> Result<(Vec<FieldChange>, bool), DeployError> {
    let mut fields = Vec::new();
    let mut force = false;
    match task_definition {
        TaskDefinitionRef::New => fields.push(FieldChange::new(
            "task_definition",
            family_revision(&s.task_definition),
            format!("{} (new revision)", desired.task_definition.family),
        )),
        TaskDefinitionRef::Existing(arn) => {
            if family_revision(arn) != family_revision(&s.task_definition) {
                fields.push(FieldChange::new(
                    "task_definition",
                    family_revision(&s.task_definition),
                    family_revision(arn),
                ));
            }
        }
    }
    // With autoscaling, the scaler owns the count between min and max: leave it there.
    let scaled = desired
        .scaling
        .as_ref()
        .is_some_and(|a| (a.min_capacity..=a.max_capacity).contains(&s.desired_count));
    if s.desired_count != spec.desired_count && !scaled {
        fields.push(FieldChange::new(
            "desired_count",
            s.desired_count,
            spec.desired_count,
        ));
    }
    match &spec.capacity {
        Capacity::LaunchType => {
            if !s.strategy.is_empty() {
                return Err(DeployError::CannotSwitchToLaunchType {
                    service: spec.name.clone(),
                });
            }
        }
        Capacity::Strategy(items) => {
            if &s.strategy != items {
                let from = if s.strategy.is_empty() {
                    format!(
                        "launch type {}",
                        s.launch_type.as_deref().unwrap_or("(none)")
                    )
                } else {
                    Capacity::Strategy(s.strategy.clone()).describe()
                };
                // A service moving from a launch type to a strategy needs a new deployment.
                force = s.strategy.is_empty();
                fields.push(FieldChange::new(
                    "capacity_provider_strategy",
                    from,
                    spec.capacity.describe(),
                ));
            }
        }
    }
    match &s.network {
        Some(n) if spec.network.same_as(n) => {}
        n => fields.push(FieldChange::new(
            "network_configuration",
            n.as_ref().map_or("(none)".to_string(), |n| {
                format!(
                    "subnets [{}], security groups [{}], public IP {}",
                    n.subnets.join(", "),
                    n.security_groups.join(", "),
                    match n.assign_public_ip {
                        Some(true) => "ENABLED",
                        Some(false) => "DISABLED",
                        None => "(not set)",
                    }
                )
            }),
            spec.network.describe(),
        )),
    }
    let observed_version = s.platform_version.as_deref().unwrap_or("LATEST");
    if observed_version != spec.platform_version {
        fields.push(FieldChange::new(
            "platform_version",
            observed_version,
            &spec.platform_version,
        ));
    }
    // AWS always reports the circuit breaker; when it is not reported, there is nothing to compare.
    if let Some(b) = s.circuit_breaker
        && b != spec.circuit_breaker
    {
        fields.push(FieldChange::new(
            "deployment_circuit_breaker",
            breaker(b),
            breaker(spec.circuit_breaker),
        ));
    }
    Ok((fields, force))
}

fn breaker(b: CircuitBreaker) -> String {
    format!("enable {}, rollback {}", b.enable, b.rollback)
}

fn scaling_changes(spec: &ScalingSpec, observed: Option<&ObservedScaling>) -> Vec<Change> {
    let mut out = Vec::new();
    let target_changes = match observed {
        Some(o) if o.min_capacity.is_some() => {
            let mut c = Vec::new();
            if o.min_capacity != Some(spec.min_capacity) {
                c.push(FieldChange::new(
                    "min_capacity",
                    opt(o.min_capacity),
                    spec.min_capacity,
                ));
            }
            if o.max_capacity != Some(spec.max_capacity) {
                c.push(FieldChange::new(
                    "max_capacity",
                    opt(o.max_capacity),
                    spec.max_capacity,
                ));
            }
            (!c.is_empty()).then_some(c)
        }
        _ => Some(Vec::new()),
    };
    if let Some(changes) = target_changes {
        out.push(Change::PutScalableTarget {
            spec: spec.clone(),
            changes,
        });
    }
    let policy_changes = match observed.and_then(|o| o.policy.as_ref()) {
        Some((metric, target)) => {
            let mut c = Vec::new();
            if metric != &spec.metric {
                c.push(FieldChange::new("metric", metric, &spec.metric));
            }
            if (target - spec.target_value).abs() > 1e-9 {
                c.push(FieldChange::new("target_value", target, spec.target_value));
            }
            (!c.is_empty()).then_some(c)
        }
        None => Some(Vec::new()),
    };
    if let Some(changes) = policy_changes {
        out.push(Change::PutScalingPolicy {
            spec: spec.clone(),
            changes,
        });
    }
    out
}

fn opt(v: Option<u32>) -> String {
    v.map_or("(none)".to_string(), |v| v.to_string())
}
