//! Task size: CPU and memory against the valid Fargate sizes, with the nearest valid size as fix.

use crate::core::plan::check::CheckOptions;
use crate::core::plan::raw::RawService;
use crate::core::rules::Facts;
use crate::core::vocab::platform::{OsFamily, TaskSize};
use crate::core::vocab::problem::{FieldPath, Problem};
use crate::core::vocab::units::{CpuUnits, MemoryMib, Scalar, parse_cpu, parse_memory};

/// A service's CPU and memory as parsed, the size asked for, and the size priced.
pub(super) struct Sizes {
    pub cpu: Option<CpuUnits>,
    pub memory: Option<MemoryMib>,
    pub requested: Option<TaskSize>,
    pub size: Option<TaskSize>,
}

/// CPU and memory: required, parsed, a valid Fargate pair (or the next valid one with
/// `--round-up`), and supported by the platform version.
pub(super) fn check_size(
    svc: &RawService,
    path: &FieldPath,
    os: Option<&OsFamily>,
    platform_version: &str,
    facts: &Facts,
    opts: CheckOptions,
    push: &mut impl FnMut(Problem),
) -> Sizes {
    let cpu = match &svc.cpu {
        None => {
            push(
                Problem::new(path.key("cpu"), "task CPU is required on Fargate")
                    .fix("set cpu, e.g. `cpu = \"0.5 vCPU\"` or `cpu = 512`"),
            );
            None
        }
        Some(v) => match bare_number(v) {
            // ECS reads a bare task `cpu = 1` as 1 CPU unit; people mean 1 vCPU.
            Some(n) if n > 0 && n < MIN_TASK_CPU_UNITS => {
                push(
                    Problem::new(
                        path.key("cpu"),
                        format!("a bare number below {MIN_TASK_CPU_UNITS} is ambiguous: ECS reads it as CPU units (1024 = 1 vCPU), not vCPU"),
                    )
                    .value(v)
                    .fix(format!("write `cpu = \"{n} vCPU\"` or `cpu = {}`", n.saturating_mul(1024))),
                );
                None
            }
            _ => parse_cpu(v)
                .map_err(|e| push(Problem::new(path.key("cpu"), e).value(v)))
                .ok(),
        },
    };
    let memory = match &svc.memory {
        None => {
            push(
                Problem::new(path.key("memory"), "task memory is required on Fargate")
                    .fix("set memory, e.g. `memory = \"1 GB\"` or `memory = 1024`"),
            );
            None
        }
        Some(v) => match bare_number(v) {
            // A bare task `memory = 2` is 2 MiB to ECS; people mean 2 GB.
            Some(n) if n > 0 && n < MIN_TASK_MEMORY_MIB => {
                push(
                    Problem::new(
                        path.key("memory"),
                        format!("a bare number below {MIN_TASK_MEMORY_MIB} is ambiguous: ECS reads it as MiB, and no Fargate task has less than 512 MiB"),
                    )
                    .value(v)
                    .fix(format!("did you mean `memory = \"{n} GB\"`? Or write MiB in full, e.g. `memory = {}`", n.saturating_mul(1024))),
                );
                None
            }
            _ => parse_memory(v)
                .map_err(|e| push(Problem::new(path.key("memory"), e).value(v)))
                .ok(),
        },
    };
    let mut size = None;
    let mut requested_size = None;
    if let (Some(cpu), Some(memory), Some(os)) = (cpu, memory, os) {
        let windows = os.is_windows();
        let requested = TaskSize { cpu, memory };
        requested_size = Some(requested);
        if facts.is_valid_size(cpu, memory, windows) {
            size = Some(requested);
            if let Some(row) = facts.size_row(cpu)
                && platform_version != "LATEST"
                && is_version(platform_version)
                && !windows
                && version_lt(platform_version, &row.min_linux_platform_version)
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
    Sizes {
        cpu,
        memory,
        requested: requested_size,
        size,
    }
}

/// The smallest task CPU (0.25 vCPU) and memory (512 MiB): a bare number below them at task
/// level is a unit mistake, refused rather than rounded up. Container `cpu`/`memory` keep ECS's
/// meaning (units, MiB) and are not checked here.
const MIN_TASK_CPU_UNITS: u64 = 256;
const MIN_TASK_MEMORY_MIB: u64 = 512;

/// A number written without a unit: `1`, or `"1"`.
fn bare_number(v: &Scalar) -> Option<u64> {
    match v {
        Scalar::Int(i) => u64::try_from(*i).ok(),
        Scalar::Text(t) => t.trim().parse::<u64>().ok(),
        Scalar::Float(_) => None,
    }
}

pub(super) fn is_version(v: &str) -> bool {
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

pub(super) fn size_problem(
    path: &FieldPath,
    requested: TaskSize,
    os: &OsFamily,
    next: Option<(CpuUnits, MemoryMib)>,
    facts: &Facts,
) -> Problem {
    let windows = os.is_windows();
    let nearest = match next {
        Some((c, m)) => format!(
            "the nearest valid size above it is cpu = {} ({c}), memory = {} ({m}); `--round-up` prices that size instead",
            c.0, m.0
        ),
        None if windows => format!(
            "it is larger than any Windows task on Fargate ({})",
            largest(facts, true)
        ),
        None => format!(
            "it is larger than any Fargate task ({})",
            largest(facts, false)
        ),
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
                let sizes: Vec<String> = facts
                    .cpu_values(true)
                    .iter()
                    .map(|c| c.to_string())
                    .collect();
                format!(
                    "Windows tasks on Fargate take {}, not {}",
                    sizes.join(", "),
                    requested.cpu
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

/// The largest Fargate task size (for Windows when `windows`), as the size table states it:
/// `32 vCPU / 244 GB`.
fn largest(facts: &Facts, windows: bool) -> String {
    facts
        .sizes
        .iter()
        .filter(|r| !windows || r.allows_windows())
        .max_by_key(|r| r.cpu_units)
        .map(|r| {
            let size = TaskSize {
                cpu: CpuUnits(r.cpu_units),
                memory: *r
                    .memory_values()
                    .last()
                    .unwrap_or(&MemoryMib(r.memory_max_mib)),
            };
            size.to_string()
        })
        .unwrap_or_default()
}
