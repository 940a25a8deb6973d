//! `simulate`: distributions on the example portfolio, repeatable by seed, every format, the
//! timeline file, load files, and located errors for bad settings and arguments.

use super::support::{example, run, run_in};
use std::fs;

fn portfolio() -> String {
    example("portfolio.toml").display().to_string()
}

#[test]
fn portfolio_prints_cost_and_availability_and_repeats_with_the_same_seed() {
    let args = ["simulate", &portfolio(), "--trials", "1000", "--seed", "7"];
    let first = run(&args)
        .success()
        .stdout_has("1000 trials, seed 7")
        .stdout_has("cost per month")
        .stdout_has("availability: healthy ≥ desired")
        .stdout_has("Spot interruptions")
        .stdout_has("P95")
        .stdout_has("static report: $")
        .stdout_has("AWS publishes no rate");
    let second = run(&args).success();
    assert_eq!(first.stdout, second.stdout);
    let other = run(&["simulate", &portfolio(), "--trials", "1000", "--seed", "8"]).success();
    assert_ne!(first.stdout, other.stdout);
}

#[test]
fn fixed_services_match_the_report() {
    // `reports` (Windows, fixed, always on) costs the same per month in both commands.
    let sim = run(&[
        "simulate",
        &portfolio(),
        "--service",
        "reports",
        "--trials",
        "5",
        "--format",
        "csv",
    ])
    .success();
    let report = run(&["report", &portfolio(), "--format", "csv"]).success();
    let monthly = sim
        .stdout
        .lines()
        .find(|l| l.starts_with("reports,cost per month,"))
        .and_then(|l| l.split(',').nth(3))
        .map(str::to_string)
        .unwrap_or_default();
    let reported = report
        .stdout
        .lines()
        .find(|l| l.starts_with("reports,"))
        .and_then(|l| l.split(',').nth(10))
        .map(str::to_string)
        .unwrap_or_default();
    assert!(
        !monthly.is_empty() && monthly == reported,
        "{monthly} vs {reported}\n{}\n{}",
        sim.stdout,
        report.stdout
    );
}

#[test]
fn every_format_and_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let timeline = dir.path().join("timeline.csv");
    let out = run(&[
        "simulate",
        &portfolio(),
        "--service",
        "api",
        "--trials",
        "20",
        "--horizon",
        "2d",
        "--format",
        "json",
        "--timeline",
        timeline.to_str().unwrap(),
        "--timeline-step",
        "1h",
    ])
    .success();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 4);
    assert_eq!(v["services"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["services"][0]["name"], "api");
    let tl = fs::read_to_string(&timeline).unwrap();
    let lines: Vec<&str> = tl.lines().collect();
    assert!(lines[0].starts_with("time_utc,service,desired,fargate_desired"));
    assert_eq!(lines.len(), 1 + 48);
    run(&[
        "simulate",
        &portfolio(),
        "--trials",
        "5",
        "--format",
        "markdown",
    ])
    .success()
    .stdout_has("| figure | mean | P50 | P95 | P99 |");
}

#[test]
fn a_load_file_is_read_relative_to_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("plan.toml"),
        "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"web\"\ncpu = 512\nmemory = 1024\n[service.autoscaling]\nmin_capacity = 1\nmax_capacity = 5\nmetric = \"requests\"\ntarget_value = 600\n[service.load]\nfile = \"load.csv\"\n[[service.container_definitions]]\nname = \"web\"\nimage = \"x\"\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("load.csv"),
        "minute,rps\n0,10\n60,45\n120,10\n",
    )
    .unwrap();
    run_in(
        dir.path(),
        &["simulate", "plan.toml", "--trials", "3", "--horizon", "1d"],
        &[],
    )
    .success()
    .stdout_has("autoscaling 1–5 on requests at 600");
    fs::write(dir.path().join("load.csv"), "minute,rps\n0,10\n60,lots\n").unwrap();
    run_in(dir.path(), &["simulate", "plan.toml", "--trials", "3"], &[])
        .code(2)
        .stderr_has("load.csv: line 3: `lots` is not a load");
}

#[test]
fn bad_settings_are_located() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("plan.toml"),
        "[plan]\nregion = \"us-east-1\"\nspot = { interruption_rate = -1 }\n[[service]]\nname = \"web\"\ncpu = 512\nmemory = 1024\n[service.autoscaling]\nmin_capacity = 5\nmax_capacity = 2\nmetric = \"cpuu\"\ntarget_value = 60\n[service.load]\nprofile = \"diurnal_web\"\npeak = 100\n[[service.container_definitions]]\nname = \"web\"\nimage = \"x\"\n",
    )
    .unwrap();
    run_in(dir.path(), &["simulate", "plan.toml"], &[])
        .code(2)
        .stderr_has("plan.toml:3")
        .stderr_has("`plan.spot.interruption_rate` = -1")
        .stderr_has("`service[0].autoscaling.max_capacity` = 2")
        .stderr_has("did you mean `cpu`?");
}

