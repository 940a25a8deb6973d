//! The reasons text of a recommendation: the few lines that say why the recommended candidate
//! was chosen (or why none was), built from the candidates already priced.

use super::Candidate;
use super::candidates::SizeOption;
use super::evaluate::fargate_base;
use crate::core::plan::Service;
use crate::core::vocab::platform::CpuArch;
use crate::core::vocab::strategy::Provider;

fn fmt_pct(v: f64) -> String {
    if v >= 99.0 {
        format!("{v:.3}%")
    } else {
        format!("{v:.1}%")
    }
}

fn fmt_target(v: f64) -> String {
    format!("{}%", (v * 1000.0).round() / 1000.0)
}

/// Why the recommended candidate, or why none: a few lines for the report.
pub(super) fn reasons(
    s: &Service,
    candidates: &[Candidate],
    rec: Option<&Candidate>,
    as_written: &Candidate,
    sizes: &[SizeOption],
    target: f64,
    best: f64,
) -> Vec<String> {
    let mut out = Vec::new();
    let t = if s.availability.target_percent.is_some() {
        fmt_target(target)
    } else {
        format!("as-written {}", fmt_pct(target))
    };
    let Some(r) = rec else {
        return infeasible(s, candidates, &t, best);
    };
    if s.os.is_windows() {
        out.push("Windows: Fargate offers no Spot and no ARM, so FARGATE only".to_string());
    } else {
        spot_mix(s, candidates, r, &t, &mut out);
    }
    if r.strategy.uses(Provider::FargateSpot) && s.spot.interruption_rate_is_default {
        out.push(format!(
            "the Spot figures rest on the planner's default of {} interruptions per task-hour{}: set [service.spot] interruption_rate{} from your ECS events before relying on them",
            s.spot.interruption_rate,
            if s.spot.reclaim_share > 0.0 { "" } else { ", independent of each other" },
            if s.spot.reclaim_share > 0.0 { "" } else { " and reclaim_share" }
        ));
    }
    if r.arch != s.arch {
        out.push(format!(
            "the images declare {}: it costs less per task-hour than {}",
            r.arch, s.arch
        ));
    } else if !s.tuning.image_architectures_declared
        && s.arch == CpuArch::X86_64
        && !s.os.is_windows()
    {
        out.push(
            "ARM64 not considered: list image_architectures = [\"X86_64\", \"ARM64\"] under [service.recommend] if the images are multi-arch"
                .to_string(),
        );
    }
    if let Some(why) = sizes
        .iter()
        .find(|o| o.size == r.size)
        .and_then(|o| o.why.clone())
    {
        out.push(why);
    }
    if !as_written.feasible() {
        out.push(format!(
            "the plan as written reaches {}{}",
            fmt_pct(as_written.availability_percent),
            if as_written.meets_target {
                format!(
                    " but its P95 cost {} is above the ceiling",
                    as_written.p95_monthly.display_cents()
                )
            } else {
                format!(": below the {t} target")
            }
        ));
    }
    out
}

/// No candidate meets the target `t` (and the ceiling): the best reached, and what to change.
fn infeasible(s: &Service, candidates: &[Candidate], t: &str, best: f64) -> Vec<String> {
    let mut out = Vec::new();
    let best_c = candidates
        .iter()
        .max_by(|a, b| a.availability_percent.total_cmp(&b.availability_percent));
    out.push(format!(
        "no candidate meets the {t} target{}: the best reaches {}{}",
        if s.tuning.p95_cost_ceiling.is_some() {
            " within the P95 cost ceiling"
        } else {
            ""
        },
        fmt_pct(best),
        best_c.map_or(String::new(), |c| format!(" ({})", c.label()))
    ));
    out.push(format!(
        "with min_healthy {} and a {} s startup, even all-FARGATE tasks are short while they start; lower the target, min_healthy or the startup time, or raise the desired count",
        s.availability.min_healthy, s.availability.startup_s
    ));
    out
}

/// How the recommended mix of FARGATE and FARGATE_SPOT compares with all-Spot and all-FARGATE.
fn spot_mix(s: &Service, candidates: &[Candidate], r: &Candidate, t: &str, out: &mut Vec<String>) {
    // The cheapest all-Spot candidate at the recommended shape.
    let all_spot = candidates.iter().find(|c| {
        c.arch == r.arch
            && c.size == r.size
            && c.strategy.uses(Provider::FargateSpot)
            && !c.strategy.uses(Provider::Fargate)
    });
    if let Some(a) = all_spot {
        if a.meets_target && s.availability.target_percent.is_none() {
            out.push(format!(
                "all-Spot gives {}: as available as the plan as written (the plan sets no target)",
                fmt_pct(a.availability_percent)
            ));
        } else if a.meets_target {
            out.push(format!(
                "all-Spot gives {}: within the {t} target",
                fmt_pct(a.availability_percent)
            ));
        } else {
            out.push(format!(
                "all-Spot gives {}: below the {t} target",
                fmt_pct(a.availability_percent)
            ));
        }
    }
    let base = fargate_base(&r.strategy);
    let on_demand_only = !r.strategy.uses(Provider::FargateSpot);
    if on_demand_only {
        out.push(format!(
            "every mix with Spot that is cheaper misses the target{}; FARGATE only reaches {}",
            if s.tuning.p95_cost_ceiling.is_some() {
                " or the P95 ceiling"
            } else {
                ""
            },
            fmt_pct(r.availability_percent)
        ));
    } else if base > 0 {
        let m = s.availability.min_healthy;
        if base >= m {
            out.push(format!(
                "base {base} on FARGATE keeps min_healthy ({m}) through Spot interruptions and outages: {}",
                fmt_pct(r.availability_percent)
            ));
        } else {
            out.push(format!(
                "base {base} on FARGATE with the rest on Spot reaches {}",
                fmt_pct(r.availability_percent)
            ));
        }
    }
}
