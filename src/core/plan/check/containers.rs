//! Container definitions: names, reservations within the task size, ports under awsvpc, logging,
//! secrets and health checks.

use crate::core::plan::raw::RawContainer;
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem};
use crate::core::vocab::units::{CpuUnits, MemoryMib};
use std::collections::BTreeSet;

pub(super) fn check_containers(
    containers: &[RawContainer],
    path: &FieldPath,
    task_cpu: Option<CpuUnits>,
    task_memory: Option<MemoryMib>,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) {
    let cp = path.key("container_definitions");
    let drivers = &facts.rules.logging.log_drivers;
    if containers.is_empty() {
        push(
            Problem::new(cp.clone(), "a task needs at least one container")
                .fix("add a [[service.container_definitions]] table with name and image"),
        );
        return;
    }
    let mut names = BTreeSet::new();
    for (i, c) in containers.iter().enumerate() {
        let p = cp.index(i);
        if !names.insert(c.name.as_str()) {
            push(
                Problem::new(
                    p.key("name"),
                    format!("a container named `{}` is already in this task", c.name),
                )
                .fix("give each container a unique name"),
            );
        }
        if c.name.is_empty() {
            push(Problem::new(p.key("name"), "a container needs a name"));
        }
        if c.image.trim().is_empty() {
            push(
                Problem::new(p.key("image"), "a container needs an image").fix(
                    "set image, e.g. \"123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0\"",
                ),
            );
        }
        for (j, m) in c.port_mappings.iter().enumerate() {
            let mp = p.key("port_mappings").index(j);
            if !(1..=65535).contains(&m.container_port) {
                push(
                    Problem::new(mp.key("container_port"), "ports are 1 to 65535")
                        .value(m.container_port),
                );
            }
            if let Some(host) = m.host_port
                && host != m.container_port
            {
                push(
                    Problem::new(mp.key("host_port"), format!("with awsvpc, the only network mode on Fargate, host_port must equal container_port ({})", m.container_port))
                        .value(host)
                        .fix(format!(
                            "remove host_port or set it to {cp}; to serve port {host}, put it on the load balancer listener and target container port {cp}",
                            cp = m.container_port
                        )),
                );
            }
            if let Some(proto) = &m.protocol
                && proto != "tcp"
                && proto != "udp"
            {
                push(
                    Problem::new(mp.key("protocol"), "protocol is tcp or udp")
                        .value(format!("{proto:?}")),
                );
            }
        }
        if let Some(log) = &c.log_configuration
            && !drivers.contains(&log.log_driver)
        {
            push(
                Problem::new(
                    p.key("log_configuration").key("log_driver"),
                    format!("Fargate supports the {} log drivers", and_list(drivers)),
                )
                .value(format!("{:?}", log.log_driver)),
            );
        }
        for (field, v) in [
            ("cpu", c.cpu),
            ("memory", c.memory),
            ("memory_reservation", c.memory_reservation),
        ] {
            if let Some(v) = v
                && v < 0
            {
                push(Problem::new(p.key(field), "must not be negative").value(v));
            }
        }
    }
    if !containers.iter().any(|c| c.essential.unwrap_or(true)) {
        push(
            Problem::new(cp.clone(), "at least one container must be essential")
                .fix("set essential = true on the main container"),
        );
    }
    let sum = |f: fn(&RawContainer) -> Option<i64>| {
        containers
            .iter()
            .filter_map(f)
            .filter(|v| *v > 0)
            .sum::<i64>()
    };
    if let Some(cpu) = task_cpu {
        let total = sum(|c| c.cpu);
        if total > i64::from(cpu.0) {
            push(
                Problem::new(
                    cp.clone(),
                    format!(
                        "the containers ask for {total} CPU units, more than the task's {}",
                        cpu.0
                    ),
                )
                .fix("lower the containers' cpu or raise the task's cpu"),
            );
        }
    }
    if let Some(mem) = task_memory {
        let total = sum(|c| c.memory.or(c.memory_reservation));
        if total > i64::from(mem.0) {
            push(
                Problem::new(
                    cp,
                    format!(
                        "the containers reserve {total} MiB, more than the task's {} MiB",
                        mem.0
                    ),
                )
                .fix("lower the containers' memory or raise the task's memory"),
            );
        }
    }
}

/// Container secrets (they need the task execution role) and health checks (the ECS API's
/// ranges, from `data/fargate-rules.toml`).
pub(super) fn check_container_extras(
    containers: &[RawContainer],
    path: &FieldPath,
    facts: &Facts,
    execution_role: Option<&str>,
    push: &mut impl FnMut(Problem),
) {
    let rules = &facts.rules.health_check;
    let cp = path.key("container_definitions");
    for (i, c) in containers.iter().enumerate() {
        let p = cp.index(i);
        for (j, s) in c.secrets.iter().enumerate() {
            let sp = p.key("secrets").index(j);
            if s.name.trim().is_empty() {
                push(Problem::new(
                    sp.key("name"),
                    "a secret needs the name of its variable",
                ));
            }
            if s.value_from.trim().is_empty() {
                push(
                    Problem::new(
                        sp.key("value_from"),
                        "a secret needs the Secrets Manager secret or SSM parameter it comes from",
                    )
                    .fix("set value_from to the secret's or parameter's ARN"),
                );
            }
        }
        if !c.secrets.is_empty() && execution_role.is_none_or(|r| r.trim().is_empty()) {
            push(
                Problem::new(
                    p.key("secrets"),
                    "container secrets need a task execution role: ECS refuses the task definition without executionRoleArn",
                )
                .fix("set execution_role_arn on the service to a role that may read the secrets (secretsmanager:GetSecretValue or ssm:GetParameters)"),
            );
        }
        let Some(h) = &c.health_check else {
            continue;
        };
        let hp = p.key("health_check");
        match h.command.first() {
            Some(first) if rules.command_prefixes.iter().any(|c| c == first) => {
                if h.command.len() < 2 {
                    push(
                        Problem::new(hp.key("command"), format!("`{first}` needs the command to run after it"))
                            .fix("e.g. command = [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]"),
                    );
                }
            }
            _ => push(
                Problem::new(
                    hp.key("command"),
                    format!(
                        "a health check command starts with {}",
                        rules.command_prefixes.join(" or ")
                    ),
                )
                .value(format!("{:?}", h.command))
                .fix("e.g. command = [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]"),
            ),
        }
        for (field, value, [lo, hi], unit) in [
            ("interval", h.interval, rules.interval_s, " seconds"),
            ("timeout", h.timeout, rules.timeout_s, " seconds"),
            ("retries", h.retries, rules.retries, ""),
            (
                "start_period",
                h.start_period,
                rules.start_period_s,
                " seconds",
            ),
        ] {
            if let Some(v) = value
                && !(i64::from(lo)..=i64::from(hi)).contains(&v)
            {
                push(
                    Problem::new(hp.key(field), format!("{field} is {lo} to {hi}{unit}")).value(v),
                );
            }
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
