//! `export budget`: a spreadsheet-ready CSV whose total equals the report's yearly total.

use super::support::run;
use rust_decimal::Decimal;

fn cost_sum(csv_text: &str) -> (usize, Decimal, Vec<String>) {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = r.headers().unwrap().clone();
    let cost = headers.iter().position(|h| h == "cost_usd").unwrap();
    let month = headers.iter().position(|h| h == "month").unwrap();
    let mut months = Vec::new();
    let mut sum = Decimal::ZERO;
    let mut n = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        assert_eq!(rec.len(), headers.len());
        sum += rec[cost].parse::<Decimal>().unwrap();
        if !months.contains(&rec[month].to_string()) {
            months.push(rec[month].to_string());
        }
        n += 1;
    }
    (n, sum, months)
}

fn cents(d: Decimal) -> String {
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .to_string()
}

#[test]
fn a_year_of_2027_equals_twelve_report_months() {
    let csv_text = run(&[
        "export",
        "budget",
        "examples/portfolio.toml",
        "--months",
        "12",
        "--start",
        "2027-01",
    ])
    .success()
    .stdout;
    let (rows, sum, months) = cost_sum(&csv_text);
    assert_eq!(months.len(), 12);
    assert_eq!(months.first().map(String::as_str), Some("2027-01"));
    assert!(rows > 12 * 4);
    let json: serde_json::Value = serde_json::from_str(
        &run(&["report", "examples/portfolio.toml", "--format", "json"])
            .success()
            .stdout,
    )
    .unwrap();
    let monthly: Decimal = json["totals"]["plan_monthly"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(cents(sum), cents(monthly * Decimal::from(12)));
    assert_eq!(cents(sum), "5805.16");
}

#[test]
fn growth_and_fixed_hours() {
    let flat = run(&[
        "export",
        "budget",
        "examples/webserver.toml",
        "--months",
        "2",
        "--start",
        "2027-02",
        "--hours-per-month",
        "730",
    ])
    .success()
    .stdout;
    let (_, sum, _) = cost_sum(&flat);
    assert_eq!(cents(sum), "36.04");
    let grown = run(&[
        "export",
        "budget",
        "examples/webserver.toml",
        "--months",
        "2",
        "--start",
        "2027-02",
        "--hours-per-month",
        "730",
        "--growth",
        "10%",
    ])
    .success()
    .stdout;
    let (_, sum, _) = cost_sum(&grown);
    // 18.02005 + 18.02005 × 1.1
    assert_eq!(cents(sum), "37.84");
    let calendar = run(&[
        "export",
        "budget",
        "examples/webserver.toml",
        "--months",
        "1",
        "--start",
        "2027-02",
    ])
    .success()
    .stdout;
    assert!(calendar.contains("2027-02,672,"), "{calendar}");
}

#[test]
fn bad_arguments_exit_2() {
    run(&[
        "export",
        "budget",
        "examples/webserver.toml",
        "--growth",
        "lots",
    ])
    .code(2)
    .stderr_has("--growth `lots`");
    run(&[
        "export",
        "budget",
        "examples/webserver.toml",
        "--start",
        "January",
    ])
    .code(2)
    .stderr_has("YYYY-MM");
    run(&[
        "export",
        "budget",
        "examples/webserver.toml",
        "--months",
        "0",
    ])
    .code(2);
}

/// `--growth 3` is the AWS-calculator habit for 3%; read as a fraction it would be 300% a month.
#[test]
fn a_bare_growth_number_is_refused_with_its_reading() {
    for (bare, hint) in [
        (
            "3",
            "did you mean 3%? (a bare 3 would read as 300% a month)",
        ),
        (
            "0.03",
            "did you mean 0.03%? (as a fraction, 0.03 would be 3% a month)",
        ),
    ] {
        run(&[
            "export",
            "budget",
            "examples/webserver.toml",
            "--growth",
            bare,
        ])
        .code(2)
        .stderr_has("needs a % sign")
        .stderr_has(hint);
    }
    // A negative percentage is a value, not a flag; above 100% a month is refused.
    run(&[
        "export",
        "budget",
        "examples/webserver.toml",
        "--growth",
        "-2%",
    ])
    .success();
    run(&[
        "export",
        "budget",
        "examples/webserver.toml",
        "--growth",
        "1000%",
    ])
    .code(2)
    .stderr_has("from -100% (exclusive) to 100%");
}

/// The largest growth over the most months outgrows exact decimals: a located exit 2, no panic.
#[test]
fn a_budget_beyond_exact_decimals_exits_2_not_101() {
    run(&[
        "export",
        "budget",
        "examples/portfolio.toml",
        "--growth",
        "100%",
        "--months",
        "120",
    ])
    .code(2)
    .stderr_has("too large to compute exactly")
    .stderr_has("use a smaller --growth or fewer --months");
}
