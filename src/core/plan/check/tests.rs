//! Tests of the plan checks: one per rule, the settings only `deploy` reads, and fuzzing.

use super::*;

mod rules {
    use super::*;
    use crate::core::plan::parse;
    use crate::core::vocab::platform::CpuArch;
    use crate::core::vocab::strategy::Strategy;

    fn run(text: &str, opts: CheckOptions) -> Result<Plan, Vec<Problem>> {
        let facts = Facts::embedded().unwrap();
        let parsed = parse(text).map_err(|e| panic!("{e:?}")).unwrap();
        check(&parsed.raw, &facts, opts)
    }

    const BASE: &str = "[plan]\nregion = \"us-east-1\"\n\n[[service]]\nname = \"web\"\n";
    const CONTAINER: &str =
        "\n[[service.container_definitions]]\nname = \"web\"\nimage = \"nginx\"\n";

    fn plan(extra: &str) -> String {
        format!("{BASE}{extra}{CONTAINER}")
    }

    fn problems(extra: &str) -> Vec<Problem> {
        run(&plan(extra), CheckOptions::default())
            .err()
            .unwrap_or_default()
    }

    #[test]
    fn a_size_beyond_the_largest_names_the_largest_from_the_size_table() {
        let ps = problems("cpu = 65536\nmemory = 65536\n");
        assert!(
            ps.iter().any(|p| p
                .fix
                .as_deref()
                .is_some_and(|f| f.contains("larger than any Fargate task (32 vCPU / 244 GB)"))),
            "{ps:?}"
        );
    }

    #[test]
    fn thirty_two_vcpu_takes_exactly_60_120_or_244_gb() {
        let p = run(
            &plan(
                "cpu = \"32 vCPU\"\nmemory = \"120 GB\"\n\
                 runtime_platform = { operating_system_family = \"LINUX\", cpu_architecture = \"ARM64\" }\n\
                 capacity_provider_strategy = [{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }]\n",
            ),
            CheckOptions::default(),
        )
        .unwrap();
        let s = &p.services[0];
        assert_eq!((s.size.cpu.0, s.size.memory.0), (32768, 122_880));
        let ps = problems("cpu = \"32 vCPU\"\nmemory = \"100 GB\"\n");
        let fix = ps.iter().find_map(|p| p.fix.clone()).unwrap_or_default();
        assert!(
            fix.contains("must be one of 61440, 122880, 249856 (MiB)"),
            "{ps:?}"
        );
        assert!(fix.contains("memory = 122880"), "{fix}");
        // The size needs platform 1.4.0 like 8 and 16 vCPU.
        let ps = problems("cpu = \"32 vCPU\"\nmemory = \"60 GB\"\nplatform_version = \"1.3.0\"\n");
        assert!(ps.iter().any(|p| p.message.contains("1.4.0")), "{ps:?}");
    }

    #[test]
    fn windows_sizes_are_one_two_or_four_vcpu() {
        let ps = problems(
            "cpu = \"8 vCPU\"\nmemory = \"16 GB\"\nruntime_platform = { operating_system_family = \"WINDOWS_SERVER_2022_CORE\" }\n",
        );
        let p = ps.iter().find(|p| p.message.contains("Windows")).unwrap();
        assert!(
            p.message
                .contains("Windows tasks on Fargate take 1 vCPU, 2 vCPU, 4 vCPU, not 8 vCPU"),
            "{p:?}"
        );
        let fix = p.fix.clone().unwrap_or_default();
        assert!(
            fix.contains("larger than any Windows task on Fargate (4 vCPU / 30 GB)"),
            "{fix}"
        );
        assert!(!fix.contains("larger than any Fargate task"), "{fix}");
    }

    #[test]
    fn a_bare_cpu_below_256_is_refused_not_rounded_up() {
        for opts in [CheckOptions::default(), CheckOptions { round_up: true }] {
            let ps = run(&plan("cpu = 1\nmemory = \"2 GB\"\n"), opts)
                .err()
                .unwrap_or_default();
            let p = ps
                .iter()
                .find(|p| p.path.to_string() == "service[0].cpu")
                .unwrap();
            assert!(p.message.contains("ambiguous"), "{p:?}");
            assert_eq!(
                p.fix.as_deref(),
                Some("write `cpu = \"1 vCPU\"` or `cpu = 1024`")
            );
        }
        // "1" as text is as bare as 1; a unit or a full number is not.
        assert!(!problems("cpu = \"1\"\nmemory = \"2 GB\"\n").is_empty());
        assert!(problems("cpu = \"1 vCPU\"\nmemory = \"2 GB\"\n").is_empty());
        assert!(problems("cpu = 1024\nmemory = \"2 GB\"\n").is_empty());
    }

