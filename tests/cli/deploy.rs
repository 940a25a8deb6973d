//! `deploy` against moto in server mode (see `moto.rs`): create from nothing, no changes and no
//! mutating call on a rerun, updates, new revisions, image checks, faults and `--wait`.

use super::moto::{self, Direct, OwnMoto, Proxy};
use super::support::{Run, example, root, run_in};
use std::path::Path;

/// An image on a loopback registry nobody listens on: its check is a quick "could not read"
/// warning, and no test reaches Docker Hub. (The image checks are in `images.rs`.)
const NGINX: &str = "127.0.0.1:9/library/nginx:1.27";
const NGINX_NEXT: &str = "127.0.0.1:9/library/nginx:1.28";

fn deploy_in(dir: &Path, endpoint: &str, args: &[&str]) -> Run {
    let mut all = vec!["deploy"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--endpoint-url", endpoint]);
    let env = moto::env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    run_in(dir, &all, &env)
}

/// A one-service plan with unique names; `extra` goes into the service table, `image` is the
/// container's image.
struct TestPlan {
    dir: tempfile::TempDir,
    pub name: String,
}

impl TestPlan {
    fn new(prefix: &str) -> TestPlan {
        TestPlan {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}")),
            name: moto::unique(prefix),
        }
    }

    fn write(&self, extra: &str, image: &str) -> &Self {
        let n = &self.name;
        let text = format!(
            "[plan]\nname = \"{n}\"\nregion = \"us-east-1\"\n\n[[service]]\nname = \"{n}\"\ncpu = 512\nmemory = 1024\nexecution_role_arn = \"arn:aws:iam::123456789012:role/ecsTaskExecutionRole\"\n{extra}\n[[service.container_definitions]]\nname = \"app\"\nimage = \"{image}\"\nport_mappings = [{{ container_port = 8080 }}]\nlog_configuration = {{ log_driver = \"awslogs\", options = {{ \"awslogs-group\" = \"/ecs/{n}\", \"awslogs-region\" = \"us-east-1\", \"awslogs-stream-prefix\" = \"app\" }} }}\n"
        );
        std::fs::write(self.dir.path().join("plan.toml"), text)
            .unwrap_or_else(|e| panic!("cannot write the plan: {e}"));
        self
    }

    fn deploy(&self, endpoint: &str, args: &[&str]) -> Run {
        let mut all = vec!["plan.toml"];
        all.extend_from_slice(args);
        deploy_in(self.dir.path(), endpoint, &all)
    }
}

fn service(d: &Direct, cluster: &str, name: &str) -> aws_sdk_ecs::types::Service {
    let out =
        d.rt.block_on(
            d.ecs
                .describe_services()
                .cluster(cluster)
                .services(name)
                .send(),
        )
        .unwrap_or_else(|e| panic!("DescribeServices: {e:?}"));
    out.services()
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("no service {name}"))
}

#[test]
fn the_port_mapping_example_is_refused_before_any_aws_call() {
    let proxy = Proxy::new(&moto::url());
    deploy_in(
        &root(),
        &proxy.url,
        &[
            example("webserver-port80.toml").to_str().unwrap(),
            "--apply",
            "--yes",
        ],
    )
    .code(2)
    .stderr_has("host_port must equal container_port (3000)")
    .stderr_has("fix: remove host_port or set it to 3000");
    assert_eq!(
        proxy.operations(),
        Vec::<String>::new(),
        "no AWS call at all"
    );
}

#[test]
fn apply_without_yes_and_without_a_terminal_is_refused() {
    let proxy = Proxy::new(&moto::url());
    let plan = TestPlan::new("noyes");
    plan.write("", NGINX)
        .deploy(&proxy.url, &["--apply"])
        .code(2)
        .stderr_has("refusing to apply without confirmation")
        .stderr_has("--apply --yes");
    assert_eq!(proxy.operations(), Vec::<String>::new());
}

