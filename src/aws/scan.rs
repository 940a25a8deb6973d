//! ECS and Application Auto Scaling reads for `scan`: a cluster's services, the task definition
//! each runs and its scalable target, translated into `core::scan`'s observed values. Reads only.
//!
//! The task definition is handed on as the JSON `aws ecs describe-task-definition` prints, so
//! that `scan` converts it with the same code as `import taskdef`.

use super::error::AwsError;
use crate::core::deploy::ObservedNetwork;
use crate::core::plan::CircuitBreaker;
use crate::core::scan::{ScannedPolicy, ScannedScaling, ScannedService, ScannedStrategyItem};
use aws_config::SdkConfig;
use aws_sdk_applicationautoscaling::types::{PolicyType, ScalableDimension, ServiceNamespace};
use aws_sdk_ecs::types::{
    AssignPublicIp, ContainerDefinition, PortMapping, Service, TaskDefinition,
};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// DescribeServices takes at most 10 services per call.
const DESCRIBE_SERVICES_BATCH: usize = 10;
/// DescribeScalableTargets takes at most 50 resource ids per call.
const SCALABLE_TARGETS_BATCH: usize = 50;

/// The clients `scan` reads with, in one region.
#[derive(Clone, Debug)]
pub struct ClusterReader {
    ecs: aws_sdk_ecs::Client,
    scaling: aws_sdk_applicationautoscaling::Client,
}

impl ClusterReader {
    pub fn new(config: &SdkConfig) -> ClusterReader {
        ClusterReader {
            ecs: aws_sdk_ecs::Client::new(config),
            scaling: aws_sdk_applicationautoscaling::Client::new(config),
        }
    }

    /// Every service of the cluster with its task definition and autoscaling; `None` when the
    /// cluster does not exist (or is INACTIVE).
    pub async fn read(&self, cluster: &str) -> Result<Option<Vec<ScannedService>>, AwsError> {
        let out = self
            .ecs
            .describe_clusters()
            .clusters(cluster)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("DescribeClusters", e))?;
        let exists = out.clusters().iter().any(|c| {
            (c.cluster_name() == Some(cluster) || c.cluster_arn() == Some(cluster))
                && c.status() != Some("INACTIVE")
        });
        if !exists {
            return Ok(None);
        }

