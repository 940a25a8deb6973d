//! `import taskdef FILE...`: a plan written from ECS task definition JSON.

use super::super::args::ImportTaskdefArgs;
use super::super::error::CliError;
use super::super::output::Target;
use super::super::taskdef;
use crate::core::taskdef::plan_toml;

pub fn taskdef(args: ImportTaskdefArgs) -> Result<(), CliError> {
    let target = Target::from_arg(args.output.as_deref());
    target.check()?;
    let tds = taskdef::read_all(&args.files)?;
    let region = taskdef::choose_region(args.region.as_deref(), &tds)?;
    let raw = taskdef::plan_from(&tds, region, args.desired_count);
    // The plan must pass the same rules as any plan: a task definition that breaks one is
    // reported against its JSON file instead of being written out.
    let facts = super::facts()?;
    let book = super::price_book()?;
    taskdef::check_all(&tds, &raw, &facts, &book, Default::default())?;
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