/// The acceptance run on the shipped example: a diff, then everything created, then nothing.
#[test]
fn the_webserver_example_is_created_once_then_left_alone() {
    let proxy = Proxy::new(&moto::url());
    let plan = example("webserver.toml");
    let plan = plan.to_str().unwrap();

    let dry = deploy_in(&root(), &proxy.url, &[plan]).success();
    for needle in [
        "+ cluster \"webserver\"",
        "FARGATE, FARGATE_SPOT",
        "+ log group \"/ecs/web\"",
        "+ task definition \"web\" (first revision)",
        "+ service \"web\"",
        "launch type FARGATE",
        "uses the default VPC vpc-",
        "Plan: 4 to add, 0 to change",
        "This was a dry run",
    ] {
        assert!(
            dry.stdout.contains(needle),
            "dry run lacks {needle:?}\n{}",
            dry.stdout
        );
    }
    assert!(
        dry.stderr.contains("could not read the architecture"),
        "the example's ECR image does not exist in the emulator: a warning, not a guess\n{}",
        dry.stderr
    );
    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "a dry run changes nothing"
    );

    proxy.clear();
    deploy_in(&root(), &proxy.url, &[plan, "--apply", "--yes"])
        .success()
        .stdout_has("Applied 4 changes");
    assert_eq!(
        proxy.mutating(),
        [
            "CreateCluster",
            "CreateLogGroup",
            "RegisterTaskDefinition",
            "CreateService"
        ]
    );
    let sent: Vec<_> = proxy
        .calls()
        .into_iter()
        .filter(|c| c.is_mutating())
        .collect();
    for c in &sent {
        assert!(
            c.body.contains("managed-by") && c.body.contains("fargate-planner"),
            "{} is not tagged: {}",
            c.operation,
            c.body
        );
    }

    let d = Direct::new(&moto::url());
    let cluster =
        d.rt.block_on(d.ecs.describe_clusters().clusters("webserver").send())
            .unwrap();
    let cluster = &cluster.clusters()[0];
    assert_eq!(cluster.capacity_providers(), ["FARGATE", "FARGATE_SPOT"]);
    let s = service(&d, "webserver", "web");
    assert_eq!(s.status(), Some("ACTIVE"));
    assert!(
        s.task_definition()
            .unwrap_or("")
            .ends_with("task-definition/web:1")
    );
    let groups =
        d.rt.block_on(
            d.logs
                .describe_log_groups()
                .log_group_name_prefix("/ecs/web")
                .send(),
        )
        .unwrap();
    assert!(
        groups
            .log_groups()
            .iter()
            .any(|g| g.log_group_name() == Some("/ecs/web"))
    );

    proxy.clear();
    deploy_in(&root(), &proxy.url, &[plan, "--apply", "--yes"])
        .success()
        .stdout_has("No changes. The ECS resources match the plan.");
    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "a rerun calls no mutating API"
    );
    assert!(!proxy.operations().is_empty(), "the rerun did look");
}