    #[test]
    fn a_bare_memory_below_512_is_refused_with_did_you_mean_gb() {
        let ps = problems("cpu = \"1 vCPU\"\nmemory = 2\n");
        let p = ps
            .iter()
            .find(|p| p.path.to_string() == "service[0].memory")
            .unwrap();
        assert!(
            p.fix
                .as_deref()
                .is_some_and(|f| f.starts_with("did you mean `memory = \"2 GB\"`?")),
            "{p:?}"
        );
        assert!(problems("cpu = \"1 vCPU\"\nmemory = 2048\n").is_empty());
    }

    #[test]
    fn a_valid_service() {
        let p = run(
            &plan("cpu = \"0.5 vCPU\"\nmemory = \"1 GB\"\n"),
            CheckOptions::default(),
        )
        .unwrap();
        let s = &p.services[0];
        assert_eq!((s.size.cpu.0, s.size.memory.0), (512, 1024));
        assert_eq!(s.region, "us-east-1");
        assert_eq!(s.arch, CpuArch::X86_64);
        assert_eq!(s.strategy, Strategy::on_demand());
        assert_eq!(p.hours_per_month, Decimal::from(730));
    }

    #[test]
    fn invalid_size_lists_valid_memory_and_nearest() {
        let ps = problems("cpu = 256\nmemory = 4096\n");
        assert_eq!(ps.len(), 1, "{ps:?}");
        let fix = ps[0].fix.clone().unwrap();
        assert!(fix.contains("512, 1024, 2048"), "{fix}");
        assert!(
            fix.contains("cpu = 512") && fix.contains("memory = 4096"),
            "{fix}"
        );
        assert_eq!(ps[0].path.to_string(), "service[0].memory");
    }

    #[test]
    fn round_up_prices_the_next_size() {
        let p = run(
            &plan("cpu = 256\nmemory = 4096\n"),
            CheckOptions { round_up: true },
        )
        .unwrap();
        let s = &p.services[0];
        assert!(s.was_rounded());
        assert_eq!((s.size.cpu.0, s.size.memory.0), (512, 4096));
    }

    #[test]
    fn windows_rules() {
        let ps = problems(
            "cpu = 512\nmemory = 1024\nruntime_platform = { operating_system_family = \"WINDOWS_SERVER_2022_CORE\", cpu_architecture = \"ARM64\" }\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }]\n",
        );
        let text: Vec<String> = ps
            .iter()
            .map(|p| format!("{} {}", p.path, p.message))
            .collect();
        assert!(text.iter().any(|t| t.contains("X86_64 only")), "{text:?}");
        assert!(
            text.iter().any(|t| t.contains("Linux tasks only")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("Windows tasks on Fargate take 1 vCPU, 2 vCPU, 4 vCPU")),
            "{text:?}"
        );
    }

    #[test]
    fn strategy_rules() {
        let ps = problems(
            "cpu = 512\nmemory = 1024\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE\", base = 1, weight = 0 }, { capacity_provider = \"FARGATE_SPOT\", base = 2, weight = 0 }]\n",
        );
        let text: Vec<String> = ps
            .iter()
            .map(|p| format!("{} {}", p.path, p.message))
            .collect();
        assert!(
            text.iter()
                .any(|t| t.starts_with("service[0].capacity_provider_strategy[1].base only one")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("weight above 0")),
            "{text:?}"
        );
        let ps = problems(
            "cpu = 512\nmemory = 1024\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE_SPOTT\", weight = 1001 }]\n",
        );
        assert_eq!(ps.len(), 2, "{ps:?}");
        assert!(
            ps[0]
                .fix
                .clone()
                .unwrap()
                .starts_with("did you mean `FARGATE_SPOT`")
        );
        let ps = problems(
            "cpu = 512\nmemory = 1024\nlaunch_type = \"FARGATE\"\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE\", weight = 1 }]\n",
        );
        assert!(ps[0].message.contains("not both"));
    }

    #[test]
    fn ports_must_match_under_awsvpc() {
        let text = format!(
            "{BASE}cpu = 512\nmemory = 1024\n{CONTAINER}port_mappings = [{{ container_port = 3000, host_port = 80 }}]\n"
        );
        let ps = run(&text, CheckOptions::default()).err().unwrap();
        assert_eq!(
            ps[0].path.to_string(),
            "service[0].container_definitions[0].port_mappings[0].host_port"
        );
        assert!(ps[0].fix.clone().unwrap().contains("load balancer"));
    }

