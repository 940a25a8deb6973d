//! Task definition JSON as input: `report FILE.json`, plans that point at one, `import taskdef`.

use super::support::{root, run, run_in};

fn fixture(name: &str) -> String {
    format!("tests/fixtures/taskdefs/{name}")
}

#[test]
fn describe_output_costs_what_the_equivalent_plan_costs() {
    let plan = run(&["report", "examples/webserver.toml"]).success().stdout;
    let out = run(&["report", &fixture("webserver.json")])
        .success()
        .stderr_has("region us-east-1 from `taskDefinition.containerDefinitions[0].logConfiguration.options.awslogs-region`")
        .stdout;
    let stderr = run(&["report", &fixture("webserver.json")])
        .success()
        .stderr;
    // Its ignored fields are all empty (`"volumes": []`...): no note about them.
    assert!(!stderr.contains("ignored"), "{stderr}");
    assert!(out.contains("$18.02") && out.contains("$14.42"), "{out}");
    assert!(
        out.contains("$0.024685") && out.contains("$0.01975"),
        "{out}"
    );
    // Same figures as the plan file, service name and all.
    let figures = |s: &str| {
        s.lines()
            .filter(|l| l.contains('$'))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(figures(&out), figures(&plan));
}

#[test]
fn register_input_shape_with_numbers_and_units() {
    let out = run(&[
        "report",
        &fixture("webserver-register.json"),
        "--region",
        "us-east-1",
        "--desired-count",
        "2",
    ])
    .success()
    .stdout;
    assert!(out.contains("$36.04"), "{out}");
}

#[test]
fn json_report_matches_plan_report_in_json_format() {
    let get = |path: &str| -> serde_json::Value {
        serde_json::from_str(&run(&["report", path, "--format", "json"]).success().stdout).unwrap()
    };
    let a = get("examples/webserver.toml");
    let b = get(&fixture("webserver.json"));
    assert_eq!(a["totals"], b["totals"]);
}

#[test]
fn real_world_shapes_price() {
    run(&["report", &fixture("sidecars.json")])
        .success()
        .stderr_has("region eu-west-1")
        .stderr_has("containerDefinitions[*].dependsOn")
        .stderr_has("proxyConfiguration")
        .stdout_has("checkout-api");
    run(&["report", &fixture("windows.json")])
        .success()
        .stdout_has("legacy-iis");
    run(&["report", &fixture("arm.json")])
        .success()
        .stdout_has("worker-graviton");
    run(&[
        "report",
        &fixture("ephemeral.json"),
        "--region",
        "us-east-1",
    ])
    .success()
    .stdout_has("video-transcoder");
}

#[test]
fn no_region_anywhere_is_bad_input_with_a_fix() {
    run(&["report", &fixture("ephemeral.json")])
        .code(2)
        .stderr_has("no region")
        .stderr_has("--region");
}

#[test]
fn missing_task_cpu_names_file_path_and_fix() {
    run(&[
        "report",
        &fixture("broken-missing-cpu.json"),
        "--region",
        "us-east-1",
    ])
    .code(2)
    .stderr_has("broken-missing-cpu.json: `cpu`")
    .stderr_has("task-level cpu is required on Fargate")
    .stderr_has("the containers ask for 384 CPU units in total");
}

#[test]
fn invalid_pair_names_the_json_path() {
    run(&[
        "report",
        &fixture("broken-invalid-pair.json"),
        "--region",
        "us-east-1",
    ])
    .code(2)
    .stderr_has("broken-invalid-pair.json: `taskDefinition.memory` = 512")
    .stderr_has("fix: with cpu = 512, memory must be one of");
}

#[test]
fn wrong_types_are_all_reported_with_json_paths() {
    run(&[
        "report",
        &fixture("broken-wrong-types.json"),
        "--region",
        "us-east-1",
    ])
    .code(2)
    .stderr_has("`taskDefinition.cpu` = true")
    .stderr_has("`taskDefinition.ephemeralStorage.sizeInGiB` = \"lots\"")
    .stderr_has("`taskDefinition.containerDefinitions[0].essential` = \"yes\"")
    .stderr_has("`taskDefinition.containerDefinitions[0].portMappings[0].hostPort` = \"eighty\"")
    .stderr_has("4 problems found");
}

#[test]
fn host_port_rule_points_into_the_json() {
    run(&[
        "report",
        &fixture("broken-host-port.json"),
        "--region",
        "us-east-1",
    ])
    .code(2)
    .stderr_has("`taskDefinition.containerDefinitions[1].portMappings[0].hostPort` = 80")
    .stderr_has("fix: remove host_port or set it to 3000");
}

#[test]
fn ec2_only_task_definition_is_refused() {
    run(&[
        "report",
        &fixture("broken-ec2.json"),
        "--region",
        "us-east-1",
    ])
    .code(2)
    .stderr_has("`requiresCompatibilities`")
    .stderr_has("add \"FARGATE\" to requiresCompatibilities")
    // The plan rules still run: every problem at once.
    .stderr_has("broken-ec2.json: `networkMode` = \"bridge\"")
    .stderr_has("2 problems found");
}

#[test]
fn not_json_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("td.json"), "{\"family\": ").unwrap();
    run_in(
        dir.path(),
        &["report", "td.json", "--region", "us-east-1"],
        &[],
    )
    .code(2)
    .stderr_has("td.json")
    .stderr_has("not valid JSON");
}

