//! The plan file as written: serde mirrors of the TOML, before any rule is checked.
//!
//! Field names are the snake_case forms of the ECS task definition and service API names
//! (`containerDefinitions` → `container_definitions`, `runtimePlatform.cpuArchitecture` →
//! `runtime_platform.cpu_architecture`), so a task definition maps onto a service field for field.
//! Enumerations stay strings here so that the checker can report every bad value at once.

use crate::core::vocab::units::Scalar;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub plan: Option<RawPlanSettings>,
    #[serde(default)]
    pub service: Vec<RawService>,
}

/// Plan-level settings and defaults for every service.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlanSettings {
    pub name: Option<String>,
    pub description: Option<String>,
    /// Default AWS region for services that name none.
    pub region: Option<String>,
    /// Hours in a month for monthly figures (AWS calculator: 730).
    pub hours_per_month: Option<Scalar>,
    /// Plan-wide Spot assumptions for `simulate`; a service's `[service.spot]` overrides them.
    pub spot: Option<RawSpot>,
    /// Plan-wide availability settings for `simulate`; `[service.availability]` overrides them.
    pub availability: Option<RawAvailability>,
    /// ECS cluster that `deploy` puts the services in; defaults to the plan name.
    pub cluster: Option<String>,
    /// How `compare` and `recommend` model EC2 container instances (`[plan.ec2]`).
    pub ec2: Option<RawEc2>,
}

/// `[plan.ec2]`: zones, reserved memory, ENI trunking, the Managed Instances fee.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEc2 {
    pub availability_zones: Option<i64>,
    pub reserved_memory: Option<Scalar>,
    pub awsvpc_tasks_per_instance: Option<i64>,
    pub managed_instances_fee: Option<Scalar>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub name: String,
    /// An ECS task definition JSON file (relative to the plan) the service takes its task
    /// fields from; the service's own fields override them (`docs/taskdef.md`).
    pub task_definition: Option<String>,
    pub region: Option<String>,
    /// Task definition family; defaults to the service name.
    pub family: Option<String>,
    pub cpu: Option<Scalar>,
    pub memory: Option<Scalar>,
    pub ephemeral_storage: Option<RawEphemeralStorage>,
    pub runtime_platform: Option<RawRuntimePlatform>,
    pub network_mode: Option<String>,
    pub platform_version: Option<String>,
    pub launch_type: Option<String>,
    pub desired_count: Option<i64>,
    pub capacity_provider_strategy: Option<Vec<RawStrategyItem>>,
    pub uptime: Option<RawUptime>,
    pub task_role_arn: Option<String>,
    pub execution_role_arn: Option<String>,
    /// `networkConfiguration.awsvpcConfiguration` of the service (`deploy`).
    pub network_configuration: Option<RawNetworkConfiguration>,
    /// `deploymentConfiguration.deploymentCircuitBreaker` of the service (`deploy`).
    pub deployment_circuit_breaker: Option<RawCircuitBreaker>,
    #[serde(default)]
    pub container_definitions: Vec<RawContainer>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Target tracking on the desired count (Application Auto Scaling), for `simulate`/`deploy`.
    pub autoscaling: Option<Box<RawAutoscaling>>,
    /// The demand the autoscaling tracks, for `simulate`.
    pub load: Option<Box<RawLoad>>,
    /// Spot assumptions for `simulate` (over `[plan.spot]`).
    pub spot: Option<Box<RawSpot>>,
    /// Availability settings for `simulate` (over `[plan.availability]`).
    pub availability: Option<Box<RawAvailability>>,
    /// The request workload `compare` prices on Lambda and uses for the break-even rate.
    pub workload: Option<Box<RawWorkload>>,
    /// What `recommend` may change and the limits it respects.
    pub recommend: Option<Box<RawRecommend>>,
}

/// Where the tasks' network interfaces go. No subnets: the default VPC's, as the console does.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawNetworkConfiguration {
    #[serde(default)]
    pub subnets: Vec<String>,
    #[serde(default)]
    pub security_groups: Vec<String>,
    pub assign_public_ip: Option<bool>,
}