        let mut arns = Vec::new();
        let mut pages = self
            .ecs
            .list_services()
            .cluster(cluster)
            .max_results(100)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| AwsError::from_sdk("ListServices", e))?;
            arns.extend(page.service_arns().iter().cloned());
        }

        let mut services: Vec<Service> = Vec::new();
        for batch in arns.chunks(DESCRIBE_SERVICES_BATCH) {
            let out = self
                .ecs
                .describe_services()
                .cluster(cluster)
                .set_services(Some(batch.to_vec()))
                .send()
                .await
                .map_err(|e| AwsError::from_sdk("DescribeServices", e))?;
            services.extend(out.services().iter().cloned());
        }

        // One DescribeTaskDefinition per revision, however many services share it.
        let mut task_definitions: BTreeMap<String, Value> = BTreeMap::new();
        for s in &services {
            let Some(reference) = s.task_definition() else {
                continue;
            };
            if task_definitions.contains_key(reference) {
                continue;
            }
            let out = self
                .ecs
                .describe_task_definition()
                .task_definition(reference)
                .send()
                .await
                .map_err(|e| AwsError::from_sdk("DescribeTaskDefinition", e))?;
            let value = out
                .task_definition()
                .map(describe_json)
                .unwrap_or_else(|| json!({}));
            task_definitions.insert(reference.to_string(), value);
        }

        let names: Vec<String> = services
            .iter()
            .filter_map(|s| s.service_name().map(str::to_string))
            .collect();
        let scaling = self.scaling(cluster, &names).await?;

        Ok(Some(
            services
                .iter()
                .map(|s| {
                    let name = s.service_name().unwrap_or_default().to_string();
                    let reference = s.task_definition().unwrap_or_default().to_string();
                    ScannedService {
                        task_definition: task_definitions
                            .get(&reference)
                            .cloned()
                            .unwrap_or_else(|| json!({})),
                        task_definition_ref: reference,
                        scaling: scaling.get(&name).cloned(),
                        status: s.status().unwrap_or("UNKNOWN").to_string(),
                        desired_count: i64::from(s.desired_count()),
                        launch_type: s.launch_type().map(|l| l.as_str().to_string()),
                        strategy: s
                            .capacity_provider_strategy()
                            .iter()
                            .map(|i| ScannedStrategyItem {
                                provider: i.capacity_provider().to_string(),
                                base: i64::from(i.base()),
                                weight: i64::from(i.weight()),
                            })
                            .collect(),
                        network: s
                            .network_configuration()
                            .and_then(|n| n.awsvpc_configuration())
                            .map(|a| ObservedNetwork {
                                subnets: a.subnets().to_vec(),
                                security_groups: a.security_groups().to_vec(),
                                assign_public_ip: a
                                    .assign_public_ip()
                                    .map(|p| matches!(p, AssignPublicIp::Enabled)),
                            }),
                        platform_version: s.platform_version().map(str::to_string),
                        circuit_breaker: s
                            .deployment_configuration()
                            .and_then(|d| d.deployment_circuit_breaker())
                            .map(|b| CircuitBreaker {
                                enable: b.enable(),
                                rollback: b.rollback(),
                            }),
                        name,
                    }
                })
                .collect(),
        ))
    }

    /// The scalable targets (`service/CLUSTER/SERVICE`, `ecs:service:DesiredCount`) of the
    /// services, with their target-tracking policies, by service name.
    async fn scaling(
        &self,
        cluster: &str,
        services: &[String],
    ) -> Result<BTreeMap<String, ScannedScaling>, AwsError> {
        let prefix = format!("service/{cluster}/");
        let ids: Vec<String> = services.iter().map(|s| format!("{prefix}{s}")).collect();
        let mut out = BTreeMap::new();
        for batch in ids.chunks(SCALABLE_TARGETS_BATCH) {
            let mut pages = self
                .scaling
                .describe_scalable_targets()
                .service_namespace(ServiceNamespace::Ecs)
                .set_resource_ids(Some(batch.to_vec()))
                .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| AwsError::from_sdk("DescribeScalableTargets", e))?;
                for t in page.scalable_targets() {
                    let Some(name) = t.resource_id().strip_prefix(&prefix) else {
                        continue;
                    };
                    if !batch.iter().any(|id| id == t.resource_id()) {
                        continue;
                    }
                    out.insert(
                        name.to_string(),
                        ScannedScaling {
                            min_capacity: i64::from(t.min_capacity()),
                            max_capacity: i64::from(t.max_capacity()),
                            policies: Vec::new(),
                        },
                    );
                }
            }
        }
        for (name, scaling) in &mut out {
            let resource_id = format!("{prefix}{name}");
            let mut pages = self
                .scaling
                .describe_scaling_policies()
                .service_namespace(ServiceNamespace::Ecs)
                .resource_id(&resource_id)
                .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| AwsError::from_sdk("DescribeScalingPolicies", e))?;
                for p in page.scaling_policies() {
                    if p.resource_id() != resource_id
                        || p.policy_type() != &PolicyType::TargetTrackingScaling
                    {
                        continue;
                    }
                    let Some(c) = p.target_tracking_scaling_policy_configuration() else {
                        continue;
                    };
                    scaling.policies.push(ScannedPolicy {
                        name: p.policy_name().to_string(),
                        metric: c
                            .predefined_metric_specification()
                            .map(|m| m.predefined_metric_type().as_str().to_string()),
                        target_value: c.target_value(),
                    });
                }
            }
            scaling.policies.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Ok(out)
    }
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.to_string(), v);
    }
}

fn mark(map: &mut Map<String, Value>, key: &str, present: bool) {
    if present {
        map.insert(key.to_string(), Value::Bool(true));
    }
}

fn strings(v: &[String]) -> Option<Value> {
    (!v.is_empty()).then(|| json!(v))
}

/// A task definition in the shape `aws ecs describe-task-definition` prints (the fields the
/// planner reads), wrapped in `{"taskDefinition": ...}`.
pub fn describe_json(td: &TaskDefinition) -> Value {
    let mut m = Map::new();
    put(&mut m, "family", td.family().map(|f| json!(f)));
    put(
        &mut m,
        "taskDefinitionArn",
        td.task_definition_arn().map(|a| json!(a)),
    );
    put(&mut m, "cpu", td.cpu().map(|c| json!(c)));
    put(&mut m, "memory", td.memory().map(|c| json!(c)));
    put(
        &mut m,
        "networkMode",
        td.network_mode().map(|n| json!(n.as_str())),
    );
    let compat: Vec<String> = td
        .requires_compatibilities()
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    put(&mut m, "requiresCompatibilities", Some(json!(compat)));
    if let Some(p) = td.runtime_platform() {
        let mut rp = Map::new();
        put(
            &mut rp,
            "cpuArchitecture",
            p.cpu_architecture().map(|a| json!(a.as_str())),
        );
        put(
            &mut rp,
            "operatingSystemFamily",
            p.operating_system_family().map(|o| json!(o.as_str())),
        );
        m.insert("runtimePlatform".into(), Value::Object(rp));
    }
    put(
        &mut m,
        "ephemeralStorage",
        td.ephemeral_storage()
            .map(|e| json!({"sizeInGiB": e.size_in_gib()})),
    );
    put(&mut m, "taskRoleArn", td.task_role_arn().map(|a| json!(a)));
    put(
        &mut m,
        "executionRoleArn",
        td.execution_role_arn().map(|a| json!(a)),
    );
    let containers: Vec<Value> = td.container_definitions().iter().map(container).collect();
    m.insert("containerDefinitions".into(), Value::Array(containers));
    // Fields the planner does not read are marked present, so that the conversion lists them
    // as ignored (their content does not matter to it).
    mark(&mut m, "volumes", !td.volumes().is_empty());
    mark(
        &mut m,
        "placementConstraints",
        !td.placement_constraints().is_empty(),
    );
    mark(
        &mut m,
        "proxyConfiguration",
        td.proxy_configuration().is_some(),
    );
    mark(&mut m, "pidMode", td.pid_mode().is_some());
    mark(&mut m, "ipcMode", td.ipc_mode().is_some());
    json!({ "taskDefinition": Value::Object(m) })
}

