//! The task definition as `deploy` registers it, in a form that compares equal to what ECS
//! returns for the same definition (ECS fills in defaults such as `hostPort` and `protocol`).

use crate::core::plan::Service;

use crate::core::vocab::platform::CpuArch;
use serde::Serialize;
use std::collections::BTreeMap;

/// The fields of a Fargate task definition that `deploy` manages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaskDefinitionSpec {
    pub family: String,
    /// CPU units, as ECS stores them (`"512"`).
    pub cpu: String,
    /// MiB, as ECS stores them (`"1024"`).
    pub memory: String,
    pub cpu_architecture: CpuArch,
    pub operating_system_family: String,
    /// `ephemeralStorage.sizeInGiB`; `None` is the free 20 GiB.
    pub ephemeral_storage_gib: Option<u32>,
    pub task_role_arn: Option<String>,
    pub execution_role_arn: Option<String>,
    pub containers: Vec<ContainerSpec>,
    /// Tags on a new revision (not compared: ECS keeps them per revision).
    pub tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContainerSpec {
    pub name: String,
    pub image: String,
    pub essential: bool,
    pub cpu: Option<i32>,
    pub memory: Option<i32>,
    pub memory_reservation: Option<i32>,
    pub port_mappings: Vec<PortSpec>,
    pub environment: Vec<(String, String)>,
    pub command: Option<Vec<String>>,
    pub entry_point: Option<Vec<String>>,
    pub log: Option<LogSpec>,
    /// `secrets[]`: (variable name, secret or parameter ARN).
    pub secrets: Vec<(String, String)>,
    pub health_check: Option<HealthCheckSpec>,
}

/// A container `healthCheck`; `None` timings are ECS's defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HealthCheckSpec {
    pub command: Vec<String>,
    pub interval: Option<i32>,
    pub timeout: Option<i32>,
    pub retries: Option<i32>,
    pub start_period: Option<i32>,
}

/// What ECS fills into a health check left without timings (ECS API `HealthCheck`); the same
/// values as `data/fargate-rules.toml` `[health_check]`, which a unit test keeps in step.
pub const HEALTH_CHECK_DEFAULTS: (i32, i32, i32) = (30, 5, 3);

