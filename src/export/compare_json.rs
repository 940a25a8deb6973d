//! The comparison's JSON document, kept as it was when the core held sentences: the same fields in
//! the same order, the prose fields phrased by [`super::compare_text`], exact amounts as strings.

use super::compare_text::{assumption, cost_item, disqualifier, not_priced, note, option_label};
use crate::core::capacity::packing::Limit;
use crate::core::capacity::{Ec2Month, PublicIpv4};
use crate::core::compare::ec2::ClusterComparison;
use crate::core::compare::{
    BreakEven, CompareRow, Comparison, OptionId, PriceRef, Series, ServiceComparison,
    WorkloadSummary,
};
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::CpuArch;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Serialize)]
struct ComparisonJson<'a> {
    schema_version: u32,
    plan_name: &'a Option<String>,
    generated_on: NaiveDate,
    hours_per_month: Decimal,
    currency: &'static str,
    services: Vec<ServiceJson<'a>>,
    clusters: Vec<ClusterJson<'a>>,
    prices: &'a [PriceRef],
    notes: Vec<String>,
}

/// One region's shared EC2 cluster.
#[derive(Serialize)]
struct ClusterJson<'a> {
    region: &'a str,
    services: &'a [String],
    tasks: Option<u32>,
    instance_type: Option<&'a str>,
    instances: Option<u32>,
    lower_bound_instances: Option<u32>,
    monthly: Option<Usd>,
    separate_monthly: Option<Usd>,
    fargate_monthly: Option<Usd>,
    text: String,
}

fn cluster(c: &ClusterComparison) -> ClusterJson<'_> {
    let m = c.cluster.as_ref().ok();
    ClusterJson {
        region: &c.region,
        services: &c.services,
        tasks: m.map(|m| m.tasks),
        instance_type: m.map(|m| m.instance_type.as_str()),
        instances: m.map(|m| m.packing.instances),
        lower_bound_instances: m.map(|m| m.packing.lower_bound),
        monthly: m.map(|m| m.monthly),
        separate_monthly: c.separate_monthly,
        fargate_monthly: c.fargate_monthly,
        text: super::compare_ec2::cluster_line(c),
    }
}

#[derive(Serialize)]
struct ServiceJson<'a> {
    name: &'a str,
    region: &'a str,
    operating_system_family: &'a str,
    cpu_architecture: CpuArch,
    size: &'a str,
    desired_count: u32,
    uptime: &'a str,
    strategy: &'a str,
    seconds_up_per_month: Decimal,
    workload: &'a Option<WorkloadSummary>,
    rows: Vec<RowJson<'a>>,
    series: &'a Series,
}

#[derive(Serialize)]
struct RowJson<'a> {
    id: &'a str,
    option: &'a OptionId,
    label: String,
    current: bool,
    monthly: Option<Usd>,
    vs_x86_on_demand: Option<Usd>,
    vs_x86_on_demand_percent: Option<Decimal>,
    lines: Vec<LineJson>,
    assumptions: Vec<String>,
    disqualifiers: Vec<String>,
    not_priced: Option<String>,
    break_even: &'a [BreakEven],
    #[serde(skip_serializing_if = "Option::is_none")]
    ec2: Option<Ec2Json<'a>>,
}

/// The EC2 month behind an EC2 row, as numbers.
#[derive(Serialize)]
struct Ec2Json<'a> {
    instance_type: &'a str,
    cpu_architecture: CpuArch,
    usd_per_hour: Usd,
    instances: u32,
    instances_per_zone: &'a [u32],
    tasks_per_instance: u32,
    limited_by: Limit,
    peak_tasks: u32,
    peak_from_autoscaling: bool,
    outside_tasks: u32,
    outside_instances: u32,
    instance_hours: Decimal,
    lower_bound_instances: u32,
    gap_instances: u32,
    availability_zones: u32,
    reserved_memory_mib: u32,
    reserved_memory_assumed: bool,
    awsvpc_tasks_per_instance: Option<u32>,
    tasks_per_instance_average: Decimal,
    break_even_tasks_per_instance: Option<Decimal>,
    public_ipv4: &'a Option<PublicIpv4>,
    runners_up: Vec<RunnerUpJson<'a>>,
}

