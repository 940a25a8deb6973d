//! `import taskdef FILE...`, `import cfn FILE`, `import terraform FILE`: a plan written from ECS
//! task definition JSON, a CloudFormation template or a Terraform plan.

use super::super::args::{ImportInfraArgs, ImportTaskdefArgs, InputFormat};
use super::super::error::CliError;
use super::super::infra;
use super::super::input;
use super::super::output::{Target, refuse_input_as_output};
use super::super::session::facts;
use crate::core::plan::check;
use crate::core::plan::terraform::Side;
use crate::core::plan::write::plan_toml;

pub fn taskdef(args: ImportTaskdefArgs) -> Result<(), CliError> {
    let target = Target::output(args.output.as_deref())?;
    let inputs: Vec<&std::path::Path> = args.files.iter().map(|f| f.as_path()).collect();
    refuse_input_as_output(&target, &inputs)?;
    target.check()?;
    let facts = facts()?;
    let tds = input::read_all(&args.files, &facts)?;
    let (region, region_from) = input::choose_region(args.region.as_deref(), &tds)?;
    let raw = input::plan_from(&tds, region, args.desired_count);
    // The plan must pass the same rules as any plan: a task definition that breaks one is
    // reported against its JSON file instead of being written out.
    input::check_all(&tds, &raw, &region_from, &facts, Default::default())?;
    let sources: Vec<String> = args
        .files
        .iter()
        .map(|f| format!("  {}", f.display()))
        .collect();
    let header = format!(
        "fargate-planner plan imported from ECS task definitions:\n{}\n\nField names are the task definition's in snake_case; `fargate-planner report` prices it.",
        sources.join("\n")
    );
    let text = plan_toml(&raw, &header)
        .map_err(|e| CliError::failure(format!("cannot write the plan as TOML: {e}")))?;
    target.write(text.as_bytes())
}

/// A plan from a template or Terraform plan (its planned values): the services with their
/// logical ids or addresses in the header, checked like any plan before it is written.
pub fn infra(args: ImportInfraArgs, kind: InputFormat) -> Result<(), CliError> {
    let target = Target::output(args.output.as_deref())?;
    refuse_input_as_output(&target, &[args.file.as_path()])?;
    target.check()?;
    let facts = facts()?;
    let (imported, region, region_from) =
        infra::read(&args.file, kind, &args.input, Side::After, &facts)?;
    let mut raw = imported.plan(&region);
    if let Some(overlay) = &args.input.overlay {
        infra::apply_overlay(overlay, &imported, &mut raw)?;
    }
    check(&raw, &facts, Default::default())
        .map_err(|p| input::infra_error(&args.file, &imported, &region_from, &p))?;
    let what = match kind {
        InputFormat::Terraform => "the Terraform plan",
        _ => "the CloudFormation template",
    };
    let header = format!(
        "fargate-planner plan imported from {what} {} (service <- logical id or address):\n{}\n\nField names are the task definition's in snake_case; `fargate-planner report` prices it.",
        args.file.display(),
        infra::origins(&imported).join("\n")
    );
    let text = plan_toml(&raw, &header)
        .map_err(|e| CliError::failure(format!("cannot write the plan as TOML: {e}")))?;
    target.write(text.as_bytes())
}
