//! CloudFormation templates (hand-written YAML, `cdk synth` output of the apps in tests/cdk) and
//! Terraform plan JSON as input to every command that takes a plan.

use super::support::{root, run};
use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> String {
    format!("tests/fixtures/{name}")
}

/// Synthesizes `tests/cdk/apps/APP.js` with the pinned CDK CLI (scripts/test.sh installs it and
/// sets FARGATE_PLANNER_TEST_CDK); the template's path.
fn synth(app: &str, stack: &str) -> (tempfile::TempDir, PathBuf) {
    let cdk = std::env::var("FARGATE_PLANNER_TEST_CDK").unwrap_or_else(|_| {
        panic!("FARGATE_PLANNER_TEST_CDK is not set: run the tests with `bash scripts/test.sh`, which installs the pinned AWS CDK")
    });
    let cdk = PathBuf::from(cdk);
    let bin = cdk.join("node_modules/.bin/cdk");
    assert!(
        bin.exists(),
        "no {}: run `bash scripts/test.sh`",
        bin.display()
    );
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let status = Command::new(&bin)
        .current_dir(&cdk)
        .args(["synth", "--app"])
        .arg(format!("node apps/{app}.js"))
        .arg("-o")
        .arg(out.path())
        .args([
            "--no-notices",
            "--no-version-reporting",
            "--no-lookups",
            "-q",
        ])
        .env("CDK_DISABLE_CLI_TELEMETRY", "true")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    assert!(
        status.status.success(),
        "cdk synth failed\n{}\n{}",
        String::from_utf8_lossy(&status.stdout),
        String::from_utf8_lossy(&status.stderr)
    );
    let template = out.path().join(format!("{stack}.template.json"));
    assert!(
        template.exists(),
        "cdk synth wrote no {}",
        template.display()
    );
    (out, template)
}