/// Stops a failing deployment, and rolls it back when `rollback` is set.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCircuitBreaker {
    pub enable: bool,
    pub rollback: Option<bool>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEphemeralStorage {
    pub size_in_gib: i64,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRuntimePlatform {
    pub cpu_architecture: Option<String>,
    pub operating_system_family: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawStrategyItem {
    pub capacity_provider: String,
    pub base: Option<i64>,
    pub weight: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawUptime {
    /// IANA time zone of the windows, e.g. `Europe/Berlin`. Defaults to `UTC`.
    pub time_zone: Option<String>,
    #[serde(default)]
    pub windows: Vec<RawWindow>,
    /// Tasks kept running outside the windows (scheduled scaling to a minimum). Default 0.
    pub outside_desired_count: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawWindow {
    pub days: String,
    pub start: String,
    pub end: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawContainer {
    pub name: String,
    pub image: String,
    pub essential: Option<bool>,
    pub cpu: Option<i64>,
    pub memory: Option<i64>,
    pub memory_reservation: Option<i64>,
    #[serde(default)]
    pub port_mappings: Vec<RawPortMapping>,
    #[serde(default)]
    pub environment: Vec<RawKeyValue>,
    pub command: Option<Vec<String>>,
    pub entry_point: Option<Vec<String>>,
    pub log_configuration: Option<RawLogConfiguration>,
    /// Secrets from Secrets Manager or SSM Parameter Store, as environment variables.
    #[serde(default)]
    pub secrets: Vec<RawSecret>,
    /// The container's health check (`healthCheck`).
    pub health_check: Option<RawHealthCheck>,
}

/// `secrets[]`: the variable `name` gets the value of the secret or parameter `value_from`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSecret {
    pub name: String,
    pub value_from: String,
}

/// `healthCheck`: a command (`["CMD-SHELL", "curl -f http://localhost/ || exit 1"]`) and its
/// timing in seconds; ECS fills in what is left out.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHealthCheck {
    pub command: Vec<String>,
    pub interval: Option<i64>,
    pub timeout: Option<i64>,
    pub retries: Option<i64>,
    pub start_period: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPortMapping {
    pub container_port: i64,
    pub host_port: Option<i64>,
    pub protocol: Option<String>,
    pub name: Option<String>,
    pub app_protocol: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawKeyValue {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLogConfiguration {
    pub log_driver: String,
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

/// `[service.autoscaling]`: Application Auto Scaling scalable target and target-tracking policy.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAutoscaling {
    pub min_capacity: Option<i64>,
    pub max_capacity: Option<i64>,
    /// `cpu`, `memory` or `requests`.
    pub metric: Option<String>,
    pub target_value: Option<Scalar>,
    pub per_task_capacity: Option<Scalar>,
    pub scale_out_delay: Option<Scalar>,
    pub scale_in_delay: Option<Scalar>,
    pub scale_out_cooldown: Option<Scalar>,
    pub scale_in_cooldown: Option<Scalar>,
}

/// `[service.load]`: a built-in profile, a 7 × 24 hourly table, or a CSV file.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLoad {
    pub profile: Option<String>,
    pub peak: Option<Scalar>,
    pub low: Option<Scalar>,
    pub hourly: Option<Vec<Vec<Scalar>>>,
    pub file: Option<String>,
    pub unit: Option<String>,
    pub time_zone: Option<String>,
}

/// `[plan.spot]` / `[service.spot]`: assumptions about Fargate Spot.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpot {
    /// Interruptions per Spot task-hour (AWS publishes none).
    pub interruption_rate: Option<Scalar>,
    pub stop_timeout: Option<Scalar>,
    pub outages_per_month: Option<Scalar>,
    pub outage_duration: Option<Scalar>,
    /// Share of running Spot tasks warned at once when an outage starts (capacity reclaimed).
    pub reclaim_share: Option<Scalar>,
    /// Spot capacity outages of one availability zone, per zone per 30 days of its quiet time.
    pub zone_outages_per_month: Option<Scalar>,
    pub zone_outage_duration: Option<Scalar>,
}

/// `[plan.availability]` / `[service.availability]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAvailability {
    pub min_healthy: Option<i64>,
    pub target: Option<Scalar>,
    pub startup: Option<Scalar>,
    /// Task failures (crash, failed health check, retirement) per task-hour, on either provider.
    pub task_failure_rate: Option<Scalar>,
    /// The service's `deploymentConfiguration.maximumPercent` as `simulate` assumes it.
    pub maximum_percent: Option<i64>,
    /// Seconds to pull the task's images (billed: Fargate bills from the start of the pull).
    pub image_pull: Option<Scalar>,
    /// `HealthCheckIntervalSeconds` of the load balancer target group, when behind one.
    pub lb_health_check_interval: Option<Scalar>,
    /// The service's `deploymentConfiguration.minimumHealthyPercent` during deployments.
    pub minimum_healthy_percent: Option<i64>,
    /// Rolling deployments per 30 days.
    pub deployments_per_month: Option<Scalar>,
}

/// `[service.workload]`: the requests the service serves, for `compare` (Lambda and break-even).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkload {
    /// Average requests per second while the service is up.
    pub requests_per_second: Option<Scalar>,
    /// Average billed duration of one request on Lambda (cold starts included), in ms.
    pub duration_ms: Option<Scalar>,
    /// The longest single request, in ms (Lambda stops an invocation at 15 minutes).
    pub max_duration_ms: Option<Scalar>,
    /// Lambda function memory (`"1 GB"`, `512`); defaults to the task's memory.
    pub lambda_memory: Option<Scalar>,
    /// Uncompressed container image size (Lambda takes up to 10 GB).
    pub image_size: Option<Scalar>,
    /// Take Lambda's monthly free tier off (one per account). Default false.
    pub lambda_free_tier: Option<bool>,
    /// The part of an EKS cluster's fee this service carries (0 < share <= 1). Default 1.
    pub eks_cluster_share: Option<Scalar>,
}

/// `[service.recommend]`: inputs of `recommend` beyond the availability target.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecommend {
    /// Architectures the images are built for (`X86_64`, `ARM64`); ARM is proposed only if listed.
    pub image_architectures: Option<Vec<String>>,
    /// Observed peak CPU utilisation of the task as written (`"35%"`).
    pub peak_cpu: Option<Scalar>,
    /// Observed peak memory utilisation of the task as written (`"60%"`).
    pub peak_memory: Option<Scalar>,
    /// Peak utilisation a resized task may reach (default 80%).
    pub utilization_ceiling: Option<Scalar>,
    /// Highest acceptable P95 monthly cost in USD.
    pub p95_cost_ceiling: Option<Scalar>,
    /// Capacity `recommend` may propose: `["fargate"]` (default) or `["fargate", "ec2"]`.
    pub capacity: Option<Vec<String>>,
}
