//! `recommend`: every service of the example portfolio gets an answer with reasons and the
//! frontier; `--write` changes only strategy, size and architecture lines and is idempotent;
//! impossible targets exit 1; bad input exits 2.

use super::support::{example, root, run, run_in};
use std::fs;

#[test]
fn portfolio_gets_a_recommendation_for_every_service() {
    let out = run(&["recommend", "examples/portfolio.toml", "--trials", "200"])
        .success()
        .stdout;
    for name in ["api", "reports", "worker", "web-eu"] {
        assert!(
            out.contains(&format!("\n{name} (")),
            "no section for {name}:\n{out}"
        );
    }
    for needle in [
        // Half the Spot tasks go at each outage: only a FARGATE base of min_healthy holds 99.99%.
        "recommended: ARM64, 1 vCPU / 2 GB, FARGATE base 4 weight 0, FARGATE_SPOT weight 1",
        "all-Spot gives 99.9",
        "below the 99.99% target",
        "base 4 on FARGATE keeps min_healthy (4) through Spot interruptions and outages",
        "the images declare ARM64",
        "Windows: Fargate offers no Spot and no ARM, so FARGATE only",
        // worker and web-eu set no target and no Spot figures: both are said, and with no
        // target their FARGATE tasks stay; all-Spot is a labelled alternative.
        "as available as the plan as written, but the plan sets no target: it stays an alternative",
        "no availability target is stated, so the plan's FARGATE tasks stay (its on-demand floor)",
        "alternative: ARM64, 0.5 vCPU / 2 GB, FARGATE_SPOT weight 1",
        "the Spot figures rest on the planner's default of 0.001 interruptions per task-hour",
        "frontier (cost against availability",
        "\"capacityProviderStrategy\": [",
        "CapacityProviderStrategy:",
        "capacity_provider_strategy {",
        "Savings Plans",
        "a month as written",
        // Two totals, each labelled: the simulated mean and report's static figure.
        "Expected (simulated mean over 30 days, with autoscaling, interruptions and failures)",
        "`report` shows $483.76 for the plan as written (static: desired count × uptime hours)",
        // Every figure traces to its prices: the ARM and Spot rates with their dates and sources.
        "Prices used",
        "linux_arm_vcpu_hour",
        "spot_arm_vcpu_hour",
        "rates: AWSComputeSavingsPlan offer",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    // Repeatable: the same seed gives the same text.
    let again = run(&["recommend", "examples/portfolio.toml", "--trials", "200"]).success();
    assert_eq!(out, again.stdout);
}

#[test]
fn json_and_markdown() {
    let json = run(&[
        "recommend",
        "examples/portfolio.toml",
        "--service",
        "api",
        "--trials",
        "50",
        "--format",
        "json",
    ])
    .success()
    .stdout;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema_version"], 3);
    assert_eq!(v["services"].as_array().map(Vec::len), Some(1));
    let api = &v["services"][0];
    assert_eq!(api["name"], "api");
    assert!(api["frontier"].as_array().is_some_and(|f| f.len() > 1));
    let rec = &api["recommended"];
    assert_eq!(rec["arch"], "ARM64");
    assert!(rec["strategy"]["items"].is_array());
    // Money is an exact decimal string.
    assert!(
        rec["expected_monthly"]
            .as_str()
            .is_some_and(|s| s.contains('.'))
    );
    run(&[
        "recommend",
        "examples/portfolio.toml",
        "--trials",
        "50",
        "--format",
        "markdown",
    ])
    .success()
    .stdout_has("## api (us-east-1, LINUX)")
    .stdout_has("| → | ARM64 |")
    .stdout_has("```hcl");
}

#[test]
fn write_changes_only_strategy_size_and_architecture_lines() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("portfolio.toml");
    let before = fs::read_to_string(example("portfolio.toml")).unwrap();
    fs::write(&plan, &before).unwrap();
    let p = plan.to_str().unwrap();
    // Without a terminal to ask on, --write needs --yes: the diff is shown, nothing is written.
    run_in(
        &root(),
        &["recommend", p, "--trials", "200", "--write"],
        &[],
    )
    .code(2)
    .stderr_has("--- ")
    .stderr_has("pass --yes to write without asking");
    assert_eq!(fs::read_to_string(&plan).unwrap(), before);
    let first = run_in(
        &root(),
        &["recommend", p, "--trials", "200", "--write", "--yes"],
        &[],
    )
    .success()
    .stderr_has("--- ")
    .stderr_has("wrote the recommendation for 1 service");
    let after = fs::read_to_string(&plan).unwrap();
    assert_ne!(before, after);
    // Every line that differs is a strategy, size or architecture line.
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let allowed = |l: &str| {
        let t = l.trim_start();
        t.starts_with("capacity_provider_strategy")
            || t.starts_with("{ capacity_provider")
            || t.starts_with("runtime_platform")
            || t.starts_with("cpu ")
            || t.starts_with("memory ")
    };
    for l in new.iter().filter(|l| !old.contains(l)) {
        assert!(allowed(l), "unexpected new line {l:?}\n{}", first.stderr);
    }
    for l in old.iter().filter(|l| !new.contains(l)) {
        assert!(allowed(l), "unexpected removed line {l:?}");
    }
    // Comments are kept.
    for l in old.iter().filter(|l| l.trim_start().starts_with('#')) {
        assert!(new.contains(l), "comment lost: {l}");
    }
    assert!(after.contains("runtime_platform = { cpu_architecture = \"ARM64\" }"));
    // The written plan is valid, and recommending again changes nothing.
    run(&["validate", p]).success();
    run_in(
        &root(),
        &["recommend", p, "--trials", "200", "--write", "--yes"],
        &[],
    )
    .success()
    .stderr_has("nothing to change");
    assert_eq!(fs::read_to_string(&plan).unwrap(), after);
}

