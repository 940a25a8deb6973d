//! The JSON document of `recommend`: a view of the core's [`Recommendation`] with the field names
//! and order of schema version 3, its prose fields phrased by [`super::recommend_text`].

use super::recommend_text as text;
use crate::core::pricing::Price;
use crate::core::recommend::{
    Candidate, ImageArchitectures, Recommendation, SavingsPlanOption, SavingsPlans,
    ServiceRecommendation, Snippets,
};
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::strategy::Strategy;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Serialize)]
struct CandidateJson<'a> {
    arch: &'a CpuArch,
    size: &'a TaskSize,
    strategy: &'a Strategy,
    strategy_label: String,
    expected_monthly: &'a Usd,
    p95_monthly: &'a Usd,
    availability_percent: f64,
    availability_p95_percent: f64,
    spot_percent: f64,
    meets_target: bool,
    within_ceiling: bool,
    keeps_on_demand_floor: bool,
}

impl<'a> CandidateJson<'a> {
    fn new(c: &'a Candidate) -> Self {
        CandidateJson {
            arch: &c.arch,
            size: &c.size,
            strategy: &c.strategy,
            strategy_label: c.strategy.to_string(),
            expected_monthly: &c.expected_monthly,
            p95_monthly: &c.p95_monthly,
            availability_percent: c.availability_percent,
            availability_p95_percent: c.availability_p95_percent,
            spot_percent: c.spot_percent,
            meets_target: c.meets_target,
            within_ceiling: c.within_ceiling,
            keeps_on_demand_floor: c.keeps_on_demand_floor,
        }
    }
}

/// One container's image as `--images` read it.
#[derive(Serialize)]
struct ImageJson<'a> {
    container: &'a str,
    image: &'a str,
    /// `linux/arm64`-style names; `null` when it could not be read.
    platforms: Option<Vec<String>>,
    /// Why it could not be read.
    error: Option<&'a str>,
}

/// The architectures considered and what they rest on.
#[derive(Serialize)]
struct ImagesJson<'a> {
    /// `declared` (the plan's image_architectures), `images` (read with --images) or `unknown`.
    source: &'static str,
    architectures: &'a [CpuArch],
    images: Vec<ImageJson<'a>>,
    arm_saving_forgone_monthly: &'a Option<Usd>,
}

impl<'a> ImagesJson<'a> {
    fn new(i: &'a ImageArchitectures) -> Self {
        ImagesJson {
            source: i.source.id(),
            architectures: &i.architectures,
            images: i
                .images
                .iter()
                .map(|r| ImageJson {
                    container: &r.container,
                    image: &r.image,
                    platforms: r
                        .platforms
                        .as_ref()
                        .ok()
                        .map(|p| p.iter().map(ToString::to_string).collect()),
                    error: r.platforms.as_ref().err().map(String::as_str),
                })
                .collect(),
            arm_saving_forgone_monthly: &i.arm_saving_forgone,
        }
    }
}

#[derive(Serialize)]
struct ServiceJson<'a> {
    name: &'a str,
    region: &'a str,
    os: &'a str,
    min_healthy: u32,
    target_percent: f64,
    target_is_default: bool,
    p95_cost_ceiling: &'a Option<Usd>,
    as_written: CandidateJson<'a>,
    recommended: Option<CandidateJson<'a>>,
    spot_alternative: Option<CandidateJson<'a>>,
    best_availability_percent: f64,
    saving_monthly: &'a Option<Usd>,
    reasons: Vec<String>,
    image_architectures: ImagesJson<'a>,
    frontier: Vec<CandidateJson<'a>>,
    candidates: usize,
    skipped: Vec<String>,
    snippets: &'a Option<Snippets>,
}

impl<'a> ServiceJson<'a> {
    fn new(s: &'a ServiceRecommendation) -> Self {
        ServiceJson {
            name: &s.name,
            region: &s.region,
            os: &s.os,
            min_healthy: s.min_healthy,
            target_percent: s.target_percent,
            target_is_default: s.target_is_default,
            p95_cost_ceiling: &s.p95_cost_ceiling,
            as_written: CandidateJson::new(&s.as_written),
            recommended: s.recommended.as_ref().map(CandidateJson::new),
            spot_alternative: s.spot_alternative.as_ref().map(CandidateJson::new),
            best_availability_percent: s.best_availability_percent,
            saving_monthly: &s.saving_monthly,
            reasons: s.reasons.iter().map(text::reason).collect(),
            image_architectures: ImagesJson::new(&s.image_architectures),
            frontier: s.frontier.iter().map(CandidateJson::new).collect(),
            candidates: s.candidates,
            skipped: s.skipped.iter().map(text::skipped).collect(),
            snippets: &s.snippets,
        }
    }
}