#[test]
fn cdk_app_is_read_back_and_costs_what_the_hand_written_plan_costs() {
    let (_dir, template) = synth("shop", "Shop");
    let t = template.to_string_lossy().to_string();
    let from_cdk = run(&["report", &t, "--region", "us-east-1"]).success();
    let plan = run(&["report", "tests/cdk/shop.toml"]).success();
    assert!(from_cdk.stdout.contains("$365.78"), "{}", from_cdk.stdout);
    assert_eq!(from_cdk.stdout, plan.stdout);
    // JSON too: every figure, to the cent.
    let json = |args: &[&str]| -> serde_json::Value {
        let out = run(args).success().stdout;
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    };
    let a = json(&["report", &t, "--region", "us-east-1", "--format", "json"]);
    let b = json(&["report", "tests/cdk/shop.toml", "--format", "json"]);
    assert_eq!(a["services"], b["services"]);
    assert_eq!(a["totals"], b["totals"]);
    // Where each service came from (schema 2).
    assert_eq!(a["schema_version"], 2);
    assert_eq!(a["inputs"][0]["kind"], "cloudformation");
    assert_eq!(a["inputs"][0]["services"][1]["name"], "web");
    // The logical id `cdk synth` gives the service (a hash after the construct path).
    let source = a["inputs"][0]["services"][1]["source"]
        .as_str()
        .unwrap_or_default();
    assert!(source.starts_with("WebService"), "{source}");
    assert_eq!(b["inputs"][0]["kind"], "plan");
    assert_eq!(b["inputs"][0]["services"][1]["source"], "service[1]");
    // Read back with exactly the app's values.
    let imported = run(&["import", "cfn", &t, "--region", "us-east-1"])
        .success()
        .stdout;
    let plan: toml::Value = toml::from_str(&imported).unwrap_or_else(|e| panic!("{e}"));
    let services = plan["service"].as_array().cloned().unwrap_or_default();
    let web = services
        .iter()
        .find(|s| s["name"].as_str() == Some("web"))
        .unwrap_or_else(|| panic!("no web in {imported}"));
    assert_eq!(web["cpu"].as_str(), Some("2048"));
    assert_eq!(web["memory"].as_str(), Some("4096"));
    assert_eq!(web["desired_count"].as_integer(), Some(6));
    assert_eq!(
        web["ephemeral_storage"]["size_in_gib"].as_integer(),
        Some(40)
    );
    assert_eq!(
        web["runtime_platform"]["cpu_architecture"].as_str(),
        Some("ARM64")
    );
    let strategy = web["capacity_provider_strategy"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(strategy.len(), 2, "{imported}");
    assert_eq!(strategy[0]["capacity_provider"].as_str(), Some("FARGATE"));
    assert_eq!(strategy[0]["base"].as_integer(), Some(1));
    assert_eq!(strategy[0]["weight"].as_integer(), Some(1));
    assert_eq!(
        strategy[1]["capacity_provider"].as_str(),
        Some("FARGATE_SPOT")
    );
    assert_eq!(strategy[1]["weight"].as_integer(), Some(4));
    assert_eq!(web["autoscaling"]["min_capacity"].as_integer(), Some(3));
    assert_eq!(web["autoscaling"]["max_capacity"].as_integer(), Some(20));
    assert_eq!(web["autoscaling"]["metric"].as_str(), Some("cpu"));
    assert!(
        web["container_definitions"][0]["health_check"]["command"].is_array(),
        "{imported}"
    );
    let legacy = services
        .iter()
        .find(|s| s["name"].as_str() == Some("legacy"))
        .unwrap_or_else(|| panic!("no legacy in {imported}"));
    assert_eq!(
        legacy["runtime_platform"]["operating_system_family"].as_str(),
        Some("WINDOWS_SERVER_2022_CORE")
    );
    let worker = services
        .iter()
        .find(|s| s["name"].as_str() == Some("worker"))
        .unwrap_or_else(|| panic!("no worker in {imported}"));
    assert_eq!(
        worker["capacity_provider_strategy"][0]["capacity_provider"].as_str(),
        Some("FARGATE_SPOT")
    );
    assert!(imported.contains(&format!("web <- {source}")), "{imported}");
}

#[test]
fn yaml_short_tags_and_parameters() {
    let yaml = fixture("cfn/shop.yaml");
    run(&["report", &yaml, "--region", "us-east-1"])
        .success()
        .stdout_has("6 tasks")
        .stdout_has("$198.51");
    run(&[
        "report",
        &yaml,
        "--region",
        "us-east-1",
        "--parameter",
        "WebCount=2",
    ])
    .success()
    .stdout_has("2 tasks");
    run(&[
        "report",
        &yaml,
        "--region",
        "us-east-1",
        "--parameter",
        "WebCnt=2",
    ])
    .code(2)
    .stderr_has("`Parameters.WebCnt`")
    .stderr_has("did you mean `WebCount`?");
    run(&[
        "report",
        &yaml,
        "--region",
        "us-east-1",
        "--parameter",
        "WebCount",
    ])
    .code(2)
    .stderr_has("expected KEY=VALUE");
    // The region: AWS_REGION when there is no --region.
    super::support::run_in(
        &root(),
        &["validate", &yaml],
        &[("AWS_REGION", "eu-west-1")],
    )
    .success()
    .stderr_has("region eu-west-1 from AWS_REGION");
}

#[test]
fn an_imported_desired_count_is_a_located_problem() {
    for cmd in ["report", "validate", "simulate", "recommend", "compare"] {
        run(&[
            cmd,
            &fixture("cfn/import-count.yaml"),
            "--region",
            "us-east-1",
        ])
        .code(2)
        .stderr_has("`Resources.Web.Properties.DesiredCount`")
        .stderr_has("Fn::ImportValue web-count");
    }
    run(&[
        "export",
        "budget",
        &fixture("cfn/import-count.yaml"),
        "--region",
        "us-east-1",
    ])
    .code(2)
    .stderr_has("`Resources.Web.Properties.DesiredCount`");
}

#[test]
fn rule_problems_name_the_logical_id_and_property() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(root().join(fixture("cfn/shop.yaml")))
        .unwrap_or_else(|e| panic!("{e}"))
        .replace("Memory: \"4096\"", "Memory: \"1024\"");
    let path = dir.path().join("bad.yaml");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    run(&["validate", &path.to_string_lossy(), "--region", "us-east-1"])
        .code(2)
        .stderr_has("`Resources.WebTaskDef.Properties.Memory`");
}

