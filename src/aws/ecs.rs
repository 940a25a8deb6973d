//! ECS for `deploy`: read clusters, task definitions and services into the planner's observed
//! state, and make the changes it decided on. No decisions here, only translation.

use super::error::{AwsError, AwsErrorKind};
use crate::core::deploy::{
    Capacity, ContainerSpec, HealthCheckSpec, LogSpec, ObservedCluster, ObservedNetwork,
    ObservedService, ObservedTaskDefinition, PortSpec, ServiceSpec, TaskDefinitionSpec,
};
use crate::core::plan::CircuitBreaker;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::strategy::{Provider, StrategyItem};
use aws_config::SdkConfig;
use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::{
    AssignPublicIp, AwsVpcConfiguration, CapacityProviderStrategyItem, ClusterField, Compatibility,
    ContainerDefinition, CpuArchitecture, DeploymentCircuitBreaker, DeploymentConfiguration,
    EphemeralStorage, HealthCheck, KeyValuePair, LaunchType, LogConfiguration, LogDriver,
    NetworkConfiguration, NetworkMode, OsFamily, PortMapping, PropagateTags, RuntimePlatform,
    Secret, ServiceField, Tag, TransportProtocol,
};
use std::collections::BTreeMap;

/// The ECS client of one region.
#[derive(Clone, Debug)]
pub struct Ecs {
    client: Client,
}

/// A request the SDK refused to build (a required field missing): a bug in the planner.
pub(crate) fn build_error(operation: &str, e: impl std::fmt::Display) -> AwsError {
    AwsError {
        operation: operation.to_string(),
        code: "InvalidRequest".to_string(),
        message: e.to_string(),
        kind: AwsErrorKind::Other,
    }
}

fn tags(map: &BTreeMap<String, String>) -> Vec<Tag> {
    map.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// What `--wait` sees of a service's rollout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rollout {
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    pub deployments: usize,
    /// `rolloutState` of the primary deployment (`IN_PROGRESS`, `COMPLETED`, `FAILED`).
    pub state: Option<String>,
    pub reason: Option<String>,
}

impl Rollout {
    /// Stable as `aws ecs wait services-stable` defines it: one deployment, all tasks running.
    pub fn is_stable(&self) -> bool {
        self.deployments == 1 && self.running == self.desired
    }
}

impl Ecs {
    pub fn new(config: &SdkConfig) -> Ecs {
        Ecs {
            client: Client::new(config),
        }
    }

