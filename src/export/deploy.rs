//! The `deploy` diff as text, in the spirit of `terraform plan`: `+` creates, `~` changes,
//! one block per resource, then a count. Pure: sections in, text out.

use crate::core::deploy::{
    Capacity, Change, ContainerSpec, FieldChange, ScalingSpec, Section, ServiceSpec,
    TaskDefinitionRef, TaskDefinitionSpec,
};
use std::fmt::Write as _;

/// Renders the sections of a deploy, then the count of changes.
pub fn render(sections: &[Section]) -> String {
    let mut out = String::new();
    let (mut add, mut change) = (0, 0);
    for s in sections {
        let _ = writeln!(
            out,
            "service `{}` (region {}, cluster `{}`):",
            s.service, s.region, s.cluster
        );
        if s.changes.is_empty() {
            let _ = writeln!(out, "  no changes: ECS matches the plan");
        }
        for c in &s.changes {
            if c.creates() {
                add += 1;
            } else {
                change += 1;
            }
            out.push('\n');
            render_change(&mut out, c);
        }
        for n in &s.notes {
            let _ = writeln!(out, "\n  note: {n}");
        }
        out.push('\n');
    }
    if add + change == 0 {
        out.push_str("No changes. The ECS resources match the plan.\n");
    } else {
        let _ = writeln!(
            out,
            "Plan: {add} to add, {change} to change, 0 to destroy (deploy never deletes)."
        );
    }
    out
}

fn row(out: &mut String, key: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "      {key:<26} = {value}");
}

fn changed(out: &mut String, field: &str, from: &str, to: &str) {
    let _ = writeln!(out, "    ~ {field:<26} = {from} -> {to}");
}