#[derive(Serialize)]
struct RunnerUpJson<'a> {
    instance_type: &'a str,
    instances: u32,
    monthly: Usd,
}

fn ec2(m: &Ec2Month) -> Ec2Json<'_> {
    let c = &m.chosen;
    Ec2Json {
        instance_type: &c.instance_type,
        cpu_architecture: c.arch,
        usd_per_hour: c.per_hour,
        instances: c.peak.instances,
        instances_per_zone: &c.peak.per_zone,
        tasks_per_instance: c.tasks_per_instance,
        limited_by: c.limit,
        peak_tasks: m.peak_tasks,
        peak_from_autoscaling: m.peak_from_autoscaling,
        outside_tasks: m.outside_tasks,
        outside_instances: c.outside_instances,
        instance_hours: c.instance_hours,
        lower_bound_instances: c.peak.lower_bound,
        gap_instances: c.peak.gap(),
        availability_zones: m.zones,
        reserved_memory_mib: m.reserved_memory_mib,
        reserved_memory_assumed: !m.reserved_memory_declared,
        awsvpc_tasks_per_instance: m.awsvpc_tasks_per_instance,
        tasks_per_instance_average: m.density(),
        break_even_tasks_per_instance: m.break_even_density,
        public_ipv4: &m.public_ipv4,
        runners_up: m
            .runners_up
            .iter()
            .map(|r| RunnerUpJson {
                instance_type: &r.instance_type,
                instances: r.peak.instances,
                monthly: r.monthly,
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct LineJson {
    item: String,
    monthly: Usd,
}

fn row(r: &CompareRow) -> RowJson<'_> {
    RowJson {
        id: &r.id,
        option: &r.option,
        label: option_label(&r.option),
        current: r.current,
        monthly: r.monthly,
        vs_x86_on_demand: r.vs_x86_on_demand,
        vs_x86_on_demand_percent: r.vs_x86_on_demand_percent,
        lines: r
            .lines
            .iter()
            .map(|l| LineJson {
                item: cost_item(&l.item),
                monthly: l.monthly,
            })
            .collect(),
        assumptions: r.assumptions.iter().map(assumption).collect(),
        disqualifiers: r.disqualifiers.iter().map(disqualifier).collect(),
        not_priced: r.not_priced.as_ref().map(not_priced),
        break_even: &r.break_even,
        ec2: r.ec2.as_deref().map(ec2),
    }
}

fn service(s: &ServiceComparison) -> ServiceJson<'_> {
    ServiceJson {
        name: &s.name,
        region: &s.region,
        operating_system_family: &s.operating_system_family,
        cpu_architecture: s.cpu_architecture,
        size: &s.size,
        desired_count: s.desired_count,
        uptime: &s.uptime,
        strategy: &s.strategy,
        seconds_up_per_month: s.seconds_up_per_month,
        workload: &s.workload,
        rows: s.rows.iter().map(row).collect(),
        series: &s.series,
    }
}

/// The comparison as pretty-printed JSON, ending in a newline.
pub fn json(c: &Comparison) -> Result<Vec<u8>, serde_json::Error> {
    let doc = ComparisonJson {
        schema_version: c.schema_version,
        plan_name: &c.plan_name,
        generated_on: c.generated_on,
        hours_per_month: c.hours_per_month,
        currency: c.currency,
        services: c.services.iter().map(service).collect(),
        clusters: c.clusters.iter().map(cluster).collect(),
        prices: &c.prices,
        notes: c.notes.iter().map(note).collect(),
    };
    let mut out = serde_json::to_vec_pretty(&doc)?;
    out.push(b'\n');
    Ok(out)
}
