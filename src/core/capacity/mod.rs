//! The same tasks on EC2 container instances: which instance type packs a service's peak tasks
//! cheapest, how many instances that takes over the month, and what the figure leaves out.
//!
//! For every type of the EC2 book ([`crate::core::pricing::ec2`]) with an on-demand Linux price in
//! the service's region and an architecture the images run on (Graviton only when the task is
//! ARM64 or `image_architectures` lists ARM64), the peak tasks are packed first-fit decreasing
//! over the plan's Availability Zones ([`packing`]) with three limits per instance: CPU, memory
//! less the reservation for the agent and OS, and awsvpc task slots (max ENIs − 1, or the
//! trunking figure from `[plan.ec2]`). Burstable types (t3, t4g) are left out: their CPU runs on
//! credits above a baseline, so a task's full vCPU is not guaranteed. The cheapest month wins.
//! Instances follow the schedule (a capacity provider with managed scaling) and are sized for
//! the peak: the desired count, or autoscaling's `max_capacity` when larger. Nothing here is
//! priced at zero for want of data: a region without prices, a Windows task or a task bigger
//! than every type is a reason, not a number. See docs/ec2.md.

pub mod packing;

use crate::core::plan::Service;
use crate::core::plan::sections::ec2::Ec2Settings;
use crate::core::pricing::ec2::{Ec2Book, InstancePrice, InstanceSpec};
use crate::core::rules::DataError;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::schedule::MINUTES_PER_WEEK;
use chrono::NaiveDate;
use packing::{Bin, Limit, Packing, Task, pack};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

const EMBEDDED_TOML: &str = include_str!("../../../data/ec2-capacity.toml");

/// A sourced figure of `data/ec2-capacity.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourcedRate {
    pub usd_per_hour: Usd,
    pub as_of: Option<NaiveDate>,
    pub source: String,
    /// The instance type a fee example is for.
    pub instance_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRate {
    usd_per_hour: String,
    as_of: Option<String>,
    source: String,
    instance_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFacts {
    public_ipv4: RawRate,
    managed_instances_fee_example: RawRate,
}

/// The figures around the instance price (`data/ec2-capacity.toml`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ec2Facts {
    pub public_ipv4: SourcedRate,
    pub managed_fee_example: SourcedRate,
}

impl Ec2Facts {
    pub fn embedded() -> Result<Ec2Facts, DataError> {
        let file = "data/ec2-capacity.toml";
        let err = |message: String| DataError {
            file: file.to_string(),
            message,
        };
        let raw: RawFacts = toml::from_str(EMBEDDED_TOML).map_err(|e| err(e.to_string()))?;
        let rate = |r: RawRate| -> Result<SourcedRate, DataError> {
            Ok(SourcedRate {
                usd_per_hour: Usd::new(
                    Decimal::from_str(&r.usd_per_hour).map_err(|e| err(e.to_string()))?,
                ),
                as_of: r
                    .as_of
                    .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
                    .transpose()
                    .map_err(|e| err(e.to_string()))?,
                source: r.source,
                instance_type: r.instance_type,
            })
        };
        Ok(Ec2Facts {
            public_ipv4: rate(raw.public_ipv4)?,
            managed_fee_example: rate(raw.managed_instances_fee_example)?,
        })
    }
}

/// What the EC2 model reads besides the service.
#[derive(Clone, Copy)]
pub struct Ec2Inputs<'a> {
    pub book: &'a Ec2Book,
    pub facts: &'a Ec2Facts,
    pub settings: &'a Ec2Settings,
    /// Spot's discount on the on-demand price as a fraction (`--ec2-spot-discount`); `None`: no
    /// Spot figure (Spot instance prices are not in the Price List).
    pub spot_discount: Option<Decimal>,
}

/// Why a service has no EC2 figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ec2Unpriced {
    /// Windows container instances need a Windows EC2 price source, which the book lacks.
    Windows,
    /// The book has no price in the region.
    NoPrices { region: String },
    /// No type of an allowed architecture holds one task.
    NoFit { archs: Vec<CpuArch> },
}

