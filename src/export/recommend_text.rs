//! The English of a recommendation: the core gives its reasons, skipped candidates, Savings Plans
//! exclusions and notes as values with exact figures; these functions phrase and round them for
//! the table, Markdown and the JSON document alike.

use crate::core::recommend::{
    AllSpotVerdict, Candidate, Excluded, MissingRate, Note, Reason, Recommendation, Resize,
    Skipped, Target,
};
use rust_decimal::Decimal;

/// An availability: three decimals from 99% (more when needed, never rounded up to 100%), one
/// below.
pub fn fmt_pct(v: f64) -> String {
    if v >= 99.0 {
        super::availability(v, 3)
    } else {
        format!("{v:.1}%")
    }
}

/// A target as the plan writes it, to three decimals at most.
pub fn fmt_target(v: f64) -> String {
    format!("{}%", (v * 1000.0).round() / 1000.0)
}

/// `99.9%`, or `as-written 99.512%` when the plan sets no target.
fn target(t: Target) -> String {
    match t {
        Target::Set(v) => fmt_target(v),
        Target::AsWritten(v) => format!("as-written {}", fmt_pct(v)),
    }
}

/// A utilisation figure: one decimal at most.
fn util(d: Decimal) -> String {
    format!("{}%", d.round_dp(1).normalize())
}

/// `ARM64, 0.5 vCPU / 1 GB, FARGATE base 2 weight 1, FARGATE_SPOT weight 3`.
pub fn candidate_label(c: &Candidate) -> String {
    format!("{}, {}, {}", c.arch, c.size, c.strategy)
}

/// `Compute SP 1-year No Upfront` for `compute_1yr_no_upfront`.
pub fn plan_label(plan: &str) -> String {
    let years = if plan.contains("1yr") {
        "1-year"
    } else {
        "3-year"
    };
    let option = if plan.contains("no_upfront") {
        "No Upfront"
    } else if plan.contains("partial") {
        "Partial Upfront"
    } else {
        "All Upfront"
    };
    format!("Compute SP {years} {option}")
}

/// `peak CPU 30% of 0.5 vCPU, … → 0.25 vCPU / 512 MiB peaks with CPU at 60% … (ceiling 80%)`.
fn resize(r: &Resize) -> String {
    let mut parts = Vec::new();
    if let Some(p) = r.peak_cpu_percent {
        parts.push(format!("peak CPU {} of {}", util(p), r.from.cpu));
    }
    if let Some(p) = r.peak_memory_percent {
        parts.push(format!("peak memory {} of {}", util(p), r.from.memory));
    }
    let runs_at = |peak: Option<Decimal>, old: u32, new: u32| {
        peak.map(|p| util(p * Decimal::from(old) / Decimal::from(new)))
    };
    let mut at = Vec::new();
    if let Some(v) = runs_at(r.peak_cpu_percent, r.from.cpu.0, r.to.cpu.0) {
        at.push(format!("CPU at {v}"));
    }
    if let Some(v) = runs_at(r.peak_memory_percent, r.from.memory.0, r.to.memory.0) {
        at.push(format!("memory at {v}"));
    }
    format!(
        "{} → {} peaks with {} (ceiling {})",
        parts.join(", "),
        r.to,
        at.join(" and "),
        util(r.ceiling_percent)
    )
}

