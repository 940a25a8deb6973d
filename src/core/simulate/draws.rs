//! The random numbers of a trial: one ChaCha8 stream per purpose, one lane per slot rank.
//!
//! A trial's draws depend on (seed, trial) only, never on threads or on other trials. Each kind
//! of draw — outage timing, Spot interruptions, reclaims, task failures on each provider — has its
//! own stream (ChaCha's 64-bit nonce is `purpose << 56 | trial`), and within it slot rank `r`
//! reads lane `r`, 2^36 words from lane `r − 1`. Lanes start below word 2^68, where ChaCha's 64-bit
//! block counter would wrap (2^64 blocks of 16 words), so no lane ever reads another's numbers:
//! the defect of issue 20 item 1, where reclaim lanes 2^32 + r wrapped onto lanes r of the
//! interruption and outage draws. Two strategies simulated with the same seed see the same
//! outages and, rank for rank, the same interruptions and failures (common random numbers).

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// What a stream of draws is for. Each purpose has its own ChaCha8 stream in every trial, and
/// each slot rank its own lane of that stream, so no two kinds of draw ever share numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// The quiet periods between Spot capacity outages (lane 0).
    Outages = 0,
    /// Spot interruption times of Spot slot rank `r` (lane `r`).
    Interruptions = 1,
    /// One uniform per outage for Spot slot rank `r`: does the outage take its task back?
    Reclaims = 2,
    /// Failure times of FARGATE slot rank `r`.
    FargateFailures = 3,
    /// Failure times of Spot slot rank `r`.
    SpotFailures = 4,
    /// The quiet periods between Spot capacity outages of availability zone `z` (lane `z`).
    ZoneOutages = 5,
    /// One uniform per zone outage for Spot slot rank `r`: does it take the rank's task back
    /// when the task runs in that zone?
    ZoneReclaims = 6,
}

/// The stream (ChaCha's 64-bit nonce) is `purpose << 56 | trial`: trials stay below 2^56.
const PURPOSE_SHIFT: u32 = 56;

/// Words of a stream reserved for one lane: 2^36 words, 2^35 draws of 64 bits. With ranks below
/// 2^32 a lane starts below word 2^68, the end of ChaCha's 64-bit block counter (2^64 blocks of
/// 16 words), so `set_word_pos` never wraps one lane onto another.
const LANE_WORDS_LOG2: u32 = 36;

/// Lane `rank` of `purpose` in trial `trial`: see the module documentation.
pub fn lane_rng(seed: u64, trial: u64, purpose: Purpose, rank: u32) -> ChaCha8Rng {
    debug_assert!(trial < 1 << PURPOSE_SHIFT);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(((purpose as u64) << PURPOSE_SHIFT) | (trial & ((1 << PURPOSE_SHIFT) - 1)));
    rng.set_word_pos(u128::from(rank) << LANE_WORDS_LOG2);
    rng
}

/// A uniform draw in [0, 1) from 53 random bits.
pub fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// An exponential draw of rate `rate` (per second); `libm` keeps it bit-identical everywhere.
/// A zero rate draws nothing.
pub fn exponential(rng: &mut ChaCha8Rng, rate: f64) -> f64 {
    if rate <= 0.0 {
        return f64::INFINITY;
    }
    -libm::log(1.0 - uniform(rng)) / rate
}

/// The rates a trial's draws follow: the service's, never the strategy's.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rates {
    /// Interruptions per Spot task-second.
    pub interruption_rate_per_s: f64,
    /// Failures per task-second, on either provider.
    pub failure_rate_per_s: f64,
    /// Region-wide outage starts per quiet second, and outage length.
    pub outage_rate_per_s: f64,
    pub outage_duration_s: f64,
    /// Share of the running Spot tasks an outage (of the region or of their zone) warns.
    pub reclaim_share: f64,
    /// Availability zones the Spot tasks spread over (Spot rank `r` lives in zone `r mod
    /// zones`), and each zone's own outages: starts per quiet second, and length.
    pub zones: u32,
    pub zone_outage_rate_per_s: f64,
    pub zone_outage_duration_s: f64,
}

/// What a trial's draws depend on: the rates, the horizon and how many slot ranks to draw for.
#[derive(Clone, Copy, Debug)]
pub struct LuckSpec {
    pub horizon_s: f64,
    /// Slot ranks to draw for, per provider (FARGATE, FARGATE_SPOT).
    pub ranks: [u32; 2],
    pub rates: Rates,
}