/// One instance type's month for a service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ec2Candidate {
    pub instance_type: String,
    pub arch: CpuArch,
    pub per_hour: Usd,
    /// Tasks one empty instance holds, and what stops it holding more.
    pub tasks_per_instance: u32,
    pub limit: Limit,
    /// The peak tasks packed (during the uptime).
    pub peak: Packing,
    /// Instances for the tasks kept outside the uptime windows.
    pub outside_instances: u32,
    pub instance_hours: Decimal,
    pub monthly: Usd,
}

/// A service's EC2 month: the cheapest type and the runners-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ec2Month {
    pub peak_tasks: u32,
    /// The peak is autoscaling's `max_capacity` (above the desired count).
    pub peak_from_autoscaling: bool,
    pub outside_tasks: u32,
    pub up_hours: Decimal,
    pub other_hours: Decimal,
    pub zones: u32,
    pub reserved_memory_mib: u32,
    /// The plan set the reservation (else it is the assumed default).
    pub reserved_memory_declared: bool,
    pub awsvpc_tasks_per_instance: Option<u32>,
    pub chosen: Ec2Candidate,
    pub spec: InstanceSpec,
    pub price: InstancePrice,
    /// The next cheapest types, cheapest first (at most three).
    pub runners_up: Vec<Ec2Candidate>,
    /// Task-hours of the service over the month (what Fargate bills).
    pub task_hours: Decimal,
    /// Public IPv4 on both sides, when the service's tasks get public addresses.
    pub public_ipv4: Option<PublicIpv4>,
    /// Tasks per instance at which the chosen type costs what Fargate on demand does on its
    /// architecture (set by the comparison, which has the Fargate price).
    pub break_even_density: Option<Decimal>,
}

impl Ec2Month {
    /// Tasks per instance on average over the month.
    pub fn density(&self) -> Decimal {
        if self.chosen.instance_hours.is_zero() {
            Decimal::ZERO
        } else {
            self.task_hours / self.chosen.instance_hours
        }
    }

    /// The Managed Instances fee over the month, at `fee` per instance-hour.
    pub fn managed_fee(&self, fee: Usd) -> Usd {
        fee * self.chosen.instance_hours
    }
}

/// Public IPv4 addresses counted on both sides: one per task ENI on Fargate, one per instance
/// on EC2 (awsvpc task ENIs on EC2 cannot have one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicIpv4 {
    pub per_hour: Usd,
    pub fargate_monthly: Usd,
    pub ec2_monthly: Usd,
}

/// The architectures the service's images run on.
pub fn allowed_archs(service: &Service) -> Vec<CpuArch> {
    let mut archs = service.tuning.image_architectures.clone();
    if !archs.contains(&service.arch) {
        archs.push(service.arch);
    }
    archs.sort();
    archs
}

/// The peak task count during the uptime, and whether autoscaling set it.
pub fn peak_tasks(service: &Service) -> (u32, bool) {
    match &service.autoscaling {
        Some(a) if a.max_capacity > service.desired_count => (a.max_capacity, true),
        _ => (service.desired_count, false),
    }
}

/// What one instance of `spec` offers tasks under `settings`.
pub fn bin(spec: &InstanceSpec, settings: &Ec2Settings) -> Bin {
    Bin {
        cpu_units: spec.vcpu.saturating_mul(1024),
        memory_mib: spec.memory_mib.saturating_sub(settings.reserved_memory_mib),
        task_slots: settings
            .awsvpc_tasks_per_instance
            .unwrap_or(spec.max_enis.saturating_sub(1)),
    }
}