/// One reason as a line of the report.
pub fn reason(r: &Reason) -> String {
    match r {
        Reason::Windows => "Windows: Fargate offers no Spot and no ARM, so FARGATE only".to_string(),
        Reason::AllSpot {
            availability_percent,
            verdict,
            target: t,
        } => match verdict {
            AllSpotVerdict::AsAvailableAsWritten => format!(
                "all-Spot gives {}: as available as the plan as written (the plan sets no target)",
                fmt_pct(*availability_percent)
            ),
            AllSpotVerdict::BelowOnDemandFloor => format!(
                "all-Spot gives {} in the simulation, as available as the plan as written, but the plan sets no target: it stays an alternative, as it rests on the assumed Spot rates",
                fmt_pct(*availability_percent)
            ),
            AllSpotVerdict::Within => format!(
                "all-Spot gives {}: within the {} target",
                fmt_pct(*availability_percent),
                target(*t)
            ),
            AllSpotVerdict::Below => format!(
                "all-Spot gives {}: below the {} target",
                fmt_pct(*availability_percent),
                target(*t)
            ),
        },
        Reason::KeepsOnDemandFloor {
            availability_percent,
        } => format!(
            "no availability target is stated, so the plan's FARGATE tasks stay (its on-demand floor): {}",
            fmt_pct(*availability_percent)
        ),
        Reason::OnDemandOnly {
            availability_percent,
            has_ceiling,
        } => format!(
            "every mix with Spot that is cheaper misses the target{}; FARGATE only reaches {}",
            if *has_ceiling { " or the P95 ceiling" } else { "" },
            fmt_pct(*availability_percent)
        ),
        Reason::BaseKeepsMinHealthy {
            base,
            min_healthy,
            availability_percent,
        } => format!(
            "base {base} on FARGATE keeps min_healthy ({min_healthy}) through Spot interruptions and outages: {}",
            fmt_pct(*availability_percent)
        ),
        Reason::BaseWithSpot {
            base,
            availability_percent,
        } => format!(
            "base {base} on FARGATE with the rest on Spot reaches {}",
            fmt_pct(*availability_percent)
        ),
        Reason::DefaultInterruptionRate {
            interruption_rate,
            reclaim_share_set,
        } => format!(
            "the Spot figures rest on the planner's default of {interruption_rate} interruptions per task-hour{}: set [service.spot] interruption_rate{} from your ECS events before relying on them",
            if *reclaim_share_set { "" } else { ", independent of each other" },
            if *reclaim_share_set { "" } else { " and reclaim_share" }
        ),
        Reason::ImagesDeclare { chosen, written } => format!(
            "the images declare {chosen}: it costs less per task-hour than {written}"
        ),
        Reason::ArmNotConsidered => "ARM not considered: image architectures unknown — pass --images to read them from the registries, or list them: image_architectures = [\"X86_64\", \"ARM64\"] under [service.recommend]".to_string(),
        Reason::ImageRead {
            container,
            image,
            platforms,
            arm_considered,
        } => match platforms {
            Ok(p) if p.iter().any(|p| p.starts_with("linux/arm64")) && *arm_considered => {
                format!("{container}: image {image} has linux/arm64 → ARM considered")
            }
            Ok(p) => format!(
                "{container}: image {image} has {}{}",
                p.join(", "),
                if *arm_considered { " → ARM considered" } else { "" }
            ),
            Err(e) => format!(
                "{container}: could not read image {image} ({e}) → ARM not considered"
            ),
        },
        Reason::ArmNeedsBuild {
            container,
            image,
            platforms,
            saving_monthly,
            written_arm,
        } => format!(
            "{container}: image {image} has only {} → {}, {} needs an arm64 build (`docker buildx build --platform linux/amd64,linux/arm64`)",
            platforms.join(", "),
            if *written_arm {
                "moved to X86_64 (as written, on ARM64, it would exit with `exec format error`)"
            } else {
                "kept on X86_64"
            },
            match saving_monthly {
                Some(m) => format!("the ARM saving of {}/month", m.display_cents()),
                None => "the ARM saving".to_string(),
            }
        ),
        Reason::RightSized(r) => resize(r),
        Reason::AsWrittenAboveCeiling {
            availability_percent,
            p95_monthly,
        } => format!(
            "the plan as written reaches {} but its P95 cost {} is above the ceiling",
            fmt_pct(*availability_percent),
            p95_monthly.display_cents()
        ),
        Reason::AsWrittenBelowTarget {
            availability_percent,
            target: t,
        } => format!(
            "the plan as written reaches {}: below the {} target",
            fmt_pct(*availability_percent),
            target(*t)
        ),
        Reason::NoCandidateMeetsTarget {
            target: t,
            has_ceiling,
            best_availability_percent,
            best,
        } => format!(
            "no candidate meets the {} target{}: the best reaches {}{}",
            target(*t),
            if *has_ceiling { " within the P95 cost ceiling" } else { "" },
            fmt_pct(*best_availability_percent),
            best.as_ref()
                .map_or(String::new(), |c| format!(" ({})", candidate_label(c)))
        ),
        Reason::StartupBound {
            min_healthy,
            startup_s,
        } => format!(
            "with min_healthy {min_healthy} and a {startup_s} s startup, even all-FARGATE tasks are short while they start; lower the target, min_healthy or the startup time, or raise the desired count"
        ),
    }
}

/// Why a candidate was left out.
pub fn skipped(s: &Skipped) -> String {
    match s {
        Skipped::NoOnDemandPrice(e) => format!("{e}; `prices fetch` adds missing prices"),
        Skipped::NoSpotPrice(e) => format!("{e}; its Spot mixes are not considered"),
        Skipped::TooLarge {
            cpu_units,
            memory_mib,
        } => format!(
            "the peak figures ask for {cpu_units} CPU units and {memory_mib} MiB, more than the largest Fargate size; the size as written is kept"
        ),
        Skipped::WindowsArm => "ARM64: Fargate runs Windows on X86_64 only".to_string(),
    }
}

/// Why a service is outside the Savings Plans sizing.
pub fn excluded(e: &Excluded) -> String {
    match e {
        Excluded::Windows { service } => format!(
            "{service}: Windows — the price data has no Savings Plans rates for Windows usage"
        ),
        Excluded::NoRates { service, region } => format!(
            "{service}: no Savings Plans rates for {region} in the price data (`prices import` a savingsPlan offer file for the region)"
        ),
    }
}

/// Why the Savings Plan `plan` was not sized.
pub fn not_sized(plan: &str, missing: &[MissingRate]) -> String {
    format!(
        "the price data has no {} rate for {}",
        plan_label(plan),
        missing
            .iter()
            .map(|m| format!("{} {} {}", m.region, m.arch, m.dimension))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// One note under the report.
pub fn note(r: &Recommendation, n: &Note) -> String {
    match n {
        Note::Simulation => format!(
            "each candidate is simulated over {} days from {} with {} trials on common random numbers (seed {}); monthly figures scale to {} hours",
            r.horizon_days,
            r.start,
            r.trials,
            r.seed,
            r.hours_per_month.normalize()
        ),
        Note::AvailabilityMeaning => "availability is the mean share of service time with healthy tasks ≥ min(min_healthy, desired); a candidate meets the target when that mean does".to_string(),
        Note::DefaultInterruptionRate(rate) => format!(
            "services without [service.spot] interruption_rate use the planner's default of {rate} per task-hour; AWS publishes no Fargate Spot interruption rate — measure yours from ECS events (stopCode SpotInterruption)"
        ),
        Note::DefaultTaskFailureRate(rate) => format!(
            "services without [service.availability] task_failure_rate assume {rate} task failures per task-hour (crashes, failed health checks, Fargate task retirement), on FARGATE and FARGATE_SPOT alike; an assumption, AWS publishes no rate — measure yours from stopped-task events"
        ),
        Note::DefaultTarget => "services without [service.availability] target must stay at least as available as the plan as written".to_string(),
    }
}

#[cfg(test)]
mod tests;
