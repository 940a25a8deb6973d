//! `report`: the reference figures, every format, and totals that agree across formats.

use super::support::{example, root, run, run_in};

fn report(plan: &str, format: &str) -> String {
    let path = example(plan);
    run(&["report", path.to_str().unwrap(), "--format", format])
        .success()
        .stdout
}

#[test]
fn webserver_costs_the_reference_figures_with_sources() {
    let out = run(&["report", "examples/webserver.toml"]).success().stdout;
    assert!(out.contains("$0.024685") && out.contains("$18.02"), "{out}");
    assert!(out.contains("$0.01975") && out.contains("$14.42"), "{out}");
    assert!(
        out.contains("2026-09-11") && out.contains("AmazonECS offer"),
        "{out}"
    );
    assert!(out.contains("x86 Spot") && out.contains("$5.74"), "{out}");
}

#[test]
fn portfolio_totals_agree_across_formats() {
    let json: serde_json::Value = serde_json::from_str(&report("portfolio.toml", "json")).unwrap();
    assert_eq!(json["schema_version"], 2);
    let exact: rust_decimal::Decimal = json["totals"]["plan_monthly"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let cents = exact
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .to_string();
    assert_eq!(cents, "483.76");

    let csv = report("portfolio.toml", "csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = headers
        .iter()
        .position(|h| h == "plan_monthly_usd")
        .unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let total = rows.iter().find(|r| &r[0] == "TOTAL").unwrap();
    assert_eq!(&total[col], cents);

    let md = report("portfolio.toml", "markdown");
    assert!(
        md.contains(&format!("| **total** | | **${cents}** |")),
        "{md}"
    );
    assert!(md.contains("|---|---|---:|"), "{md}");

    let table = report("portfolio.toml", "table");
    assert!(table.contains(&format!("${cents}")), "{table}");
}

#[test]
fn output_file_is_written_and_dash_is_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    let plan = example("webserver.toml");
    run(&[
        "report",
        plan.to_str().unwrap(),
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
    ])
    .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\"schema_version\": 2"));
    run(&["report", plan.to_str().unwrap(), "-o", "-"])
        .success()
        .stdout_has("$18.02");
    let missing = dir.path().join("no/such/dir/r.json");
    run(&[
        "report",
        plan.to_str().unwrap(),
        "--output",
        missing.to_str().unwrap(),
    ])
    .code(1)
    .stderr_has("does not exist");
}

#[test]
fn round_up_shows_what_rounding_costs() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.toml");
    std::fs::write(&plan, "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"a\"\ncpu = 256\nmemory = 4096\n[[service.container_definitions]]\nname = \"a\"\nimage = \"x\"\n").unwrap();
    run(&["report", plan.to_str().unwrap()])
        .code(2)
        .stderr_has("512, 1024, 2048");
    // 0.25 vCPU / 4 GB → 0.5 vCPU / 4 GB costs 0.25 × 0.04048 × 730 = $7.3876 more.
    run(&["report", plan.to_str().unwrap(), "--round-up"]).success().stdout_has("rounded up from 0.25 vCPU / 4 GB to 0.5 vCPU / 4 GB (--round-up): $7.39 per month more");
}

#[test]
fn a_missing_price_is_an_error_naming_region_and_dimension() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.toml");
    // ca-west-1 has on-demand prices but no Spot price in the embedded book.
    std::fs::write(&plan, "[[service]]\nname = \"a\"\nregion = \"ca-west-1\"\ncpu = 256\nmemory = 512\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }]\n[[service.container_definitions]]\nname = \"a\"\nimage = \"x\"\n").unwrap();
    for command in ["report", "validate", "simulate", "recommend", "compare"] {
        run(&[command, plan.to_str().unwrap(), "--prices", "embedded"])
            .code(1)
            .stderr_has("p.toml:3:")
            .stderr_has("no spot_x86_vcpu_hour, spot_x86_gb_hour price for ca-west-1")
            .stderr_has("`fargate-planner prices fetch --region ca-west-1`");
    }
    // Without Spot the same service is priced.
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace("FARGATE_SPOT", "FARGATE");
    std::fs::write(&plan, text).unwrap();
    run(&["report", plan.to_str().unwrap(), "--prices", "embedded"]).success();
    let _ = root();
}

#[test]
fn windows_where_aws_sells_none_is_a_plan_problem() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.toml");
    std::fs::write(&plan, "[[service]]\nname = \"a\"\nregion = \"ap-east-2\"\ncpu = 1024\nmemory = 2048\nruntime_platform = { operating_system_family = \"WINDOWS_SERVER_2022_CORE\" }\n[[service.container_definitions]]\nname = \"a\"\nimage = \"x\"\n").unwrap();
    run(&["validate", plan.to_str().unwrap()])
        .code(2)
        .stderr_has("AWS sells no Windows tasks on Fargate in ap-east-2");
}

#[test]
fn compare_to_shows_the_change_per_service_and_in_total() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.toml");
    let text = std::fs::read_to_string(example("portfolio.toml"))
        .unwrap()
        .replace("desired_count = 6", "desired_count = 8");
    std::fs::write(&new, text).unwrap();
    let old = example("portfolio.toml");
    // Two more api tasks: 1 more on FARGATE and 1 more on FARGATE_SPOT (base 2, weights 1:3 → 3+3 → 3.5+4.5 → 4+4).
    run(&[
        "report",
        new.to_str().unwrap(),
        "--compare-to",
        old.to_str().unwrap(),
        "--format",
        "markdown",
    ])
    .success()
    .stdout_has("### Fargate cost change: +$47.52 per month")
    .stdout_has("| api | $142.55 | $190.06 | +$47.52 (+33.3%) | tasks 6 → 8 |")
    .stdout_has("| **total** | **$483.76** | **$531.28** | **+$47.52** | |");
    run(&[
        "report",
        new.to_str().unwrap(),
        "--compare-to",
        old.to_str().unwrap(),
        "--format",
        "csv",
    ])
    .code(2);
}