/// The strategy in a request body (the SDK leaves out zero bases and weights).
fn sent_strategy(body: &str) -> Vec<(String, i64, i64)> {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    v["capacityProviderStrategy"]
        .as_array()
        .unwrap_or_else(|| panic!("no strategy sent: {body}"))
        .iter()
        .map(|i| {
            (
                i["capacityProvider"].as_str().unwrap_or("").to_string(),
                i["base"].as_i64().unwrap_or(0),
                i["weight"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn changing_the_strategy_and_count_updates_the_service() {
    let proxy = Proxy::new(&moto::url());
    let plan = TestPlan::new("strategy");
    plan.write(
        "desired_count = 1\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE\", weight = 1 }]\n",
        NGINX,
    )
    .deploy(&proxy.url, &["--apply", "--yes"])
    .success();
    // moto drops the strategy on CreateService: check what was sent instead.
    let create = proxy
        .calls()
        .into_iter()
        .find(|c| c.operation == "CreateService")
        .expect("CreateService was sent");
    assert_eq!(sent_strategy(&create.body), [("FARGATE".to_string(), 0, 1)]);
    assert!(!create.body.contains("launchType"), "{}", create.body);

    plan.write(
        "desired_count = 3\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE\", base = 1, weight = 1 }, { capacity_provider = \"FARGATE_SPOT\", weight = 4 }]\n",
        NGINX,
    );
    plan.deploy(&proxy.url, &[])
        .success()
        .stdout_has("~ service")
        .stdout_has("desired_count")
        .stdout_has("1 -> 3")
        .stdout_has("FARGATE base 1 weight 1, FARGATE_SPOT base 0 weight 4");
    proxy.clear();
    plan.deploy(&proxy.url, &["--apply", "--yes"]).success();
    assert_eq!(proxy.mutating(), ["UpdateService"]);
    let update = proxy
        .calls()
        .into_iter()
        .find(|c| c.operation == "UpdateService")
        .expect("UpdateService was sent");
    assert_eq!(
        sent_strategy(&update.body),
        [
            ("FARGATE".to_string(), 1, 1),
            ("FARGATE_SPOT".to_string(), 0, 4)
        ]
    );

    let d = Direct::new(&moto::url());
    let s = service(&d, &plan.name, &plan.name);
    assert_eq!(s.desired_count(), 3);
    let strategy: Vec<(String, i32, i32)> = s
        .capacity_provider_strategy()
        .iter()
        .map(|i| (i.capacity_provider().to_string(), i.base(), i.weight()))
        .collect();
    assert_eq!(
        strategy,
        [
            ("FARGATE".to_string(), 1, 1),
            ("FARGATE_SPOT".to_string(), 0, 4)
        ]
    );

    proxy.clear();
    plan.deploy(&proxy.url, &["--apply", "--yes"])
        .success()
        .stdout_has("No changes");
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}

#[test]
fn a_new_image_registers_a_new_revision() {
    let proxy = Proxy::new(&moto::url());
    let plan = TestPlan::new("image");
    plan.write("", NGINX)
        .deploy(&proxy.url, &["--apply", "--yes"])
        .success()
        .stderr_has(&format!("could not read the architecture of `{NGINX}`"));
    plan.write("", NGINX_NEXT);
    proxy.clear();
    plan.deploy(&proxy.url, &["--apply", "--yes"])
        .success()
        .stdout_has(&format!(
            "+ task definition \"{}\" (new revision after 1)",
            plan.name
        ))
        .stdout_has(&format!("{NGINX} -> {NGINX_NEXT}"));
    assert_eq!(
        proxy.mutating(),
        ["RegisterTaskDefinition", "UpdateService"]
    );
    let d = Direct::new(&moto::url());
    let s = service(&d, &plan.name, &plan.name);
    assert!(
        s.task_definition()
            .unwrap_or("")
            .ends_with(&format!("{}:2", plan.name)),
        "{:?}",
        s.task_definition()
    );
}

#[test]
fn secrets_and_health_checks_are_registered_and_then_left_alone() {
    let plan = TestPlan::new("secrets");
    let n = &plan.name;
    let text = format!(
        "[plan]\nname = \"{n}\"\nregion = \"us-east-1\"\n\n[[service]]\nname = \"{n}\"\ncpu = 512\nmemory = 1024\nexecution_role_arn = \"arn:aws:iam::123456789012:role/ecsTaskExecutionRole\"\n\n[[service.container_definitions]]\nname = \"app\"\nimage = \"{NGINX}\"\nsecrets = [{{ name = \"DB_PASSWORD\", value_from = \"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf\" }}]\nhealth_check = {{ command = [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"], start_period = 20 }}\n"
    );
    std::fs::write(plan.dir.path().join("plan.toml"), text).unwrap();
    let proxy = Proxy::new(&moto::url());
    plan.deploy(&proxy.url, &["--apply", "--yes"]).success();
    let d = Direct::new(&moto::url());
    let td =
        d.rt.block_on(
            d.ecs
                .describe_task_definition()
                .task_definition(n.as_str())
                .send(),
        )
        .unwrap();
    let c = &td.task_definition().unwrap().container_definitions()[0];
    assert_eq!(c.secrets()[0].name(), "DB_PASSWORD");
    assert!(c.secrets()[0].value_from().contains(":secret:db-"));
    let h = c.health_check().unwrap();
    assert_eq!(h.command()[0], "CMD-SHELL");
    assert_eq!(h.start_period(), Some(20));
    // A second run finds them as registered: nothing to do.
    proxy.clear();
    plan.deploy(&proxy.url, &["--apply", "--yes"])
        .success()
        .stdout_has("No changes");
    assert!(proxy.mutating().is_empty(), "{:?}", proxy.mutating());
}

fn push(d: &Direct, repo: &str, tag: &str, media_type: &str, manifest: &str) {
    d.rt.block_on(
        d.ecr
            .put_image()
            .repository_name(repo)
            .image_tag(tag)
            .image_manifest(manifest)
            .image_manifest_media_type(media_type)
            .send(),
    )
    .unwrap_or_else(|e| panic!("PutImage: {e:?}"));
}

fn index(platforms: &[&str]) -> String {
    let entries: Vec<String> = platforms
        .iter()
        .enumerate()
        .map(|(i, arch)| {
            format!(
                r#"{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{}","size":500,"platform":{{"os":"linux","architecture":"{arch}"}}}}"#,
                format!("{i}").repeat(64)
            )
        })
        .collect();
    format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{}]}}"#,
        entries.join(",")
    )
}

