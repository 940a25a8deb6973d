//! The Fargate rules applied to a raw plan: every problem at once, or a validated [`Plan`].

use super::raw::{RawContainer, RawPlan, RawService, RawStrategyItem, RawUptime};
use super::{
    CapacitySource, CircuitBreaker, CpuArch, NetworkConfiguration, OsFamily, Plan, Service,
    TaskSize,
};
use crate::core::facts::Facts;
use crate::core::prices::{Dimension, PriceBook};
use crate::core::problem::{FieldPath, Problem, did_you_mean};
use crate::core::schedule::{self, Uptime, WeeklySchedule};
use crate::core::strategy::{Provider, Strategy, StrategyItem};
use crate::core::units::{MemoryMib, Scalar, parse_cpu, parse_memory};
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::str::FromStr;

/// Choices that change how strict the check is.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions {
    /// Price an invalid CPU/memory pair as the next valid size instead of rejecting it.
    pub round_up: bool,
}

/// ECS's limit on tasks per service (service quota, not adjustable).
const MAX_DESIRED_COUNT: i64 = 5000;
const LOG_DRIVERS: [&str; 3] = ["awslogs", "splunk", "awsfirelens"];

/// Checks a raw plan against the Fargate rules and the price book (ARM Spot exists only where
/// the book has ARM Spot prices for the region).
pub fn check(
    raw: &RawPlan,
    facts: &Facts,
    book: &PriceBook,
    opts: CheckOptions,
) -> Result<Plan, Vec<Problem>> {
    let mut problems = Vec::new();
    let root = FieldPath::root();
    let settings = raw.plan.clone().unwrap_or_default();
    let plan_path = root.key("plan");

    let hours_per_month = match &settings.hours_per_month {
        None => facts.hours_per_month(),
        Some(v) => match positive_decimal(v) {
            Some(h) if h <= Decimal::from(744) => h,
            _ => {
                problems.push(
                    Problem::new(
                        plan_path.key("hours_per_month"),
                        "hours per month must be a number above 0 and at most 744 (31 days)",
                    )
                    .value(v)
                    .fix(format!(
                        "use {} to match the AWS Pricing Calculator",
                        facts.rules.billing.hours_per_month
                    )),
                );
                facts.hours_per_month()
            }
        },
    };
    if let Some(region) = &settings.region {
        check_region(region, &plan_path.key("region"), book, &mut problems);
    }

    let cluster = check_cluster(&settings, &plan_path, &mut problems);
    crate::core::simulate::settings::check_plan_defaults(&settings, &plan_path, &mut |p| {
        problems.push(p)
    });

    if raw.service.is_empty() {
        problems.push(
            Problem::new(root.key("service"), "the plan has no services").fix(
                "add a `[[service]]` table; `fargate-planner init` writes a commented example",
            ),
        );
    }

    let mut names = BTreeSet::new();
    let mut services = Vec::new();
    for (index, svc) in raw.service.iter().enumerate() {
        let path = root.key("service").index(index);
        if !names.insert(svc.name.clone()) {
            problems.push(
                Problem::new(
                    path.key("name"),
                    format!("a service named `{}` is already in the plan", svc.name),
                )
                .value(&svc.name)
                .fix("give each service a unique name"),
            );
        }
        let uptime_zone = svc.uptime.as_ref().and_then(|u| u.time_zone.as_deref());
        let sim = crate::core::simulate::settings::check_service(
            svc,
            &settings,
            &path,
            uptime_zone,
            &mut |p| problems.push(p),
        );
        if let Some(mut service) = check_service(
            index,
            svc,
            &path,
            settings.region.as_deref(),
            facts,
            book,
            opts,
            &mut problems,
        ) {
            service.autoscaling = sim.autoscaling;
            service.load = sim.load;
            service.spot = sim.spot;
            service.availability = sim.availability;
            services.push(service);
        }
    }

    if problems.is_empty() {
        Ok(Plan {
            name: settings.name.clone(),
            cluster,
            hours_per_month,
            services,
        })
    } else {
        Err(problems)
    }
}

fn positive_decimal(v: &Scalar) -> Option<Decimal> {
    let d = match v {
        Scalar::Int(i) => Decimal::from(*i),
        Scalar::Text(t) => Decimal::from_str(t.trim()).ok()?,
        Scalar::Float(f) => Decimal::from_str(&f.to_string()).ok()?,
    };
    (d > Decimal::ZERO).then_some(d)
}

fn is_region_name(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    (3..=4).contains(&parts.len())
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
        && parts[0].len() == 2
}

