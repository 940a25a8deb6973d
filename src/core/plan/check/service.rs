//! One `[[service]]`: names, region, platform, size, storage, count, capacity and containers,
//! each checked by its own step so that every problem is reported at once.

use super::containers::{check_container_extras, check_containers};
use super::deploy::check_deploy_settings;
use super::size::{Sizes, check_size, is_version};
use super::strategy::check_strategy;
use super::uptime::check_uptime;
use super::{CheckOptions, check_region};
use crate::core::plan::raw::RawService;
use crate::core::plan::{CapacitySource, Service, sections};
use crate::core::rules::Facts;
use crate::core::vocab::platform::{CpuArch, OsFamily};
use crate::core::vocab::problem::{FieldPath, Problem, did_you_mean};
use crate::core::vocab::schedule::Uptime;
use crate::core::vocab::strategy::{Provider, Strategy};

/// Where a service is checked: its position, its path, the plan's default region.
pub(super) struct ServiceContext<'a> {
    pub index: usize,
    pub path: &'a FieldPath,
    pub default_region: Option<&'a str>,
}

pub(super) fn check_service(
    svc: &RawService,
    at: ServiceContext<'_>,
    facts: &Facts,
    opts: CheckOptions,
    problems: &mut Vec<Problem>,
) -> Option<Service> {
    let path = at.path;
    let before = problems.len();
    let mut push = |p: Problem| problems.push(p);

    check_names(svc, path, &mut push);
    let region = check_service_region(svc, path, at.default_region, facts, &mut push);
    let (os, arch) = check_platform(svc, path, facts, &mut push);
    let windows = os.as_ref().is_some_and(OsFamily::is_windows);
    if windows {
        check_windows_region(&region, svc, path, facts, &mut push);
    }
    let platform_version = check_platform_version(svc, path, facts, &mut push);
    let Sizes {
        cpu,
        memory,
        requested: requested_size,
        size,
    } = check_size(
        svc,
        path,
        os.as_ref(),
        &platform_version,
        facts,
        opts,
        &mut push,
    );
    let ephemeral_storage_gib = check_storage(svc, path, facts, &mut push);

    // Desired count and uptime.
    let max_tasks = facts.max_tasks();
    let desired_count = match svc.desired_count {
        None => 1,
        Some(n) if (0..=i64::from(max_tasks)).contains(&n) => n as u32,
        Some(n) => {
            push(
                Problem::new(
                    path.key("desired_count"),
                    format!("desired count must be 0 to {max_tasks} (ECS tasks-per-service quota)"),
                )
                .value(n),
            );
            0
        }
    };
    let (uptime, outside_desired_count) = match &svc.uptime {
        None => (Some(Uptime::Always), 0),
        Some(u) => check_uptime(u, &path.key("uptime"), desired_count, &mut push),
    };

    let (strategy, capacity_source) = check_capacity(svc, path, facts, windows, &mut push);

    // Containers.
    check_containers(
        &svc.container_definitions,
        path,
        cpu,
        memory,
        facts,
        &mut push,
    );
    check_container_extras(
        &svc.container_definitions,
        path,
        facts,
        svc.execution_role_arn.as_deref(),
        &mut push,
    );
    let (network, circuit_breaker) = check_deploy_settings(svc, path, facts, &mut push);
    let workload = svc
        .workload
        .as_ref()
        .and_then(|w| sections::workload::check(w, &path.key("workload"), &mut push));
    let tuning = arch.and_then(|a| {
        sections::recommend::check(
            svc.recommend.as_deref(),
            a,
            &path.key("recommend"),
            &mut push,
        )
    });

    if problems.len() > before {
        return None;
    }
    Some(Service {
        index: at.index,
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

/// Is `name` an ECS name: 1 to 255 letters, digits, hyphens and underscores?
pub(super) fn is_ecs_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn check_names(svc: &RawService, path: &FieldPath, push: &mut impl FnMut(Problem)) {
    if !is_ecs_name(&svc.name) {
        push(
            Problem::new(
                path.key("name"),
                "ECS service names are 1 to 255 letters, digits, hyphens and underscores",
            )
            .value(format!("{:?}", svc.name)),
        );
    }
    if let Some(family) = &svc.family
        && !is_ecs_name(family)
    {
        push(
            Problem::new(
                path.key("family"),
                "task definition families are 1 to 255 letters, digits, hyphens and underscores",
            )
            .value(format!("{family:?}")),
        );
    }
}

/// The service's region, or its plan's default; empty (with a problem) when neither is set.
fn check_service_region(
    svc: &RawService,
    path: &FieldPath,
    default_region: Option<&str>,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) -> String {
    match (&svc.region, default_region) {
        (Some(r), _) => {
            let mut local = Vec::new();
            check_region(r, &path.key("region"), facts, &mut local);
            local.into_iter().for_each(push);
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
    }
}

/// `runtime_platform`: the OS family and CPU architecture, `None` where invalid.
fn check_platform(
    svc: &RawService,
    path: &FieldPath,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) -> (Option<OsFamily>, Option<CpuArch>) {
    let platform = svc.runtime_platform.clone().unwrap_or_default();
    let rp = path.key("runtime_platform");
    let families = &facts.rules.platform.operating_system_families;
    let os = match platform.operating_system_family.as_deref() {
        None | Some("LINUX") => Some(OsFamily::Linux),
        Some(name) if families.iter().any(|f| f == name) => {
            Some(OsFamily::Windows(name.to_string()))
        }
        Some(name) => {
            let hint = did_you_mean(name, families.iter().map(String::as_str))
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            push(
                Problem::new(
                    rp.key("operating_system_family"),
                    "not a Fargate operating system family",
                )
                .value(format!("{name:?}"))
                .fix(format!("{hint}allowed: {}", families.join(", "))),
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
    (os, arch)
}

/// Windows where AWS sells it: some Fargate regions have Linux tasks only.
fn check_windows_region(
    region: &str,
    svc: &RawService,
    path: &FieldPath,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) {
    let regions = &facts.rules.regions;
    if !regions.windows_not_sold.iter().any(|r| r == region) {
        return;
    }
    // The region as written on the service, else the plan's default.
    let at = if svc.region.is_some() {
        path.key("region")
    } else {
        path.key("runtime_platform").key("operating_system_family")
    };
    push(
        Problem::new(
            at,
            format!("AWS sells no Windows tasks on Fargate in {region}"),
        )
        .value(format!("{region:?}"))
        .fix(format!(
            "run this Windows service in a region that has them, or use LINUX; no price can be fetched for it ({})",
            regions.windows_not_sold_source
        )),
    );
}

/// Network mode and platform version; the version as written, or `LATEST`.
fn check_platform_version(
    svc: &RawService,
    path: &FieldPath,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) -> String {
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
    platform_version
}

/// Ephemeral storage in GiB: the free default, or the size asked for within the allowed range.
fn check_storage(
    svc: &RawService,
    path: &FieldPath,
    facts: &Facts,
    push: &mut impl FnMut(Problem),
) -> u32 {
    let storage_rules = &facts.rules.ephemeral_storage;
    match &svc.ephemeral_storage {
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
    }
}

/// Launch type or capacity provider strategy, and Spot's Linux-only rule.
fn check_capacity(
    svc: &RawService,
    path: &FieldPath,
    facts: &Facts,
    windows: bool,
    push: &mut impl FnMut(Problem),
) -> (Option<Strategy>, CapacitySource) {
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
            check_strategy(items, &path.key("capacity_provider_strategy"), facts, push),
            CapacitySource::Strategy,
        ),
    };
    if windows
        && let Some(strategy) = &strategy
        && strategy.uses(Provider::FargateSpot)
    {
        push(
            Problem::new(path.key("capacity_provider_strategy"), "Fargate Spot runs Linux tasks only; this service is Windows")
                .value("FARGATE_SPOT")
                .fix("use FARGATE only for Windows services (capacity_provider_strategy = [{ capacity_provider = \"FARGATE\", weight = 1 }])"),
        );
    }
    (strategy, capacity_source)
}