/// The month of one service on one instance type; `None` when a task does not fit it.
pub fn candidate(
    service: &Service,
    hours: Decimal,
    spec: &InstanceSpec,
    per_hour: Usd,
    settings: &Ec2Settings,
) -> Option<Ec2Candidate> {
    let (up, other) = split_hours(service, hours);
    let task = Task {
        cpu_units: service.size.cpu.0,
        memory_mib: service.size.memory.0,
    };
    let b = bin(spec, settings);
    let installed = (spec.vcpu.saturating_mul(1024), spec.memory_mib);
    let zones = settings.availability_zones;
    let (peak_n, _) = peak_tasks(service);
    let peak = pack(&vec![task; peak_n as usize], b, installed, zones)?;
    let outside = pack(
        &vec![task; service.outside_desired_count as usize],
        b,
        installed,
        zones,
    )?;
    let (tasks_per_instance, limit) = b.holds(task);
    let instance_hours =
        Decimal::from(peak.instances) * up + Decimal::from(outside.instances) * other;
    Some(Ec2Candidate {
        instance_type: spec.instance_type.clone(),
        arch: spec.arch,
        per_hour,
        tasks_per_instance,
        limit,
        peak,
        outside_instances: outside.instances,
        instance_hours,
        monthly: per_hour * instance_hours,
    })
}

/// Hours a month inside the uptime windows, and outside them.
fn split_hours(service: &Service, hours: Decimal) -> (Decimal, Decimal) {
    let up =
        hours * Decimal::from(service.uptime.minutes_per_week()) / Decimal::from(MINUTES_PER_WEEK);
    (up, hours - up)
}

/// The non-burstable types of `archs` with a price in `region`.
fn priced_types<'b, 'a>(
    book: &'b Ec2Book,
    region: &'a str,
    archs: &'a [CpuArch],
) -> impl Iterator<Item = (&'b InstanceSpec, &'b InstancePrice)> + use<'a, 'b> {
    book.specs()
        .filter(move |s| !s.is_burstable() && archs.contains(&s.arch))
        .filter_map(move |s| Some((s, book.price(region, &s.instance_type)?)))
}

/// The cheapest instance type for the service, with the runners-up.
pub fn ec2_month(
    service: &Service,
    hours: Decimal,
    inputs: Ec2Inputs<'_>,
) -> Result<Ec2Month, Ec2Unpriced> {
    if service.os.is_windows() {
        return Err(Ec2Unpriced::Windows);
    }
    if !inputs.book.has_region(&service.region) {
        return Err(Ec2Unpriced::NoPrices {
            region: service.region.clone(),
        });
    }
    let archs = allowed_archs(service);
    let mut all: Vec<(Ec2Candidate, &InstanceSpec, &InstancePrice)> =
        priced_types(inputs.book, &service.region, &archs)
            .filter_map(|(s, p)| {
                let c = candidate(service, hours, s, Usd::new(p.usd_per_hour), inputs.settings)?;
                Some((c, s, p))
            })
            .collect();
    all.sort_by(|a, b| {
        a.0.monthly
            .cmp(&b.0.monthly)
            .then(a.0.peak.instances.cmp(&b.0.peak.instances))
            .then(a.0.instance_type.cmp(&b.0.instance_type))
    });
    let mut it = all.into_iter();
    let (chosen, spec, price) = it.next().ok_or(Ec2Unpriced::NoFit { archs })?;
    let runners_up = it.take(3).map(|(c, _, _)| c).collect();
    let (up_hours, other_hours) = split_hours(service, hours);
    let task_hours = Decimal::from(service.desired_count) * up_hours
        + Decimal::from(service.outside_desired_count) * other_hours;
    let public_ipv4 = service.network.assigns_public_ip().then(|| {
        let per_hour = inputs.facts.public_ipv4.usd_per_hour;
        PublicIpv4 {
            per_hour,
            fargate_monthly: per_hour * task_hours,
            ec2_monthly: per_hour * chosen.instance_hours,
        }
    });
    let (peak_tasks, peak_from_autoscaling) = peak_tasks(service);
    Ok(Ec2Month {
        peak_tasks,
        peak_from_autoscaling,
        outside_tasks: service.outside_desired_count,
        up_hours,
        other_hours,
        zones: inputs.settings.availability_zones,
        reserved_memory_mib: inputs.settings.reserved_memory_mib,
        reserved_memory_declared: inputs.settings.reserved_memory_declared,
        awsvpc_tasks_per_instance: inputs.settings.awsvpc_tasks_per_instance,
        chosen,
        spec: spec.clone(),
        price: price.clone(),
        runners_up,
        task_hours,
        public_ipv4,
        break_even_density: None,
    })
}