/// Every random draw of one trial: the Spot capacity outages and, per slot rank, the points of
/// its interruption and failure processes over the whole horizon and its reclaim draws.
///
/// A rank's interruptions are one Poisson process of rate λ on the clock; a task healthy from
/// `h` is warned at the process's first point after `h`. By the process's independent
/// increments that is `h` plus an exponential draw of rate λ — the model's rule — and points
/// while the rank has no healthy task are simply not used (thinning). Failures are the same
/// with their own rate. Because nothing here depends on the strategy, `recommend` draws a
/// trial's luck once and plays every strategy of a service on it (common random numbers).
#[derive(Clone, Debug, Default)]
pub struct Luck {
    /// Spot capacity outages, `[start, end)`, sorted.
    pub outages: Vec<(f64, f64)>,
    /// Seconds of the horizon inside an outage.
    pub outage_s: f64,
    /// Per (kind, rank): the points, sorted. Kinds: 0 Spot interruptions, 1 FARGATE failures,
    /// 2 Spot failures.
    points: Vec<f64>,
    /// Where each (kind, rank)'s points start in `points`; one more entry than lists.
    offsets: Vec<usize>,
    /// Ranks drawn per kind.
    ranks: [u32; 3],
    /// Per Spot rank, per outage: does the outage take the rank's running task back?
    reclaims: Vec<bool>,
    /// Per availability zone: its own Spot capacity outages, `[start, end)`, sorted (empty
    /// without zone outages).
    pub zone_outages: Vec<Vec<(f64, f64)>>,
    /// Per Spot rank, per zone outage (zone by zone): does it take the rank's task back?
    zone_reclaims: Vec<bool>,
    /// Where each zone's outages start in a rank's block of `zone_reclaims`, and the block size.
    zone_offsets: Vec<usize>,
}

/// Alternating quiet (exponential, `rate` per second) and outage (`duration`) periods over
/// `[0, horizon)`, from `rng`.
fn alternating(rng: &mut ChaCha8Rng, rate: f64, duration: f64, horizon: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut t = exponential(rng, rate);
    while t < horizon {
        let end = (t + duration).min(horizon);
        out.push((t, end));
        t = end + exponential(rng, rate);
    }
    out
}

/// The kinds of point process a slot rank has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Points {
    SpotInterruptions = 0,
    FargateFailures = 1,
    SpotFailures = 2,
}

impl Luck {
    /// Draws trial `trial`'s luck for `spec` from the lanes of [`lane_rng`].
    pub fn draw(seed: u64, trial: u64, spec: &LuckSpec) -> Luck {
        let h = spec.horizon_s;
        let r = &spec.rates;
        let mut luck = Luck::default();
        if r.outage_rate_per_s > 0.0 && r.outage_duration_s > 0.0 && spec.ranks[1] > 0 {
            let mut rng = lane_rng(seed, trial, Purpose::Outages, 0);
            luck.outages = alternating(&mut rng, r.outage_rate_per_s, r.outage_duration_s, h);
            luck.outage_s = luck.outages.iter().map(|(a, b)| b - a).sum();
        }
        luck.draw_zones(seed, trial, spec);
        let kinds = [
            (
                Purpose::Interruptions,
                spec.ranks[1],
                r.interruption_rate_per_s,
            ),
            (
                Purpose::FargateFailures,
                spec.ranks[0],
                r.failure_rate_per_s,
            ),
            (Purpose::SpotFailures, spec.ranks[1], r.failure_rate_per_s),
        ];
        luck.offsets.push(0);
        for (k, &(purpose, ranks, rate)) in kinds.iter().enumerate() {
            luck.ranks[k] = ranks;
            for rank in 0..ranks {
                if rate > 0.0 {
                    let mut rng = lane_rng(seed, trial, purpose, rank);
                    let mut t = exponential(&mut rng, rate);
                    while t < h {
                        luck.points.push(t);
                        t += exponential(&mut rng, rate);
                    }
                }
                luck.offsets.push(luck.points.len());
            }
        }
        if r.reclaim_share > 0.0 && !luck.outages.is_empty() {
            for rank in 0..spec.ranks[1] {
                let mut rng = lane_rng(seed, trial, Purpose::Reclaims, rank);
                for _ in 0..luck.outages.len() {
                    luck.reclaims.push(uniform(&mut rng) < r.reclaim_share);
                }
            }
        }
        luck
    }

