//! How long `recommend` takes: the acceptance figure (a 20-service plan, 500 trials per candidate
//! over 30 days, under 10 s in a release build on a 2-core machine), and one service of each
//! kind for where the time goes; and plans of 20 and 100 services that are all autoscaled on
//! load curves (the issue-19 figures: 100 services under 3 s).
//!
//! Run: `cargo bench --bench recommend`. Each figure is the whole `recommend` call: the
//! desired-count timelines, every candidate strategy's trials (rayon), pricing every
//! architecture and size, the frontier and Savings Plan sizing.

#![allow(clippy::expect_used)]

#[path = "synthetic.rs"]
mod synthetic;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use fargate_planner::core::plan::{CheckOptions, Plan, check, parse};
use fargate_planner::core::pricing::{PriceBook, SavingsRates};
use fargate_planner::core::recommend::{RecommendOptions, recommend};
use fargate_planner::core::rules::Facts;
use std::hint::black_box;
use std::time::Duration;

fn plan(n: usize, facts: &Facts) -> Plan {
    from_text(&synthetic::recommend_plan(n), facts)
}

fn from_text(text: &str, facts: &Facts) -> Plan {
    let parsed = parse(text).expect("bench plan parses");
    check(&parsed.raw, facts, CheckOptions::default()).expect("bench plan is valid")
}

fn bench(c: &mut Criterion) {
    let facts = Facts::embedded().expect("embedded facts");
    let book = PriceBook::embedded().expect("embedded prices");
    let savings = SavingsRates::embedded().expect("embedded Savings Plans rates");
    let opts = RecommendOptions {
        trials: 500,
        seed: 1,
        horizon_minutes: 30 * 1440,
        start: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).expect("date"),
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"),
    };
    let run = |p: &Plan, only: &[String]| {
        recommend(black_box(p), only, &book, &savings, &facts, &opts, &|_| {}).expect("recommends")
    };

    let mut g = c.benchmark_group("recommend");
    g.sample_size(10).measurement_time(Duration::from_secs(40));
    let twenty = plan(20, &facts);
    g.bench_function("20 services, 500 trials x 30 days", |b| {
        b.iter(|| run(&twenty, &[]))
    });
    // Every service autoscaled on a load curve (2 to 10–30 tasks): the plan shape that was
    // slowest per service.
    for n in [20, 100] {
        let p = from_text(&synthetic::recommend_autoscaled_plan(n), &facts);
        g.bench_function(
            format!("{n} autoscaled services, 500 trials x 30 days"),
            |b| b.iter(|| run(&p, &[])),
        );
    }
    g.finish();

    let mut g = c.benchmark_group("recommend one service");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for (i, kind) in [
        "autoscaled API 4-12",
        "fixed 6 tasks",
        "weekday worker",
        "fixed 8 tasks",
    ]
    .iter()
    .enumerate()
    {
        let only = vec![format!("svc-{i}")];
        g.bench_with_input(BenchmarkId::from_parameter(kind), &only, |b, only| {
            b.iter(|| run(&twenty, only))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
