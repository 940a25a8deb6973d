//! The plan file as written: serde mirrors of the TOML, before any rule is checked.
//!
//! Field names are the snake_case forms of the ECS task definition and service API names
//! (`containerDefinitions` → `container_definitions`, `runtimePlatform.cpuArchitecture` →
//! `runtime_platform.cpu_architecture`), so a task definition maps onto a service field for field.
//! Enumerations stay strings here so that the checker can report every bad value at once.

use crate::core::units::Scalar;
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
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub name: String,
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
    #[serde(default)]
    pub container_definitions: Vec<RawContainer>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
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
