//! `recommend` on a CloudFormation template: instead of rewriting the template, the properties to
//! change per resource, keyed by the template's logical ids, as a template fragment that
//! `cfn-lint` accepts (tests/cli/infra.rs lints every one).

use crate::core::recommend::Recommendation;
use std::fmt::Write;

/// Where a plan service is in the template.
pub struct TemplateIds {
    pub service: String,
    /// The `AWS::ECS::Service` logical id.
    pub service_id: String,
    /// The `AWS::ECS::TaskDefinition` logical id.
    pub task_id: String,
}

/// The template fragment for every service with a recommendation that differs from the
/// template; `None` when there is nothing to change.
pub fn template_changes(rec: &Recommendation, ids: &[TemplateIds]) -> Option<String> {
    let mut body = String::new();
    for s in &rec.services {
        let (Some(best), Some(at)) = (
            s.recommended.as_ref(),
            ids.iter().find(|i| i.service == s.name),
        ) else {
            continue;
        };
        let w = &s.as_written;
        if best.arch == w.arch && best.size == w.size && best.strategy == w.strategy {
            continue;
        }
        let _ = writeln!(body, "  {}:", at.service_id);
        let _ = writeln!(body, "    Type: AWS::ECS::Service");
        let _ = writeln!(body, "    Properties:");
        let _ = writeln!(
            body,
            "      # `{}`: with a capacity provider strategy, remove LaunchType",
            s.name
        );
        let _ = writeln!(body, "      CapacityProviderStrategy:");
        for i in &best.strategy.items {
            let _ = writeln!(body, "        - CapacityProvider: {}", i.provider.name());
            if i.base > 0 {
                let _ = writeln!(body, "          Base: {}", i.base);
            }
            let _ = writeln!(body, "          Weight: {}", i.weight);
        }
        let _ = writeln!(body, "  {}:", at.task_id);
        let _ = writeln!(body, "    Type: AWS::ECS::TaskDefinition");
        let _ = writeln!(body, "    Properties:");
        let _ = writeln!(body, "      Cpu: \"{}\"", best.size.cpu.0);
        let _ = writeln!(body, "      Memory: \"{}\"", best.size.memory.0);
        let _ = writeln!(body, "      RuntimePlatform:");
        let _ = writeln!(body, "        CpuArchitecture: {}", best.arch.ecs_name());
        let _ = writeln!(body, "        OperatingSystemFamily: {}", s.os);
    }
    if body.is_empty() {
        return None;
    }
    Some(format!(
        "# The template properties to change, by logical id (fargate-planner recommend);\n\
         # merge them into the template's resources. The template itself is not rewritten.\n\
         AWSTemplateFormatVersion: \"2010-09-09\"\n\
         Resources:\n{body}"
    ))
}
