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

/// A trial's lanes, opened when a slot rank first needs them and kept for its later intervals.
pub(super) struct Lanes {
    pub(super) seed: u64,
    pub(super) trial: u64,
    /// Per purpose, per rank.
    pub(super) open: [Vec<Option<ChaCha8Rng>>; 5],
    /// Per provider's failure purpose, per rank: the rank's last failure point drawn.
    pub(super) failure_points: [Vec<f64>; 2],
}

impl Lanes {
    pub(super) fn get(&mut self, purpose: Purpose, rank: u32) -> &mut ChaCha8Rng {
        let (seed, trial) = (self.seed, self.trial);
        let v = &mut self.open[purpose as usize];
        let i = rank as usize;
        if v.len() <= i {
            v.resize(i + 1, None);
        }
        v[i].get_or_insert_with(|| lane_rng(seed, trial, purpose, rank))
    }

    /// The first failure of slot rank `rank` after `after`: failures of a rank are one Poisson
    /// process of rate `rate` (per second) over the trial, drawn forward as the rank's tasks
    /// need it. By the Poisson process's independent increments this is `after` plus an
    /// exponential draw, but it costs a draw per failure rather than one per task. Calls for a
    /// rank come in increasing `after`. `spot` picks the Spot ranks' process.
    pub(super) fn next_failure(&mut self, spot: bool, rank: u32, rate: f64, after: f64) -> f64 {
        if rate <= 0.0 {
            return f64::INFINITY;
        }
        let k = usize::from(spot);
        let i = rank as usize;
        if self.failure_points[k].len() <= i {
            self.failure_points[k].resize(i + 1, f64::NEG_INFINITY);
        }
        let mut t = self.failure_points[k][i];
        if t > after {
            return t;
        }
        let purpose = if spot {
            Purpose::SpotFailures
        } else {
            Purpose::FargateFailures
        };
        let rng = self.get(purpose, rank);
        if t == f64::NEG_INFINITY {
            t = 0.0;
        }
        while t <= after {
            t += exponential(rng, rate);
        }
        self.failure_points[k][i] = t;
        t
    }
}