#[test]
fn html_is_one_self_contained_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let plan = example("portfolio.toml");
    run(&[
        "report",
        plan.to_str().unwrap(),
        "--format",
        "html",
        "--output",
        out.to_str().unwrap(),
    ])
    .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<svg") && html.contains("$483.76"));
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src=\""));
}

/// `--output json` is the AWS CLI's format flag; here it would write a file named `json`.
#[test]
fn output_is_a_file_and_its_extension_picks_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let plan = example("webserver.toml");
    let plan = plan.to_str().unwrap();
    for command in ["report", "compare", "simulate", "recommend"] {
        super::support::run_in(dir.path(), &[command, plan, "--output", "json"], &[])
            .code(2)
            .stderr_has("did you mean `--format json`?");
    }
    assert!(!dir.path().join("json").exists());
    let run_here = |args: &[&str]| super::support::run_in(dir.path(), args, &[]);
    run_here(&["report", plan, "-o", "r.json"]).success();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 2);
    run_here(&["report", plan, "-o", "r.md"]).success();
    assert!(
        std::fs::read_to_string(dir.path().join("r.md"))
            .unwrap()
            .contains("| ")
    );
    // --format wins, with a warning, when the extension says otherwise.
    run_here(&["report", plan, "-o", "r.json", "--format", "csv"])
        .success()
        .stderr_has("warning: --format csv wins over the `.json` extension");
    assert!(
        std::fs::read_to_string(dir.path().join("r.json"))
            .unwrap()
            .starts_with("service,")
    );
    // An extension naming a format the command lacks is refused.
    run_here(&["recommend", plan, "-o", "r.csv"])
        .code(2)
        .stderr_has("formats: table, json, markdown");
}

/// `report -` reads the plan from standard input; `--quiet` drops warnings, not errors.
#[test]
fn a_plan_from_stdin_and_quiet_warnings() {
    let text = std::fs::read_to_string(example("webserver.toml")).unwrap();
    let out = assert_cmd::Command::cargo_bin("fargate-planner")
        .unwrap()
        .args(["report", "-", "--prices", "embedded"])
        .env(
            "FARGATE_PLANNER_CACHE_DIR",
            std::env::temp_dir().join("fp-stdin-test"),
        )
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("$18.02"));
    let autoscaled = text.replace(
        "\n[[service.container_definitions]]",
        "\n[service.autoscaling]\nmin_capacity = 1\nmax_capacity = 4\nmetric = \"cpu\"\ntarget_value = 60\n\n[[service.container_definitions]]",
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.toml"), autoscaled).unwrap();
    let loud = super::support::run_in(dir.path(), &["validate", "p.toml"], &[]).success();
    assert!(loud.stderr.contains("warning:"), "{}", loud.stderr);
    let quiet =
        super::support::run_in(dir.path(), &["validate", "p.toml", "--quiet"], &[]).success();
    assert_eq!(quiet.stderr, "");
    super::support::run_in(dir.path(), &["validate", "nope.toml", "-q"], &[])
        .code(2)
        .stderr_has("cannot read plan");
}

/// Issue 17 item 8: at `COLUMNS=100` every line of the terminal output of `report`, `recommend`,
/// `compare` and `prices show` (tables, headings, notes and the numbered source lists under the
/// tables) is at most 100 characters; without `COLUMNS` and a terminal, tables are not wrapped.
#[test]
fn report_recommend_compare_and_prices_show_fit_columns_100() {
    let commands: &[&[&str]] = &[
        &["report", "examples/portfolio.toml"],
        &["report", "examples/webserver.toml"],
        &["recommend", "examples/portfolio.toml", "--trials", "50"],
        &["recommend", "examples/webserver.toml", "--trials", "50"],
        &["compare", "examples/portfolio.toml"],
        &["compare", "examples/webserver.toml"],
        &["prices", "show"],
    ];
    for args in commands {
        let fitted = run_in(&root(), args, &[("COLUMNS", "100")])
            .success()
            .stdout;
        let wide: Vec<String> = fitted
            .lines()
            .filter(|l| l.chars().count() > 100)
            .map(|l| format!("{} chars: {l}", l.chars().count()))
            .collect();
        assert!(
            wide.is_empty(),
            "{args:?} at COLUMNS=100:\n{}",
            wide.join("\n")
        );
        assert!(fitted.contains('┌'), "{args:?} drew no table");
        // No terminal, no COLUMNS: the same figures, tables unwrapped (some line is wider).
        let plain = run(args).success().stdout;
        assert!(
            plain.lines().any(|l| l.chars().count() > 100),
            "{args:?} without COLUMNS was wrapped"
        );
    }
    // Money keeps its thousands separators in the table; JSON keeps plain decimals.
    let text = run(&["report", "examples/portfolio.toml"]).success().stdout;
    assert!(text.contains("$5,805.16"), "{text}");
    let json = report("portfolio.toml", "json");
    assert!(
        json.contains("\"5805.16") && !json.contains("5,805"),
        "{json}"
    );
}
