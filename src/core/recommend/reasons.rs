//! The reasons of a recommendation: the facts that say why the recommended candidate was chosen
//! (or why none was), built from the candidates already priced. Exporters phrase them.

use super::Candidate;
use super::candidates::SizeOption;
use super::evaluate::fargate_base;
use crate::core::plan::Service;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::strategy::Provider;
use rust_decimal::Decimal;

/// The availability target a service was held to, percent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// Set by `[service.availability] target`.
    Set(f64),
    /// None in the plan: the availability of the plan as written.
    AsWritten(f64),
}

/// How the cheapest all-Spot candidate at the recommended shape fares against the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllSpotVerdict {
    /// Meets a target the plan does not set: as available as the plan as written.
    AsAvailableAsWritten,
    /// As available as the plan as written, but it drops the plan's FARGATE tasks, and with no
    /// stated target that rests on assumed Spot rates: an alternative, not the recommendation.
    BelowOnDemandFloor,
    Within,
    Below,
}

/// A right-sized task: the peak utilisation figures that justify it.
#[derive(Clone, Debug, PartialEq)]
pub struct Resize {
    /// Peak CPU percent, when the CPU was resized.
    pub peak_cpu_percent: Option<Decimal>,
    /// Peak memory percent, when the memory was resized.
    pub peak_memory_percent: Option<Decimal>,
    pub from: TaskSize,
    pub to: TaskSize,
    /// The utilisation ceiling, percent.
    pub ceiling_percent: Decimal,
}

/// One reason for the recommendation (or for its absence).
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// Windows: no Spot and no ARM, so FARGATE only.
    Windows,
    /// The cheapest all-Spot candidate at the recommended shape.
    AllSpot {
        availability_percent: f64,
        verdict: AllSpotVerdict,
        target: Target,
    },
    /// No target stated: the plan's FARGATE tasks are kept (cheaper Spot mixes are alternatives).
    KeepsOnDemandFloor { availability_percent: f64 },
    /// Every cheaper mix with Spot misses the target (or the ceiling); FARGATE only reaches this.
    OnDemandOnly {
        availability_percent: f64,
        has_ceiling: bool,
    },
    /// A FARGATE base of at least min_healthy keeps it through Spot interruptions and outages.
    BaseKeepsMinHealthy {
        base: u32,
        min_healthy: u32,
        availability_percent: f64,
    },
    /// A FARGATE base below min_healthy, the rest on Spot.
    BaseWithSpot {
        base: u32,
        availability_percent: f64,
    },
    /// The Spot figures rest on the planner's default interruption rate.
    DefaultInterruptionRate {
        interruption_rate: f64,
        /// True when the plan sets a reclaim share (interruptions are not independent).
        reclaim_share_set: bool,
    },
    /// The images declare `chosen`, cheaper per task-hour than the plan's `written`.
    ImagesDeclare { chosen: CpuArch, written: CpuArch },
    /// ARM64 was not considered: the plan lists no image architectures and none were read.
    ArmNotConsidered,
    /// What `--images` read of one container's image, and whether ARM64 was considered.
    ImageRead {
        container: String,
        image: String,
        /// `linux/arm64`-style names, or why the image could not be read.
        platforms: Result<Vec<String>, String>,
        arm_considered: bool,
    },
    /// Kept on `written` because an image has no arm64 build: what ARM64 would save per month.
    ArmNeedsBuild {
        container: String,
        image: String,
        platforms: Vec<String>,
        saving_monthly: Option<Usd>,
        /// The task is written ARM64: the image would not run on it as written.
        written_arm: bool,
    },
    /// The recommended size is the right-sized one.
    RightSized(Resize),
    /// The plan as written meets the target but its P95 cost is above the ceiling.
    AsWrittenAboveCeiling {
        availability_percent: f64,
        p95_monthly: Usd,
    },
    /// The plan as written is below the target.
    AsWrittenBelowTarget {
        availability_percent: f64,
        target: Target,
    },
    /// No candidate meets the target (within the ceiling when one is set).
    NoCandidateMeetsTarget {
        target: Target,
        has_ceiling: bool,
        best_availability_percent: f64,
        /// The most available candidate.
        best: Option<Box<Candidate>>,
    },
    /// What bounds availability, and what to change.
    StartupBound { min_healthy: u32, startup_s: u32 },
}

/// Why the recommended candidate, or why none.
/// Whether the on-demand floor kept out a cheaper candidate that meets the target.
fn floor_binds(candidates: &[Candidate], r: &Candidate) -> bool {
    candidates.iter().any(|c| {
        !c.keeps_on_demand_floor && c.meets_target && c.expected_monthly < r.expected_monthly
    })
}