#[test]
fn region_and_count_flags_are_for_json_only() {
    run(&["report", "examples/webserver.toml", "--region", "us-east-1"])
        .code(2)
        .stderr_has("task definition JSON input only");
}

#[test]
fn plan_services_take_task_definitions_and_override_them() {
    let out = run(&["report", &fixture("plan-override.toml")])
        .success()
        .stdout;
    // web: 2 x86 tasks; web-arm: the register input with the plan's ARM64 platform.
    assert!(out.contains("$36.04"), "{out}");
    assert!(out.contains("web-arm"), "{out}");
    run(&["validate", &fixture("plan-override.toml")]).success();
}

#[test]
fn problems_from_a_referenced_task_definition_name_the_json() {
    run(&["report", &fixture("plan-broken.toml")])
        .code(2)
        .stderr_has("broken-host-port.json: `taskDefinition.containerDefinitions[1].portMappings[0].hostPort` = 80");
}

#[test]
fn a_missing_referenced_file_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plan.toml"),
        "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"web\"\ntask_definition = \"nope.json\"\n",
    )
    .unwrap();
    run_in(dir.path(), &["report", "plan.toml"], &[])
        .code(2)
        .stderr_has("nope.json")
        .stderr_has("relative to the plan's folder");
}

#[test]
fn import_writes_a_plan_that_reports_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<String> = [
        "webserver.json",
        "sidecars.json",
        "windows.json",
        "arm.json",
    ]
    .iter()
    .map(|f| root().join(fixture(f)).to_string_lossy().into_owned())
    .collect();
    let mut args = vec!["import", "taskdef"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--region", "us-east-1", "--output", "plan.toml"]);
    run_in(dir.path(), &args, &[]).success();
    let text = std::fs::read_to_string(dir.path().join("plan.toml")).unwrap();
    assert!(
        text.starts_with("# fargate-planner plan imported"),
        "{text}"
    );
    assert!(text.contains("name = \"checkout-api\""), "{text}");
    run_in(dir.path(), &["validate", "plan.toml"], &[]).success();
    let from_plan = run_in(dir.path(), &["report", "plan.toml"], &[])
        .success()
        .stdout;
    assert!(from_plan.contains("$18.02"), "{from_plan}");
    // The webserver alone, imported, prices like the JSON.
    let web = root().join(fixture("webserver.json"));
    let imported = run_in(
        dir.path(),
        &["import", "taskdef", web.to_str().unwrap()],
        &[],
    )
    .success()
    .stdout;
    std::fs::write(dir.path().join("web.toml"), imported).unwrap();
    let a = run_in(dir.path(), &["report", "web.toml"], &[])
        .success()
        .stdout;
    let b = run(&["report", &fixture("webserver.json")])
        .success()
        .stdout;
    assert_eq!(a, b);
}