#[test]
fn input_format_overrides_the_guess_and_overlay_adds_sections() {
    // Read as a task definition, the template is not one.
    run(&[
        "validate",
        &fixture("cfn/shop.yaml"),
        "--region",
        "us-east-1",
        "--input-format",
        "taskdef",
    ])
    .code(2);
    let out = run(&[
        "import",
        "cfn",
        &fixture("cfn/shop.yaml"),
        "--region",
        "us-east-1",
        "--overlay",
        &fixture("cfn/overlay.toml"),
    ])
    .success()
    .stdout;
    assert!(out.contains("[service.load]"), "{out}");
    // A role ARN known only at deploy time is left out, not written as a placeholder.
    assert!(!out.contains("execution_role_arn"), "{out}");
    run(&[
        "report",
        &fixture("cfn/shop.yaml"),
        "--region",
        "us-east-1",
        "--overlay",
        &fixture("cfn/overlay-unknown.toml"),
    ])
    .code(2)
    .stderr_has("overlay service `nope` matches no service");
}

#[test]
fn terraform_plan_is_priced_with_modules_and_its_provider_region() {
    let plan = fixture("terraform/api-arm-spot.json");
    run(&["report", &plan])
        .success()
        .stderr_has("region eu-west-1 from the Terraform provider `aws`")
        .stdout_has("api — 1 vCPU / 2 GB, LINUX/ARM64, eu-west-1, 4 tasks")
        .stdout_has("strategy: FARGATE base 1 weight 1, FARGATE_SPOT weight 3")
        .stdout_has("worker — 0.5 vCPU / 1 GB");
    for cmd in ["validate", "simulate", "compare"] {
        run(&[cmd, &plan]).success();
    }
    let json: serde_json::Value =
        serde_json::from_str(&run(&["report", &plan, "--format", "json"]).success().stdout)
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["inputs"][0]["kind"], "terraform");
    assert_eq!(
        json["inputs"][0]["services"][1]["source"],
        "module.worker.aws_ecs_service.this"
    );
    let imported = run(&["import", "terraform", &plan]).success().stdout;
    assert!(
        imported.contains("worker <- module.worker.aws_ecs_service.this"),
        "{imported}"
    );
    assert!(imported.contains("max_capacity = 12"), "{imported}");
}

#[test]
fn terraform_diff_shows_created_changed_and_destroyed() {
    let out = run(&["report", &fixture("terraform/api-arm-spot.json"), "--diff"])
        .success()
        .stdout;
    assert!(out.contains("$81.09") && out.contains("$80.56"), "{out}");
    for needle in [
        "tasks 2 → 4",
        "architecture X86_64 → ARM64",
        "added",
        "removed",
        "-$0.53",
    ] {
        assert!(out.contains(needle), "{needle}: {out}");
    }
    // Markdown: the summary line first, the table, the details collapsed.
    let md = run(&[
        "report",
        &fixture("terraform/api-arm-spot.json"),
        "--diff",
        "--format",
        "markdown",
    ])
    .success()
    .stdout;
    assert!(md.starts_with("### Fargate cost change: -$0.53"), "{md}");
    assert!(
        md.contains("<details>") && md.contains("</details>"),
        "{md}"
    );
    // Templates and Terraform plans are deployed by their own tools.
    run(&["deploy", &fixture("terraform/api-arm-spot.json")])
        .code(2)
        .stderr_has("terraform apply");
    run(&["deploy", &fixture("cfn/shop.yaml")])
        .code(2)
        .stderr_has("cdk deploy");
    // --diff is for Terraform plans.
    run(&["report", "tests/cdk/shop.toml", "--diff"])
        .code(2)
        .stderr_has("use --compare-to OLD");
}

