//! Bin packing of ECS tasks onto container instances: first-fit decreasing, per Availability
//! Zone, with three limits per instance (CPU units, memory after the reservation, awsvpc task
//! slots), and the lower bound that ignores every limit but total CPU and memory.
//!
//! The tasks are spread over the zones as ECS's `spread` placement on
//! `attribute:ecs.availability-zone` does (task i in zone i mod N, largest first); each zone's
//! tasks are then packed first-fit decreasing. Pure numbers: no prices, no plan.

use serde::Serialize;

/// One task's reservation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Task {
    pub cpu_units: u32,
    pub memory_mib: u32,
}

/// What one instance offers tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Bin {
    /// vCPU × 1024.
    pub cpu_units: u32,
    /// Installed memory less the reservation for the agent and OS.
    pub memory_mib: u32,
    /// awsvpc tasks the instance can hold (ENIs − 1, or the trunking figure).
    pub task_slots: u32,
}

/// What stops an instance taking one more task of a size first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    Cpu,
    Memory,
    /// The awsvpc network interfaces (task slots).
    Enis,
}

impl Bin {
    /// How many tasks of one size fit an empty instance, and the limit that binds (the first of
    /// CPU, memory, ENIs that gives the smallest count).
    pub fn holds(self, task: Task) -> (u32, Limit) {
        let by_cpu = self.cpu_units / task.cpu_units.max(1);
        let by_memory = self.memory_mib / task.memory_mib.max(1);
        let mut best = (by_cpu, Limit::Cpu);
        for c in [(by_memory, Limit::Memory), (self.task_slots, Limit::Enis)] {
            if c.0 < best.0 {
                best = c;
            }
        }
        best
    }
}

/// The packing of a set of tasks onto one instance type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Packing {
    /// Instances per zone, in zone order.
    pub per_zone: Vec<u32>,
    pub instances: u32,
    pub tasks: u32,
    /// Instances if total CPU and memory were all that counted:
    /// max(⌈Σ vCPU ÷ instance vCPU⌉, ⌈Σ memory ÷ instance memory⌉), installed sizes.
    pub lower_bound: u32,
}

impl Packing {
    /// Instances above the lower bound (reservation, ENIs, zones and fragmentation).
    pub fn gap(&self) -> u32 {
        self.instances.saturating_sub(self.lower_bound)
    }
}

fn ceil_div(a: u64, b: u64) -> u64 {
    if b == 0 { 0 } else { a.div_ceil(b) }
}