fn check_region(
    region: &str,
    path: &FieldPath,
    book: &PriceBook,
    problems: &mut Vec<Problem>,
) -> bool {
    if is_region_name(region) {
        return true;
    }
    let known = book.regions();
    let fix = match did_you_mean(region, known.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? Regions look like `us-east-1`"),
        None => format!(
            "use an AWS region code such as `us-east-1`; the price book knows {}",
            known.join(", ")
        ),
    };
    problems.push(
        Problem::new(path.clone(), "not an AWS region code")
            .value(format!("{region:?}"))
            .fix(fix),
    );
    false
}

#[allow(clippy::too_many_arguments)]
fn check_service(
    index: usize,
    svc: &RawService,
    path: &FieldPath,
    default_region: Option<&str>,
    facts: &Facts,
    book: &PriceBook,
    opts: CheckOptions,
    problems: &mut Vec<Problem>,
) -> Option<Service> {
    let before = problems.len();
    let mut push = |p: Problem| problems.push(p);

    if svc.name.is_empty()
        || svc.name.len() > 255
        || !svc
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        push(
            Problem::new(
                path.key("name"),
                "ECS service names are 1 to 255 letters, digits, hyphens and underscores",
            )
            .value(format!("{:?}", svc.name)),
        );
    }
    if let Some(family) = &svc.family
        && (family.is_empty()
            || family.len() > 255
            || !family
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        push(
            Problem::new(
                path.key("family"),
                "task definition families are 1 to 255 letters, digits, hyphens and underscores",
            )
            .value(format!("{family:?}")),
        );
    }

    // Region.
    let region = match (&svc.region, default_region) {
        (Some(r), _) => {
            let mut local = Vec::new();
            check_region(r, &path.key("region"), book, &mut local);
            local.into_iter().for_each(&mut push);
            r.clone()
        }
        (None, Some(r)) => r.to_string(),
        (None, None) => {
            push(
                Problem::new(path.key("region"), "no region")
                    .fix("set `region` on the service, or a default `region` under `[plan]`"),
            );
            String::new()
        }
    };

    // Platform.
    let platform = svc.runtime_platform.clone().unwrap_or_default();
    let rp = path.key("runtime_platform");
    let os = match platform.operating_system_family.as_deref() {
        None | Some("LINUX") => Some(OsFamily::Linux),
        Some(name)
            if facts
                .rules
                .platform
                .operating_system_families
                .iter()
                .any(|f| f == name) =>
        {
            Some(OsFamily::Windows(name.to_string()))
        }
        Some(name) => {
            let allowed = &facts.rules.platform.operating_system_families;
            let hint = did_you_mean(name, allowed.iter().map(String::as_str))
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            push(
                Problem::new(
                    rp.key("operating_system_family"),
                    "not a Fargate operating system family",
                )
                .value(format!("{name:?}"))
                .fix(format!("{hint}allowed: {}", allowed.join(", "))),
            );
            None
        }
    };
    let windows = os.as_ref().is_some_and(OsFamily::is_windows);
    let arch = match platform.cpu_architecture.as_deref() {
        None => Some(CpuArch::X86_64),
        Some(a) => match CpuArch::parse(a) {
            Some(arch) => Some(arch),
            None => {
                let hint = match a.to_ascii_lowercase().as_str() {
                    "amd64" | "x86" | "x64" | "x86-64" | "x86_64" => {
                        "did you mean `X86_64`? ".to_string()
                    }
                    "arm" | "arm64" | "aarch64" | "graviton" => {
                        "did you mean `ARM64`? ".to_string()
                    }
                    _ => String::new(),
                };
                push(
                    Problem::new(rp.key("cpu_architecture"), "not a Fargate CPU architecture")
                        .value(format!("{a:?}"))
                        .fix(format!("{hint}allowed: X86_64, ARM64")),
                );
                None
            }
        },
    };
    if windows && arch == Some(CpuArch::Arm64) {
        push(
            Problem::new(
                rp.key("cpu_architecture"),
                "Windows on Fargate runs on X86_64 only",
            )
            .value("\"ARM64\"")
            .fix(format!(
                "set cpu_architecture = \"X86_64\" ({})",
                facts.rules.platform.source
            )),
        );
    }

    // Network mode and platform version.
    if let Some(mode) = &svc.network_mode
        && !facts.rules.network.network_modes.contains(mode)
    {
        push(
            Problem::new(
                path.key("network_mode"),
                "Fargate tasks use the awsvpc network mode only",
            )
            .value(format!("{mode:?}"))
            .fix("set network_mode = \"awsvpc\" or remove it"),
        );
    }
    let platform_version = svc
        .platform_version
        .clone()
        .unwrap_or_else(|| "LATEST".to_string());
    if platform_version != "LATEST" && !is_version(&platform_version) {
        push(
            Problem::new(
                path.key("platform_version"),
                "not a Fargate platform version",
            )
            .value(format!("{platform_version:?}"))
            .fix("use \"LATEST\" or a version such as \"1.4.0\" (Linux) or \"1.0.0\" (Windows)"),
        );
    }

    // Size.
    let cpu = match &svc.cpu {
        None => {
            push(
                Problem::new(path.key("cpu"), "task CPU is required on Fargate")
                    .fix("set cpu, e.g. `cpu = \"0.5 vCPU\"` or `cpu = 512`"),
            );
            None
        }
        Some(v) => parse_cpu(v)
            .map_err(|e| push(Problem::new(path.key("cpu"), e).value(v)))
            .ok(),
    };
    let memory = match &svc.memory {
        None => {
            push(
                Problem::new(path.key("memory"), "task memory is required on Fargate")
                    .fix("set memory, e.g. `memory = \"1 GB\"` or `memory = 1024`"),
            );
            None
        }
        Some(v) => parse_memory(v)
            .map_err(|e| push(Problem::new(path.key("memory"), e).value(v)))
            .ok(),
    };
    let mut size = None;
    let mut requested_size = None;
    if let (Some(cpu), Some(memory), Some(os)) = (cpu, memory, os.as_ref()) {
        let requested = TaskSize { cpu, memory };
        requested_size = Some(requested);
        if facts.is_valid_size(cpu, memory, windows) {
            size = Some(requested);
            if let Some(row) = facts.size_row(cpu)
                && platform_version != "LATEST"
                && is_version(&platform_version)
                && !windows
                && version_lt(&platform_version, &row.min_linux_platform_version)
            {
                push(
                    Problem::new(
                        path.key("platform_version"),
                        format!(
                            "{cpu} needs Linux platform version {} or later",
                            row.min_linux_platform_version
                        ),
                    )
                    .value(format!("{platform_version:?}"))
                    .fix(format!(
                        "set platform_version = \"{}\" or \"LATEST\"",
                        row.min_linux_platform_version
                    )),
                );
            }
        } else {
            let next = facts.next_valid_size(cpu, memory, windows);
            if opts.round_up && next.is_some() {
                size = next.map(|(cpu, memory)| TaskSize { cpu, memory });
            } else {
                push(size_problem(path, requested, os, next, facts));
            }
        }
    }

    // Ephemeral storage.
    let storage_rules = &facts.rules.ephemeral_storage;
    let ephemeral_storage_gib = match &svc.ephemeral_storage {
        None => storage_rules.default_gib,
        Some(e) => {
            let ok = e.size_in_gib >= i64::from(storage_rules.min_gib)
                && e.size_in_gib <= i64::from(storage_rules.max_gib);
            if !ok {
                push(
                    Problem::new(
                        path.key("ephemeral_storage").key("size_in_gib"),
                        format!(
                            "ephemeral storage must be {} to {} GiB",
                            storage_rules.min_gib, storage_rules.max_gib
                        ),
                    )
                    .value(e.size_in_gib)
                    .fix(format!(
                        "set a size from {} to {}, or remove ephemeral_storage for the free {} GiB",
                        storage_rules.min_gib, storage_rules.max_gib, storage_rules.default_gib
                    )),
                );
            }
            u32::try_from(e.size_in_gib).unwrap_or(storage_rules.default_gib)
        }
    };

    // Desired count and uptime.
    let desired_count = match svc.desired_count {
        None => 1,
        Some(n) if (0..=MAX_DESIRED_COUNT).contains(&n) => n as u32,
        Some(n) => {
            push(Problem::new(path.key("desired_count"), format!("desired count must be 0 to {MAX_DESIRED_COUNT} (ECS tasks-per-service quota)")).value(n));
            0
        }
    };
    let (uptime, outside_desired_count) = match &svc.uptime {
        None => (Some(Uptime::Always), 0),
        Some(u) => check_uptime(u, &path.key("uptime"), desired_count, &mut push),
    };

    // Capacity.
    let (strategy, capacity_source) = match (&svc.launch_type, &svc.capacity_provider_strategy) {
        (Some(_), Some(_)) => {
            push(Problem::new(path.key("launch_type"), "a service takes either a launch type or a capacity provider strategy, not both").fix("remove launch_type; the strategy decides where tasks run"));
            (None, CapacitySource::Strategy)
        }
        (Some(lt), None) => {
            if lt != "FARGATE" {
                let fix = if lt == "FARGATE_SPOT" {
                    "FARGATE_SPOT is a capacity provider, not a launch type: write capacity_provider_strategy = [{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }]"
                } else {
                    "set launch_type = \"FARGATE\" (this planner is for Fargate)"
                };
                push(
                    Problem::new(path.key("launch_type"), "not the Fargate launch type")
                        .value(format!("{lt:?}"))
                        .fix(fix),
                );
            }
            (Some(Strategy::on_demand()), CapacitySource::LaunchType)
        }
        (None, None) => (Some(Strategy::on_demand()), CapacitySource::LaunchType),
        (None, Some(items)) => (
            check_strategy(
                items,
                &path.key("capacity_provider_strategy"),
                facts,
                &mut push,
            ),
            CapacitySource::Strategy,
        ),
    };
    if let Some(strategy) = &strategy
        && strategy.uses(Provider::FargateSpot)
    {
        let sp = path.key("capacity_provider_strategy");
        if windows {
            push(
                Problem::new(sp.clone(), "Fargate Spot runs Linux tasks only; this service is Windows")
                    .value("FARGATE_SPOT")
                    .fix("use FARGATE only for Windows services (capacity_provider_strategy = [{ capacity_provider = \"FARGATE\", weight = 1 }])"),
            );
        } else if arch == Some(CpuArch::Arm64)
            && !region.is_empty()
            && !(book.has(&region, Dimension::SpotArmVcpuHour)
                && book.has(&region, Dimension::SpotArmGbHour))
        {
            push(
                Problem::new(sp, format!("the price book has no ARM Spot prices for {region}, so ARM64 on FARGATE_SPOT cannot be priced or assumed available there"))
                    .value("FARGATE_SPOT")
                    .fix(format!("use X86_64 for the Spot tasks, or FARGATE only; `fargate-planner prices show --region {region}` lists what is known")),
            );
        }
    }

    // Containers.
    check_containers(&svc.container_definitions, path, cpu, memory, &mut push);
    check_container_extras(
        &svc.container_definitions,
        path,
        facts,
        svc.execution_role_arn.as_deref(),
        &mut push,
    );
    let (network, circuit_breaker) = check_deploy_settings(svc, path, &mut push);
    let workload = svc
        .workload
        .as_ref()
        .and_then(|w| super::workload::check(w, &path.key("workload"), &mut push));
    let tuning = arch.and_then(|a| {
        super::tuning::check(svc.recommend.as_ref(), a, &path.key("recommend"), &mut push)
    });

    if problems.len() > before {
        return None;
    }
    Some(Service {
        index,
        name: svc.name.clone(),
        family: svc.family.clone().unwrap_or_else(|| svc.name.clone()),
        region,
        requested_size: requested_size?,
        size: size?,
        ephemeral_storage_gib,
        os: os?,
        arch: arch?,
        platform_version,
        desired_count,
        uptime: uptime?,
        outside_desired_count,
        strategy: strategy?,
        capacity_source,
        containers: svc.container_definitions.clone(),
        task_role_arn: svc.task_role_arn.clone(),
        execution_role_arn: svc.execution_role_arn.clone(),
        tags: svc.tags.clone(),
        autoscaling: None,
        load: None,
        spot: Default::default(),
        availability: Default::default(),
        network,
        circuit_breaker,
        workload,
        tuning: tuning?,
    })
}