/// One region's Linux services packed together onto one instance type: every service's peak
/// tasks at once, on instances that run all month (an upper bound when the services keep
/// different schedules).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterMonth {
    pub region: String,
    pub services: Vec<String>,
    pub tasks: u32,
    pub instance_type: String,
    pub arch: CpuArch,
    pub per_hour: Usd,
    pub packing: Packing,
    pub instance_hours: Decimal,
    pub monthly: Usd,
    pub price: InstancePrice,
}

/// Packs the peak tasks of `services` (Linux, one region) together, first-fit decreasing over
/// the zones, onto the cheapest type every service's images run on.
pub fn shared_cluster(
    services: &[&Service],
    hours: Decimal,
    inputs: Ec2Inputs<'_>,
) -> Result<ClusterMonth, Ec2Unpriced> {
    let Some(first) = services.first() else {
        return Err(Ec2Unpriced::NoFit { archs: Vec::new() });
    };
    let region = first.region.clone();
    if services.iter().any(|s| s.os.is_windows()) {
        return Err(Ec2Unpriced::Windows);
    }
    if !inputs.book.has_region(&region) {
        return Err(Ec2Unpriced::NoPrices { region });
    }
    let mut archs = allowed_archs(first);
    for s in services {
        let theirs = allowed_archs(s);
        archs.retain(|a| theirs.contains(a));
    }
    let tasks: Vec<Task> = services
        .iter()
        .flat_map(|s| {
            let task = Task {
                cpu_units: s.size.cpu.0,
                memory_mib: s.size.memory.0,
            };
            std::iter::repeat_n(task, peak_tasks(s).0.max(s.outside_desired_count) as usize)
        })
        .collect();
    let best = priced_types(inputs.book, &region, &archs)
        .filter_map(|(spec, price)| {
            let installed = (spec.vcpu.saturating_mul(1024), spec.memory_mib);
            let p = pack(
                &tasks,
                bin(spec, inputs.settings),
                installed,
                inputs.settings.availability_zones,
            )?;
            let instance_hours = Decimal::from(p.instances) * hours;
            let monthly = Usd::new(price.usd_per_hour) * instance_hours;
            Some((monthly, p, spec, price, instance_hours))
        })
        .min_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.instances.cmp(&b.1.instances))
                .then(a.2.instance_type.cmp(&b.2.instance_type))
        });
    let Some((monthly, packing, spec, price, instance_hours)) = best else {
        return Err(Ec2Unpriced::NoFit { archs });
    };
    Ok(ClusterMonth {
        region,
        services: services.iter().map(|s| s.name.clone()).collect(),
        tasks: u32::try_from(tasks.len()).unwrap_or(u32::MAX),
        instance_type: spec.instance_type.clone(),
        arch: spec.arch,
        per_hour: Usd::new(price.usd_per_hour),
        packing,
        instance_hours,
        monthly,
        price: price.clone(),
    })
}

/// Tasks per instance at which an instance costs what Fargate charges for the same tasks:
/// instance price per hour ÷ Fargate's price per task-hour.
pub fn break_even_density(instance_per_hour: Usd, fargate_per_task_hour: Usd) -> Option<Decimal> {
    (fargate_per_task_hour.0 > Decimal::ZERO).then(|| instance_per_hour.0 / fargate_per_task_hour.0)
}

#[cfg(test)]
mod tests;
