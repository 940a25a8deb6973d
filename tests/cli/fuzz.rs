//! Fuzzing as a habit (issue 16): every parser of outside input gets arbitrary bytes and
//! structured mutations of a real document (byte flips, insertions, deletions, duplicated and
//! truncated spans). Any input must give a value or an error: no panic, no hang. The case count
//! per parser is `FARGATE_PLANNER_FUZZ_CASES` (default 6,000: 60,000 inputs in every test run);
//! `scripts/fuzz.sh` runs the longer campaign (docs/fuzzing.md has its figures).

use fargate_planner::core::plan::sections::load::parse_load_csv;
use fargate_planner::core::plan::{CheckOptions, check, parse, taskdef};
use fargate_planner::core::pricing::eks::EksPriceBook;
use fargate_planner::core::pricing::lambda::LambdaPriceBook;
use fargate_planner::core::pricing::parse::detect::parse_any;
use fargate_planner::core::pricing::{Origin, PriceBook, SavingsRates};
use fargate_planner::core::rules::Facts;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::sync::atomic::{AtomicU64, Ordering};

fn cases() -> u32 {
    std::env::var("FARGATE_PLANNER_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6_000)
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(super::support::root().join(path)).unwrap()
}

/// One edit of a document: what, where (a fraction of its length), and a byte.
type Edit = (u8, u16, u16, u8);

fn mutate(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut doc = seed.to_vec();
    for &(op, at, len, byte) in edits {
        if doc.is_empty() {
            doc.push(byte);
            continue;
        }
        let i = at as usize * doc.len() / (u16::MAX as usize + 1);
        let n = (len as usize % 64).min(doc.len() - i);
        match op % 6 {
            0 => doc[i] = byte,
            1 => doc.insert(i, byte),
            2 => {
                doc.drain(i..i + n);
            }
            3 => {
                let span: Vec<u8> = doc[i..i + n].to_vec();
                doc.splice(i..i, span);
            }
            4 => doc.truncate(i),
            _ => {
                // A structural character where it hurts most.
                let c = [b'{', b'}', b'[', b']', b'"', b',', b'=', b'\n', b'0', b'-'];
                doc.insert(i, c[byte as usize % c.len()]);
            }
        }
    }
    doc
}

/// Runs `parse` over random bytes and over mutations of each seed; returns the inputs tried.
fn fuzz(name: &str, seeds: &[Vec<u8>], parse: impl Fn(&str)) -> u64 {
    let tried = AtomicU64::new(0);
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let n = seeds.len().max(1);
    let input = prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..512).prop_map(|b| (usize::MAX, b)),
        4 => (0..n, proptest::collection::vec(any::<Edit>(), 1..8))
            .prop_map(|(i, e)| (i, e.into_iter().flat_map(|(a, b, c, d)| [a, (b >> 8) as u8, b as u8, (c >> 8) as u8, c as u8, d]).collect())),
    ];
    let result = runner.run(&input, |(seed, bytes)| {
        let doc = if seed == usize::MAX || seeds.is_empty() {
            bytes
        } else {
            let edits: Vec<Edit> = bytes
                .chunks_exact(6)
                .map(|c| {
                    (
                        c[0],
                        u16::from_be_bytes([c[1], c[2]]),
                        u16::from_be_bytes([c[3], c[4]]),
                        c[5],
                    )
                })
                .collect();
            mutate(&seeds[seed], &edits)
        };
        parse(&String::from_utf8_lossy(&doc));
        tried.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    tried.load(Ordering::Relaxed)
}

#[test]
fn every_parser_survives_arbitrary_and_mutated_input() {
    let facts = Facts::embedded().unwrap();
    let now = chrono::DateTime::<chrono::Utc>::from_timestamp(1_780_000_000, 0).unwrap();
    let mut total = 0;
    let plans = vec![
        fixture("examples/portfolio.toml"),
        fixture("examples/webserver.toml"),
        fixture("tests/fixtures/taskdefs/plan-override.toml"),
    ];
    total += fuzz("plan", &plans, |t| {
        if let Ok(p) = parse(t) {
            let _ = check(&p.raw, &facts, CheckOptions { round_up: true });
        }
    });
    let taskdefs: Vec<Vec<u8>> = [
        "webserver.json",
        "sidecars.json",
        "windows.json",
        "arm.json",
    ]
    .iter()
    .map(|f| fixture(&format!("tests/fixtures/taskdefs/{f}")))
    .collect();
    total += fuzz("task definition", &taskdefs, |t| {
        let _ = taskdef::parse(t, &facts);
    });
    let offers: Vec<Vec<u8>> = [
        "ecs-us-east-1-index.json",
        "ecs-eu-west-1-index.csv",
        "fargate-spot-prices.json",
        "savings-plans-us-east-1.json",
    ]
    .iter()
    .map(|f| fixture(&format!("tests/fixtures/prices/{f}")))
    .collect();
    total += fuzz("price document", &offers, |t| {
        let _ = parse_any("f", t, now);
    });
    total += fuzz("price CSV", &[fixture("data/prices.csv")], |t| {
        let _ = PriceBook::from_csv("f", t, Origin::Embedded);
    });
    total += fuzz("Lambda CSV", &[fixture("data/lambda-prices.csv")], |t| {
        let _ = LambdaPriceBook::from_csv("f", t);
    });
    total += fuzz("EKS CSV", &[fixture("data/eks-prices.csv")], |t| {
        let _ = EksPriceBook::from_csv("f", t, Origin::Embedded);
    });
    total += fuzz(
        "Savings Plans CSV",
        &[fixture("data/savings-plans.csv")],
        |t| {
            let _ = SavingsRates::from_csv("f", t, Origin::Embedded);
        },
    );
    let load = b"minute,value\n0,100\n60,250\n120,80\n".to_vec();
    total += fuzz("load CSV", &[load], |t| {
        let _ = parse_load_csv(t);
    });
    let cache =
        r#"{"version":1,"prices":[],"savings":[],"updated_at":"2026-11-30T00:00:00Z"}"#.to_string();
    total += fuzz("cache file", &[cache.into_bytes()], |t| {
        let _ = fargate_planner::cache::parse(t);
    });
    eprintln!("fuzz: {total} inputs, no panic");
    assert!(total >= 9 * u64::from(cases()));
}