    #[test]
    fn secrets_need_an_execution_role_and_health_checks_their_ranges() {
        let text = format!(
            "{BASE}cpu = 512\nmemory = 1024\n{CONTAINER}secrets = [{{ name = \"DB\", value_from = \"arn:aws:ssm:us-east-1:123456789012:parameter/db\" }}, {{ name = \"\", value_from = \"\" }}]\nhealth_check = {{ command = [\"curl\", \"-f\"], interval = 2, timeout = 61, retries = 0, start_period = 301 }}\n"
        );
        let ps = run(&text, CheckOptions::default()).err().unwrap();
        let paths: Vec<String> = ps.iter().map(|p| p.path.to_string()).collect();
        let c = "service[0].container_definitions[0]";
        assert_eq!(
            paths,
            vec![
                format!("{c}.secrets[1].name"),
                format!("{c}.secrets[1].value_from"),
                format!("{c}.secrets"),
                format!("{c}.health_check.command"),
                format!("{c}.health_check.interval"),
                format!("{c}.health_check.timeout"),
                format!("{c}.health_check.retries"),
                format!("{c}.health_check.start_period"),
            ]
        );
        assert!(ps[2].message.contains("executionRoleArn"));
        assert!(ps[3].message.contains("CMD or CMD-SHELL"));
        assert!(ps[4].message.contains("5 to 300 seconds"));
        // A role and valid timings: fine.
        let ok = format!(
            "{BASE}cpu = 512\nmemory = 1024\nexecution_role_arn = \"arn:aws:iam::123456789012:role/exec\"\n{CONTAINER}secrets = [{{ name = \"DB\", value_from = \"arn:aws:ssm:us-east-1:123456789012:parameter/db\" }}]\nhealth_check = {{ command = [\"CMD-SHELL\", \"true\"], interval = 10, timeout = 5, retries = 3, start_period = 0 }}\n"
        );
        run(&ok, CheckOptions::default()).unwrap_or_else(|p| panic!("{p:?}"));
    }

    #[test]
    fn schedules() {
        let p = run(&plan("cpu = 512\nmemory = 1024\nuptime = { time_zone = \"Europe/Berlin\", windows = [{ days = \"mon-fri\", start = \"08:00\", end = \"20:00\" }] }\n"), CheckOptions::default()).unwrap();
        assert_eq!(p.services[0].uptime.minutes_per_week(), 3600);
        let ps = problems(
            "cpu = 512\nmemory = 1024\nuptime = { time_zone = \"Europe/Berln\", windows = [{ days = \"mon-fry\", start = \"8am\", end = \"20:00\" }] }\n",
        );
        assert_eq!(ps.len(), 3, "{ps:?}");
        assert!(ps[0].fix.clone().unwrap().contains("Europe/Berlin"));
    }

    #[test]
    fn all_problems_at_once() {
        let text = "[[service]]\nname = \"a\"\ncpu = 3\nmemory = 1\n\n[[service]]\nname = \"a\"\nregion = \"us-east1\"\ncpu = 512\nmemory = 1024\nnetwork_mode = \"bridge\"\n";
        let ps = run(text, CheckOptions::default()).err().unwrap();
        let paths: Vec<String> = ps.iter().map(|p| p.path.to_string()).collect();
        for expected in [
            "service[0].region",
            "service[0].cpu",
            "service[0].container_definitions",
            "service[1].name",
            "service[1].region",
            "service[1].network_mode",
            "service[1].container_definitions",
        ] {
            assert!(
                paths.contains(&expected.to_string()),
                "{expected} missing from {paths:?}"
            );
        }
    }

    #[test]
    fn empty_plan() {
        let ps = run("", CheckOptions::default()).err().unwrap();
        assert!(ps[0].message.contains("no services"));
    }
}

pub(crate) mod fuzz {
    //! Parsing and checking never panic, whatever the text.
    use super::*;
    use crate::core::plan::parse;
    use proptest::prelude::{Just, ProptestConfig, prop_oneof, proptest};
    use proptest::strategy::Strategy as _;

    /// Lines that look like plan content, to get past the TOML parser into the checks.
    pub(crate) fn plan_line() -> impl proptest::strategy::Strategy<Value = String> {
        let key = prop_oneof![
            Just("cpu"),
            Just("memory"),
            Just("desired_count"),
            Just("region"),
            Just("name"),
            Just("ephemeral_storage"),
            Just("runtime_platform"),
            Just("capacity_provider_strategy"),
            Just("uptime"),
            Just("launch_type"),
            Just("platform_version"),
            Just("network_mode"),
            Just("hours_per_month"),
        ];
        let value = prop_oneof![
            (-5i64..100_000).prop_map(|i| i.to_string()),
            "[a-zA-Z0-9 .:_-]{0,12}".prop_map(|s| format!("{s:?}")),
            Just("{ size_in_gib = 300 }".to_string()),
            Just("{ operating_system_family = \"WINDOWS_SERVER_2019_FULL\", cpu_architecture = \"ARM64\" }".to_string()),
            Just("[{ capacity_provider = \"FARGATE_SPOT\", base = 3, weight = 0 }]".to_string()),
            Just("{ windows = [{ days = \"sun-mon\", start = \"24:00\", end = \"00:00\" }], outside_desired_count = 9 }".to_string()),
            Just("{ time_zone = \"Nowhere/City\", windows = [] }".to_string()),
            Just("0.5".to_string()),
        ];
        let header = prop_oneof![
            Just("[plan]".to_string()),
            Just("[[service]]".to_string()),
            Just("[[service.container_definitions]]".to_string()),
            Just(
                "image = \"x\"\nport_mappings = [{ container_port = 70000, host_port = -1 }]"
                    .to_string()
            ),
        ];
        prop_oneof![(key, value).prop_map(|(k, v)| format!("{k} = {v}")), header]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
            if let Ok(parsed) = parse(&text) {
                let _ = check(&parsed.raw, &Facts::embedded().unwrap(), CheckOptions { round_up: true });
            }
        }

