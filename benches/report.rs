//! How long a 10,000-service plan takes from text to a rendered report, stage by stage; and
//! how report and validate grow from 1,000 to 100,000 services.
//!
//! Run: `cargo bench --bench report`. Compare the stages' ratios within one run; absolute times
//! on a shared 2-core machine are noisy.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use fargate_planner::core::plan::{CheckOptions, check, parse};
use fargate_planner::core::pricing::PriceBook;
use fargate_planner::core::report::build;
use fargate_planner::core::rules::Facts;
use fargate_planner::export::{ReportFormat as Format, render};
use std::hint::black_box;

#[path = "synthetic.rs"]
mod synthetic;

fn bench(c: &mut Criterion) {
    let text = synthetic::synthetic_plan(10_000);
    let facts = Facts::embedded().expect("embedded facts");
    let book = PriceBook::embedded().expect("embedded prices");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let parsed = parse(&text).expect("synthetic plan parses");
    let plan =
        check(&parsed.raw, &facts, CheckOptions::default()).expect("synthetic plan is valid");
    let report = build(&plan, &book, &facts, today).expect("synthetic plan prices");

    let mut g = c.benchmark_group("10k services");
    g.sample_size(10);
    g.bench_function("parse", |b| b.iter(|| parse(black_box(&text)).ok()));
    g.bench_function("check", |b| {
        b.iter(|| check(black_box(&parsed.raw), &facts, CheckOptions::default()))
    });
    g.bench_function("price", |b| {
        b.iter(|| build(black_box(&plan), &book, &facts, today))
    });
    g.bench_function("render table", |b| {
        b.iter(|| render(black_box(&report), Format::Table, None))
    });
    g.bench_function("render json", |b| {
        b.iter(|| render(black_box(&report), Format::Json, None))
    });
    g.bench_function("end to end (table)", |b| {
        b.iter(|| {
            let parsed = parse(black_box(&text)).expect("parses");
            let plan = check(&parsed.raw, &facts, CheckOptions::default()).expect("valid");
            let report = build(&plan, &book, &facts, today).expect("prices");
            render(&report, Format::Table, None)
        })
    });
    g.finish();

    // Linear growth: end to end (table) and validate (parse + check) from 1k to 100k services.
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let text = synthetic::synthetic_plan(n);
        g.bench_function(format!("report {n}"), |b| {
            b.iter(|| {
                let parsed = parse(black_box(&text)).expect("parses");
                let plan = check(&parsed.raw, &facts, CheckOptions::default()).expect("valid");
                let report = build(&plan, &book, &facts, today).expect("prices");
                render(&report, Format::Table, None)
            })
        });
        if n == 10_000 {
            g.bench_function(format!("validate {n}"), |b| {
                b.iter(|| {
                    let parsed = parse(black_box(&text)).expect("parses");
                    check(&parsed.raw, &facts, CheckOptions::default()).is_ok()
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