fn is_ecs_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The cluster `deploy` uses: `[plan] cluster`, else the plan name, else `fargate-planner`.
fn check_cluster(
    settings: &super::raw::RawPlanSettings,
    plan_path: &FieldPath,
    problems: &mut Vec<Problem>,
) -> String {
    match (&settings.cluster, &settings.name) {
        (Some(c), _) => {
            if !is_ecs_name(c) {
                problems.push(
                    Problem::new(
                        plan_path.key("cluster"),
                        "ECS cluster names are 1 to 255 letters, digits, hyphens and underscores",
                    )
                    .value(format!("{c:?}")),
                );
            }
            c.clone()
        }
        (None, Some(name)) if is_ecs_name(name) => name.clone(),
        _ => "fargate-planner".to_string(),
    }
}

/// AWS limits on `awsvpcConfiguration` (ECS API reference, AwsVpcConfiguration).
const MAX_SUBNETS: usize = 16;
const MAX_SECURITY_GROUPS: usize = 5;

fn is_resource_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|hex| {
        (8..=17).contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// Network configuration and circuit breaker, the service settings only `deploy` reads.
fn check_deploy_settings(
    svc: &RawService,
    path: &FieldPath,
    push: &mut impl FnMut(Problem),
) -> (NetworkConfiguration, CircuitBreaker) {
    let mut network = NetworkConfiguration::default();
    if let Some(n) = &svc.network_configuration {
        let np = path.key("network_configuration");
        for (field, ids, prefix, max, example) in [
            (
                "subnets",
                &n.subnets,
                "subnet-",
                MAX_SUBNETS,
                "subnet-0123456789abcdef0",
            ),
            (
                "security_groups",
                &n.security_groups,
                "sg-",
                MAX_SECURITY_GROUPS,
                "sg-0123456789abcdef0",
            ),
        ] {
            if ids.len() > max {
                push(
                    Problem::new(
                        np.key(field),
                        format!("ECS takes at most {max} {}", field.replace('_', " ")),
                    )
                    .value(ids.len()),
                );
            }
            let mut seen = BTreeSet::new();
            for (i, id) in ids.iter().enumerate() {
                if !is_resource_id(id, prefix) {
                    push(
                        Problem::new(
                            np.key(field).index(i),
                            format!("not a {} id", prefix.trim_end_matches('-')),
                        )
                        .value(format!("{id:?}"))
                        .fix(format!(
                            "ids look like \"{example}\"; remove {field} to use the default VPC's"
                        )),
                    );
                } else if !seen.insert(id.as_str()) {
                    push(Problem::new(
                        np.key(field).index(i),
                        format!("{id} is listed twice"),
                    ));
                }
            }
        }
        network = NetworkConfiguration {
            subnets: n.subnets.clone(),
            security_groups: n.security_groups.clone(),
            assign_public_ip: n.assign_public_ip,
        };
    }
    let mut breaker = CircuitBreaker::default();
    if let Some(b) = &svc.deployment_circuit_breaker {
        let rollback = b.rollback.unwrap_or(b.enable);
        if rollback && !b.enable {
            push(
                Problem::new(
                    path.key("deployment_circuit_breaker").key("rollback"),
                    "rollback needs the circuit breaker enabled",
                )
                .value(true)
                .fix("set enable = true, or rollback = false"),
            );
        }
        breaker = CircuitBreaker {
            enable: b.enable,
            rollback,
        };
    }
    (network, breaker)
}

fn is_version(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn version_lt(a: &str, b: &str) -> bool {
    let nums = |v: &str| {
        v.split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0))
            .collect::<Vec<_>>()
    };
    nums(a) < nums(b)
}

