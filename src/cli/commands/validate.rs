//! `validate PLAN`: every problem at once, each with file, line, field and fix.

use super::super::args::ValidateArgs;
use super::super::error::CliError;
use super::super::load::load_plan;
use super::{facts, price_book};
use crate::core::plan::CheckOptions;

pub fn run(args: ValidateArgs) -> Result<(), CliError> {
    let facts = facts()?;
    let book = price_book()?;
    let plan = load_plan(
        &args.plan,
        &facts,
        &book,
        CheckOptions {
            round_up: args.round_up,
        },
    )?;
    let n = plan.services.len();
    let rounded: Vec<String> = plan
        .services
        .iter()
        .filter(|s| s.was_rounded())
        .map(|s| format!("  {}: {} rounds up to {}", s.name, s.requested_size, s.size))
        .collect();
    println!(
        "{}: ok, {n} service{} valid for Fargate",
        args.plan.display(),
        if n == 1 { "" } else { "s" }
    );
    for r in rounded {
        println!("{r}");
    }
    Ok(())
}
