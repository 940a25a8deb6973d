//! `capacity_provider_strategy`: providers, base and weights as the ECS API allows them.

use crate::core::plan::raw::RawStrategyItem;
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem, did_you_mean};
use crate::core::vocab::strategy::{Provider, Strategy, StrategyItem};
use std::collections::BTreeSet;

pub(super) fn check_strategy(
    items: &[RawStrategyItem],
    path: &FieldPath,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) -> Option<Strategy> {
    let rules = &facts.rules.strategy;
    let mut ok = true;
    if items.is_empty() || items.len() > rules.max_items {
        push(
            Problem::new(
                path.clone(),
                format!(
                    "a capacity provider strategy has 1 to {} items",
                    rules.max_items
                ),
            )
            .value(items.len()),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let ip = path.index(i);
        let provider = Provider::parse(&item.capacity_provider);
        if provider.is_none() {
            let hint = did_you_mean(
                &item.capacity_provider,
                rules.providers.iter().map(String::as_str),
            )
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
            push(
                Problem::new(ip.key("capacity_provider"), "not a Fargate capacity provider")
                    .value(format!("{:?}", item.capacity_provider))
                    .fix(format!("{hint}allowed: {} (Auto Scaling group providers cannot be mixed with Fargate ones)", rules.providers.join(", "))),
            );
            ok = false;
        }
        if let Some(p) = provider
            && !seen.insert(p)
        {
            push(
                Problem::new(
                    ip.key("capacity_provider"),
                    format!("{p} is already in the strategy"),
                )
                .fix("list each capacity provider once"),
            );
            ok = false;
        }
        let base = item.base.unwrap_or(0);
        if !(0..=i64::from(rules.max_base)).contains(&base) {
            push(
                Problem::new(
                    ip.key("base"),
                    format!("base must be 0 to {}", rules.max_base),
                )
                .value(base),
            );
            ok = false;
        }
        let weight = item.weight.unwrap_or(0);
        if !(0..=i64::from(rules.max_weight)).contains(&weight) {
            push(
                Problem::new(
                    ip.key("weight"),
                    format!("weight must be 0 to {}", rules.max_weight),
                )
                .value(weight),
            );
            ok = false;
        }
        if let Some(provider) = provider {
            out.push(StrategyItem {
                provider,
                base: base.clamp(0, i64::from(u32::MAX)) as u32,
                weight: weight.clamp(0, i64::from(u32::MAX)) as u32,
            });
        }
    }
    let with_base: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.base.unwrap_or(0) > 0)
        .map(|(i, _)| i)
        .collect();
    if with_base.len() > 1 {
        push(
            Problem::new(path.index(with_base[1]).key("base"), "only one capacity provider in a strategy may have a base")
                .value(items[with_base[1]].base.unwrap_or(0))
                .fix(format!("keep the base on one item (usually FARGATE, for the tasks that must survive Spot interruptions) and set the others to 0; {}", rules.source)),
        );
        ok = false;
    }
    if items.iter().all(|i| i.weight.unwrap_or(0) <= 0) {
        push(
            Problem::new(path.clone(), "at least one item needs a weight above 0").fix(
                "give the provider that takes tasks beyond the base a weight, e.g. weight = 1",
            ),
        );
        ok = false;
    }
    ok.then_some(Strategy { items: out })
}
