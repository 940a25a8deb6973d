//! What `deploy` wants to exist in ECS, and what it must change to get there.
//!
//! Pure: [`desired`] turns a validated [`Service`] into the ECS resources it describes
//! ([`Desired`]); [`diff()`] compares them with what the AWS adapters observed ([`Observed`]) and
//! returns the list of [`Change`]s, empty when everything matches. Nothing here calls AWS, so the
//! rules that an emulator does not enforce are unit-tested here.

pub mod credentials;
pub mod diff;
pub mod image;
pub mod reference;
pub mod spec;

pub use diff::{
    Change, FieldChange, Observed, ObservedCluster, ObservedNetwork, ObservedScaling,
    ObservedService, ObservedTaskDefinition, Section, TaskDefinitionRef, diff, family_revision,
};
pub use spec::{ContainerSpec, HealthCheckSpec, LogSpec, PortSpec, TaskDefinitionSpec};

use crate::core::plan::{CapacitySource, CircuitBreaker, Plan, ScalingMetric, Service};
use crate::core::vocab::strategy::{Provider, StrategyItem};
use serde::Serialize;
use std::collections::BTreeMap;

/// The tag every resource `deploy` creates carries.
pub const MANAGED_BY_KEY: &str = "managed-by";
pub const MANAGED_BY_VALUE: &str = "fargate-planner";

/// The tags of a created resource: the plan's, plus `managed-by = fargate-planner`.
pub fn tags_for(service_tags: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut tags = service_tags.clone();
    tags.insert(MANAGED_BY_KEY.to_string(), MANAGED_BY_VALUE.to_string());
    tags
}

/// How the service asks for capacity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Capacity {
    /// `launchType: FARGATE`.
    LaunchType,
    /// A `capacityProviderStrategy`.
    Strategy(Vec<StrategyItem>),
}

impl Capacity {
    pub fn describe(&self) -> String {
        match self {
            Capacity::LaunchType => "launch type FARGATE".to_string(),
            Capacity::Strategy(items) => items
                .iter()
                .map(|i| format!("{} base {} weight {}", i.provider, i.base, i.weight))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// The awsvpc configuration as it will be sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Network {
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: bool,
    /// The subnets and security group are the default VPC's (the plan named none).
    pub from_default_vpc: Option<String>,
}

impl Network {
    fn same_as(&self, other: &ObservedNetwork) -> bool {
        sorted(&self.subnets) == sorted(&other.subnets)
            && sorted(&self.security_groups) == sorted(&other.security_groups)
            && other.assign_public_ip.unwrap_or(false) == self.assign_public_ip
    }

    pub fn describe(&self) -> String {
        format!(
            "subnets [{}], security groups [{}], public IP {}",
            self.subnets.join(", "),
            self.security_groups.join(", "),
            if self.assign_public_ip {
                "ENABLED"
            } else {
                "DISABLED"
            }
        )
    }
}

fn sorted(v: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = v.iter().map(String::as_str).collect();
    v.sort_unstable();
    v
}

/// The default VPC's subnets and security group, looked up when the plan names no subnets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefaultVpc {
    pub vpc_id: String,
    pub subnets: Vec<String>,
    pub security_group: String,
}

/// Why a plan cannot be deployed as it stands (found before any change).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeployError {
    #[error(
        "service `{service}` names no subnets and {region} has no default VPC to take them from"
    )]
    NoDefaultVpc { service: String, region: String },
    #[error(
        "service `{service}` in cluster `{cluster}` is {status}: ECS is deleting it, so it can neither be updated nor created again yet"
    )]
    ServiceDraining {
        service: String,
        cluster: String,
        status: String,
    },
    #[error(
        "service `{service}` runs with a capacity provider strategy; ECS cannot switch a service back to a launch type in place"
    )]
    CannotSwitchToLaunchType { service: String },
    #[error(
        "service `{service}` scales on ALBRequestCountPerTarget, which needs a load balancer target group; deploy manages no load balancer"
    )]
    RequestMetricNeedsLoadBalancer { service: String },
}

impl DeployError {
    /// What to do about it.
    pub fn fix(&self) -> String {
        match self {
            DeployError::NoDefaultVpc { .. } => "name the subnets and security groups under `network_configuration` in the service, or create a default VPC (`aws ec2 create-default-vpc`)".to_string(),
            DeployError::ServiceDraining { .. } => "wait until the service is INACTIVE (a few minutes), then run deploy again".to_string(),
            DeployError::RequestMetricNeedsLoadBalancer { .. } => "scale on `cpu` or `memory` for deploy, or attach the policy to your load balancer's target group yourself".to_string(),
            DeployError::CannotSwitchToLaunchType { .. } => "keep a strategy in the plan, e.g. capacity_provider_strategy = [{ capacity_provider = \"FARGATE\", weight = 1 }]; deploy never deletes a service".to_string(),
        }
    }
}

