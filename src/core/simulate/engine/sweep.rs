//! Availability from shortfall events: the sweep over a whole trial's events, and the baseline
//! step function a fast trial corrects with only the events its luck changed.

/// Sweeps `fixed` (`(time, Δdesired, Δshort)`, sorted) and a trial's shortfall events together:
/// the seconds with a desired count above 0, of which healthy ≥ desired, and of which healthy ≥
/// min(`min_healthy`, desired). Sorts `events`.
pub(super) fn sweep(
    fixed: &[(f64, i64, i64)],
    events: &mut [(f64, i64)],
    min_healthy: i64,
) -> Sums {
    events.sort_by(|x, y| x.0.total_cmp(&y.0));
    let (mut i, mut j) = (0usize, 0usize);
    let (mut desired, mut short) = (0i64, 0i64);
    let mut last = 0.0f64;
    let mut sums = Sums::default();
    while i < fixed.len() || j < events.len() {
        let take_fixed = j >= events.len() || (i < fixed.len() && fixed[i].0 <= events[j].0);
        let t = if take_fixed { fixed[i].0 } else { events[j].0 };
        sums.add(t - last, desired, short, min_healthy);
        last = t;
        if take_fixed {
            desired += fixed[i].1;
            short += fixed[i].2;
            i += 1;
        } else {
            short += events[j].1;
            j += 1;
        }
    }
    sums
}

/// What a sweep measures: seconds with a desired count above 0, of which all healthy, of which
/// at least min(`min_healthy`, desired) healthy; and the task-seconds by which healthy surplus
/// tasks (a surge's) drove the short count below 0, which a shortfall sum must add back.
#[derive(Default)]
pub(super) struct Sums {
    pub(super) service_s: f64,
    pub(super) full_s: f64,
    pub(super) min_healthy_s: f64,
    pub(super) surplus_s: f64,
}

impl Sums {
    /// Adds `dt` seconds at `desired` tasks wanted, `short` of them not healthy.
    fn add(&mut self, dt: f64, desired: i64, short: i64, min_healthy: i64) {
        if dt > 0.0 && short < 0 {
            self.surplus_s += dt * (-short) as f64;
        }
        if dt > 0.0 && desired > 0 {
            self.service_s += dt;
            if short <= 0 {
                self.full_s += dt;
            }
            if desired - short >= min_healthy.min(desired) {
                self.min_healthy_s += dt;
            }
        }
    }
}

/// The desired and short counts of the baseline course as a step function, with its sums.
#[derive(Clone, Debug, Default)]
pub(super) struct Baseline {
    /// Instants where a count changes, increasing.
    times: Vec<f64>,
    /// `(desired, short)` from `times[i]` until the next instant.
    states: Vec<(i64, i64)>,
    pub(super) service_s: f64,
    pub(super) full_s: f64,
    pub(super) min_healthy_s: f64,
}

impl Baseline {
    /// The step function of `events` (`(time, Δdesired, Δshort)`, any order).
    pub(super) fn new(mut events: Vec<(f64, i64, i64)>, min_healthy: i64) -> Baseline {
        events.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut b = Baseline::default();
        let (mut desired, mut short) = (0i64, 0i64);
        let mut sums = Sums::default();
        let mut last = 0.0f64;
        for (t, dd, ds) in events {
            sums.add(t - last, desired, short, min_healthy);
            last = t;
            desired += dd;
            short += ds;
            if b.times.last() == Some(&t) {
                if let Some(s) = b.states.last_mut() {
                    *s = (desired, short);
                }
            } else {
                b.times.push(t);
                b.states.push((desired, short));
            }
        }
        b.service_s = sums.service_s;
        b.full_s = sums.full_s;
        b.min_healthy_s = sums.min_healthy_s;
        b
    }

    /// `(desired, short)` of the baseline at `t`.
    pub(super) fn state_at(&self, t: f64) -> (i64, i64) {
        let i = self.times.partition_point(|x| *x <= t);
        i.checked_sub(1).map_or((0, 0), |j| self.states[j])
    }

    /// What `extra` (`(time, Δshort)` on top of the baseline; sorted here) changes in the
    /// seconds with all tasks healthy and with at least min(`min_healthy`, desired) healthy,
    /// and the surplus it adds (see [`Sums`]). Walks the baseline only where `extra` is not 0.
    pub(super) fn delta(&self, extra: &mut [(f64, i64)], min_healthy: i64) -> Sums {
        extra.sort_unstable_by(|x, y| x.0.total_cmp(&y.0));
        // Stretches come in time order: the baseline is searched from where the last one ended.
        let mut after = 0usize;
        let (mut full, mut min, mut surplus) = (0.0f64, 0.0f64, 0.0f64);
        let mut e = 0i64;
        let mut i = 0;
        while i < extra.len() {
            let from = extra[i].0;
            while i < extra.len() && extra[i].0 == from {
                e += extra[i].1;
                i += 1;
            }
            if e == 0 || i == extra.len() {
                continue;
            }
            let to = extra[i].0;
            let mut j = after + self.times[after..].partition_point(|t| *t <= from);
            let mut u = from;
            while u < to {
                let (desired, short) = j.checked_sub(1).map_or((0, 0), |p| self.states[p]);
                let v = self.times.get(j).map_or(to, |t| t.min(to));
                if short + e < 0 {
                    surplus += (v - u) * (-(short + e)) as f64;
                }
                if desired > 0 {
                    let m = min_healthy.min(desired);
                    let dt = v - u;
                    full += dt
                        * (f64::from(u8::from(short + e <= 0)) - f64::from(u8::from(short <= 0)));
                    min += dt
                        * (f64::from(u8::from(desired - short - e >= m))
                            - f64::from(u8::from(desired - short >= m)));
                }
                u = v;
                j += 1;
            }
            after = j.saturating_sub(1).min(self.times.len());
        }
        Sums {
            service_s: 0.0,
            full_s: full,
            min_healthy_s: min,
            surplus_s: surplus,
        }
    }
}