#[test]
fn image_architectures_are_checked_in_ecr() {
    let d = Direct::new(&moto::url());
    let repo = moto::unique("repo");
    d.rt.block_on(d.ecr.create_repository().repository_name(&repo).send())
        .unwrap_or_else(|e| panic!("CreateRepository: {e:?}"));
    let oci_index = "application/vnd.oci.image.index.v1+json";
    push(&d, &repo, "arm", oci_index, &index(&["arm64"]));
    push(&d, &repo, "multi", oci_index, &index(&["amd64", "arm64"]));
    push(
        &d,
        &repo,
        "single",
        "application/vnd.docker.distribution.manifest.v2+json",
        &format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:{}","size":10}},"layers":[]}}"#,
            "b".repeat(64)
        ),
    );
    let image = |tag: &str| format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/{repo}:{tag}");
    let proxy = Proxy::new(&moto::url());
    let plan = TestPlan::new("arch");

    // arm64 only, X86_64 task: refused before any change, with the why and the fixes.
    plan.write("", &image("arm"))
        .deploy(&proxy.url, &["--apply", "--yes"])
        .code(2)
        .stderr_has("is built for linux/arm64 only, but the task runs on X86_64")
        .stderr_has("exec format error")
        .stderr_has("cpu_architecture = \"ARM64\"")
        .stderr_has("--platform linux/amd64")
        .stderr_has("multi-arch")
        .stderr_has("--skip-image-check");
    assert_eq!(proxy.mutating(), Vec::<String>::new());
    assert!(proxy.operations().contains(&"BatchGetImage".to_string()));

    // The same image on an ARM64 task runs.
    plan.write(
        "runtime_platform = { cpu_architecture = \"ARM64\" }\n",
        &image("arm"),
    )
    .deploy(&proxy.url, &[])
    .success()
    .stderr_has("runs on ARM64 (linux/arm64)");

    // A multi-arch index passes.
    plan.write("", &image("multi"))
        .deploy(&proxy.url, &[])
        .success()
        .stderr_has("runs on X86_64 (linux/amd64, linux/arm64)");

    // A single manifest whose config moto cannot serve: a warning, not a guess.
    plan.write("", &image("single"))
        .deploy(&proxy.url, &[])
        .success()
        .stderr_has("could not read the architecture")
        .stderr_has("config blob");

    // A missing tag: a warning too.
    plan.write("", &image("nope"))
        .deploy(&proxy.url, &[])
        .success()
        .stderr_has("could not read the architecture");

    // --skip-image-check does not even read.
    proxy.clear();
    plan.write("", &image("arm"))
        .deploy(&proxy.url, &["--skip-image-check"])
        .success()
        .stderr_has("image check skipped");
    assert!(!proxy.operations().contains(&"BatchGetImage".to_string()));
}