        #[test]
        fn plan_shaped_text_never_panics(lines in proptest::collection::vec(plan_line(), 0..25), round_up in proptest::bool::ANY) {
            let text = lines.join("\n");
            let facts = Facts::embedded().unwrap();
            if let Ok(parsed) = parse(&text) {
                match check(&parsed.raw, &facts, CheckOptions { round_up }) {
                    // Pricing what passes is fuzzed with these lines in `report::coverage`.
                    Ok(_) => {}
                    Err(problems) => {
                        for p in problems {
                            let _ = parsed.source.locate(&p.path);
                        }
                    }
                }
            }
        }
    }
}

mod deploy_settings_tests {
    //! The settings only `deploy` reads: cluster, network configuration, circuit breaker.
    use super::*;
    use crate::core::plan::parse;
    use crate::core::plan::{CircuitBreaker, NetworkConfiguration};

    fn run(text: &str) -> Result<Plan, Vec<Problem>> {
        let facts = Facts::embedded().unwrap();
        let parsed = parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        check(&parsed.raw, &facts, CheckOptions::default())
    }

    fn plan(head: &str, extra: &str) -> String {
        format!(
            "[plan]\nregion = \"us-east-1\"\n{head}\n[[service]]\nname = \"web\"\ncpu = 512\nmemory = 1024\n{extra}\n[[service.container_definitions]]\nname = \"web\"\nimage = \"nginx\"\n"
        )
    }

    #[test]
    fn defaults() {
        let p = run(&plan("", "")).unwrap();
        assert_eq!(p.cluster, "fargate-planner");
        let s = &p.services[0];
        assert_eq!(s.network, NetworkConfiguration::default());
        assert_eq!(
            s.circuit_breaker,
            CircuitBreaker {
                enable: true,
                rollback: true
            }
        );
        assert_eq!(run(&plan("name = \"shop\"", "")).unwrap().cluster, "shop");
        assert_eq!(
            run(&plan("name = \"my shop\"", "")).unwrap().cluster,
            "fargate-planner",
            "a plan name that is no cluster name is not used"
        );
        assert_eq!(
            run(&plan("name = \"shop\"\ncluster = \"prod\"", ""))
                .unwrap()
                .cluster,
            "prod"
        );
    }

    #[test]
    fn network_and_breaker_as_written() {
        let p = run(&plan(
            "",
            "network_configuration = { subnets = [\"subnet-0123456789abcdef0\"], security_groups = [\"sg-12345678\"], assign_public_ip = false }\ndeployment_circuit_breaker = { enable = false }\n",
        ))
        .unwrap();
        let s = &p.services[0];
        assert_eq!(s.network.subnets, ["subnet-0123456789abcdef0"]);
        assert_eq!(s.network.security_groups, ["sg-12345678"]);
        assert_eq!(s.network.assign_public_ip, Some(false));
        assert_eq!(
            s.circuit_breaker,
            CircuitBreaker {
                enable: false,
                rollback: false
            }
        );
    }

    #[test]
    fn bad_values_are_located() {
        let ps = run(&plan(
            "cluster = \"my cluster\"",
            "network_configuration = { subnets = [\"sub-1\", \"subnet-12345678\", \"subnet-12345678\"], security_groups = [\"default\"] }\ndeployment_circuit_breaker = { enable = false, rollback = true }\n",
        ))
        .err()
        .unwrap();
        let paths: Vec<String> = ps.iter().map(|p| p.path.to_string()).collect();
        assert_eq!(
            paths,
            [
                "plan.cluster",
                "service[0].network_configuration.subnets[0]",
                "service[0].network_configuration.subnets[2]",
                "service[0].network_configuration.security_groups[0]",
                "service[0].deployment_circuit_breaker.rollback",
            ]
        );
        assert!(
            ps[1]
                .fix
                .clone()
                .unwrap()
                .contains("subnet-0123456789abcdef0")
        );
    }
}
