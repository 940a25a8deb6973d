//! `validate`: each kind of bad input exits 2 with the file, line, field and a fix.

use super::support::run_in;
use std::path::Path;

fn validate(text: &str) -> super::support::Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.toml"), text).unwrap();
    run_in(dir.path(), &["validate", "plan.toml"], &[])
}

const HEAD: &str = "[plan]\nregion = \"us-east-1\"\n\n[[service]]\nname = \"web\"\n";
const CONTAINER: &str = "\n[[service.container_definitions]]\nname = \"web\"\nimage = \"nginx\"\n";

#[test]
fn the_port_mapping_example_explains_the_load_balancer_fix() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    run_in(root, &["validate", "examples/webserver-port80.toml"], &[])
        .code(2)
        .stderr_has("examples/webserver-port80.toml:17:")
        .stderr_has(
            "`service[0].container_definitions[0].port_mappings[0].host_port` = 80 (service `web`)",
        )
        .stderr_has("host_port must equal container_port (3000)")
        .stderr_has("fix: remove host_port or set it to 3000");
}

#[test]
fn a_quarter_vcpu_with_4_gb_lists_valid_memory() {
    validate(&format!("{HEAD}cpu = 256\nmemory = 4096\n{CONTAINER}"))
        .code(2)
        .stderr_has("plan.toml:7:1: `service[0].memory` = 4096")
        .stderr_has("memory must be one of 512, 1024, 2048")
        .stderr_has("--round-up");
}

#[test]
fn windows_on_spot_is_refused() {
    validate(&format!(
        "{HEAD}cpu = 1024\nmemory = 2048\nruntime_platform = {{ operating_system_family = \"WINDOWS_SERVER_2022_CORE\" }}\ncapacity_provider_strategy = [{{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }}]\n{CONTAINER}"
    ))
    .code(2)
    .stderr_has("plan.toml:9:1")
    .stderr_has("Fargate Spot runs Linux tasks only")
    .stderr_has("fix: use FARGATE only");
}

#[test]
fn two_bases_are_refused() {
    validate(&format!(
        "{HEAD}cpu = 512\nmemory = 1024\ncapacity_provider_strategy = [\n  {{ capacity_provider = \"FARGATE\", base = 1, weight = 1 }},\n  {{ capacity_provider = \"FARGATE_SPOT\", base = 2, weight = 4 }},\n]\n{CONTAINER}"
    ))
    .code(2)
    .stderr_has("plan.toml:10:")
    .stderr_has("only one capacity provider in a strategy may have a base")
    .stderr_has("fix: keep the base on one item");
}

#[test]
fn a_misspelt_field_gets_did_you_mean() {
    validate(&format!("{HEAD}cpu = 512\nmemroy = 1024\n{CONTAINER}"))
        .code(2)
        .stderr_has("plan.toml:7:1: unknown field `memroy`")
        .stderr_has("did you mean `memory`?");
}

#[test]
fn broken_toml_shows_line_and_column() {
    validate("[plan\nregion = \"us-east-1\"\n")
        .code(2)
        .stderr_has("plan.toml:1:");
}

#[test]
fn all_problems_are_reported_at_once() {
    let run = validate(&format!(
        "{HEAD}cpu = 300\nmemory = 1024\nnetwork_mode = \"bridge\"\ndesired_count = -1\n{CONTAINER}"
    ));
    let run = run.code(2).stderr_has("3 problems found");
    assert!(run.stderr.matches("error:").count() == 3, "{}", run.stderr);
}

#[test]
fn a_missing_file_is_bad_input() {
    validate("").code(2).stderr_has("no services");
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), &["validate", "nope.toml"], &[])
        .code(2)
        .stderr_has("cannot read plan `nope.toml`");
}

#[test]
fn a_good_plan_passes() {
    validate(&format!("{HEAD}cpu = 512\nmemory = 1024\n{CONTAINER}"))
        .success()
        .stdout_has("ok, 1 service valid");
}

const ARM_SPOT_IN_OHIO: &str = "[plan]\nregion = \"us-east-2\"\n\n[[service]]\nname = \"web\"\ncpu = 512\nmemory = 1024\nruntime_platform = { cpu_architecture = \"ARM64\" }\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }]\n\n[[service.container_definitions]]\nname = \"web\"\nimage = \"nginx\"\n";

/// The plan checks read the rules only: a plan that breaks a rule gets the same answer (exit 2)
/// whatever the cache holds, since it fails before any price is read.
#[test]
fn a_wrong_plan_gets_the_same_answer_whatever_the_cache_holds() {
    let dir = tempfile::tempdir().unwrap();
    let broken = ARM_SPOT_IN_OHIO.replace("memory = 1024", "memory = 100000");
    std::fs::write(dir.path().join("plan.toml"), broken).unwrap();
    let cache = dir.path().join("cache");
    std::fs::create_dir(&cache).unwrap();
    let cache_var = cache.to_str().unwrap();
    let env = [("FARGATE_PLANNER_CACHE_DIR", cache_var)];
    let clean = run_in(dir.path(), &["validate", "plan.toml"], &env);
    std::fs::write(cache.join("prices.json"), "{ not json").unwrap();
    let corrupt = run_in(dir.path(), &["validate", "plan.toml"], &env);
    assert_eq!(
        (clean.code, &clean.stdout, &clean.stderr),
        (corrupt.code, &corrupt.stdout, &corrupt.stderr)
    );
    clean.code(2).stderr_has("not a valid memory size");
}

