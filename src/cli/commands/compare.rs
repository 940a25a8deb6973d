//! `compare PLAN [--service NAME]`: the same workload on Fargate x86 and ARM, Spot, Lambda and EKS
//! on Fargate, side by side, with the request rate where Lambda and Fargate cost the same.
//! Fargate and Lambda prices follow `--prices` alike (the cache's or fetched Lambda prices laid
//! over the embedded us-east-1 table); the EKS cluster fee is the embedded table.

use super::super::args::CompareArgs;
use super::super::args::PriceSource;
use super::super::error::CliError;
use super::super::load::load_plan;
use super::super::output::Target;
use super::{facts, prices::load_books, prices::plan_regions, today};
use crate::core::compare::{self, ComparePrices};
use crate::core::eks::EksFacts;
use crate::core::lambda::LambdaLimits;
use crate::core::plan::CheckOptions;
use crate::core::problem::did_you_mean;
use crate::export;

pub fn run(args: CompareArgs) -> Result<(), CliError> {
    let target = Target::from_arg(args.output.as_deref());
    target.check()?;
    let facts = facts()?;
    let regions = match args.prices.source {
        PriceSource::Live => plan_regions(&args.plan)?,
        _ => Vec::new(),
    };
    let books = load_books(&args.prices, &regions, true)?;
    for w in &books.warnings {
        eprintln!("warning: {w}");
    }
    let (book, lambda) = (books.fargate, books.lambda);
    let built_in = |e: crate::core::facts::DataError| CliError::failure(e.to_string());
    let limits = LambdaLimits::embedded().map_err(built_in)?;
    let eks = EksFacts::embedded().map_err(built_in)?;
    let mut plan = load_plan(
        &args.plan,
        &facts,
        &book,
        CheckOptions {
            round_up: args.round_up,
        },
    )?;
    if let Some(name) = &args.service {
        let names: Vec<&str> = plan.services.iter().map(|s| s.name.as_str()).collect();
        if !names.contains(&name.as_str()) {
            let hint = match did_you_mean(name, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the plan's services: {}", names.join(", ")),
            };
            return Err(CliError::bad_input(format!(
                "`{}` has no service named `{name}`",
                args.plan.display()
            ))
            .detail(format!("fix: {hint}")));
        }
        plan.services.retain(|s| &s.name == name);
    }
    let prices = ComparePrices {
        book: &book,
        facts: &facts,
        lambda: &lambda,
        limits: &limits,
        eks: &eks,
    };
    let comparison = compare::build(&plan, prices, today());
    let bytes = export::compare::render(&comparison, args.format)
        .map_err(|e| CliError::failure(e.to_string()))?;
    target.write(&bytes)
}