#[test]
fn an_impossible_target_is_infeasible_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("strict.toml");
    fs::write(
        &plan,
        r#"[plan]
name = "strict"
region = "us-east-1"

[[service]]
name = "nightly"
cpu = 256
memory = 512
desired_count = 2
uptime = { windows = [{ days = "mon-fri", start = "09:00", end = "17:00" }] }
availability = { min_healthy = 2, target = "100%", startup = "5m" }

[[service.container_definitions]]
name = "app"
image = "public.ecr.aws/nginx/nginx:1.27"
"#,
    )
    .unwrap();
    let before = fs::read_to_string(&plan).unwrap();
    let out = run(&[
        "recommend",
        plan.to_str().unwrap(),
        "--trials",
        "20",
        "--write",
    ])
    .code(1)
    .stdout_has("INFEASIBLE: no candidate meets the target; best availability 98.")
    .stdout_has("no candidate meets the 100% target")
    .stderr_has("error: no candidate meets the availability target of: nightly");
    assert!(out.stderr.contains("nothing to change"), "{}", out.stderr);
    assert_eq!(fs::read_to_string(&plan).unwrap(), before);
}

#[test]
fn bad_input_is_located_and_exits_2() {
    run(&["recommend", "examples/portfolio.toml", "--trials", "0"])
        .code(2)
        .stderr_has("--trials");
    run(&["recommend", "examples/portfolio.toml", "--service", "apj"])
        .code(2)
        .stderr_has("did you mean `api`?");
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("bad.toml");
    fs::write(
        &plan,
        "[[service]]\nname = \"a\"\nregion = \"us-east-1\"\ncpu = 256\nmemory = 512\nrecommend = { image_architectures = [\"arm\"], peak_cpu = \"150%\" }\n[[service.container_definitions]]\nname = \"a\"\nimage = \"x\"\n",
    )
    .unwrap();
    run(&["recommend", plan.to_str().unwrap()])
        .code(2)
        .stderr_has("service[0].recommend.image_architectures[0]")
        .stderr_has("service[0].recommend.peak_cpu")
        .stderr_has("bad.toml:6:");
}

#[test]
fn write_restates_peak_figures_for_the_new_size_so_a_rerun_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        root().join("tests/fixtures/taskdefs/webserver.json"),
        dir.path().join("webserver.json"),
    )
    .unwrap();
    let plan = dir.path().join("plan.toml");
    fs::write(
        &plan,
        r#"[plan]
name = "td"
region = "us-east-1"

[[service]]
name = "web"
task_definition = "webserver.json"
desired_count = 4
availability = { min_healthy = 2, target = "99.9%" }

[service.recommend]
peak_cpu = "20%"   # CloudWatch maximum, 30 days
peak_memory = "30%"
"#,
    )
    .unwrap();
    let p = plan.to_str().unwrap();
    run(&["recommend", p, "--trials", "50", "--write", "--yes"])
        .success()
        .stdout_has("peak CPU 20% of 0.5 vCPU");
    let after = fs::read_to_string(&plan).unwrap();
    // 0.5 vCPU / 1 GB at 20% / 30% → 0.25 vCPU / 512 MiB, where the same load is 40% / 60%.
    assert!(
        after.contains("cpu = \"0.25 vCPU\"\nmemory = \"512 MiB\""),
        "{after}"
    );
    assert!(
        after.contains("peak_cpu = \"40%\"   # CloudWatch maximum, 30 days"),
        "{after}"
    );
    assert!(after.contains("peak_memory = \"60%\""), "{after}");
    run(&["recommend", p, "--trials", "50", "--write", "--yes"])
        .success()
        .stderr_has("nothing to change");
    assert_eq!(fs::read_to_string(&plan).unwrap(), after);
}