/// After the rules, `validate` and every pricing command check that the prices cover the plan:
/// a gap is located like a rule's problem and exits 1 (the plan is right; the tool cannot answer).
#[test]
fn what_the_prices_do_not_cover_is_located_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.toml"), ARM_SPOT_IN_OHIO).unwrap();
    for command in ["validate", "report"] {
        run_in(
            dir.path(),
            &[command, "plan.toml", "--prices", "embedded"],
            &[],
        )
        .code(1)
        .stderr_has(
            "plan.toml:9:1: `service[0].capacity_provider_strategy` = FARGATE_SPOT (service `web`)",
        )
        .stderr_has("the price book has no ARM Spot prices for us-east-2")
        .stderr_has("fix: use X86_64 for the Spot tasks, or FARGATE only")
        .stderr_has("`fargate-planner prices fetch --region us-east-2`");
    }
}

/// 32 vCPU (sold since June 2026): 60, 120 or 244 GB, ARM and Spot included.
#[test]
fn a_32_vcpu_arm_spot_task_validates_and_is_priced() {
    let plan = |memory: &str| {
        format!(
            "[plan]\nregion = \"us-east-1\"\n\n[[service]]\nname = \"big\"\ncpu = \"32 vCPU\"\n\
             memory = \"{memory}\"\n\
             runtime_platform = {{ operating_system_family = \"LINUX\", cpu_architecture = \"ARM64\" }}\n\
             capacity_provider_strategy = [{{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }}]\n\n\
             [[service.container_definitions]]\nname = \"big\"\nimage = \"nginx\"\n"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.toml"), plan("120 GB")).unwrap();
    std::fs::write(dir.path().join("bad.toml"), plan("100 GB")).unwrap();
    run_in(dir.path(), &["validate", "big.toml"], &[]).success();
    // 32 × 0.01030969 + 120 × 0.00113349 = 0.46592888 per hour (us-east-1 ARM Spot), × 730.
    run_in(
        dir.path(),
        &["report", "big.toml", "--prices", "embedded"],
        &[],
    )
    .success()
    .stdout_has("$0.46592888")
    .stdout_has("$340.13");
    run_in(dir.path(), &["validate", "bad.toml"], &[])
        .code(2)
        .stderr_has("memory must be one of 61440, 122880, 249856 (MiB)");
}

/// `[service.autoscaling]` without `[service.load]` cannot be simulated: every pricing command
/// says so, located, and `report` says which figure it used.
#[test]
fn autoscaling_without_a_load_curve_is_a_located_warning() {
    let plan = format!(
        "{HEAD}cpu = \"0.5 vCPU\"\nmemory = \"1 GB\"\ndesired_count = 3\n\n[service.autoscaling]\n\
         min_capacity = 2\nmax_capacity = 10\nmetric = \"cpu\"\ntarget_value = 60\n\n\
         [[service.container_definitions]]\nname = \"web\"\nimage = \"nginx\"\n"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.toml"), &plan).unwrap();
    for command in ["validate", "report", "simulate"] {
        run_in(
            dir.path(),
            &[command, "plan.toml", "--prices", "embedded"],
            &[],
        )
        .success()
        .stderr_has("warning: plan.toml:10:")
        .stderr_has("autoscaling is not simulated without a load curve: priced at desired_count 3")
        .stderr_has("add [service.load]");
    }
    run_in(dir.path(), &["report", "plan.toml"], &[])
        .success()
        .stdout_has("web: priced at desired_count 3; its [service.autoscaling] is not simulated without [service.load].");
    // With a load curve there is nothing to warn about.
    let with_load = plan.replace(
        "\n[[service.container_definitions]]",
        "per_task_capacity = 100\n\n[service.load]\nprofile = \"flat\"\npeak = 50\n\n[[service.container_definitions]]",
    );
    std::fs::write(dir.path().join("plan.toml"), with_load).unwrap();
    let out = run_in(dir.path(), &["validate", "plan.toml"], &[]).success();
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
}

/// Issue 17 trap 2: `cpu = 1` meant 1 vCPU; ECS would read 1 CPU unit. Refused, never rounded up.
#[test]
fn a_bare_cpu_of_one_is_refused_with_the_two_readings() {
    let plan = format!("{HEAD}cpu = 1\nmemory = 2\n{CONTAINER}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.toml"), &plan).unwrap();
    for args in [
        vec!["validate", "plan.toml"],
        vec!["report", "plan.toml", "--round-up"],
    ] {
        run_in(dir.path(), &args, &[])
            .code(2)
            .stderr_has("write `cpu = \"1 vCPU\"` or `cpu = 1024`")
            .stderr_has("did you mean `memory = \"2 GB\"`?");
    }
    let fixed = plan.replace("cpu = 1\nmemory = 2", "cpu = \"1 vCPU\"\nmemory = \"2 GB\"");
    std::fs::write(dir.path().join("plan.toml"), fixed).unwrap();
    // 1 × 0.04048 + 2 × 0.004445 = 0.04937 per hour, $36.04 a month.
    run_in(
        dir.path(),
        &["report", "plan.toml", "--prices", "embedded"],
        &[],
    )
    .success()
    .stdout_has("$36.04");
}