    /// The cluster, or `None` when it does not exist.
    pub async fn cluster(&self, name: &str) -> Result<Option<ObservedCluster>, AwsError> {
        let out = self
            .client
            .describe_clusters()
            .clusters(name)
            .include(ClusterField::Tags)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("DescribeClusters", e))?;
        Ok(out
            .clusters()
            .iter()
            .find(|c| c.cluster_name() == Some(name))
            .map(|c| ObservedCluster {
                status: c.status().unwrap_or("UNKNOWN").to_string(),
                capacity_providers: c.capacity_providers().to_vec(),
            }))
    }

    pub async fn create_cluster(
        &self,
        name: &str,
        providers: &[Provider],
        tag_map: &BTreeMap<String, String>,
    ) -> Result<(), AwsError> {
        self.client
            .create_cluster()
            .cluster_name(name)
            .set_capacity_providers(Some(
                providers.iter().map(|p| p.name().to_string()).collect(),
            ))
            .set_tags(Some(tags(tag_map)))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("CreateCluster", e))?;
        Ok(())
    }

    /// Associates `add` with the cluster, keeping the providers and the default strategy it has.
    pub async fn add_capacity_providers(
        &self,
        cluster: &str,
        add: &[Provider],
    ) -> Result<(), AwsError> {
        // Read again right before writing: PutClusterCapacityProviders replaces the whole list.
        let out = self
            .client
            .describe_clusters()
            .clusters(cluster)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("DescribeClusters", e))?;
        let current = out
            .clusters()
            .iter()
            .find(|c| c.cluster_name() == Some(cluster));
        let mut providers: Vec<String> = current
            .map(|c| c.capacity_providers().to_vec())
            .unwrap_or_default();
        for p in add {
            if !providers.iter().any(|have| have == p.name()) {
                providers.push(p.name().to_string());
            }
        }
        let default_strategy = current
            .map(|c| c.default_capacity_provider_strategy().to_vec())
            .unwrap_or_default();
        self.client
            .put_cluster_capacity_providers()
            .cluster(cluster)
            .set_capacity_providers(Some(providers))
            .set_default_capacity_provider_strategy(Some(default_strategy))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("PutClusterCapacityProviders", e))?;
        Ok(())
    }

    /// The latest ACTIVE revision of `family`, or `None` when the family has none.
    pub async fn latest_task_definition(
        &self,
        family: &str,
    ) -> Result<Option<ObservedTaskDefinition>, AwsError> {
        let out = match self
            .client
            .describe_task_definition()
            .task_definition(family)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                let err = AwsError::from_sdk("DescribeTaskDefinition", e);
                // ECS answers a family without an active revision with a ClientException.
                if err.code == "ClientException"
                    && err
                        .message
                        .to_ascii_lowercase()
                        .contains("unable to describe")
                {
                    return Ok(None);
                }
                return Err(err);
            }
        };
        let Some(td) = out.task_definition() else {
            return Ok(None);
        };
        if td.status().map(|s| s.as_str()) != Some("ACTIVE") {
            return Ok(None);
        }
        let arn = td
            .task_definition_arn()
            .ok_or_else(|| {
                build_error(
                    "DescribeTaskDefinition",
                    "the response has no task definition ARN",
                )
            })?
            .to_string();
        let platform = td.runtime_platform();
        let spec = TaskDefinitionSpec {
            family: td.family().unwrap_or(family).to_string(),
            cpu: td.cpu().unwrap_or_default().to_string(),
            memory: td.memory().unwrap_or_default().to_string(),
            cpu_architecture: match platform.and_then(|p| p.cpu_architecture()) {
                Some(CpuArchitecture::Arm64) => CpuArch::Arm64,
                _ => CpuArch::X86_64,
            },
            operating_system_family: platform
                .and_then(|p| p.operating_system_family())
                .map_or("LINUX", |o| o.as_str())
                .to_string(),
            ephemeral_storage_gib: td
                .ephemeral_storage()
                .and_then(|e| u32::try_from(e.size_in_gib()).ok()),
            task_role_arn: td.task_role_arn().map(str::to_string),
            execution_role_arn: td.execution_role_arn().map(str::to_string),
            containers: td
                .container_definitions()
                .iter()
                .map(container_spec)
                .collect(),
            tags: BTreeMap::new(),
        };
        Ok(Some(ObservedTaskDefinition {
            arn,
            revision: td.revision(),
            spec,
        }))
    }

    /// Registers a new revision; returns its ARN.
    pub async fn register_task_definition(
        &self,
        spec: &TaskDefinitionSpec,
    ) -> Result<String, AwsError> {
        const OP: &str = "RegisterTaskDefinition";
        let mut containers = Vec::new();
        for c in &spec.containers {
            containers.push(container_definition(c).map_err(|e| build_error(OP, e))?);
        }
        let mut req = self
            .client
            .register_task_definition()
            .family(&spec.family)
            .cpu(&spec.cpu)
            .memory(&spec.memory)
            .network_mode(NetworkMode::Awsvpc)
            .requires_compatibilities(Compatibility::Fargate)
            .runtime_platform(
                RuntimePlatform::builder()
                    .cpu_architecture(CpuArchitecture::from(spec.cpu_architecture.ecs_name()))
                    .operating_system_family(OsFamily::from(spec.operating_system_family.as_str()))
                    .build(),
            )
            .set_task_role_arn(spec.task_role_arn.clone())
            .set_execution_role_arn(spec.execution_role_arn.clone())
            .set_container_definitions(Some(containers))
            .set_tags(Some(tags(&spec.tags)));
        if let Some(gib) = spec.ephemeral_storage_gib {
            req = req.ephemeral_storage(
                EphemeralStorage::builder()
                    .size_in_gib(i32::try_from(gib).unwrap_or(i32::MAX))
                    .build(),
            );
        }
        let out = req.send().await.map_err(|e| AwsError::from_sdk(OP, e))?;
        out.task_definition()
            .and_then(|td| td.task_definition_arn())
            .map(str::to_string)
            .ok_or_else(|| build_error(OP, "the response has no task definition ARN"))
    }

    /// The service, or `None` when the cluster has none of that name.
    pub async fn service(
        &self,
        cluster: &str,
        name: &str,
    ) -> Result<Option<ObservedService>, AwsError> {
        let out = match self
            .client
            .describe_services()
            .cluster(cluster)
            .services(name)
            .include(ServiceField::Tags)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                let err = AwsError::from_sdk("DescribeServices", e);
                if err.code == "ClusterNotFoundException" {
                    return Ok(None);
                }
                return Err(err);
            }
        };
        let Some(s) = out
            .services()
            .iter()
            .find(|s| s.service_name() == Some(name))
        else {
            return Ok(None);
        };
        let network = s
            .network_configuration()
            .and_then(|n| n.awsvpc_configuration())
            .map(|a| ObservedNetwork {
                subnets: a.subnets().to_vec(),
                security_groups: a.security_groups().to_vec(),
                assign_public_ip: a
                    .assign_public_ip()
                    .map(|p| matches!(p, AssignPublicIp::Enabled)),
            });
        let strategy = s
            .capacity_provider_strategy()
            .iter()
            .filter_map(|i| {
                Some(StrategyItem {
                    provider: Provider::parse(i.capacity_provider())?,
                    base: u32::try_from(i.base()).ok()?,
                    weight: u32::try_from(i.weight()).ok()?,
                })
            })
            .collect();
        Ok(Some(ObservedService {
            status: s.status().unwrap_or("UNKNOWN").to_string(),
            task_definition: s.task_definition().unwrap_or_default().to_string(),
            launch_type: s.launch_type().map(|l| l.as_str().to_string()),
            strategy,
            desired_count: u32::try_from(s.desired_count()).unwrap_or(0),
            network,
            platform_version: s.platform_version().map(str::to_string),
            circuit_breaker: s
                .deployment_configuration()
                .and_then(|d| d.deployment_circuit_breaker())
                .map(|b| CircuitBreaker {
                    enable: b.enable(),
                    rollback: b.rollback(),
                }),
        }))
    }

    pub async fn create_service(
        &self,
        spec: &ServiceSpec,
        task_definition: &str,
    ) -> Result<(), AwsError> {
        const OP: &str = "CreateService";
        let mut req = self
            .client
            .create_service()
            .cluster(&spec.cluster)
            .service_name(&spec.name)
            .task_definition(task_definition)
            .desired_count(count(spec.desired_count))
            .platform_version(&spec.platform_version)
            .network_configuration(network(spec).map_err(|e| build_error(OP, e))?)
            .deployment_configuration(deployment(spec))
            .propagate_tags(PropagateTags::Service)
            .set_tags(Some(tags(&spec.tags)));
        match &spec.capacity {
            Capacity::LaunchType => req = req.launch_type(LaunchType::Fargate),
            Capacity::Strategy(items) => {
                req = req.set_capacity_provider_strategy(Some(
                    strategy(items).map_err(|e| build_error(OP, e))?,
                ));
            }
        }
        req.send().await.map_err(|e| AwsError::from_sdk(OP, e))?;
        Ok(())
    }

    pub async fn update_service(
        &self,
        spec: &ServiceSpec,
        task_definition: &str,
        force_new_deployment: bool,
        set_desired_count: bool,
    ) -> Result<(), AwsError> {
        const OP: &str = "UpdateService";
        let mut req = self
            .client
            .update_service()
            .cluster(&spec.cluster)
            .service(&spec.name)
            .task_definition(task_definition)
            // Left out when autoscaling owns the count.
            .set_desired_count(set_desired_count.then(|| count(spec.desired_count)))
            .platform_version(&spec.platform_version)
            .network_configuration(network(spec).map_err(|e| build_error(OP, e))?)
            .deployment_configuration(deployment(spec))
            .force_new_deployment(force_new_deployment);
        if let Capacity::Strategy(items) = &spec.capacity {
            req = req.set_capacity_provider_strategy(Some(
                strategy(items).map_err(|e| build_error(OP, e))?,
            ));
        }
        req.send().await.map_err(|e| AwsError::from_sdk(OP, e))?;
        Ok(())
    }

    /// The service's rollout, for `--wait`.
    pub async fn rollout(&self, cluster: &str, name: &str) -> Result<Option<Rollout>, AwsError> {
        let out = self
            .client
            .describe_services()
            .cluster(cluster)
            .services(name)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("DescribeServices", e))?;
        Ok(out
            .services()
            .iter()
            .find(|s| s.service_name() == Some(name))
            .map(|s| {
                let primary = s
                    .deployments()
                    .iter()
                    .find(|d| d.status() == Some("PRIMARY"));
                Rollout {
                    desired: s.desired_count(),
                    running: s.running_count(),
                    pending: s.pending_count(),
                    deployments: s.deployments().len(),
                    state: primary
                        .and_then(|d| d.rollout_state())
                        .map(|r| r.as_str().to_string()),
                    reason: primary
                        .and_then(|d| d.rollout_state_reason())
                        .map(str::to_string),
                }
            }))
    }
}

fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn strategy(
    items: &[StrategyItem],
) -> Result<Vec<CapacityProviderStrategyItem>, aws_sdk_ecs::error::BuildError> {
    items
        .iter()
        .map(|i| {
            CapacityProviderStrategyItem::builder()
                .capacity_provider(i.provider.name())
                .base(count(i.base))
                .weight(count(i.weight))
                .build()
        })
        .collect()
}

fn network(spec: &ServiceSpec) -> Result<NetworkConfiguration, aws_sdk_ecs::error::BuildError> {
    let n = &spec.network;
    Ok(NetworkConfiguration::builder()
        .awsvpc_configuration(
            AwsVpcConfiguration::builder()
                .set_subnets(Some(n.subnets.clone()))
                .set_security_groups(Some(n.security_groups.clone()))
                .assign_public_ip(if n.assign_public_ip {
                    AssignPublicIp::Enabled
                } else {
                    AssignPublicIp::Disabled
                })
                .build()?,
        )
        .build())
}

fn deployment(spec: &ServiceSpec) -> DeploymentConfiguration {
    DeploymentConfiguration::builder()
        .deployment_circuit_breaker(
            DeploymentCircuitBreaker::builder()
                .enable(spec.circuit_breaker.enable)
                .rollback(spec.circuit_breaker.rollback)
                .build(),
        )
        .build()
}