fn tags(map: &std::collections::BTreeMap<String, String>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_change(out: &mut String, c: &Change) {
    match c {
        Change::CreateCluster { name, providers } => {
            let _ = writeln!(out, "  + cluster \"{name}\"");
            let names: Vec<&str> = providers.iter().map(|p| p.name()).collect();
            row(out, "capacity_providers", names.join(", "));
            row(out, "tags", "managed-by=fargate-planner");
        }
        Change::AddCapacityProviders { cluster, keep, add } => {
            let _ = writeln!(out, "  ~ cluster \"{cluster}\"");
            let mut after: Vec<String> = keep.clone();
            after.extend(add.iter().map(|p| p.name().to_string()));
            changed(
                out,
                "capacity_providers",
                &format!("[{}]", keep.join(", ")),
                &format!("[{}] (existing ones kept)", after.join(", ")),
            );
        }
        Change::CreateLogGroup { name } => {
            let _ = writeln!(out, "  + log group \"{name}\"");
            row(out, "tags", "managed-by=fargate-planner");
        }
        Change::RegisterTaskDefinition {
            spec,
            previous,
            changes,
        } => task_definition(out, spec, *previous, changes),
        Change::CreateService {
            spec,
            task_definition,
        } => create_service(out, spec, task_definition),
        Change::UpdateService {
            spec,
            changes,
            force_new_deployment,
            ..
        } => update_service(out, spec, changes, *force_new_deployment),
        Change::PutScalableTarget { spec, changes } => scalable_target(out, spec, changes),
        Change::PutScalingPolicy { spec, changes } => scaling_policy(out, spec, changes),
    }
}

fn field_changes(out: &mut String, changes: &[FieldChange]) {
    for f in changes {
        changed(out, &f.field, &f.from, &f.to);
    }
}

fn task_definition(
    out: &mut String,
    spec: &TaskDefinitionSpec,
    previous: Option<i32>,
    changes: &[FieldChange],
) {
    match previous {
        None => {
            let _ = writeln!(
                out,
                "  + task definition \"{}\" (first revision)",
                spec.family
            );
        }
        Some(rev) => {
            let _ = writeln!(
                out,
                "  + task definition \"{}\" (new revision after {rev})",
                spec.family
            );
        }
    }
    if previous.is_some() {
        field_changes(out, changes);
        return;
    }
    row(
        out,
        "cpu / memory",
        format!("{} / {} MiB", spec.cpu, spec.memory),
    );
    row(
        out,
        "runtime_platform",
        format!("{} {}", spec.operating_system_family, spec.cpu_architecture),
    );
    row(out, "network_mode", "awsvpc (FARGATE)");
    if let Some(gib) = spec.ephemeral_storage_gib {
        row(out, "ephemeral_storage", format!("{gib} GiB"));
    }
    if let Some(r) = &spec.task_role_arn {
        row(out, "task_role_arn", r);
    }
    if let Some(r) = &spec.execution_role_arn {
        row(out, "execution_role_arn", r);
    }
    for c in &spec.containers {
        row(out, &format!("container \"{}\"", c.name), container(c));
    }
    row(out, "tags", tags(&spec.tags));
}

/// One container of a new task definition: image, ports, log driver, essential.
fn container(c: &ContainerSpec) -> String {
    let ports: Vec<String> = c
        .port_mappings
        .iter()
        .map(|m| {
            format!(
                "{}/{}",
                m.container_port,
                m.protocol.as_deref().unwrap_or("tcp")
            )
        })
        .collect();
    let mut desc = c.image.clone();
    if !ports.is_empty() {
        let _ = write!(desc, ", ports {}", ports.join(" "));
    }
    if let Some(l) = &c.log {
        let _ = write!(desc, ", {}", l.driver);
        if let Some(g) = l.options.get("awslogs-group") {
            let _ = write!(desc, " {g}");
        }
    }
    if !c.essential {
        desc.push_str(", not essential");
    }
    desc
}

fn create_service(out: &mut String, spec: &ServiceSpec, task_definition: &TaskDefinitionRef) {
    let _ = writeln!(out, "  + service \"{}\"", spec.name);
    row(out, "task_definition", td(task_definition));
    row(out, "capacity", spec.capacity.describe());
    row(out, "desired_count", spec.desired_count);
    row(out, "network", spec.network.describe());
    row(out, "platform_version", &spec.platform_version);
    row(
        out,
        "circuit_breaker",
        format!(
            "enable {}, rollback {}",
            spec.circuit_breaker.enable, spec.circuit_breaker.rollback
        ),
    );
    row(out, "tags", tags(&spec.tags));
    if let Capacity::Strategy(_) = spec.capacity {
        row(out, "(providers on the cluster)", "FARGATE, FARGATE_SPOT");
    }
}

fn update_service(
    out: &mut String,
    spec: &ServiceSpec,
    changes: &[FieldChange],
    force_new_deployment: bool,
) {
    let _ = writeln!(out, "  ~ service \"{}\" (updated in place)", spec.name);
    field_changes(out, changes);
    if force_new_deployment {
        row(
            out,
            "force_new_deployment",
            "true (launch type to strategy)",
        );
    }
}

fn scalable_target(out: &mut String, spec: &ScalingSpec, changes: &[FieldChange]) {
    if changes.is_empty() {
        let _ = writeln!(out, "  + scalable target \"{}\"", spec.resource_id);
        row(
            out,
            "desired count",
            format!("{} to {}", spec.min_capacity, spec.max_capacity),
        );
    } else {
        let _ = writeln!(out, "  ~ scalable target \"{}\"", spec.resource_id);
        field_changes(out, changes);
    }
}

fn scaling_policy(out: &mut String, spec: &ScalingSpec, changes: &[FieldChange]) {
    if changes.is_empty() {
        let _ = writeln!(out, "  + scaling policy \"{}\"", spec.policy_name);
        row(
            out,
            "target tracking",
            format!("{} at {}", spec.metric, spec.target_value),
        );
    } else {
        let _ = writeln!(out, "  ~ scaling policy \"{}\"", spec.policy_name);
        field_changes(out, changes);
    }
}

fn td(r: &TaskDefinitionRef) -> String {
    match r {
        TaskDefinitionRef::Existing(arn) => crate::core::deploy::family_revision(arn).to_string(),
        TaskDefinitionRef::New => "(the revision registered above)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::deploy::{
        ContainerSpec, FieldChange, LogSpec, Network, PortSpec, ServiceSpec, TaskDefinitionSpec,
    };
    use crate::core::plan::CircuitBreaker;
    use crate::core::vocab::platform::CpuArch;
    use crate::core::vocab::strategy::{Provider, StrategyItem};
    use std::collections::BTreeMap;

    fn tags() -> BTreeMap<String, String> {
        BTreeMap::from([("managed-by".to_string(), "fargate-planner".to_string())])
    }

    fn spec() -> ServiceSpec {
        ServiceSpec {
            name: "web".into(),
            cluster: "webserver".into(),
            capacity: Capacity::LaunchType,
            desired_count: 1,
            network: Network {
                subnets: vec!["subnet-aaa".into(), "subnet-bbb".into()],
                security_groups: vec!["sg-default".into()],
                assign_public_ip: true,
                from_default_vpc: Some("vpc-123".into()),
            },
            platform_version: "LATEST".into(),
            circuit_breaker: CircuitBreaker::default(),
            tags: tags(),
        }
    }

    fn task() -> TaskDefinitionSpec {
        TaskDefinitionSpec {
            family: "web".into(),
            cpu: "512".into(),
            memory: "1024".into(),
            cpu_architecture: CpuArch::X86_64,
            operating_system_family: "LINUX".into(),
            ephemeral_storage_gib: None,
            task_role_arn: None,
            execution_role_arn: Some("arn:aws:iam::123456789012:role/ecsTaskExecutionRole".into()),
            containers: vec![ContainerSpec {
                name: "web".into(),
                image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0".into(),
                essential: true,
                cpu: None,
                memory: None,
                memory_reservation: None,
                port_mappings: vec![PortSpec {
                    container_port: 3000,
                    host_port: None,
                    protocol: Some("tcp".into()),
                    name: None,
                    app_protocol: None,
                }],
                environment: vec![],
                command: None,
                entry_point: None,
                secrets: vec![],
                health_check: None,
                log: Some(LogSpec {
                    driver: "awslogs".into(),
                    options: BTreeMap::from([("awslogs-group".into(), "/ecs/web".into())]),
                }),
            }],
            tags: tags(),
        }
    }

    fn section(changes: Vec<Change>) -> Section {
        Section {
            service: "web".into(),
            region: "us-east-1".into(),
            cluster: "webserver".into(),
            changes,
            notes: vec!["the plan names no subnets: service `web` uses the default VPC vpc-123 (subnets subnet-aaa, subnet-bbb; security group sg-default; public IP ENABLED), as the ECS console does".into()],
        }
    }

    #[test]
    fn everything_new() {
        let text = render(&[section(vec![
            Change::CreateCluster {
                name: "webserver".into(),
                providers: Provider::ALL.to_vec(),
            },
            Change::CreateLogGroup {
                name: "/ecs/web".into(),
            },
            Change::RegisterTaskDefinition {
                spec: task(),
                previous: None,
                changes: vec![],
            },
            Change::CreateService {
                spec: spec(),
                task_definition: TaskDefinitionRef::New,
            },
        ])]);
        insta::assert_snapshot!(text);
    }

    #[test]
    fn updates() {
        let mut s = spec();
        s.capacity = Capacity::Strategy(vec![StrategyItem {
            provider: Provider::FargateSpot,
            base: 0,
            weight: 1,
        }]);
        let text = render(&[section(vec![
            Change::AddCapacityProviders {
                cluster: "webserver".into(),
                keep: vec!["FARGATE".into()],
                add: vec![Provider::FargateSpot],
            },
            Change::RegisterTaskDefinition {
                spec: task(),
                previous: Some(3),
                changes: vec![FieldChange::new(
                    "container `web` image",
                    "web:1.0.0",
                    "web:1.1.0",
                )],
            },
            Change::UpdateService {
                spec: s,
                task_definition: TaskDefinitionRef::New,
                changes: vec![
                    FieldChange::new("task_definition", "web:3", "web (new revision)"),
                    FieldChange::new("desired_count", 1, 3),
                ],
                force_new_deployment: true,
            },
        ])]);
        insta::assert_snapshot!(text);
    }

    #[test]
    fn nothing_to_do() {
        let mut s = section(vec![]);
        s.notes.clear();
        let text = render(&[s]);
        assert!(text.contains("no changes: ECS matches the plan"), "{text}");
        assert!(
            text.ends_with("No changes. The ECS resources match the plan.\n"),
            "{text}"
        );
    }
}