/// Packs `tasks` over `zones` zones (at least 1) onto instances of `bin`; `installed` is the
/// instance's CPU units and memory before any reservation (for the lower bound). `None` when
/// a task fits no empty instance.
pub fn pack(tasks: &[Task], bin: Bin, installed: (u32, u32), zones: u32) -> Option<Packing> {
    let zones = zones.max(1) as usize;
    if tasks
        .iter()
        .any(|t| t.cpu_units > bin.cpu_units || t.memory_mib > bin.memory_mib)
        || (bin.task_slots == 0 && !tasks.is_empty())
    {
        return None;
    }
    let mut sorted: Vec<Task> = tasks.to_vec();
    sorted.sort_by(|a, b| {
        b.memory_mib
            .cmp(&a.memory_mib)
            .then(b.cpu_units.cmp(&a.cpu_units))
    });
    let mut per_zone = vec![0u32; zones];
    for (z, count) in per_zone.iter_mut().enumerate() {
        let zone_tasks = sorted.iter().skip(z).step_by(zones);
        // First fit: each open instance's free (cpu, memory, slots).
        let mut open: Vec<(u32, u32, u32)> = Vec::new();
        for t in zone_tasks {
            match open
                .iter_mut()
                .find(|(c, m, s)| *c >= t.cpu_units && *m >= t.memory_mib && *s >= 1)
            {
                Some(slot) => {
                    slot.0 -= t.cpu_units;
                    slot.1 -= t.memory_mib;
                    slot.2 -= 1;
                }
                None => open.push((
                    bin.cpu_units - t.cpu_units,
                    bin.memory_mib - t.memory_mib,
                    bin.task_slots - 1,
                )),
            }
        }
        *count = u32::try_from(open.len()).unwrap_or(u32::MAX);
    }
    let cpu: u64 = tasks.iter().map(|t| u64::from(t.cpu_units)).sum();
    let mem: u64 = tasks.iter().map(|t| u64::from(t.memory_mib)).sum();
    let lower = ceil_div(cpu, u64::from(installed.0)).max(ceil_div(mem, u64::from(installed.1)));
    Some(Packing {
        instances: per_zone.iter().sum(),
        per_zone,
        tasks: u32::try_from(tasks.len()).unwrap_or(u32::MAX),
        lower_bound: u32::try_from(lower).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ONE_BY_TWO: Task = Task {
        cpu_units: 1024,
        memory_mib: 2048,
    };

    #[test]
    fn identical_tasks_fill_each_zone_separately() {
        // 2 vCPU, 8 GiB less 256 MiB, 2 ENI slots: 2 tasks an instance; 5 tasks a zone → 3.
        let bin = Bin {
            cpu_units: 2048,
            memory_mib: 7936,
            task_slots: 2,
        };
        assert_eq!(bin.holds(ONE_BY_TWO), (2, Limit::Cpu));
        let p = pack(&[ONE_BY_TWO; 10], bin, (2048, 8192), 2).unwrap();
        assert_eq!(
            (p.per_zone.clone(), p.instances, p.lower_bound),
            (vec![3, 3], 6, 5)
        );
        assert_eq!(p.gap(), 1);
        let one_zone = pack(&[ONE_BY_TWO; 10], bin, (2048, 8192), 1).unwrap();
        assert_eq!(one_zone.instances, 5);
    }

    #[test]
    fn mixed_sizes_pack_largest_first_and_a_task_too_big_fits_nowhere() {
        let bin = Bin {
            cpu_units: 4096,
            memory_mib: 16128,
            task_slots: 3,
        };
        let big = Task {
            cpu_units: 2048,
            memory_mib: 8192,
        };
        let small = Task {
            cpu_units: 512,
            memory_mib: 1024,
        };
        // Zone 1: big, small, small → one instance (slots 3); zone 2: big, small → one.
        let p = pack(&[small, big, small, big, small], bin, (4096, 16384), 2).unwrap();
        assert_eq!(p.per_zone, vec![1, 1]);
        let huge = Task {
            cpu_units: 8192,
            memory_mib: 1024,
        };
        assert!(pack(&[huge], bin, (4096, 16384), 2).is_none());
        assert_eq!(
            Bin {
                task_slots: 10,
                ..bin
            }
            .holds(Task {
                cpu_units: 256,
                memory_mib: 4096
            }),
            (3, Limit::Memory)
        );
    }

    proptest! {
        #[test]
        fn never_below_the_lower_bound_and_never_more_than_one_instance_a_task(
            n in 0usize..60,
            zones in 1u32..4,
            cpu in prop::sample::select(vec![256u32, 512, 1024, 2048]),
            mem in 512u32..8000,
        ) {
            let bin = Bin { cpu_units: 4096, memory_mib: 15872, task_slots: 3 };
            let t = Task { cpu_units: cpu, memory_mib: mem };
            let p = pack(&vec![t; n], bin, (4096, 16384), zones).unwrap();
            prop_assert!(p.instances >= p.lower_bound);
            prop_assert!(p.instances as usize <= n);
            let (each, _) = bin.holds(t);
            // Identical tasks: each zone needs exactly ⌈its tasks ÷ per instance⌉.
            let expect: u32 = (0..zones as usize)
                .map(|z| {
                    let k = (n + zones as usize - 1 - z) / zones as usize;
                    (k as u32).div_ceil(each)
                })
                .sum();
            prop_assert_eq!(p.instances, expect);
        }
    }
}
