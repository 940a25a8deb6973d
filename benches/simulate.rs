//! How long the Monte Carlo engine takes: the acceptance figure (1,000 trials of a one-year
//! horizon for a 20-task service with Spot interruptions, under 1 s in a release build on a
//! 2-core machine) and how time grows with trials, horizon and tasks.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench --bench simulate`. Each figure is the whole
//! `simulate` call: the desired-count timeline, every trial (rayon), pricing and statistics.

#![allow(clippy::expect_used)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use fargate_planner::core::plan::{CheckOptions, Plan, check, parse};
use fargate_planner::core::pricing::PriceBook;
use fargate_planner::core::rules::Facts;
use fargate_planner::core::simulate::{SimOptions, simulate};
use std::hint::black_box;
use std::time::Duration;

#[path = "synthetic.rs"]
mod synthetic;

/// The bench's service (`synthetic::simulate_plan`) with `tasks` tasks.
fn plan(tasks: u32, facts: &Facts) -> Plan {
    let text = synthetic::simulate_plan(tasks);
    let parsed = parse(&text).expect("bench plan parses");
    check(&parsed.raw, facts, CheckOptions::default()).expect("bench plan is valid")
}

fn opts(trials: u32, days: u32) -> SimOptions {
    SimOptions {
        trials,
        seed: 7,
        horizon_minutes: days * 1440,
        start: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).expect("date"),
        timeline_step_s: None,
    }
}

fn bench(c: &mut Criterion) {
    let facts = Facts::embedded().expect("embedded facts");
    let book = PriceBook::embedded().expect("embedded prices");
    let run = |p: &Plan, o: &SimOptions| {
        simulate(black_box(p), &[], &book, &facts, o, &|_| {}).expect("simulates")
    };

    let twenty = plan(20, &facts);
    let mut g = c.benchmark_group("acceptance");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("1000 trials x 365 days x 20 tasks", |b| {
        b.iter(|| run(&twenty, &opts(1000, 365)))
    });
    g.finish();

    let mut g = c.benchmark_group("scaling");
    g.sample_size(10).measurement_time(Duration::from_secs(4));
    for trials in [100u32, 1000, 4000] {
        g.bench_with_input(
            BenchmarkId::new("trials (365 d, 20 tasks)", trials),
            &trials,
            |b, &t| b.iter(|| run(&twenty, &opts(t, 365))),
        );
    }
    for days in [30u32, 91, 365] {
        g.bench_with_input(
            BenchmarkId::new("horizon days (1000 trials, 20 tasks)", days),
            &days,
            |b, &d| b.iter(|| run(&twenty, &opts(1000, d))),
        );
    }
    for tasks in [5u32, 20, 80] {
        let p = plan(tasks, &facts);
        g.bench_with_input(
            BenchmarkId::new("tasks (1000 trials, 365 d)", tasks),
            &p,
            |b, p| b.iter(|| run(p, &opts(1000, 365))),
        );
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