fn container_definition(
    c: &ContainerSpec,
) -> Result<ContainerDefinition, aws_sdk_ecs::error::BuildError> {
    let mut b = ContainerDefinition::builder()
        .name(&c.name)
        .image(&c.image)
        .essential(c.essential)
        .set_cpu(c.cpu)
        .set_memory(c.memory)
        .set_memory_reservation(c.memory_reservation)
        .set_command(c.command.clone())
        .set_entry_point(c.entry_point.clone());
    for m in &c.port_mappings {
        b = b.port_mappings(
            PortMapping::builder()
                .container_port(m.container_port)
                .set_host_port(m.host_port)
                .set_protocol(m.protocol.as_deref().map(TransportProtocol::from))
                .set_name(m.name.clone())
                .set_app_protocol(
                    m.app_protocol
                        .as_deref()
                        .map(aws_sdk_ecs::types::ApplicationProtocol::from),
                )
                .build(),
        );
    }
    for (k, v) in &c.environment {
        b = b.environment(KeyValuePair::builder().name(k).value(v).build());
    }
    for (name, value_from) in &c.secrets {
        b = b.secrets(
            Secret::builder()
                .name(name)
                .value_from(value_from)
                .build()?,
        );
    }
    if let Some(h) = &c.health_check {
        b = b.health_check(
            HealthCheck::builder()
                .set_command(Some(h.command.clone()))
                .set_interval(h.interval)
                .set_timeout(h.timeout)
                .set_retries(h.retries)
                .set_start_period(h.start_period)
                .build()?,
        );
    }
    if let Some(log) = &c.log {
        b = b.log_configuration(
            LogConfiguration::builder()
                .log_driver(LogDriver::from(log.driver.as_str()))
                .set_options(Some(log.options.clone().into_iter().collect()))
                .build()?,
        );
    }
    Ok(b.build())
}

fn container_spec(c: &ContainerDefinition) -> ContainerSpec {
    let non_empty = |v: &[String]| (!v.is_empty()).then(|| v.to_vec());
    ContainerSpec {
        name: c.name().unwrap_or_default().to_string(),
        image: c.image().unwrap_or_default().to_string(),
        essential: c.essential().unwrap_or(true),
        cpu: Some(c.cpu()),
        memory: c.memory(),
        memory_reservation: c.memory_reservation(),
        port_mappings: c
            .port_mappings()
            .iter()
            .map(|m| PortSpec {
                container_port: m.container_port().unwrap_or(0),
                host_port: m.host_port(),
                protocol: m.protocol().map(|p| p.as_str().to_string()),
                name: m.name().map(str::to_string),
                app_protocol: m.app_protocol().map(|p| p.as_str().to_string()),
            })
            .collect(),
        environment: c
            .environment()
            .iter()
            .map(|kv| {
                (
                    kv.name().unwrap_or_default().to_string(),
                    kv.value().unwrap_or_default().to_string(),
                )
            })
            .collect(),
        command: non_empty(c.command()),
        entry_point: non_empty(c.entry_point()),
        log: c.log_configuration().map(|l| LogSpec {
            driver: l.log_driver().as_str().to_string(),
            options: l
                .options()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        }),
        secrets: c
            .secrets()
            .iter()
            .map(|s| (s.name().to_string(), s.value_from().to_string()))
            .collect(),
        health_check: c.health_check().map(|h| HealthCheckSpec {
            command: h.command().to_vec(),
            interval: h.interval(),
            timeout: h.timeout(),
            retries: h.retries(),
            start_period: h.start_period(),
        }),
    }
}