fn size_problem(
    path: &FieldPath,
    requested: TaskSize,
    os: &OsFamily,
    next: Option<(crate::core::units::CpuUnits, MemoryMib)>,
    facts: &Facts,
) -> Problem {
    let windows = os.is_windows();
    let nearest = match next {
        Some((c, m)) => format!(
            "the nearest valid size above it is cpu = {} ({c}), memory = {} ({m}); `--round-up` prices that size instead",
            c.0, m.0
        ),
        None => "it is larger than any Fargate task (16 vCPU / 120 GB)".to_string(),
    };
    match facts.size_row(requested.cpu) {
        Some(row) if !windows || row.allows_windows() => {
            let values: Vec<String> = row
                .memory_values()
                .iter()
                .map(|m| m.0.to_string())
                .collect();
            Problem::new(
                path.key("memory"),
                format!(
                    "{} is not a valid memory size for {} on Fargate",
                    requested.memory, requested.cpu
                ),
            )
            .value(requested.memory.0)
            .fix(format!(
                "with cpu = {}, memory must be one of {} (MiB); {nearest}",
                requested.cpu.0,
                values.join(", ")
            ))
        }
        _ => {
            let cpus: Vec<String> = facts
                .cpu_values(windows)
                .iter()
                .map(|c| format!("{} ({c})", c.0))
                .collect();
            let what = if windows && facts.size_row(requested.cpu).is_some() {
                format!(
                    "Windows tasks need at least {} on Fargate",
                    crate::core::units::CpuUnits(facts.rules.platform.windows_min_cpu_units)
                )
            } else {
                format!("{} CPU units is not a Fargate task size", requested.cpu.0)
            };
            Problem::new(path.key("cpu"), what)
                .value(requested.cpu.0)
                .fix(format!(
                    "cpu must be one of {}{}; {nearest}",
                    cpus.join(", "),
                    if windows { " for Windows" } else { "" }
                ))
        }
    }
}