#[test]
fn bad_arguments_exit_2() {
    run(&["simulate", &portfolio(), "--horizon", "12h"])
        .code(2)
        .stderr_has("--horizon");
    run(&["simulate", &portfolio(), "--trials", "0"])
        .code(2)
        .stderr_has("--trials");
    run(&["simulate", &portfolio(), "--start", "tomorrow"])
        .code(2)
        .stderr_has("YYYY-MM-DD");
    run(&["simulate", &portfolio(), "--service", "apii"])
        .code(2)
        .stderr_has("did you mean `api`?");
}

/// The keys docs/report-json.md lists for `simulate --format json`, read from the document.
#[test]
fn simulate_json_has_the_documented_shape() {
    let doc = std::fs::read_to_string(super::support::root().join("docs/report-json.md")).unwrap();
    let section = &doc[doc.find("## `simulate --format json`").unwrap()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    assert!(section.contains("`\"schema_version\": 4`"));
    let out = super::support::run(&[
        "simulate",
        "examples/portfolio.toml",
        "--trials",
        "5",
        "-f",
        "json",
    ])
    .success()
    .stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let documented =
        |k: &str| section.contains(&format!("`{k}`")) || section.contains(&format!("`{k}[]`"));
    for (what, value) in [
        ("top level", &v),
        ("services[]", &v["services"][0]),
        ("assumptions", &v["services"][0]["assumptions"]),
        ("a distribution", &v["total_monthly"]),
    ] {
        for k in value.as_object().unwrap().keys() {
            assert!(
                documented(k),
                "{what} key `{k}` is not in docs/report-json.md"
            );
        }
    }
}

#[test]
fn the_startup_is_derived_from_the_health_checks_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let plan = |availability: &str| {
        format!(
            "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"web\"\ncpu = 512\nmemory = 1024\navailability = {{ {availability} }}\n[[service.container_definitions]]\nname = \"web\"\nimage = \"x\"\nhealth_check = {{ command = [\"CMD\", \"true\"], interval = 20, start_period = 60 }}\n"
        )
    };
    // 45 s pull + the first container check at 20 s + one target-group check at 15 s.
    fs::write(
        dir.path().join("plan.toml"),
        plan("image_pull = \"45s\", lb_health_check_interval = \"15s\""),
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &["simulate", "plan.toml", "--trials", "2", "-f", "json"],
        &[],
    )
    .success()
    .stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a = &v["services"][0]["assumptions"];
    assert_eq!(a["startup_s"], 80);
    assert_eq!(a["image_pull_s"], 45);
    assert!(
        a["startup_derivation"]
            .as_str()
            .unwrap()
            .ends_with("= 80 s")
    );
    // A written startup wins, and the text says so.
    fs::write(
        dir.path().join("plan.toml"),
        plan("startup = \"90s\", image_pull = 45"),
    )
    .unwrap();
    run_in(dir.path(), &["simulate", "plan.toml", "--trials", "2"], &[])
        .success()
        .stdout_has("task startup: 90 s as written (startup)");
    fs::write(
        dir.path().join("plan.toml"),
        plan("minimum_healthy_percent = 120"),
    )
    .unwrap();
    run_in(dir.path(), &["simulate", "plan.toml"], &[])
        .code(2)
        .stderr_has("`service[0].availability.minimum_healthy_percent` = 120");
}

/// The engine against an independent, vectorised numpy version of the same Monte Carlo
/// (`scripts/simulate_numpy.py`): on the bench plan and on a plan that reaches every branch
/// (reclaims, no room above the desired count, long outages with back-off), every headline mean
/// agrees within 4 standard errors. The script exits non-zero otherwise; it was seen to fail
/// when its own model was changed by a few seconds of startup or stop timeout.
#[test]
fn simulate_agrees_with_the_numpy_version() {
    let python = std::env::var("FARGATE_PLANNER_TEST_PYTHON").unwrap_or_else(|_| {
        panic!("FARGATE_PLANNER_TEST_PYTHON is not set: run the tests with `bash scripts/test.sh`, which installs numpy")
    });
    let root = super::support::root();
    let out = std::process::Command::new(python)
        .arg(root.join("scripts/simulate_numpy.py"))
        .args(["--check", "--trials", "1000", "--days", "365", "--bin"])
        .arg(env!("CARGO_BIN_EXE_fargate-planner"))
        .current_dir(&root)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("agreement: all means within 4 standard errors"),
        "{text}"
    );
    assert!(
        text.contains("stress:") && text.contains("bench:"),
        "{text}"
    );
}