#[test]
fn an_emulator_stopped_midway_gives_a_clear_error_and_a_fresh_one_completes() {
    let first = OwnMoto::start();
    let url = first.url.clone();
    // Stop the emulator when the third change (the task definition) is being sent.
    let proxy = Proxy::start(&url, Some(2), Some(Box::new(first.stopper())));
    let plan = TestPlan::new("fault");
    plan.write("", NGINX)
        .deploy(&proxy.url, &["--apply", "--yes"])
        .code(1)
        .stderr_has("RegisterTaskDefinition failed")
        .stderr_has("2 of 4 changes were made before this one failed")
        .stderr_has("run deploy again");
    assert_eq!(
        proxy.mutating(),
        ["CreateCluster", "CreateLogGroup", "RegisterTaskDefinition"]
    );

    let fresh = OwnMoto::start();
    plan.deploy(&fresh.url, &["--apply", "--yes"])
        .success()
        .stdout_has("Applied 4 changes");
    plan.deploy(&fresh.url, &["--apply", "--yes"])
        .success()
        .stdout_has("No changes");
}

#[test]
fn a_run_that_failed_midway_is_finished_by_the_next() {
    let moto = OwnMoto::start();
    // Drop the third change (the emulator stays up): as if the network went away.
    let failing = Proxy::start(&moto.url, Some(2), None);
    let plan = TestPlan::new("resume");
    plan.write("", NGINX)
        .deploy(&failing.url, &["--apply", "--yes"])
        .code(1)
        .stderr_has("2 of 4 changes were made");
    let proxy = Proxy::new(&moto.url);
    plan.deploy(&proxy.url, &["--apply", "--yes"])
        .success()
        .stdout_has("Applied 2 changes");
    assert_eq!(
        proxy.mutating(),
        ["RegisterTaskDefinition", "CreateService"]
    );
}

#[test]
fn wait_reports_a_stable_service_or_times_out() {
    let proxy = Proxy::new(&moto::url());
    let plan = TestPlan::new("wait");
    plan.write("desired_count = 0\n", NGINX)
        .deploy(
            &proxy.url,
            &["--apply", "--yes", "--wait", "--wait-timeout", "20s"],
        )
        .success()
        .stderr_has("is stable: 0/0 tasks running");
    // moto never starts the tasks of a new service (0 running, 1 pending): never stable.
    let pending = TestPlan::new("pending");
    pending
        .write("desired_count = 1\n", NGINX)
        .deploy(
            &proxy.url,
            &["--apply", "--yes", "--wait", "--wait-timeout", "3s"],
        )
        .code(1)
        .stderr_has("did not become stable within 3s")
        .stderr_has("0/1 tasks running");
}

#[test]
fn autoscaling_is_registered_once() {
    let proxy = Proxy::new(&moto::url());
    let plan = TestPlan::new("scale");
    plan.write(
        "desired_count = 2\n\n[service.autoscaling]\nmin_capacity = 2\nmax_capacity = 6\nmetric = \"cpu\"\ntarget_value = 60\n\n[service.load]\nprofile = \"diurnal_web\"\npeak = 400\nunit = \"task_percent\"\n",
        NGINX,
    );
    plan.deploy(&proxy.url, &[])
        .success()
        .stdout_has(&format!(
            "+ scalable target \"service/{n}/{n}\"",
            n = plan.name
        ))
        .stdout_has("ECSServiceAverageCPUUtilization at 60");
    plan.deploy(&proxy.url, &["--apply", "--yes"]).success();
    let m = proxy.mutating();
    assert!(
        m.ends_with(&[
            "RegisterScalableTarget".to_string(),
            "PutScalingPolicy".to_string()
        ]),
        "{m:?}"
    );
    proxy.clear();
    plan.deploy(&proxy.url, &["--apply", "--yes"])
        .success()
        .stdout_has("No changes");
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}

#[test]
fn unknown_services_and_regions_are_bad_input() {
    let plan = TestPlan::new("select");
    plan.write("", NGINX);
    plan.deploy("http://127.0.0.1:9", &["--service", "nope"])
        .code(2)
        .stderr_has("the plan has no service `nope`");
    plan.deploy("http://127.0.0.1:9", &["--region", "eu-west-1"])
        .code(2)
        .stderr_has("no service of the plan is in region `eu-west-1`");
}

#[test]
fn an_unreachable_endpoint_is_a_clear_failure() {
    let plan = TestPlan::new("down");
    plan.write("", NGINX)
        .deploy("http://127.0.0.1:9", &[])
        .code(1)
        .stderr_has("failed: ConnectionError")
        .stderr_has("--endpoint-url");
}
