//! `scan --cluster` against moto in server mode (see `moto.rs`): services made through the ECS
//! API are read back into a plan that validates and prices as the equivalent hand-written plan,
//! and a scanned plan deployed to an empty emulator scans back to the same plan.

use super::moto::{self, Direct, OwnMoto, Proxy};
use super::support::{Run, run_in};
use aws_sdk_applicationautoscaling::types::{
    MetricType, PolicyType, PredefinedMetricSpecification, ScalableDimension, ServiceNamespace,
    TargetTrackingScalingPolicyConfiguration,
};
use aws_sdk_ecs::types::{
    AssignPublicIp, AwsVpcConfiguration, CapacityProviderStrategyItem, Compatibility,
    ContainerDefinition, CpuArchitecture, KeyValuePair, LaunchType, LogConfiguration, LogDriver,
    NetworkConfiguration, NetworkMode, OsFamily, PortMapping, RuntimePlatform,
};
use std::path::Path;

fn cli(dir: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> Run {
    let env = moto::env();
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    env.extend_from_slice(extra_env);
    run_in(dir, args, &env)
}

fn scan(dir: &Path, endpoint: &str, cluster: &str, output: &str) -> Run {
    cli(
        dir,
        &[
            "scan",
            "--cluster",
            cluster,
            "--endpoint-url",
            endpoint,
            "--output",
            output,
        ],
        &[],
    )
}

/// The default VPC's subnets and a security group of the emulator (random per start).
fn network(d: &Direct, url: &str) -> (Vec<String>, String) {
    let config = d.rt.block_on(
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(fargate_planner::aws::http_client())
            .endpoint_url(url)
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_ecs::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .load(),
    );
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let subnets = d.rt.block_on(ec2.describe_subnets().send()).unwrap();
    let mut subnets: Vec<String> = subnets
        .subnets()
        .iter()
        .filter_map(|s| s.subnet_id().map(str::to_string))
        .collect();
    subnets.sort();
    subnets.truncate(2);
    let groups =
        d.rt.block_on(ec2.describe_security_groups().send())
            .unwrap();
    let sg = groups.security_groups()[0].group_id().unwrap().to_string();
    (subnets, sg)
}

/// A cluster made through the ECS API, as a team would have it.
struct Cluster {
    name: String,
    subnets: Vec<String>,
    sg: String,
}

impl Cluster {
    fn new(d: &Direct, url: &str, prefix: &str) -> Cluster {
        let name = moto::unique(prefix);
        d.rt.block_on(
            d.ecs
                .create_cluster()
                .cluster_name(&name)
                .capacity_providers("FARGATE")
                .capacity_providers("FARGATE_SPOT")
                .send(),
        )
        .unwrap();
        let (subnets, sg) = network(d, url);
        Cluster { name, subnets, sg }
    }

    /// Registers `family` and returns its ARN.
    fn task_definition(
        &self,
        d: &Direct,
        family: &str,
        cpu: &str,
        memory: &str,
        arm: bool,
    ) -> String {
        let container = ContainerDefinition::builder()
            .name("app")
            .image("nginx:1.27")
            .essential(true)
            .port_mappings(PortMapping::builder().container_port(8080).build())
            .environment(KeyValuePair::builder().name("MODE").value("prod").build())
            .log_configuration(
                LogConfiguration::builder()
                    .log_driver(LogDriver::Awslogs)
                    .options("awslogs-group", format!("/ecs/{family}"))
                    .options("awslogs-region", "us-east-1")
                    .options("awslogs-stream-prefix", "app")
                    .build()
                    .unwrap(),
            )
            .build();
        let out =
            d.rt.block_on(
                d.ecs
                    .register_task_definition()
                    .family(family)
                    .cpu(cpu)
                    .memory(memory)
                    .network_mode(NetworkMode::Awsvpc)
                    .requires_compatibilities(Compatibility::Fargate)
                    .runtime_platform(
                        RuntimePlatform::builder()
                            .cpu_architecture(if arm {
                                CpuArchitecture::Arm64
                            } else {
                                CpuArchitecture::X8664
                            })
                            .operating_system_family(OsFamily::Linux)
                            .build(),
                    )
                    .execution_role_arn("arn:aws:iam::123456789012:role/ecsTaskExecutionRole")
                    .container_definitions(container)
                    .send(),
            )
            .unwrap();
        out.task_definition()
            .unwrap()
            .task_definition_arn()
            .unwrap()
            .to_string()
    }

    fn network(&self, public: bool) -> NetworkConfiguration {
        NetworkConfiguration::builder()
            .awsvpc_configuration(
                AwsVpcConfiguration::builder()
                    .set_subnets(Some(self.subnets.clone()))
                    .security_groups(&self.sg)
                    // AWS always reports assignPublicIp (DISABLED by default); moto reports it
                    // only when it was given, so the tests give it.
                    .assign_public_ip(if public {
                        AssignPublicIp::Enabled
                    } else {
                        AssignPublicIp::Disabled
                    })
                    .build()
                    .unwrap(),
            )
            .build()
    }

    fn service_with_launch_type(
        &self,
        d: &Direct,
        name: &str,
        td: &str,
        count: i32,
        launch_type: LaunchType,
    ) {
        d.rt.block_on(
            d.ecs
                .create_service()
                .cluster(&self.name)
                .service_name(name)
                .task_definition(td)
                .desired_count(count)
                .launch_type(launch_type)
                .network_configuration(self.network(true))
                .send(),
        )
        .unwrap();
    }

    /// A service on a strategy. moto drops the strategy on CreateService and keeps it after an
    /// UpdateService, so the strategy is set by an update (as the deploy tests do).
    fn service_with_strategy(&self, d: &Direct, name: &str, td: &str, count: i32) {
        let item = |p: &str, base: i32, weight: i32| {
            CapacityProviderStrategyItem::builder()
                .capacity_provider(p)
                .base(base)
                .weight(weight)
                .build()
                .unwrap()
        };
        d.rt.block_on(
            d.ecs
                .create_service()
                .cluster(&self.name)
                .service_name(name)
                .task_definition(td)
                .desired_count(count)
                .capacity_provider_strategy(item("FARGATE", 1, 1))
                .capacity_provider_strategy(item("FARGATE_SPOT", 0, 3))
                .network_configuration(self.network(false))
                .send(),
        )
        .unwrap();
        d.rt.block_on(
            d.ecs
                .update_service()
                .cluster(&self.name)
                .service(name)
                .capacity_provider_strategy(item("FARGATE", 1, 1))
                .capacity_provider_strategy(item("FARGATE_SPOT", 0, 3))
                .force_new_deployment(true)
                .send(),
        )
        .unwrap();
    }

    fn autoscaling(&self, d: &Direct, service: &str, min: i32, max: i32, cpu_target: f64) {
        let resource = format!("service/{}/{service}", self.name);
        d.rt.block_on(
            d.scaling
                .register_scalable_target()
                .service_namespace(ServiceNamespace::Ecs)
                .resource_id(&resource)
                .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                .min_capacity(min)
                .max_capacity(max)
                .send(),
        )
        .unwrap();
        d.rt.block_on(
            d.scaling
                .put_scaling_policy()
                .policy_name("cpu-tracking")
                .service_namespace(ServiceNamespace::Ecs)
                .resource_id(&resource)
                .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                .policy_type(PolicyType::TargetTrackingScaling)
                .target_tracking_scaling_policy_configuration(
                    TargetTrackingScalingPolicyConfiguration::builder()
                        .target_value(cpu_target)
                        .predefined_metric_specification(
                            PredefinedMetricSpecification::builder()
                                .predefined_metric_type(MetricType::EcsServiceAverageCpuUtilization)
                                .build()
                                .unwrap(),
                        )
                        .build()
                        .unwrap(),
                )
                .send(),
        )
        .unwrap();
    }

    /// web (launch type FARGATE, ARM64), worker (FARGATE base 1 + FARGATE_SPOT 1:3, family
    /// differs from the name), api (autoscaling 2–6 on CPU 60 %).
    fn standard(d: &Direct, url: &str, prefix: &str) -> Cluster {
        let c = Cluster::new(d, url, prefix);
        let web = c.task_definition(d, &format!("{}-web", c.name), "512", "1024", true);
        c.service_with_launch_type(d, "web", &web, 2, LaunchType::Fargate);
        let jobs = c.task_definition(d, &format!("{}-jobs", c.name), "1024", "2048", false);
        c.service_with_strategy(d, "worker", &jobs, 4);
        let api = c.task_definition(d, &format!("{}-api", c.name), "256", "512", false);
        c.service_with_launch_type(d, "api", &api, 2, LaunchType::Fargate);
        c.autoscaling(d, "api", 2, 6, 60.0);
        c
    }
}

fn report_json(dir: &Path, plan: &str) -> serde_json::Value {
    let out = cli(dir, &["report", plan, "--format", "json"], &[])
        .success()
        .stdout;
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// Each service's monthly figure, by name.
fn monthly(v: &serde_json::Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["plan"]["priced"]["monthly"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn scan_writes_a_plan_that_prices_what_the_cluster_runs() {
    let url = moto::url();
    let d = Direct::new(&url);
    let c = Cluster::standard(&d, &url, "scan");
    // A service on the EC2 launch type: not Fargate, left out with the reason.
    let legacy = c.task_definition(&d, &format!("{}-legacy", c.name), "256", "512", false);
    c.service_with_launch_type(&d, "legacy", &legacy, 1, LaunchType::Ec2);

    let proxy = Proxy::new(&url);
    let dir = tempfile::tempdir().unwrap();
    let run = scan(dir.path(), &proxy.url, &c.name, "plan.toml")
        .success()
        .stderr_has("warning: service `legacy` is not in the plan: launch type EC2, not Fargate")
        .stderr_has("3 services in the plan, 1 left out")
        .stderr_has("autoscaling");
    assert_eq!(run.stdout, "", "the plan goes to --output");
    let rows: Vec<&str> = run.stderr.lines().filter(|l| l.contains("│")).collect();
    let row = |name: &str| {
        rows.iter()
            .find(|l| l.contains(&format!(" {name} ")))
            .unwrap_or_else(|| panic!("no row for {name}\n{}", run.stderr))
            .to_string()
    };
    for (name, needles) in [
        (
            "web",
            &[
                "0.5 vCPU / 1 GB",
                "LINUX/ARM64",
                " 2 ",
                "launch type FARGATE",
                "—",
            ][..],
        ),
        (
            "worker",
            &[
                "1 vCPU / 2 GB",
                "LINUX/X86_64",
                " 4 ",
                "FARGATE base 1 weight 1, FARGATE_SPOT weight 3",
            ][..],
        ),
        ("api", &["0.25 vCPU / 512 MiB", " 2 ", "2–6, cpu 60"][..]),
    ] {
        let r = row(name);
        for n in needles {
            assert!(r.contains(n), "{name} row lacks {n:?}: {r}");
        }
    }
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "scan only reads");
    let ops = proxy.operations();
    for op in [
        "DescribeClusters",
        "ListServices",
        "DescribeServices",
        "DescribeTaskDefinition",
        "DescribeScalableTargets",
        "DescribeScalingPolicies",
    ] {
        assert!(ops.iter().any(|o| o == op), "{op} not called: {ops:?}");
    }

    let text = std::fs::read_to_string(dir.path().join("plan.toml")).unwrap();
    for needle in [
        &format!("cluster = \"{}\"", c.name),
        "region = \"us-east-1\"",
        &format!("family = \"{}-jobs\"", c.name),
        "cpu_architecture = \"ARM64\"",
        "launch_type = \"FARGATE\"",
        "capacity_provider = \"FARGATE_SPOT\"",
        "min_capacity = 2",
        "max_capacity = 6",
        "metric = \"cpu\"",
        "target_value = 60",
        &format!("subnets = [\"{}\", \"{}\"]", c.subnets[0], c.subnets[1]),
        "legacy: launch type EC2",
    ] {
        assert!(text.contains(needle), "plan lacks {needle:?}\n{text}");
    }
    cli(dir.path(), &["validate", "plan.toml"], &[]).success();

    // The same services written by hand price the same, service by service.
    std::fs::write(
        dir.path().join("equivalent.toml"),
        "[plan]\nregion = \"us-east-1\"\n\
         [[service]]\nname = \"api\"\ncpu = 256\nmemory = 512\ndesired_count = 2\n\
         [[service.container_definitions]]\nname = \"app\"\nimage = \"nginx\"\n\
         [[service]]\nname = \"web\"\ncpu = 512\nmemory = 1024\ndesired_count = 2\nruntime_platform = { cpu_architecture = \"ARM64\" }\n\
         [[service.container_definitions]]\nname = \"app\"\nimage = \"nginx\"\n\
         [[service]]\nname = \"worker\"\ncpu = 1024\nmemory = 2048\ndesired_count = 4\n\
         capacity_provider_strategy = [{ capacity_provider = \"FARGATE\", base = 1, weight = 1 }, { capacity_provider = \"FARGATE_SPOT\", weight = 3 }]\n\
         [[service.container_definitions]]\nname = \"app\"\nimage = \"nginx\"\n",
    )
    .unwrap();
    let scanned = report_json(dir.path(), "plan.toml");
    let equivalent = report_json(dir.path(), "equivalent.toml");
    assert_eq!(monthly(&scanned).len(), 3);
    assert_eq!(monthly(&scanned), monthly(&equivalent));
    assert_eq!(
        scanned["totals"]["plan_monthly"],
        equivalent["totals"]["plan_monthly"]
    );
    assert_ne!(scanned["totals"]["plan_monthly"], "0", "{scanned}");
}

#[test]
fn the_plan_goes_to_stdout_and_the_endpoint_variable_works() {
    let url = moto::url();
    let d = Direct::new(&url);
    let c = Cluster::new(&d, &url, "stdout");
    let td = c.task_definition(&d, &format!("{}-one", c.name), "1024", "3072", false);
    c.service_with_launch_type(&d, "one", &td, 3, LaunchType::Fargate);
    let dir = tempfile::tempdir().unwrap();
    // No --endpoint-url: AWS_ENDPOINT_URL, as in the AWS CLI; --region instead of AWS_REGION.
    let env: Vec<(&str, String)> = moto::env()
        .into_iter()
        .filter(|(k, _)| *k != "AWS_REGION")
        .chain([("AWS_ENDPOINT_URL", url.clone())])
        .collect();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = run_in(
        dir.path(),
        &["scan", "--cluster", &c.name, "--region", "us-east-1"],
        &env,
    )
    .success()
    .stdout_has("[[service]]")
    .stdout_has("name = \"one\"")
    .stdout_has("desired_count = 3")
    .stderr_has("1 vCPU / 3 GB");
    assert!(!run.stderr.contains("[[service]]"), "{}", run.stderr);
}

#[test]
fn a_missing_cluster_is_a_clear_failure() {
    let url = moto::url();
    let dir = tempfile::tempdir().unwrap();
    let name = moto::unique("nope");
    let out = dir.path().join("plan.toml");
    scan(dir.path(), &url, &name, out.to_str().unwrap())
        .code(1)
        .stderr_has(&format!("cluster `{name}` not found in us-east-1"))
        .stderr_has("--region");
    assert!(!out.exists(), "nothing is written");
    // No region anywhere: bad input, before any AWS call.
    let env: Vec<(&str, String)> = moto::env()
        .into_iter()
        .filter(|(k, _)| *k != "AWS_REGION")
        .chain([
            ("AWS_CONFIG_FILE", "/nonexistent/config".to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/credentials".to_string(),
            ),
        ])
        .collect();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    run_in(
        dir.path(),
        &["scan", "--cluster", &name, "--endpoint-url", &url],
        &env,
    )
    .code(2)
    .stderr_has("no AWS region")
    .stderr_has("--region");
    // An endpoint that does not answer: the AWS error's code, and a hint.
    scan(dir.path(), "http://127.0.0.1:9", &name, "-")
        .code(1)
        .stderr_has("DescribeClusters failed: ConnectionError")
        .stderr_has("--endpoint-url");
}

#[test]
fn many_services_are_described_ten_at_a_time() {
    let url = moto::url();
    let d = Direct::new(&url);
    let c = Cluster::new(&d, &url, "many");
    let td = c.task_definition(&d, &format!("{}-svc", c.name), "256", "512", false);
    for i in 0..23 {
        c.service_with_launch_type(&d, &format!("svc-{i:02}"), &td, 1, LaunchType::Fargate);
    }
    let proxy = Proxy::new(&url);
    let dir = tempfile::tempdir().unwrap();
    scan(dir.path(), &proxy.url, &c.name, "plan.toml")
        .success()
        .stderr_has("23 services in the plan");
    let ops = proxy.operations();
    let count = |op: &str| ops.iter().filter(|o| *o == op).count();
    assert_eq!(count("DescribeServices"), 3, "{ops:?}");
    assert_eq!(
        count("DescribeTaskDefinition"),
        1,
        "one revision, read once: {ops:?}"
    );
    let text = std::fs::read_to_string(dir.path().join("plan.toml")).unwrap();
    assert_eq!(text.matches("[[service]]").count(), 23);
    // Unit-priced: 23 one-task services cost 23 times one.
    let v = report_json(dir.path(), "plan.toml");
    let each = monthly(&v);
    assert!(each.iter().all(|(_, m)| m == &each[0].1), "{each:?}");
}

/// Plan text without its comment lines.
fn body(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// scan → deploy to an empty emulator → scan gives the same plan (with the emulator's own
/// subnet and security group ids, see below).
///
/// moto 5.2.5 drops `capacityProviderStrategy` on CreateService (it reports launch type EC2,
/// which scan leaves out as not Fargate) and keeps it after an UpdateService. So the scanned
/// plan is deployed twice: the second run's only change is the UpdateService that stores the
/// worker's strategy (against AWS it would find nothing to change). moto also drops
/// `deploymentConfiguration` on CreateService; the scanned services have none to begin with (the
/// plan default is written nowhere), so the circuit breaker is not part of what this proves.
#[test]
fn scan_deploy_scan_gives_the_same_plan() {
    let url = moto::url();
    let d = Direct::new(&url);
    let c = Cluster::standard(&d, &url, "trip");
    let dir = tempfile::tempdir().unwrap();
    scan(dir.path(), &url, &c.name, "first.toml").success();
    let first = std::fs::read_to_string(dir.path().join("first.toml")).unwrap();
    assert_eq!(first.matches("[[service]]").count(), 3, "{first}");
    // What runs is in it, so that the round trip below carries something.
    for needle in [
        "desired_count = 4",
        "capacity_provider = \"FARGATE_SPOT\"",
        "launch_type = \"FARGATE\"",
        "min_capacity = 2",
        "target_value = 60",
        "cpu_architecture = \"ARM64\"",
        "assign_public_ip = false",
    ] {
        assert!(
            first.contains(needle),
            "first scan lacks {needle:?}\n{first}"
        );
    }

    let empty = OwnMoto::start();
    // moto checks on CreateService that the subnets exist, and its default subnet ids are random
    // per start: the plan deployed is the scanned one with the empty emulator's network ids, as
    // when moving a plan to another account. Nothing else is changed.
    let target = Direct::new(&empty.url);
    let (subnets, sg) = network(&target, &empty.url);
    let mut first = first;
    for (from, to) in c.subnets.iter().zip(&subnets) {
        first = first.replace(from.as_str(), to);
    }
    first = first.replace(c.sg.as_str(), &sg);
    assert!(first.contains(&subnets[0]), "{first}");
    std::fs::write(dir.path().join("first.toml"), &first).unwrap();
    let proxy = Proxy::new(&empty.url);
    let deploy = |expect: &str| {
        cli(
            dir.path(),
            &[
                "deploy",
                "first.toml",
                "--apply",
                "--yes",
                "--skip-image-check",
                "--endpoint-url",
                &proxy.url,
            ],
            &[],
        )
        .success()
        .stdout_has(expect)
    };
    deploy("Applied");
    let created = proxy.mutating();
    assert_eq!(
        created.iter().filter(|o| *o == "CreateService").count(),
        3,
        "{created:?}"
    );
    proxy.clear();
    deploy("Applied 1 change");
    assert_eq!(
        proxy.mutating(),
        ["UpdateService"],
        "only moto's dropped strategy"
    );

    scan(dir.path(), &empty.url, &c.name, "second.toml").success();
    let second = std::fs::read_to_string(dir.path().join("second.toml")).unwrap();
    assert_eq!(body(&second), body(&first));
    // The headers name the same task definition revisions too.
    assert_eq!(second, first);

    // And nothing is left to change.
    proxy.clear();
    deploy("No changes");
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}