fn check_uptime(
    u: &RawUptime,
    path: &FieldPath,
    desired: u32,
    push: &mut impl FnMut(Problem),
) -> (Option<Uptime>, u32) {
    let tz = u.time_zone.clone().unwrap_or_else(|| "UTC".to_string());
    if chrono_tz::Tz::from_str(&tz).is_err() {
        let names = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
        let hint = did_you_mean(&tz, names)
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
        push(
            Problem::new(path.key("time_zone"), "not an IANA time zone")
                .value(format!("{tz:?}"))
                .fix(format!(
                    "{hint}use a name such as `UTC`, `Europe/Berlin` or `America/New_York`"
                )),
        );
    }
    let outside = match u.outside_desired_count {
        None => 0,
        Some(n) if n >= 0 && n <= i64::from(desired) => n as u32,
        Some(n) => {
            push(
                Problem::new(
                    path.key("outside_desired_count"),
                    format!("tasks outside the windows must be 0 to the desired count ({desired})"),
                )
                .value(n),
            );
            0
        }
    };
    if u.windows.is_empty() {
        push(
            Problem::new(path.key("windows"), "an uptime schedule needs at least one window")
                .fix("add windows = [{ days = \"mon-fri\", start = \"08:00\", end = \"20:00\" }], or remove [uptime] for an always-on service"),
        );
        return (None, outside);
    }
    let mut intervals = Vec::new();
    let mut descriptions = Vec::new();
    let mut ok = true;
    for (i, w) in u.windows.iter().enumerate() {
        let wp = path.key("windows").index(i);
        let days = schedule::parse_days(&w.days)
            .map_err(|e| push(Problem::new(wp.key("days"), e).value(format!("{:?}", w.days))));
        let start = schedule::parse_clock(&w.start)
            .map_err(|e| push(Problem::new(wp.key("start"), e).value(format!("{:?}", w.start))));
        let end = schedule::parse_clock(&w.end)
            .map_err(|e| push(Problem::new(wp.key("end"), e).value(format!("{:?}", w.end))));
        match (days, start, end) {
            (Ok(days), Ok(start), Ok(end)) => {
                if start == end || (start == 1440 && end == 0) {
                    push(
                        Problem::new(
                            wp.clone(),
                            "the window is empty: start and end are the same time",
                        )
                        .fix("use start = \"00:00\", end = \"24:00\" for a whole day"),
                    );
                    ok = false;
                } else {
                    intervals.extend(schedule::window_intervals(&days, start % 1440, end));
                    descriptions.push(format!("{} {}-{}", w.days, w.start, w.end));
                }
            }
            _ => ok = false,
        }
    }
    if !ok {
        return (None, outside);
    }
    let schedule = WeeklySchedule {
        time_zone: tz,
        intervals: schedule::merge(intervals),
        description: descriptions.join(", "),
    };
    (Some(Uptime::Weekly(schedule)), outside)
}