impl HealthCheckSpec {
    /// Defaults written out and a start period of 0 as none, so that what ECS reports back
    /// compares equal to what was registered.
    fn normalized(&self) -> HealthCheckSpec {
        let (interval, timeout, retries) = HEALTH_CHECK_DEFAULTS;
        HealthCheckSpec {
            command: self.command.clone(),
            interval: Some(self.interval.unwrap_or(interval)),
            timeout: Some(self.timeout.unwrap_or(timeout)),
            retries: Some(self.retries.unwrap_or(retries)),
            start_period: self.start_period.filter(|s| *s > 0),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortSpec {
    pub container_port: i32,
    pub host_port: Option<i32>,
    pub protocol: Option<String>,
    pub name: Option<String>,
    pub app_protocol: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogSpec {
    pub driver: String,
    pub options: BTreeMap<String, String>,
}

/// The free ephemeral storage, which ECS does not report.
const FREE_STORAGE_GIB: u32 = 20;

fn small(v: Option<i64>) -> Option<i32> {
    v.and_then(|v| i32::try_from(v).ok())
}

impl TaskDefinitionSpec {
    pub fn from_service(service: &Service) -> TaskDefinitionSpec {
        TaskDefinitionSpec {
            family: service.family.clone(),
            cpu: service.size.cpu.0.to_string(),
            memory: service.size.memory.0.to_string(),
            cpu_architecture: service.arch,
            operating_system_family: service.os.ecs_name().to_string(),
            ephemeral_storage_gib: (service.ephemeral_storage_gib != FREE_STORAGE_GIB)
                .then_some(service.ephemeral_storage_gib),
            task_role_arn: service.task_role_arn.clone(),
            execution_role_arn: service.execution_role_arn.clone(),
            containers: service
                .containers
                .iter()
                .map(|c| ContainerSpec {
                    name: c.name.clone(),
                    image: c.image.clone(),
                    essential: c.essential.unwrap_or(true),
                    cpu: small(c.cpu),
                    memory: small(c.memory),
                    memory_reservation: small(c.memory_reservation),
                    port_mappings: c
                        .port_mappings
                        .iter()
                        .map(|m| PortSpec {
                            container_port: small(Some(m.container_port)).unwrap_or(0),
                            host_port: small(m.host_port),
                            protocol: m.protocol.clone(),
                            name: m.name.clone(),
                            app_protocol: m.app_protocol.clone(),
                        })
                        .collect(),
                    environment: c
                        .environment
                        .iter()
                        .map(|kv| (kv.name.clone(), kv.value.clone()))
                        .collect(),
                    command: c.command.clone(),
                    entry_point: c.entry_point.clone(),
                    log: c.log_configuration.as_ref().map(|l| LogSpec {
                        driver: l.log_driver.clone(),
                        options: l.options.clone(),
                    }),
                    secrets: c
                        .secrets
                        .iter()
                        .map(|s| (s.name.clone(), s.value_from.clone()))
                        .collect(),
                    health_check: c.health_check.as_ref().map(|h| HealthCheckSpec {
                        command: h.command.clone(),
                        interval: small(h.interval),
                        timeout: small(h.timeout),
                        retries: small(h.retries),
                        start_period: small(h.start_period),
                    }),
                })
                .collect(),
            tags: super::tags_for(&service.tags),
        }
    }

    /// The awslogs groups the containers write to.
    pub fn log_groups(&self) -> Vec<String> {
        let mut groups: Vec<String> = self
            .containers
            .iter()
            .filter_map(|c| c.log.as_ref())
            .filter(|l| l.driver == "awslogs")
            .filter_map(|l| l.options.get("awslogs-group").cloned())
            .collect();
        groups.sort();
        groups.dedup();
        groups
    }

    /// The same definition with ECS's defaults filled in and order made irrelevant, for comparing.
    pub fn normalized(&self) -> TaskDefinitionSpec {
        let mut n = self.clone();
        n.tags.clear();
        if n.ephemeral_storage_gib == Some(FREE_STORAGE_GIB) {
            n.ephemeral_storage_gib = None;
        }
        for c in &mut n.containers {
            if c.cpu == Some(0) {
                c.cpu = None;
            }
            c.environment.sort();
            c.secrets.sort();
            c.health_check = c.health_check.as_ref().map(HealthCheckSpec::normalized);
            if c.command.as_ref().is_some_and(Vec::is_empty) {
                c.command = None;
            }
            if c.entry_point.as_ref().is_some_and(Vec::is_empty) {
                c.entry_point = None;
            }
            for m in &mut c.port_mappings {
                m.host_port.get_or_insert(m.container_port);
                m.protocol.get_or_insert_with(|| "tcp".to_string());
            }
        }
        n
    }

    /// What differs from `desired`, field by field (both normalized), for the diff.
    pub fn differences(&self, desired: &TaskDefinitionSpec) -> Vec<super::FieldChange> {
        use super::FieldChange;
        let (a, b) = (self.normalized(), desired.normalized());
        let mut out = Vec::new();
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_string());
        if a.cpu != b.cpu {
            out.push(FieldChange::new("cpu", &a.cpu, &b.cpu));
        }
        if a.memory != b.memory {
            out.push(FieldChange::new("memory", &a.memory, &b.memory));
        }
        if a.cpu_architecture != b.cpu_architecture {
            out.push(FieldChange::new(
                "runtime_platform.cpu_architecture",
                a.cpu_architecture,
                b.cpu_architecture,
            ));
        }
        if a.operating_system_family != b.operating_system_family {
            out.push(FieldChange::new(
                "runtime_platform.operating_system_family",
                &a.operating_system_family,
                &b.operating_system_family,
            ));
        }
        if a.ephemeral_storage_gib != b.ephemeral_storage_gib {
            let gib = |v: Option<u32>| v.unwrap_or(FREE_STORAGE_GIB).to_string();
            out.push(FieldChange::new(
                "ephemeral_storage.size_in_gib",
                gib(a.ephemeral_storage_gib),
                gib(b.ephemeral_storage_gib),
            ));
        }
        if a.task_role_arn != b.task_role_arn {
            out.push(FieldChange::new(
                "task_role_arn",
                opt(&a.task_role_arn),
                opt(&b.task_role_arn),
            ));
        }
        if a.execution_role_arn != b.execution_role_arn {
            out.push(FieldChange::new(
                "execution_role_arn",
                opt(&a.execution_role_arn),
                opt(&b.execution_role_arn),
            ));
        }
        for c in &b.containers {
            let field = |f: &str| format!("container `{}` {f}", c.name);
            match a.containers.iter().find(|o| o.name == c.name) {
                None => out.push(FieldChange::new(&field("(new)"), "(none)", &c.image)),
                Some(o) => {
                    if o.image != c.image {
                        out.push(FieldChange::new(&field("image"), &o.image, &c.image));
                    }
                    if o.port_mappings != c.port_mappings {
                        out.push(FieldChange::new(
                            &field("port_mappings"),
                            ports(&o.port_mappings),
                            ports(&c.port_mappings),
                        ));
                    }
                    if o.environment != c.environment {
                        out.push(FieldChange::new(
                            &field("environment"),
                            env(&o.environment),
                            env(&c.environment),
                        ));
                    }
                    if o.log != c.log {
                        out.push(FieldChange::new(
                            &field("log_configuration"),
                            log(&o.log),
                            log(&c.log),
                        ));
                    }
                    if o.secrets != c.secrets {
                        // Names and sources only: the values never pass through the planner.
                        let names = |v: &[(String, String)]| {
                            let n: Vec<String> =
                                v.iter().map(|(k, from)| format!("{k} ← {from}")).collect();
                            if n.is_empty() {
                                "(none)".to_string()
                            } else {
                                n.join(", ")
                            }
                        };
                        out.push(FieldChange::new(
                            &field("secrets"),
                            names(&o.secrets),
                            names(&c.secrets),
                        ));
                    }
                    if o.health_check != c.health_check {
                        let hc = |h: &Option<HealthCheckSpec>| match h {
                            None => "(none)".to_string(),
                            Some(h) => format!(
                                "{:?} every {}s, timeout {}s, {} retries{}",
                                h.command,
                                h.interval.unwrap_or_default(),
                                h.timeout.unwrap_or_default(),
                                h.retries.unwrap_or_default(),
                                h.start_period
                                    .map_or(String::new(), |s| format!(", start period {s}s"))
                            ),
                        };
                        out.push(FieldChange::new(
                            &field("health_check"),
                            hc(&o.health_check),
                            hc(&c.health_check),
                        ));
                    }
                    let rest = |x: &ContainerSpec| {
                        (
                            x.essential,
                            x.cpu,
                            x.memory,
                            x.memory_reservation,
                            x.command.clone(),
                            x.entry_point.clone(),
                        )
                    };
                    if rest(o) != rest(c) {
                        out.push(FieldChange::new(
                            &field("settings"),
                            format!("{:?}", rest(o)),
                            format!("{:?}", rest(c)),
                        ));
                    }
                }
            }
        }
        for o in &a.containers {
            if !b.containers.iter().any(|c| c.name == o.name) {
                out.push(FieldChange::new(
                    &format!("container `{}`", o.name),
                    &o.image,
                    "(removed)",
                ));
            }
        }
        if out.is_empty() && a != b {
            out.push(FieldChange::new(
                "containers",
                "(order)",
                "(as in the plan)",
            ));
        }
        out
    }
}

fn ports(p: &[PortSpec]) -> String {
    let items: Vec<String> = p
        .iter()
        .map(|m| {
            format!(
                "{}/{}",
                m.container_port,
                m.protocol.as_deref().unwrap_or("tcp")
            )
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn env(e: &[(String, String)]) -> String {
    let items: Vec<String> = e.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("[{}]", items.join(", "))
}

fn log(l: &Option<LogSpec>) -> String {
    match l {
        None => "(none)".to_string(),
        Some(l) => {
            let opts: Vec<String> = l.options.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{} {{{}}}", l.driver, opts.join(", "))
        }
    }
}
