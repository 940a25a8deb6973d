//! The candidate grid of the recommender: the capacity provider strategies, task sizes and CPU
//! architectures tried for a service, kept apart from how they are simulated and priced.

use super::Skipped;
use super::reasons::Resize;
use crate::core::plan::Service;
use crate::core::rules::Facts;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::strategy::{Provider, Strategy, StrategyItem};
use crate::core::vocab::units::{CpuUnits, MemoryMib};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// FARGATE:FARGATE_SPOT weights tried with every FARGATE base (all-FARGATE is tried once).
pub const WEIGHT_GRID: &[(u32, u32)] = &[(0, 1), (1, 4), (1, 3), (1, 2), (1, 1), (2, 1), (3, 1)];
/// Bases tried: every base up to this many tasks, then a coarser grid up to the maximum.
const DENSE_BASES: u32 = 12;

/// The strategies tried for a service that runs at most `max_tasks` tasks, simplest first,
/// without two that split every count from 0 to `max_tasks` the same way. `first` (the plan's
/// own strategy) leads so that an equivalent grid strategy shows as the user wrote it.
pub fn strategy_grid(first: &Strategy, max_tasks: u32, spot: bool) -> Vec<Strategy> {
    let mut all = vec![first.clone(), Strategy::on_demand()];
    if spot {
        all.push(Strategy::single(Provider::FargateSpot));
        for base in base_grid(max_tasks) {
            for &(wf, ws) in WEIGHT_GRID {
                if base == 0 && wf == 0 {
                    continue; // all Spot, above
                }
                all.push(Strategy {
                    items: vec![
                        StrategyItem {
                            provider: Provider::Fargate,
                            base,
                            weight: wf,
                        },
                        StrategyItem {
                            provider: Provider::FargateSpot,
                            base: 0,
                            weight: ws,
                        },
                    ],
                });
            }
        }
    }
    let mut seen: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut out = Vec::new();
    for s in all {
        if !spot && s.uses(Provider::FargateSpot) {
            continue;
        }
        let signature: Vec<(u32, u32)> = (0..=max_tasks)
            .map(|n| {
                let split = s.split_by_provider(n);
                let get = |p| split.iter().find(|(q, _)| *q == p).map_or(0, |(_, c)| *c);
                (get(Provider::Fargate), get(Provider::FargateSpot))
            })
            .collect();
        if !seen.contains(&signature) {
            seen.push(signature);
            out.push(s);
        }
    }
    out
}

pub(super) fn base_grid(max_tasks: u32) -> Vec<u32> {
    let mut bases: Vec<u32> = (0..=max_tasks.min(DENSE_BASES)).collect();
    let mut b = DENSE_BASES;
    while b < max_tasks {
        b = (b + b / 4).max(b + 1);
        bases.push(b.min(max_tasks));
    }
    bases.dedup();
    bases
}

/// A size to price, and the figures that justify it when it is not the size as written.
pub(super) struct SizeOption {
    pub(super) size: TaskSize,
    pub(super) why: Option<Resize>,
}

/// The size as written, and the right-sized one when the plan's peak figures justify it.
pub(super) fn size_options(
    s: &Service,
    facts: &Facts,
    skipped: &mut Vec<Skipped>,
) -> Vec<SizeOption> {
    let mut out = vec![SizeOption {
        size: s.size,
        why: None,
    }];
    let t = &s.tuning;
    if t.peak_cpu_percent.is_none() && t.peak_memory_percent.is_none() {
        return out;
    }
    let tracked = s.autoscaling.as_ref().map(|a| a.metric.name());
    // An autoscaled service adds tasks on the dimension it tracks: that one keeps its size.
    let resize_cpu = t
        .peak_cpu_percent
        .filter(|_| tracked.is_none_or(|m| m == "memory"));
    let resize_mem = t
        .peak_memory_percent
        .filter(|_| tracked.is_none_or(|m| m != "memory"));
    let need = |current: u32, peak: Option<Decimal>| -> u32 {
        peak.map_or(current, |p| {
            (Decimal::from(current) * p / t.utilization_ceiling_percent)
                .ceil()
                .to_u32()
                .unwrap_or(u32::MAX)
        })
    };
    // Containers' own reservations must still fit.
    let container_cpu: u32 = s
        .containers
        .iter()
        .filter_map(|c| c.cpu)
        .map(|v| u32::try_from(v).unwrap_or(0))
        .sum();
    let container_mem: u32 = s
        .containers
        .iter()
        .filter_map(|c| c.memory_reservation.or(c.memory))
        .map(|v| u32::try_from(v).unwrap_or(0))
        .sum();
    let container_hard: u32 = s
        .containers
        .iter()
        .filter_map(|c| c.memory)
        .map(|v| u32::try_from(v).unwrap_or(0))
        .max()
        .unwrap_or(0);
    let cpu = need(s.size.cpu.0, resize_cpu).max(container_cpu).max(1);
    let mem = need(s.size.memory.0, resize_mem)
        .max(container_mem)
        .max(container_hard)
        .max(1);
    match facts.next_valid_size(CpuUnits(cpu), MemoryMib(mem), s.os.is_windows()) {
        Some((c, m)) => {
            let size = TaskSize { cpu: c, memory: m };
            if size != s.size {
                out.push(SizeOption {
                    size,
                    why: Some(Resize {
                        peak_cpu_percent: resize_cpu,
                        peak_memory_percent: resize_mem,
                        from: s.size,
                        to: size,
                        ceiling_percent: t.utilization_ceiling_percent,
                    }),
                });
            }
        }
        None => skipped.push(Skipped::TooLarge {
            cpu_units: cpu,
            memory_mib: mem,
        }),
    }
    out
}

/// The architectures to try: those the images declare (X86_64 only for Windows, where a declared
/// ARM64 is noted in `skipped`), X86_64 when none is listed.
pub(super) fn architectures(s: &Service, skipped: &mut Vec<Skipped>) -> Vec<CpuArch> {
    let mut archs: Vec<CpuArch> = s.tuning.image_architectures.clone();
    if s.os.is_windows() && archs.contains(&CpuArch::Arm64) {
        archs.retain(|a| *a == CpuArch::X86_64);
        skipped.push(Skipped::WindowsArm);
    }
    if archs.is_empty() {
        archs.push(CpuArch::X86_64);
    }
    archs
}