    /// Each zone's outages and, per Spot rank, whether each takes the rank's task back.
    fn draw_zones(&mut self, seed: u64, trial: u64, spec: &LuckSpec) {
        let r = &spec.rates;
        let rate = r.zone_outage_rate_per_s;
        if rate <= 0.0 || r.zone_outage_duration_s <= 0.0 || spec.ranks[1] == 0 {
            return;
        }
        self.zone_offsets.push(0);
        for z in 0..r.zones {
            let mut rng = lane_rng(seed, trial, Purpose::ZoneOutages, z);
            let list = alternating(&mut rng, rate, r.zone_outage_duration_s, spec.horizon_s);
            self.zone_offsets
                .push(self.zone_offsets.last().copied().unwrap_or(0) + list.len());
            self.zone_outages.push(list);
        }
        let per_rank = self.zone_offsets.last().copied().unwrap_or(0);
        if r.reclaim_share > 0.0 && per_rank > 0 {
            for rank in 0..spec.ranks[1] {
                let mut rng = lane_rng(seed, trial, Purpose::ZoneReclaims, rank);
                for _ in 0..per_rank {
                    self.zone_reclaims.push(uniform(&mut rng) < r.reclaim_share);
                }
            }
        }
    }

    /// A hand-made luck for tests: these outages, no interruptions or failures, and every
    /// outage (regional or zonal) taking back every one of `spot_ranks` ranks' tasks when
    /// `reclaim_all`.
    #[cfg(test)]
    pub fn fixed(
        outages: Vec<(f64, f64)>,
        zone_outages: Vec<Vec<(f64, f64)>>,
        spot_ranks: u32,
        reclaim_all: bool,
    ) -> Luck {
        let mut luck = Luck {
            outage_s: outages.iter().map(|(a, b)| b - a).sum(),
            offsets: vec![0],
            ..Luck::default()
        };
        luck.zone_offsets.push(0);
        for list in &zone_outages {
            let last = luck.zone_offsets.last().copied().unwrap_or(0);
            luck.zone_offsets.push(last + list.len());
        }
        if reclaim_all {
            luck.ranks[0] = spot_ranks;
            luck.offsets = vec![0; spot_ranks as usize + 1];
            luck.reclaims = vec![true; spot_ranks as usize * outages.len()];
            let per_rank = luck.zone_offsets.last().copied().unwrap_or(0);
            luck.zone_reclaims = vec![true; spot_ranks as usize * per_rank];
        }
        luck.outages = outages;
        luck.zone_outages = zone_outages;
        luck
    }

    /// Whether outage `j` of zone `zone` takes Spot rank `rank`'s task back (when it runs there).
    pub fn zone_reclaims(&self, rank: u32, zone: u32, j: usize) -> bool {
        let Some(per_rank) = self.zone_offsets.last() else {
            return false;
        };
        let i = rank as usize * per_rank + self.zone_offsets[zone as usize] + j;
        self.zone_reclaims.get(i).copied().unwrap_or(false)
    }

    /// Whether zone `zone` has an outage at `t`.
    pub fn zone_out(&self, zone: u32, t: f64) -> bool {
        self.zone_outages
            .get(zone as usize)
            .is_some_and(|list| in_outage(list, t))
    }

    /// Whether a Spot capacity outage of the whole region is on at `t`.
    pub fn region_out(&self, t: f64) -> bool {
        in_outage(&self.outages, t)
    }

    /// The points of `kind` for slot rank `rank`, sorted (none past the ranks drawn).
    pub fn points(&self, kind: Points, rank: u32) -> &[f64] {
        let k = kind as usize;
        if rank >= self.ranks[k] {
            return &[];
        }
        let before: u32 = self.ranks[..k].iter().sum();
        let i = (before + rank) as usize;
        &self.points[self.offsets[i]..self.offsets[i + 1]]
    }

    /// The first point of `kind` for `rank` strictly after `t`; infinite when none comes.
    pub fn next(&self, kind: Points, rank: u32, t: f64) -> f64 {
        let p = self.points(kind, rank);
        p.get(p.partition_point(|x| *x <= t))
            .copied()
            .unwrap_or(f64::INFINITY)
    }

    /// Whether outage `j` takes Spot rank `rank`'s running task back.
    pub fn reclaims(&self, rank: u32, j: usize) -> bool {
        let n = self.outages.len();
        rank < self.ranks[0]
            && self
                .reclaims
                .get(rank as usize * n + j)
                .copied()
                .unwrap_or(false)
    }

    /// Whether any outage reclaims anything.
    pub fn any_reclaim(&self) -> bool {
        !self.reclaims.is_empty()
    }
}

/// Whether `t` falls in one of `outages` (`[start, end)`, sorted, disjoint).
fn in_outage(outages: &[(f64, f64)], t: f64) -> bool {
    let i = outages.partition_point(|o| o.0 <= t);
    i.checked_sub(1).is_some_and(|j| outages[j].1 > t)
}