#[derive(Serialize)]
struct OptionJson<'a> {
    plan: &'a str,
    label: String,
    not_sized: Option<String>,
    commitment_per_hour: &'a Usd,
    commitment_monthly: &'a Usd,
    upfront: &'a Option<Usd>,
    coverage_percent: &'a Decimal,
    unused_percent: &'a Decimal,
    net_saving_monthly: &'a Usd,
    break_even_utilization_percent: &'a Decimal,
    rates_as_of: &'a Option<NaiveDate>,
    rates_sources: &'a [String],
}

impl<'a> OptionJson<'a> {
    fn new(o: &'a SavingsPlanOption) -> Self {
        OptionJson {
            plan: &o.plan,
            label: text::plan_label(&o.plan),
            not_sized: o.not_sized.as_ref().map(|m| text::not_sized(&o.plan, m)),
            commitment_per_hour: &o.commitment_per_hour,
            commitment_monthly: &o.commitment_monthly,
            upfront: &o.upfront,
            coverage_percent: &o.coverage_percent,
            unused_percent: &o.unused_percent,
            net_saving_monthly: &o.net_saving_monthly,
            break_even_utilization_percent: &o.break_even_utilization_percent,
            rates_as_of: &o.rates_as_of,
            rates_sources: &o.rates_sources,
        }
    }
}

#[derive(Serialize)]
struct SavingsPlansJson<'a> {
    eligible_monthly: &'a Usd,
    excluded: Vec<String>,
    options: Vec<OptionJson<'a>>,
}

impl<'a> SavingsPlansJson<'a> {
    fn new(sp: &'a SavingsPlans) -> Self {
        SavingsPlansJson {
            eligible_monthly: &sp.eligible_monthly,
            excluded: sp.excluded.iter().map(text::excluded).collect(),
            options: sp.options.iter().map(OptionJson::new).collect(),
        }
    }
}

/// The document: schema version 3.
#[derive(Serialize)]
struct RecommendationJson<'a> {
    schema_version: u32,
    plan: &'a Option<String>,
    trials: u32,
    seed: u64,
    start: &'a NaiveDate,
    horizon_days: f64,
    hours_per_month: &'a Decimal,
    services: Vec<ServiceJson<'a>>,
    total_as_written: &'a Usd,
    total_recommended: &'a Usd,
    static_as_written: &'a Usd,
    savings_plans: SavingsPlansJson<'a>,
    prices_used: &'a [Price],
    generated_on: &'a NaiveDate,
    notes: Vec<String>,
    /// Schema 3: EC2 against Fargate for services whose `capacity` lists `"ec2"`.
    ec2: Vec<Ec2Json<'a>>,
}

#[derive(Serialize)]
struct Ec2Json<'a> {
    service: &'a str,
    /// `proposed`, `fargate_cheaper` or `not_priced`.
    outcome: &'static str,
    fargate_monthly: &'a Usd,
    ec2_monthly: Option<&'a Usd>,
    instance_type: Option<&'a str>,
    instances: Option<u32>,
    peak_tasks: Option<u32>,
    text: String,
}

impl<'a> Ec2Json<'a> {
    fn new(p: &'a crate::core::recommend::ec2::Ec2Proposal) -> Self {
        use crate::core::recommend::ec2::Ec2Outcome;
        let m = p.month.as_deref();
        Ec2Json {
            service: &p.service,
            outcome: match p.outcome {
                Ec2Outcome::Proposed { .. } => "proposed",
                Ec2Outcome::FargateCheaper { .. } => "fargate_cheaper",
                Ec2Outcome::NotPriced(_) => "not_priced",
            },
            fargate_monthly: &p.fargate_monthly,
            ec2_monthly: m.map(|m| &m.chosen.monthly),
            instance_type: m.map(|m| m.chosen.instance_type.as_str()),
            instances: m.map(|m| m.chosen.peak.instances),
            peak_tasks: m.map(|m| m.peak_tasks),
            text: super::compare_ec2::recommend_line(p),
        }
    }
}

/// `r` as pretty-printed JSON, without the final newline.
pub fn to_vec_pretty(r: &Recommendation) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec_pretty(&RecommendationJson {
        schema_version: r.schema_version,
        plan: &r.plan,
        trials: r.trials,
        seed: r.seed,
        start: &r.start,
        horizon_days: r.horizon_days,
        hours_per_month: &r.hours_per_month,
        services: r.services.iter().map(ServiceJson::new).collect(),
        total_as_written: &r.total_as_written,
        total_recommended: &r.total_recommended,
        static_as_written: &r.static_as_written,
        savings_plans: SavingsPlansJson::new(&r.savings_plans),
        prices_used: &r.prices_used,
        generated_on: &r.generated_on,
        notes: r.notes.iter().map(|n| text::note(r, n)).collect(),
        ec2: r.ec2.iter().map(Ec2Json::new).collect(),
    })
}