fn check_strategy(
    items: &[RawStrategyItem],
    path: &FieldPath,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) -> Option<Strategy> {
    let rules = &facts.rules.strategy;
    let mut ok = true;
    if items.is_empty() || items.len() > rules.max_items {
        push(
            Problem::new(
                path.clone(),
                format!(
                    "a capacity provider strategy has 1 to {} items",
                    rules.max_items
                ),
            )
            .value(items.len()),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let ip = path.index(i);
        let provider = Provider::parse(&item.capacity_provider);
        if provider.is_none() {
            let hint = did_you_mean(
                &item.capacity_provider,
                rules.providers.iter().map(String::as_str),
            )
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
            push(
                Problem::new(ip.key("capacity_provider"), "not a Fargate capacity provider")
                    .value(format!("{:?}", item.capacity_provider))
                    .fix(format!("{hint}allowed: {} (Auto Scaling group providers cannot be mixed with Fargate ones)", rules.providers.join(", "))),
            );
            ok = false;
        }
        if let Some(p) = provider
            && !seen.insert(p)
        {
            push(
                Problem::new(
                    ip.key("capacity_provider"),
                    format!("{p} is already in the strategy"),
                )
                .fix("list each capacity provider once"),
            );
            ok = false;
        }
        let base = item.base.unwrap_or(0);
        if !(0..=i64::from(rules.max_base)).contains(&base) {
            push(
                Problem::new(
                    ip.key("base"),
                    format!("base must be 0 to {}", rules.max_base),
                )
                .value(base),
            );
            ok = false;
        }
        let weight = item.weight.unwrap_or(0);
        if !(0..=i64::from(rules.max_weight)).contains(&weight) {
            push(
                Problem::new(
                    ip.key("weight"),
                    format!("weight must be 0 to {}", rules.max_weight),
                )
                .value(weight),
            );
            ok = false;
        }
        if let Some(provider) = provider {
            out.push(StrategyItem {
                provider,
                base: base.clamp(0, i64::from(u32::MAX)) as u32,
                weight: weight.clamp(0, i64::from(u32::MAX)) as u32,
            });
        }
    }
    let with_base: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.base.unwrap_or(0) > 0)
        .map(|(i, _)| i)
        .collect();
    if with_base.len() > 1 {
        push(
            Problem::new(path.index(with_base[1]).key("base"), "only one capacity provider in a strategy may have a base")
                .value(items[with_base[1]].base.unwrap_or(0))
                .fix(format!("keep the base on one item (usually FARGATE, for the tasks that must survive Spot interruptions) and set the others to 0; {}", rules.source)),
        );
        ok = false;
    }
    if items.iter().all(|i| i.weight.unwrap_or(0) <= 0) {
        push(
            Problem::new(path.clone(), "at least one item needs a weight above 0").fix(
                "give the provider that takes tasks beyond the base a weight, e.g. weight = 1",
            ),
        );
        ok = false;
    }
    ok.then_some(Strategy { items: out })
}

