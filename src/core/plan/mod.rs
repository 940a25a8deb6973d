//! The plan: services in ECS terms, validated against the Fargate rules.
//!
//! [`parse()`] reads plan text into the raw mirror ([`raw`]) with a source map for line numbers;
//! [`check()`] applies every rule and builds the typed [`Plan`], or returns all problems at once.

mod blocks;
pub mod cfn;
pub mod check;
pub mod imported;
pub mod parse;
pub mod raw;
pub mod scheduled;
pub mod sections;
pub mod taskdef;
pub mod terraform;
pub mod write;

pub use check::{CheckOptions, check, ignored_settings};
pub use parse::{Location, ParseError, ParsedPlan, SourceMap, parse, parse_owned};

use crate::core::vocab::platform::{CpuArch, OsFamily, TaskSize};
use crate::core::vocab::schedule::Uptime;
use crate::core::vocab::strategy::Strategy;
use raw::RawContainer;
use rust_decimal::Decimal;
pub use sections::autoscaling::{Autoscaling, ScalingMetric};
pub use sections::load::{Load, LoadShape, LoadUnit};
pub use sections::spot::{Availability, SpotAssumptions};
use serde::Serialize;
use std::collections::BTreeMap;

/// A validated plan.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    pub name: Option<String>,
    /// ECS cluster for `deploy`: `[plan] cluster`, else the plan name, else `fargate-planner`.
    pub cluster: String,
    pub hours_per_month: Decimal,
    pub services: Vec<Service>,
    /// How EC2 container instances are modelled (`[plan.ec2]`).
    pub ec2: sections::ec2::Ec2Settings,
}

/// How the service chose its capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapacitySource {
    /// `launchType: FARGATE` (or nothing given, the default).
    LaunchType,
    /// A `capacityProviderStrategy`.
    Strategy,
}

/// A validated service.
#[derive(Clone, Debug, Serialize)]
pub struct Service {
    /// Position in the plan file (`service[index]`).
    pub index: usize,
    pub name: String,
    pub family: String,
    pub region: String,
    /// The size as written.
    pub requested_size: TaskSize,
    /// The size priced and deployed: the requested one, or the next valid one with `--round-up`.
    pub size: TaskSize,
    pub ephemeral_storage_gib: u32,
    pub os: OsFamily,
    pub arch: CpuArch,
    pub platform_version: String,
    pub desired_count: u32,
    pub uptime: Uptime,
    /// Tasks kept outside the uptime windows.
    pub outside_desired_count: u32,
    pub strategy: Strategy,
    pub capacity_source: CapacitySource,
    pub containers: Vec<RawContainer>,
    pub task_role_arn: Option<String>,
    pub execution_role_arn: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// Target tracking on the desired count (`[service.autoscaling]`), if any.
    pub autoscaling: Option<Autoscaling>,
    /// The load the autoscaling tracks (`[service.load]`), if any.
    pub load: Option<Load>,
    /// Spot assumptions for `simulate` (service > `[plan.spot]` > defaults).
    pub spot: SpotAssumptions,
    /// The request workload (`[service.workload]`) `compare` prices on Lambda, if any.
    pub workload: Option<sections::workload::Workload>,
    /// Availability settings for `simulate` (service > `[plan.availability]` > defaults).
    pub availability: Availability,
    /// The service's awsvpc network configuration (`deploy`).
    pub network: NetworkConfiguration,
    /// The deployment circuit breaker (`deploy`); on with rollback unless the plan says otherwise.
    pub circuit_breaker: CircuitBreaker,
    /// What `recommend` may change (`[service.recommend]`).
    pub tuning: sections::recommend::Tuning,
}

/// `awsvpcConfiguration`: no subnets means the default VPC's subnets and security group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NetworkConfiguration {
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    /// `None`: ENABLED on the default VPC's public subnets, DISABLED on subnets the plan names.
    pub assign_public_ip: Option<bool>,
}

impl NetworkConfiguration {
    /// Whether the tasks get public IPv4 addresses: as written, else ENABLED on the default VPC
    /// (no subnets named) and DISABLED on named subnets, as `deploy` sets it.
    pub fn assigns_public_ip(&self) -> bool {
        self.assign_public_ip.unwrap_or(self.subnets.is_empty())
    }
}

/// `deploymentCircuitBreaker`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CircuitBreaker {
    pub enable: bool,
    pub rollback: bool,
}

impl Default for CircuitBreaker {
    fn default() -> Self {
        CircuitBreaker {
            enable: true,
            rollback: true,
        }
    }
}

impl Plan {
    /// The regions the plan's services run in, each once, sorted: the prices it needs.
    pub fn regions(&self) -> Vec<String> {
        let set: std::collections::BTreeSet<&str> =
            self.services.iter().map(|s| s.region.as_str()).collect();
        set.into_iter().map(str::to_string).collect()
    }
}

impl Service {
    pub fn was_rounded(&self) -> bool {
        self.size != self.requested_size
    }
}