#[test]
fn cost_gates_exit_3_after_the_report() {
    let up = fixture("terraform/api-and-worker.json");
    let down = fixture("terraform/api-arm-spot.json");
    // +11.8 %: above 10 %, the report still prints.
    run(&["report", &up, "--diff", "--fail-on-increase", "10%"])
        .code(3)
        .stdout_has("$72.08")
        .stderr_has("cost gate: the monthly cost rises by $8.48");
    run(&["report", &up, "--diff", "--fail-on-increase", "12%"]).success();
    run(&["report", &up, "--diff", "--fail-on-increase", "8USD"]).code(3);
    run(&["report", &up, "--diff", "--fail-on-increase", "9USD"]).success();
    run(&["report", &down, "--diff", "--fail-on-increase", "10%"]).success();
    run(&["report", &up, "--diff", "--fail-on-increase", "10"])
        .code(2)
        .stderr_has("ambiguous");
    run(&["report", &up, "--fail-on-increase", "10%"])
        .code(2)
        .stderr_has("needs something to compare with");
    run(&["report", &up, "--fail-above", "80"])
        .code(3)
        .stderr_has("above --fail-above $80.00");
    run(&["report", &up, "--fail-above", "81"]).success();
    // With --compare-to: the hand-written plan against the CDK-equivalent YAML.
    run(&[
        "report",
        &fixture("cfn/shop.yaml"),
        "--region",
        "us-east-1",
        "--compare-to",
        &fixture("cfn/shop.yaml"),
        "--fail-on-increase",
        "0%",
    ])
    .success();
    // Values unknown until apply never pass a gate: bad input, listed.
    run(&[
        "report",
        &fixture("terraform/unknown-count.json"),
        "--diff",
        "--fail-on-increase",
        "10%",
    ])
    .code(2)
    .stderr_has("`aws_ecs_service.api.desired_count`")
    .stderr_has("known only after apply");
}

/// Lints a CloudFormation fragment with the pinned cfn-lint (scripts/test.sh installs it).
fn cfn_lint(text: &str) {
    let bin = std::env::var("FARGATE_PLANNER_TEST_CFN_LINT").unwrap_or_else(|_| {
        panic!("FARGATE_PLANNER_TEST_CFN_LINT is not set: run the tests with `bash scripts/test.sh`, which installs cfn-lint")
    });
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("changes.yaml");
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(&bin)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"));
    assert!(
        out.status.success(),
        "cfn-lint rejects\n{text}\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn recommend_on_a_template_prints_lint_clean_changes_by_logical_id() {
    let yaml = fixture("cfn/shop.yaml");
    let args = ["--region", "us-east-1", "--trials", "20", "--horizon", "7d"];
    let out = run(&[&["recommend", yaml.as_str()][..], &args[..]].concat())
        .success()
        .stdout;
    let start = out
        .find("# The template properties to change")
        .unwrap_or_else(|| panic!("no template changes in\n{out}"));
    let changes = &out[start..];
    assert!(
        changes.contains("\n  Web:\n    Type: AWS::ECS::Service"),
        "{changes}"
    );
    assert!(
        changes.contains("\n  WebTaskDef:\n    Type: AWS::ECS::TaskDefinition"),
        "{changes}"
    );
    cfn_lint(changes);
    // Markdown: the same fragment in a yaml fence.
    let md = run(&[
        &["recommend", yaml.as_str(), "--format", "markdown"][..],
        &args[..],
    ]
    .concat())
    .success()
    .stdout;
    let fenced = md
        .split("```yaml\n# The template properties")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or_else(|| panic!("no fenced changes in\n{md}"));
    cfn_lint(&format!("# The template properties{fenced}"));
    // The template is never rewritten.
    run(&[&["recommend", yaml.as_str(), "--write"][..], &args[..]].concat())
        .code(2)
        .stderr_has("a CloudFormation template is not rewritten");
    // The CDK app's template too: every service with a change is named by its logical id.
    let (_dir, template) = synth("shop", "Shop");
    let t = template.to_string_lossy().to_string();
    let out = run(&[&["recommend", t.as_str()][..], &args[..]].concat())
        .success()
        .stdout;
    let start = out
        .find("# The template properties to change")
        .unwrap_or_else(|| panic!("no template changes in\n{out}"));
    assert!(
        out[start..].contains("Type: AWS::ECS::TaskDefinition"),
        "{out}"
    );
    cfn_lint(&out[start..]);
}
