//! `compare PLAN [--service NAME]`: the same workload on Fargate x86 and ARM, Spot, Lambda and EKS
//! on Fargate, side by side, with the request rate where Lambda and Fargate cost the same.
//! Fargate and Lambda prices follow `--prices` alike (the cache's or fetched Lambda prices laid
//! over the embedded table of 36 regions); EKS prices (cluster fee, pod rates) are the embedded
//! table.

use super::super::args::CompareArgs;
use super::super::error::CliError;
use super::super::output::{self, Target, refuse_input_as_output, resolve_format};
use super::super::price_source::load_savings;
use super::super::session::{self, Request, Session, today};
use crate::core::capacity::Ec2Facts;
use crate::core::compare::eks::EksFacts;
use crate::core::compare::{self, ComparePrices, MixSource, SpotMix, plan_mixes};
use crate::core::plan::Plan;
use crate::core::pricing::PriceBook;
use crate::core::recommend::{RecommendOptions, recommend};
use crate::core::rules::Facts;
use crate::core::rules::lambda::LambdaLimits;
use crate::core::vocab::problem::did_you_mean;
use crate::core::vocab::strategy::{Provider, Strategy};
use crate::export;
use std::collections::BTreeMap;

pub fn run(args: CompareArgs) -> Result<(), CliError> {
    let target = Target::output(args.output.as_deref())?;
    refuse_input_as_output(&target, &[&args.plan])?;
    let format = resolve_format(
        args.format,
        args.output.as_deref(),
        crate::export::Format::Table,
    )?;
    target.check()?;
    let Session {
        facts,
        mut plan,
        books,
    } = session::load(Request {
        plan: &args.plan,
        taskdef: &args.taskdef,
        round_up: args.round_up,
        prices: &args.prices,
        lambda: true,
    })?;
    let (book, lambda, eks_prices) = (books.fargate, books.lambda, books.eks);
    let books_ec2 = books.ec2;
    let limits = LambdaLimits::embedded()?;
    let eks = EksFacts::embedded()?;
    let ec2_facts = Ec2Facts::embedded()?;
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
        eks_prices: &eks_prices,
        ec2_book: &books_ec2,
        ec2_facts: &ec2_facts,
        ec2_spot_discount: args.ec2_spot_discount,
    };
    let recommended = recommended_mixes(&plan, &book, &facts, &args)?;
    let mut comparison = compare::build_with_mixes(&plan, prices, today(), |s| {
        let mut mixes = plan_mixes(s);
        if let Some(strategy) = recommended.get(&s.name)
            && *strategy != s.strategy
        {
            mixes.push(SpotMix {
                strategy: strategy.clone(),
                from: MixSource::Recommender,
            });
        }
        mixes
    });
    if args.trials > 0 {
        comparison.notes.push(compare::Note::RecommendedMixes {
            trials: args.trials,
        });
    }
    let bytes = export::compare::render(&comparison, format, output::table_width(&target))?;
    target.write(&bytes)
}

/// Per service, the recommender's strategy when it mixes FARGATE and FARGATE_SPOT (all on one
/// provider is already a row of its own).
fn recommended_mixes(
    plan: &Plan,
    book: &PriceBook,
    facts: &Facts,
    args: &CompareArgs,
) -> Result<BTreeMap<String, Strategy>, CliError> {
    if args.trials == 0 {
        return Ok(BTreeMap::new());
    }
    let savings = load_savings(&args.prices)?;
    let opts = RecommendOptions {
        trials: args.trials,
        seed: 1,
        horizon_minutes: 30 * 24 * 60,
        start: chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
            .ok_or_else(|| CliError::failure("invalid start date"))?,
        today: today(),
    };
    let rec = recommend(plan, &[], book, &savings, facts, &opts, &|_| {})
        .map_err(|e| CliError::failure(format!("recommended mix: {e}")))?;
    Ok(rec
        .services
        .into_iter()
        .filter_map(|s| {
            let c = s.recommended?;
            (c.strategy.uses(Provider::Fargate) && c.strategy.uses(Provider::FargateSpot))
                .then_some((s.name, c.strategy))
        })
        .collect())
}