/// The keys docs/report-json.md lists for `recommend --format json`, read from the document.
#[test]
fn recommend_json_has_the_documented_shape() {
    let doc = fs::read_to_string(root().join("docs/report-json.md")).unwrap();
    let section = &doc[doc.find("## `recommend --format json`").unwrap()..];
    assert!(section.contains("`\"schema_version\": 3`"));
    let json = run(&[
        "recommend",
        "examples/portfolio.toml",
        "--trials",
        "20",
        "-f",
        "json",
    ])
    .success()
    .stdout;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema_version"], 3);
    let documented =
        |k: &str| section.contains(&format!("`{k}`")) || section.contains(&format!("`{k}[]`"));
    let worker = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "worker")
        .unwrap();
    for (what, value) in [
        ("top level", &v),
        ("services[]", worker),
        ("candidate", &worker["recommended"]),
        ("spot_alternative", &worker["spot_alternative"]),
        ("savings_plans", &v["savings_plans"]),
        ("prices_used[]", &v["prices_used"][0]),
        ("image_architectures", &worker["image_architectures"]),
    ] {
        for k in value.as_object().unwrap().keys() {
            assert!(
                documented(k),
                "{what} key `{k}` is not in docs/report-json.md"
            );
        }
    }
    assert_eq!(worker["spot_alternative"]["keeps_on_demand_floor"], false);
}

/// EC2 is proposed only for a service whose `[service.recommend] capacity` lists it, only when it
/// costs less, and `--write` never writes it (the plan keeps describing Fargate services).
#[test]
fn ec2_is_proposed_only_when_allowed_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("ec2.toml");
    let text = "[plan]\nregion = \"us-east-1\"\n\n[[service]]\nname = \"big\"\ncpu = \"4 vCPU\"\nmemory = \"30 GB\"\ndesired_count = 3\n\n[service.recommend]\ncapacity = [\"fargate\", \"ec2\"]\n\n[[service.container_definitions]]\nname = \"big\"\nimage = \"x\"\n\n[[service]]\nname = \"small\"\ncpu = 512\nmemory = 1024\n\n[[service.container_definitions]]\nname = \"small\"\nimage = \"x\"\n";
    fs::write(&plan, text).unwrap();
    let p = plan.to_str().unwrap();
    let json = run(&["recommend", p, "--trials", "20", "-f", "json"])
        .success()
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ec2 = v["ec2"].as_array().unwrap();
    assert_eq!(ec2.len(), 1, "{ec2:?}");
    assert_eq!(ec2[0]["service"], "big");
    assert_eq!(ec2[0]["outcome"], "proposed");
    assert_eq!(ec2[0]["instance_type"], "r6i.xlarge");
    assert_eq!(ec2[0]["instances"], 3);
    let doc = fs::read_to_string(root().join("docs/report-json.md")).unwrap();
    let section = &doc[doc.find("## `recommend --format json`").unwrap()..];
    for k in ec2[0].as_object().unwrap().keys() {
        assert!(
            section.contains(&format!("`{k}`")),
            "ec2[] key `{k}` is not documented"
        );
    }
    run(&["recommend", p, "--trials", "20"])
        .success()
        .stdout_has("EC2 container instances (capacity = [\"fargate\", \"ec2\"])")
        .stdout_has("big: EC2 proposed — 3 × r6i.xlarge");
    run(&["recommend", p, "--trials", "20", "--write", "--yes"]).success();
    let after = fs::read_to_string(&plan).unwrap();
    assert!(!after.contains("r6i") && !after.contains("EC2"), "{after}");
    // A bad capacity is located.
    fs::write(&plan, text.replace("\"ec2\"]", "\"lambda\"]")).unwrap();
    run(&["recommend", p, "--trials", "20"])
        .code(2)
        .stderr_has("capacity");
}