#[test]
fn import_refuses_a_broken_task_definition() {
    run(&[
        "import",
        "taskdef",
        &fixture("broken-invalid-pair.json"),
        "--region",
        "us-east-1",
    ])
    .code(2)
    .stderr_has("`taskDefinition.memory`");
}

#[test]
fn plan_overrides_point_at_the_plan_and_json_fields_at_the_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join(fixture("broken-host-port.json")),
        dir.path().join("td.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("plan.toml"),
        "[plan]\nregion = \"us-east-1\"\n\n[[service]]\nname = \"web\"\ntask_definition = \"td.json\"\nmemory = 700\n",
    )
    .unwrap();
    run_in(dir.path(), &["validate", "plan.toml"], &[])
        .code(2)
        .stderr_has("plan.toml:7:1: `service[0].memory` = 700")
        .stderr_has(
            "td.json: `taskDefinition.containerDefinitions[1].portMappings[0].hostPort` = 80",
        )
        .stderr_has("2 problems found");
}

/// Every command that reads a plan takes `--region` for task definition JSON, and AWS_REGION /
/// AWS_DEFAULT_REGION are honoured as the AWS CLI does (after `--region`, before the file's
/// awslogs-region).
#[test]
fn region_for_task_definition_json_the_same_way_in_every_command() {
    let file = root().join("tests/fixtures/taskdefs/arm.json");
    let f = file.to_str().unwrap();
    for command in ["validate", "report", "simulate", "compare", "recommend"] {
        let mut args = vec![command, f, "--region", "eu-west-1", "--prices", "embedded"];
        if command == "simulate" || command == "recommend" {
            args.extend(["--trials", "5"]);
        }
        let out = run(&args).success();
        assert!(
            command == "validate" || out.stdout.contains("eu-west-1"),
            "{command}: {}",
            out.stdout
        );
    }
    run_in(&root(), &["report", f], &[("AWS_REGION", "eu-west-1")])
        .success()
        .stdout_has("eu-west-1")
        .stderr_has("note: region eu-west-1 from AWS_REGION (--region overrides)");
    run_in(
        &root(),
        &["report", f],
        &[("AWS_DEFAULT_REGION", "sa-east-1")],
    )
    .success()
    .stdout_has("sa-east-1");
    // A TOML plan states its own region: --region is refused there, in every command alike.
    for command in ["validate", "report", "compare"] {
        run(&[command, "examples/webserver.toml", "--region", "eu-west-1"])
            .code(2)
            .stderr_has("--region and --desired-count apply to task definition JSON input only");
    }
}

/// A bad region is reported against where it came from: the file's awslogs-region option, not
/// `--region` (issue 16).
#[test]
fn a_bad_awslogs_region_is_reported_against_the_file() {
    let text = std::fs::read_to_string(root().join(fixture("webserver.json"))).unwrap();
    let bad = text.replacen("\"us-east-1\"", "\"US East\"", 1);
    assert!(bad != text);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("td.json"), bad).unwrap();
    let out = run_in(dir.path(), &["validate", "td.json"], &[])
        .code(2)
        .stderr_has("td.json: `taskDefinition.containerDefinitions[0].logConfiguration.options.awslogs-region` = \"US East\"");
    assert!(!out.stderr.contains("error: --region"), "{}", out.stderr);
    run_in(
        dir.path(),
        &["validate", "td.json"],
        &[("AWS_REGION", "nowhere")],
    )
    .code(2)
    .stderr_has("error: AWS_REGION = \"nowhere\"");
}