fn check_containers(
    containers: &[RawContainer],
    path: &FieldPath,
    task_cpu: Option<crate::core::units::CpuUnits>,
    task_memory: Option<MemoryMib>,
    push: &mut impl FnMut(Problem),
) {
    let cp = path.key("container_definitions");
    if containers.is_empty() {
        push(
            Problem::new(cp.clone(), "a task needs at least one container")
                .fix("add a [[service.container_definitions]] table with name and image"),
        );
        return;
    }
    let mut names = BTreeSet::new();
    for (i, c) in containers.iter().enumerate() {
        let p = cp.index(i);
        if !names.insert(c.name.as_str()) {
            push(
                Problem::new(
                    p.key("name"),
                    format!("a container named `{}` is already in this task", c.name),
                )
                .fix("give each container a unique name"),
            );
        }
        if c.name.is_empty() {
            push(Problem::new(p.key("name"), "a container needs a name"));
        }
        if c.image.trim().is_empty() {
            push(
                Problem::new(p.key("image"), "a container needs an image").fix(
                    "set image, e.g. \"123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0\"",
                ),
            );
        }
        for (j, m) in c.port_mappings.iter().enumerate() {
            let mp = p.key("port_mappings").index(j);
            if !(1..=65535).contains(&m.container_port) {
                push(
                    Problem::new(mp.key("container_port"), "ports are 1 to 65535")
                        .value(m.container_port),
                );
            }
            if let Some(host) = m.host_port
                && host != m.container_port
            {
                push(
                    Problem::new(mp.key("host_port"), format!("with awsvpc, the only network mode on Fargate, host_port must equal container_port ({})", m.container_port))
                        .value(host)
                        .fix(format!(
                            "remove host_port or set it to {cp}; to serve port {host}, put it on the load balancer listener and target container port {cp}",
                            cp = m.container_port
                        )),
                );
            }
            if let Some(proto) = &m.protocol
                && proto != "tcp"
                && proto != "udp"
            {
                push(
                    Problem::new(mp.key("protocol"), "protocol is tcp or udp")
                        .value(format!("{proto:?}")),
                );
            }
        }
        if let Some(log) = &c.log_configuration
            && !LOG_DRIVERS.contains(&log.log_driver.as_str())
        {
            push(
                Problem::new(
                    p.key("log_configuration").key("log_driver"),
                    "Fargate supports the awslogs, splunk and awsfirelens log drivers",
                )
                .value(format!("{:?}", log.log_driver)),
            );
        }
        for (field, v) in [
            ("cpu", c.cpu),
            ("memory", c.memory),
            ("memory_reservation", c.memory_reservation),
        ] {
            if let Some(v) = v
                && v < 0
            {
                push(Problem::new(p.key(field), "must not be negative").value(v));
            }
        }
    }
    if !containers.iter().any(|c| c.essential.unwrap_or(true)) {
        push(
            Problem::new(cp.clone(), "at least one container must be essential")
                .fix("set essential = true on the main container"),
        );
    }
    let sum = |f: fn(&RawContainer) -> Option<i64>| {
        containers
            .iter()
            .filter_map(f)
            .filter(|v| *v > 0)
            .sum::<i64>()
    };
    if let Some(cpu) = task_cpu {
        let total = sum(|c| c.cpu);
        if total > i64::from(cpu.0) {
            push(
                Problem::new(
                    cp.clone(),
                    format!(
                        "the containers ask for {total} CPU units, more than the task's {}",
                        cpu.0
                    ),
                )
                .fix("lower the containers' cpu or raise the task's cpu"),
            );
        }
    }
    if let Some(mem) = task_memory {
        let total = sum(|c| c.memory.or(c.memory_reservation));
        if total > i64::from(mem.0) {
            push(
                Problem::new(
                    cp,
                    format!(
                        "the containers reserve {total} MiB, more than the task's {} MiB",
                        mem.0
                    ),
                )
                .fix("lower the containers' memory or raise the task's memory"),
            );
        }
    }
}