/// Resolves the service's network: as written, or the default VPC's.
pub fn network_for(
    service: &Service,
    default_vpc: Option<&DefaultVpc>,
) -> Result<Network, DeployError> {
    let n = &service.network;
    if !n.subnets.is_empty() {
        return Ok(Network {
            subnets: n.subnets.clone(),
            security_groups: match (&n.security_groups[..], default_vpc) {
                ([], Some(vpc)) => vec![vpc.security_group.clone()],
                _ => n.security_groups.clone(),
            },
            assign_public_ip: n.assign_public_ip.unwrap_or(false),
            from_default_vpc: None,
        });
    }
    let vpc = default_vpc.ok_or_else(|| DeployError::NoDefaultVpc {
        service: service.name.clone(),
        region: service.region.clone(),
    })?;
    if vpc.subnets.is_empty() {
        return Err(DeployError::NoDefaultVpc {
            service: service.name.clone(),
            region: service.region.clone(),
        });
    }
    Ok(Network {
        subnets: vpc.subnets.clone(),
        security_groups: if n.security_groups.is_empty() {
            vec![vpc.security_group.clone()]
        } else {
            n.security_groups.clone()
        },
        // The default VPC's subnets are public: without a public IP the task cannot pull its
        // image (no NAT gateway there), which is why the console turns it on.
        assign_public_ip: n.assign_public_ip.unwrap_or(true),
        from_default_vpc: Some(vpc.vpc_id.clone()),
    })
}

/// Whether the service needs the default VPC looked up.
pub fn needs_default_vpc(service: &Service) -> bool {
    service.network.subnets.is_empty() || service.network.security_groups.is_empty()
}

/// The ECS service as `deploy` will create or update it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceSpec {
    pub name: String,
    pub cluster: String,
    pub capacity: Capacity,
    pub desired_count: u32,
    pub network: Network,
    pub platform_version: String,
    pub circuit_breaker: CircuitBreaker,
    pub tags: BTreeMap<String, String>,
}

/// The target-tracking autoscaling of a service.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScalingSpec {
    /// `service/<cluster>/<service>`.
    pub resource_id: String,
    pub min_capacity: u32,
    pub max_capacity: u32,
    /// `ECSServiceAverageCPUUtilization` or `ECSServiceAverageMemoryUtilization`.
    pub metric: String,
    pub target_value: f64,
    pub policy_name: String,
}

/// The Application Auto Scaling the service's `[service.autoscaling]` asks for, if any.
pub fn scaling_for(cluster: &str, service: &Service) -> Result<Option<ScalingSpec>, DeployError> {
    let Some(a) = &service.autoscaling else {
        return Ok(None);
    };
    if a.metric == ScalingMetric::Requests {
        return Err(DeployError::RequestMetricNeedsLoadBalancer {
            service: service.name.clone(),
        });
    }
    Ok(Some(ScalingSpec {
        resource_id: format!("service/{cluster}/{}", service.name),
        min_capacity: a.min_capacity,
        max_capacity: a.max_capacity,
        metric: a.metric.predefined_metric_type().to_string(),
        target_value: a.target_value,
        // One stable name: PutScalingPolicy on it replaces the policy when the metric changes.
        policy_name: format!("fargate-planner-{}", service.name),
    }))
}

/// Everything one service of the plan needs in ECS.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Desired {
    pub region: String,
    pub cluster: String,
    pub providers: Vec<Provider>,
    pub log_groups: Vec<String>,
    pub task_definition: TaskDefinitionSpec,
    pub service: ServiceSpec,
    pub scaling: Option<ScalingSpec>,
}

/// Builds the desired resources of one service of a validated plan.
pub fn desired(
    plan: &Plan,
    service: &Service,
    network: Network,
    scaling: Option<ScalingSpec>,
) -> Desired {
    let capacity = match service.capacity_source {
        CapacitySource::LaunchType => Capacity::LaunchType,
        CapacitySource::Strategy => Capacity::Strategy(service.strategy.items.clone()),
    };
    let task_definition = TaskDefinitionSpec::from_service(service);
    let log_groups = task_definition.log_groups();
    Desired {
        region: service.region.clone(),
        cluster: plan.cluster.clone(),
        providers: Provider::ALL.to_vec(),
        log_groups,
        task_definition,
        service: ServiceSpec {
            name: service.name.clone(),
            cluster: plan.cluster.clone(),
            capacity,
            desired_count: service.desired_count,
            network,
            platform_version: service.platform_version.clone(),
            circuit_breaker: service.circuit_breaker,
            tags: tags_for(&service.tags),
        },
        scaling,
    }
}

#[cfg(test)]
mod tests;