pub(super) fn reasons(
    s: &Service,
    candidates: &[Candidate],
    rec: Option<&Candidate>,
    as_written: &Candidate,
    sizes: &[SizeOption],
    (target, best): (f64, f64),
    arm_forgone: Option<Usd>,
) -> Vec<Reason> {
    let mut out = Vec::new();
    let t = if s.availability.target_percent.is_some() {
        Target::Set(target)
    } else {
        Target::AsWritten(target)
    };
    let Some(r) = rec else {
        return infeasible(s, candidates, t, best);
    };
    if s.os.is_windows() {
        out.push(Reason::Windows);
    } else {
        spot_mix(s, candidates, r, t, &mut out);
    }
    // A Spot-heavier alternative below the on-demand floor rests on the same rates.
    if (r.strategy.uses(Provider::FargateSpot) || floor_binds(candidates, r))
        && s.spot.interruption_rate_is_default
    {
        out.push(Reason::DefaultInterruptionRate {
            interruption_rate: s.spot.interruption_rate,
            reclaim_share_set: s.spot.reclaim_share > 0.0,
        });
    }
    if !s.tuning.images.is_empty() && !s.os.is_windows() {
        out.extend(image_reasons(s, arm_forgone));
    } else if r.arch != s.arch {
        out.push(Reason::ImagesDeclare {
            chosen: r.arch,
            written: s.arch,
        });
    } else if !s.tuning.image_architectures_declared
        && s.arch == CpuArch::X86_64
        && !s.os.is_windows()
    {
        out.push(Reason::ArmNotConsidered);
    }
    if let Some(why) = sizes
        .iter()
        .find(|o| o.size == r.size)
        .and_then(|o| o.why.clone())
    {
        out.push(Reason::RightSized(why));
    }
    if !as_written.feasible() {
        out.push(if as_written.meets_target {
            Reason::AsWrittenAboveCeiling {
                availability_percent: as_written.availability_percent,
                p95_monthly: as_written.p95_monthly,
            }
        } else {
            Reason::AsWrittenBelowTarget {
                availability_percent: as_written.availability_percent,
                target: t,
            }
        });
    }
    out
}

/// What was read of each image, and what it means for ARM64.
fn image_reasons(s: &Service, arm_forgone: Option<Usd>) -> Vec<Reason> {
    let arm = s.tuning.image_architectures.contains(&CpuArch::Arm64);
    let mut out: Vec<Reason> = s
        .tuning
        .images
        .iter()
        .map(|r| Reason::ImageRead {
            container: r.container.clone(),
            image: r.image.clone(),
            platforms: r
                .platforms
                .as_ref()
                .map(|p| p.iter().map(ToString::to_string).collect())
                .map_err(Clone::clone),
            arm_considered: arm,
        })
        .collect();
    if super::images::arm_needs_build(s)
        && let Some(r) = s.tuning.images.iter().find(|r| !r.has(CpuArch::Arm64))
    {
        out.retain(
            |x| !matches!(x, Reason::ImageRead { container, .. } if *container == r.container),
        );
        out.push(Reason::ArmNeedsBuild {
            container: r.container.clone(),
            image: r.image.clone(),
            platforms: r
                .platforms
                .as_ref()
                .map(|p| p.iter().map(ToString::to_string).collect())
                .unwrap_or_default(),
            saving_monthly: arm_forgone,
            written_arm: s.arch == CpuArch::Arm64,
        });
    }
    out
}

/// No candidate meets the target `t` (and the ceiling): the best reached, and what to change.
fn infeasible(s: &Service, candidates: &[Candidate], t: Target, best: f64) -> Vec<Reason> {
    let best_c = candidates
        .iter()
        .max_by(|a, b| a.availability_percent.total_cmp(&b.availability_percent));
    vec![
        Reason::NoCandidateMeetsTarget {
            target: t,
            has_ceiling: s.tuning.p95_cost_ceiling.is_some(),
            best_availability_percent: best,
            best: best_c.map(|c| Box::new(c.clone())),
        },
        Reason::StartupBound {
            min_healthy: s.availability.min_healthy,
            startup_s: s.availability.startup_s,
        },
    ]
}

/// How the recommended mix of FARGATE and FARGATE_SPOT compares with all-Spot and all-FARGATE.
fn spot_mix(
    s: &Service,
    candidates: &[Candidate],
    r: &Candidate,
    t: Target,
    out: &mut Vec<Reason>,
) {
    // The cheapest all-Spot candidate at the recommended shape.
    let all_spot = candidates.iter().find(|c| {
        c.arch == r.arch
            && c.size == r.size
            && c.strategy.uses(Provider::FargateSpot)
            && !c.strategy.uses(Provider::Fargate)
    });
    if let Some(a) = all_spot {
        let verdict = if a.meets_target && !a.keeps_on_demand_floor {
            AllSpotVerdict::BelowOnDemandFloor
        } else if a.meets_target && s.availability.target_percent.is_none() {
            AllSpotVerdict::AsAvailableAsWritten
        } else if a.meets_target {
            AllSpotVerdict::Within
        } else {
            AllSpotVerdict::Below
        };
        out.push(Reason::AllSpot {
            availability_percent: a.availability_percent,
            verdict,
            target: t,
        });
    }
    let base = fargate_base(&r.strategy);
    let on_demand_only = !r.strategy.uses(Provider::FargateSpot);
    if on_demand_only && floor_binds(candidates, r) {
        out.push(Reason::KeepsOnDemandFloor {
            availability_percent: r.availability_percent,
        });
    } else if on_demand_only {
        out.push(Reason::OnDemandOnly {
            availability_percent: r.availability_percent,
            has_ceiling: s.tuning.p95_cost_ceiling.is_some(),
        });
    } else if base > 0 {
        let m = s.availability.min_healthy;
        if base >= m {
            out.push(Reason::BaseKeepsMinHealthy {
                base,
                min_healthy: m,
                availability_percent: r.availability_percent,
            });
        } else {
            out.push(Reason::BaseWithSpot {
                base,
                availability_percent: r.availability_percent,
            });
        }
    }
}