fn container(c: &ContainerDefinition) -> Value {
    let mut m = Map::new();
    put(&mut m, "name", c.name().map(|v| json!(v)));
    put(&mut m, "image", c.image().map(|v| json!(v)));
    put(&mut m, "essential", c.essential().map(|v| json!(v)));
    m.insert("cpu".into(), json!(c.cpu()));
    put(&mut m, "memory", c.memory().map(|v| json!(v)));
    put(
        &mut m,
        "memoryReservation",
        c.memory_reservation().map(|v| json!(v)),
    );
    let ports: Vec<Value> = c.port_mappings().iter().map(port).collect();
    if !ports.is_empty() {
        m.insert("portMappings".into(), Value::Array(ports));
    }
    let env: Vec<Value> = c
        .environment()
        .iter()
        .map(|kv| json!({"name": kv.name().unwrap_or_default(), "value": kv.value().unwrap_or_default()}))
        .collect();
    if !env.is_empty() {
        m.insert("environment".into(), Value::Array(env));
    }
    put(&mut m, "command", strings(c.command()));
    put(&mut m, "entryPoint", strings(c.entry_point()));
    let secrets: Vec<Value> = c
        .secrets()
        .iter()
        .map(|s| json!({"name": s.name(), "valueFrom": s.value_from()}))
        .collect();
    if !secrets.is_empty() {
        m.insert("secrets".into(), Value::Array(secrets));
    }
    mark(
        &mut m,
        "environmentFiles",
        !c.environment_files().is_empty(),
    );
    if let Some(h) = c.health_check() {
        let mut hm = Map::new();
        hm.insert("command".into(), json!(h.command()));
        put(&mut hm, "interval", h.interval().map(|v| json!(v)));
        put(&mut hm, "timeout", h.timeout().map(|v| json!(v)));
        put(&mut hm, "retries", h.retries().map(|v| json!(v)));
        put(&mut hm, "startPeriod", h.start_period().map(|v| json!(v)));
        m.insert("healthCheck".into(), Value::Object(hm));
    }
    mark(&mut m, "dependsOn", !c.depends_on().is_empty());
    mark(&mut m, "mountPoints", !c.mount_points().is_empty());
    mark(&mut m, "linuxParameters", c.linux_parameters().is_some());
    mark(&mut m, "ulimits", !c.ulimits().is_empty());
    mark(
        &mut m,
        "firelensConfiguration",
        c.firelens_configuration().is_some(),
    );
    mark(
        &mut m,
        "repositoryCredentials",
        c.repository_credentials().is_some(),
    );
    if let Some(l) = c.log_configuration() {
        let options: Map<String, Value> = l
            .options()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
            .unwrap_or_default();
        m.insert(
            "logConfiguration".into(),
            json!({"logDriver": l.log_driver().as_str(), "options": options}),
        );
    }
    Value::Object(m)
}

fn port(p: &PortMapping) -> Value {
    let mut m = Map::new();
    put(
        &mut m,
        "containerPort",
        p.container_port().map(|v| json!(v)),
    );
    put(
        &mut m,
        "containerPortRange",
        p.container_port_range().map(|v| json!(v)),
    );
    put(&mut m, "hostPort", p.host_port().map(|v| json!(v)));
    put(&mut m, "protocol", p.protocol().map(|v| json!(v.as_str())));
    put(&mut m, "name", p.name().map(|v| json!(v)));
    put(
        &mut m,
        "appProtocol",
        p.app_protocol().map(|v| json!(v.as_str())),
    );
    Value::Object(m)
}
