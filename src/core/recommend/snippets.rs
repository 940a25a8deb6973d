//! A recommendation as text to paste: ECS API JSON, a CloudFormation fragment and a Terraform
//! fragment for the service's capacity provider strategy and the task's size and platform.

use super::Snippets;
use crate::core::plan::Service;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::strategy::Strategy;
use std::fmt::Write;

/// The strategy, size and architecture of `service` in every form.
pub fn render(service: &Service, arch: CpuArch, size: TaskSize, strategy: &Strategy) -> Snippets {
    // Written by hand to keep AWS's key order (provider, base, weight); a base of 0 is left out.
    let item = |i: &crate::core::vocab::strategy::StrategyItem| {
        let base = if i.base > 0 {
            format!(", \"base\": {}", i.base)
        } else {
            String::new()
        };
        format!(
            "    {{ \"capacityProvider\": \"{}\"{base}, \"weight\": {} }}",
            i.provider.name(),
            i.weight
        )
    };
    let ecs_service_json = format!(
        "{{\n  \"capacityProviderStrategy\": [\n{}\n  ]\n}}\n",
        strategy
            .items
            .iter()
            .map(item)
            .collect::<Vec<_>>()
            .join(",\n")
    );
    let ecs_task_json = format!(
        "{{\n  \"cpu\": \"{}\",\n  \"memory\": \"{}\",\n  \"runtimePlatform\": {{\n    \"cpuArchitecture\": \"{}\",\n    \"operatingSystemFamily\": \"{}\"\n  }}\n}}\n",
        size.cpu.0,
        size.memory.0,
        arch.ecs_name(),
        service.os.ecs_name()
    );

    let mut cfn = String::new();
    let _ = writeln!(
        cfn,
        "# AWS::ECS::Service ({}); a service with a strategy sets no LaunchType",
        service.name
    );
    let _ = writeln!(cfn, "CapacityProviderStrategy:");
    for i in &strategy.items {
        let _ = writeln!(cfn, "  - CapacityProvider: {}", i.provider.name());
        if i.base > 0 {
            let _ = writeln!(cfn, "    Base: {}", i.base);
        }
        let _ = writeln!(cfn, "    Weight: {}", i.weight);
    }
    let _ = writeln!(cfn, "# AWS::ECS::TaskDefinition ({})", service.family);
    let _ = writeln!(cfn, "Cpu: \"{}\"", size.cpu.0);
    let _ = writeln!(cfn, "Memory: \"{}\"", size.memory.0);
    let _ = writeln!(cfn, "RuntimePlatform:");
    let _ = writeln!(cfn, "  CpuArchitecture: {}", arch.ecs_name());
    let _ = writeln!(cfn, "  OperatingSystemFamily: {}", service.os.ecs_name());

    let mut tf = String::new();
    let _ = writeln!(
        tf,
        "# resource \"aws_ecs_service\" \"{}\"; with a strategy, no launch_type",
        service.name
    );
    for i in &strategy.items {
        let _ = writeln!(tf, "capacity_provider_strategy {{");
        let _ = writeln!(tf, "  capacity_provider = \"{}\"", i.provider.name());
        if i.base > 0 {
            let _ = writeln!(tf, "  base              = {}", i.base);
        }
        let _ = writeln!(tf, "  weight            = {}", i.weight);
        let _ = writeln!(tf, "}}");
    }
    let _ = writeln!(
        tf,
        "# resource \"aws_ecs_task_definition\" \"{}\"",
        service.family
    );
    let _ = writeln!(tf, "cpu    = \"{}\"", size.cpu.0);
    let _ = writeln!(tf, "memory = \"{}\"", size.memory.0);
    let _ = writeln!(tf, "runtime_platform {{");
    let _ = writeln!(tf, "  cpu_architecture        = \"{}\"", arch.ecs_name());
    let _ = writeln!(
        tf,
        "  operating_system_family = \"{}\"",
        service.os.ecs_name()
    );
    let _ = writeln!(tf, "}}");
    Snippets {
        ecs_service_json,
        ecs_task_json,
        cloudformation: cfn,
        terraform: tf,
    }
}