/// Container secrets (they need the task execution role) and health checks (the ECS API's
/// ranges, from `data/fargate-rules.toml`).
fn check_container_extras(
    containers: &[RawContainer],
    path: &FieldPath,
    facts: &Facts,
    execution_role: Option<&str>,
    push: &mut impl FnMut(Problem),
) {
    let rules = &facts.rules.health_check;
    let cp = path.key("container_definitions");
    for (i, c) in containers.iter().enumerate() {
        let p = cp.index(i);
        for (j, s) in c.secrets.iter().enumerate() {
            let sp = p.key("secrets").index(j);
            if s.name.trim().is_empty() {
                push(Problem::new(
                    sp.key("name"),
                    "a secret needs the name of its variable",
                ));
            }
            if s.value_from.trim().is_empty() {
                push(
                    Problem::new(
                        sp.key("value_from"),
                        "a secret needs the Secrets Manager secret or SSM parameter it comes from",
                    )
                    .fix("set value_from to the secret's or parameter's ARN"),
                );
            }
        }
        if !c.secrets.is_empty() && execution_role.is_none_or(|r| r.trim().is_empty()) {
            push(
                Problem::new(
                    p.key("secrets"),
                    "container secrets need a task execution role: ECS refuses the task definition without executionRoleArn",
                )
                .fix("set execution_role_arn on the service to a role that may read the secrets (secretsmanager:GetSecretValue or ssm:GetParameters)"),
            );
        }
        let Some(h) = &c.health_check else {
            continue;
        };
        let hp = p.key("health_check");
        match h.command.first() {
            Some(first) if rules.command_prefixes.iter().any(|c| c == first) => {
                if h.command.len() < 2 {
                    push(
                        Problem::new(hp.key("command"), format!("`{first}` needs the command to run after it"))
                            .fix("e.g. command = [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]"),
                    );
                }
            }
            _ => push(
                Problem::new(
                    hp.key("command"),
                    format!(
                        "a health check command starts with {}",
                        rules.command_prefixes.join(" or ")
                    ),
                )
                .value(format!("{:?}", h.command))
                .fix("e.g. command = [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]"),
            ),
        }
        for (field, value, [lo, hi], unit) in [
            ("interval", h.interval, rules.interval_s, " seconds"),
            ("timeout", h.timeout, rules.timeout_s, " seconds"),
            ("retries", h.retries, rules.retries, ""),
            (
                "start_period",
                h.start_period,
                rules.start_period_s,
                " seconds",
            ),
        ] {
            if let Some(v) = value
                && !(i64::from(lo)..=i64::from(hi)).contains(&v)
            {
                push(
                    Problem::new(hp.key(field), format!("{field} is {lo} to {hi}{unit}")).value(v),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::plan::parse;

    fn run(text: &str, opts: CheckOptions) -> Result<Plan, Vec<Problem>> {
        let facts = Facts::embedded().unwrap();
        let book = PriceBook::embedded().unwrap();
        let parsed = parse(text).map_err(|e| panic!("{e:?}")).unwrap();
        check(&parsed.raw, &facts, &book, opts)
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
            text.iter().any(|t| t.contains("at least 1 vCPU")),
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
    fn arm_spot_needs_arm_spot_prices() {
        let arm_spot = "cpu = 512\nmemory = 1024\nruntime_platform = { cpu_architecture = \"ARM64\" }\ncapacity_provider_strategy = [{ capacity_provider = \"FARGATE_SPOT\", weight = 1 }]\n";
        assert!(
            problems(arm_spot).is_empty(),
            "us-east-1 has ARM Spot prices"
        );
        let ps = problems(&format!("region = \"us-east-2\"\n{arm_spot}"));
        assert!(
            ps[0].message.contains("no ARM Spot prices for us-east-2"),
            "{ps:?}"
        );
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

#[cfg(test)]
mod fuzz {
    //! Parsing and checking never panic, whatever the text.
    use super::*;
    use crate::core::plan::parse;
    use proptest::prelude::{Just, ProptestConfig, prop_oneof, proptest};
    use proptest::strategy::Strategy as _;

    /// Lines that look like plan content, to get past the TOML parser into the checks.
    fn plan_line() -> impl proptest::strategy::Strategy<Value = String> {
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
                let _ = check(&parsed.raw, &Facts::embedded().unwrap(), &PriceBook::embedded().unwrap(), CheckOptions { round_up: true });
            }
        }

        #[test]
        fn plan_shaped_text_never_panics(lines in proptest::collection::vec(plan_line(), 0..25), round_up in proptest::bool::ANY) {
            let text = lines.join("\n");
            let facts = Facts::embedded().unwrap();
            let book = PriceBook::embedded().unwrap();
            if let Ok(parsed) = parse(&text) {
                match check(&parsed.raw, &facts, &book, CheckOptions { round_up }) {
                    Ok(plan) => {
                        let _ = crate::core::report::build(&plan, &book, &facts, chrono::NaiveDate::MIN);
                    }
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

#[cfg(test)]
mod deploy_settings_tests {
    //! The settings only `deploy` reads: cluster, network configuration, circuit breaker.
    use super::*;
    use crate::core::plan::parse;

    fn run(text: &str) -> Result<Plan, Vec<Problem>> {
        let facts = Facts::embedded().unwrap();
        let book = PriceBook::embedded().unwrap();
        let parsed = parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        check(&parsed.raw, &facts, &book, CheckOptions::default())
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
