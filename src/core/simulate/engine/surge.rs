//! Target tracking's answer to a trial's own shortage (issue 20 item 5): while tasks are lacking,
//! the survivors carry their load and the metric rises; a shortage that lasts the scale-out
//! delay makes the policy add tasks, which the strategy splits across providers (a Spot outage's
//! shortage thus brings FARGATE tasks too) and which stay until the scale-in delay after it.
//!
//! The rule, as Application Auto Scaling's target tracking computes it: new capacity = desired ×
//! metric / target. With `h` of the desired `d` tasks healthy and the load needing `need` tasks at
//! the target, the metric is `target × need / h`, so the policy sets `⌈d × need / h⌉` (at most
//! `max_capacity`; every task when none is healthy) once the shortage has lasted
//! `scale_out_delay`, seen `lag` later. Simplifications, stated in docs/model.md: the added
//! tasks are not themselves interrupted, and they stop `lag + scale_in_delay` after the shortage
//! ends (or where the desired count drops to 0); the shortage counted is the trial's own (Spot
//! interruptions, reclaims, outages, failures), not the startups of the shared desired course.

use super::super::draws::Luck;
use super::{Model, Recording, TrialOutcome, billed_seconds, slot::place_spot};
use crate::core::vocab::strategy::Provider;

/// What a service's target tracking needs to answer a shortage.
#[derive(Clone, Debug)]
pub struct SurgeInputs {
    /// Per minute: the tasks the load needs at the target (NaN where no policy acts).
    pub need: Vec<f64>,
    /// How long the metric must stay above the target (`scale_out_delay`), seconds.
    pub scale_out_delay_s: f64,
    /// From the metric's minute to the policy seeing it, seconds.
    pub lag_s: f64,
    /// From the end of the shortage to the scale-in: the lag plus `scale_in_delay`, seconds.
    pub hold_s: f64,
    pub max_capacity: u32,
}

/// What a trial's surges add: their tasks' healthy stretches as shortfall events (−n from
/// healthy, +n at the stop) and the integral of those counts (task-seconds of surplus).
pub(super) struct Surges {
    pub(super) events: Vec<(f64, i64)>,
    pub(super) healthy_s: f64,
}

/// The surges of one trial. `extra` is the trial's own shortfall on top of the baseline,
/// `(time, Δshort)` (sorted here); billing and task counts go to `out`, and with `record` the
/// added tasks' running and healthy intervals.
pub(super) fn surges(
    model: &Model,
    luck: &Luck,
    inputs: &SurgeInputs,
    extra: &mut [(f64, i64)],
    out: &mut TrialOutcome,
    mut record: Option<&mut Recording>,
) -> Surges {
    extra.sort_unstable_by(|x, y| x.0.total_cmp(&y.0));
    let mut result = Surges {
        events: Vec::new(),
        healthy_s: 0.0,
    };
    // The running extra shortage after each instant, and the stretches where it is above 0.
    let mut steps: Vec<(f64, i64)> = Vec::new();
    let mut e = 0i64;
    for &(t, d) in extra.iter() {
        e += d;
        match steps.last_mut() {
            Some(last) if last.0 == t => last.1 = e,
            _ => steps.push((t, e)),
        }
    }
    let mut from: Option<f64> = None;
    let mut stretches = Vec::new();
    for &(t, e) in &steps {
        match (from, e > 0) {
            (None, true) => from = Some(t),
            (Some(s), false) => {
                stretches.push((s, t));
                from = None;
            }
            _ => {}
        }
    }
    for (start, end) in stretches {
        if end - start >= inputs.scale_out_delay_s {
            let at = start + inputs.scale_out_delay_s;
            let i = steps.partition_point(|s| s.0 <= at);
            let e = i.checked_sub(1).map_or(0, |j| steps[j].1);
            let tasks = one(model, luck, inputs, (at, end, e), out, &mut result);
            if let Some(r) = record.as_deref_mut() {
                for (k, place, up, stop) in tasks {
                    r.running[k].push((place, stop));
                    if up < stop {
                        r.healthy[k].push((up, stop));
                    }
                }
            }
        }
    }
    result
}

/// One shortage stretch `[.., end)`, observed at `seen` with `e` tasks of the trial's own short;
/// returns the tasks it adds: `(provider, placed, healthy, stopped)`.
fn one(
    model: &Model,
    luck: &Luck,
    inputs: &SurgeInputs,
    (seen, end, e): (f64, f64, i64),
    out: &mut TrialOutcome,
    result: &mut Surges,
) -> Vec<(usize, f64, f64, f64)> {
    let mut tasks = Vec::new();
    let fire = seen + inputs.lag_s;
    let horizon = model.horizon_s() as f64;
    let Some(&need) = inputs.need.get((seen / 60.0) as usize) else {
        return tasks;
    };
    let (desired, short) = model.shared.baseline.state_at(seen);
    let healthy = desired - short - e;
    if fire >= horizon || need.is_nan() || healthy as f64 >= need || desired <= 0 {
        return tasks;
    }
    let max = i64::from(inputs.max_capacity);
    let wanted = if healthy <= 0 {
        max
    } else {
        let x = (desired as f64 * need / healthy as f64 - 1e-9).ceil();
        if x >= max as f64 { max } else { x as i64 }
    };
    if wanted <= desired {
        return tasks;
    }
    let (d, w) = (desired as u32, wanted as u32);
    let count = |n: u32, p: Provider| {
        model
            .strategy
            .split_by_provider(n)
            .iter()
            .filter(|(q, _)| *q == p)
            .map(|(_, c)| *c)
            .sum::<u32>()
    };
    let stop = (end.max(fire) + inputs.hold_s)
        .min(horizon)
        .min(model.next_zero_after(fire));
    for (k, p) in Provider::ALL.into_iter().enumerate() {
        let added = count(w, p).saturating_sub(count(d, p));
        for i in 0..added {
            let place = if k == 1 {
                place_spot(model, luck, d + i, fire, stop).0
            } else {
                fire
            };
            if place >= stop {
                continue;
            }
            out.tasks[k] += 1;
            out.billed_s[k] += billed_seconds(stop - place, model.min_bill_s);
            let up = place + model.startup_s;
            if up < stop {
                result.events.push((up, -1));
                result.events.push((stop, 1));
                result.healthy_s += stop - up;
            }
            tasks.push((k, place, up, stop));
        }
    }
    tasks
}
