//! `import taskdef FILE...`: a plan written from ECS task definition JSON.

use super::super::args::ImportTaskdefArgs;
use super::super::error::CliError;
use super::super::input;
use super::super::output::{Target, refuse_input_as_output};
use super::super::session::facts;
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
