//! One slot interval of a trial played event by event: placement, startup, the Spot warning,
//! reclaim or failure that ends a task's healthy life, and its replacement.

use super::super::draws::{Luck, Points};
use super::{Model, Recording, SlotInterval, TrialOutcome, billed_seconds};

/// What one slot interval of a trial adds: its shortfall events, billing and counts.
pub(super) struct SlotRun<'a> {
    pub(super) model: &'a Model,
    pub(super) luck: &'a Luck,
    pub(super) events: &'a mut Vec<(f64, i64)>,
    pub(super) out: &'a mut TrialOutcome,
}

/// Where and when a Spot task asked for at `t` by slot rank `rank` is placed: at `t` in the
/// rank's home zone, or in the next zone without an outage; when the region or every zone is
/// out, at the first retry (15 s, then doubling up to 5 min: assumed) that finds capacity. An
/// instant at or past `until` means never within the interval.
pub(super) fn place_spot(model: &Model, luck: &Luck, rank: u32, t: f64, until: f64) -> (f64, u32) {
    let m = model;
    let home = rank % m.rates.zones;
    let (mut at, mut wait) = (t, m.retry_first_s);
    while at < until {
        let free = (0..m.rates.zones)
            .map(|i| (home + i) % m.rates.zones)
            .find(|&z| !luck.zone_out(z, at));
        if let (false, Some(z)) = (luck.region_out(at), free) {
            return (at, z);
        }
        at += wait;
        wait = (wait * 2.0).min(m.retry_max_s);
    }
    (at, home)
}

impl SlotRun<'_> {
    fn short(&mut self, from: f64, to: f64) {
        if to > from {
            self.events.push((from, 1));
            self.events.push((to, -1));
            self.out.shortfall_s += to - from;
        }
    }

    /// Plays slot `s` of provider `k` (0 FARGATE, 1 FARGATE_SPOT): place a task, wait for it to
    /// be healthy, end its healthy life with a Spot warning, a reclaim or a failure, replace it.
    pub(super) fn run(&mut self, k: usize, s: &SlotInterval, mut record: Option<&mut Recording>) {
        let m = self.model;
        let spot = k == 1;
        let (a, b) = (s.start as f64, s.end as f64);
        let initial = s.start == 0;
        // Since when the slot has had no healthy task (`None`: it has one).
        let mut down_from = (!initial).then_some(a);
        // When the slot asks for its next task.
        let mut request = a;
        let mut first = true;
        loop {
            let warm = first && initial;
            first = false;
            let (place, zone) = match (warm, spot) {
                (true, _) => (0.0, s.rank % m.rates.zones),
                (false, true) => place_spot(m, self.luck, s.rank, request, b),
                (false, false) => (request, 0),
            };
            if place >= b {
                break;
            }
            let healthy = if warm { 0.0 } else { place + m.startup_s };
            self.out.tasks[k] += 1;
            if healthy >= b {
                self.out.billed_s[k] += billed_seconds(b - place, m.min_bill_s);
                if let Some(r) = record.as_deref_mut() {
                    r.running[k].push((place, b));
                }
                break;
            }
            if let Some(d) = down_from.take() {
                self.short(d, healthy);
            }
            let (warn, fail) = self.next_events(k, s.rank, zone, healthy);
            if warn.min(fail) >= b {
                self.out.billed_s[k] += billed_seconds(b - place, m.min_bill_s);
                if let Some(r) = record.as_deref_mut() {
                    r.running[k].push((place, b));
                    r.healthy[k].push((healthy, b));
                }
                break;
            }
            // A failed task stops at once and ECS places its replacement. A warned Spot task
            // drains until `stop_timeout`; ECS starts its replacement at the warning when
            // `maximumPercent` leaves room (Spot capacity permitting: `place_spot`), else when
            // it stops. Both run, and are billed, in the overlap.
            let (lost, stopped) = if fail < warn {
                self.out.failures += 1;
                request = fail;
                (fail, fail)
            } else {
                self.out.interruptions += 1;
                let stopped = (warn + m.stop_timeout_s).min(b);
                request = if m.room_above_desired(warn) {
                    warn
                } else {
                    stopped
                };
                (warn, stopped)
            };
            self.out.billed_s[k] += billed_seconds(stopped - place, m.min_bill_s);
            if let Some(r) = record.as_deref_mut() {
                r.running[k].push((place, stopped));
                r.healthy[k].push((healthy, lost));
            }
            down_from = Some(lost);
        }
        // The slot ends while its task is down or not placed.
        if let Some(d) = down_from {
            self.short(d, b);
        }
    }

    /// The next Spot warning (interruption or reclaim) and failure of a task healthy from
    /// `healthy`: the first points of the rank's processes after it; infinite when none comes.
    fn next_events(&self, k: usize, rank: u32, zone: u32, healthy: f64) -> (f64, f64) {
        let luck = self.luck;
        let mut warn = f64::INFINITY;
        if k == 1 {
            warn = luck.next(Points::SpotInterruptions, rank, healthy);
            // The first outage after the task is healthy that takes it back, if earlier.
            if luck.any_reclaim() {
                let outages = &luck.outages;
                let first = outages.partition_point(|o| o.0 < healthy);
                if let Some(j) = (first..outages.len())
                    .take_while(|j| outages[*j].0 < warn)
                    .find(|j| luck.reclaims(rank, *j))
                {
                    warn = outages[j].0;
                }
            }
            // ... and the first outage of the task's zone that takes it back.
            if let Some(list) = luck.zone_outages.get(zone as usize) {
                let first = list.partition_point(|o| o.0 < healthy);
                if let Some(j) = (first..list.len())
                    .take_while(|j| list[*j].0 < warn)
                    .find(|j| luck.zone_reclaims(rank, zone, *j))
                {
                    warn = list[j].0;
                }
            }
        }
        let kind = if k == 1 {
            Points::SpotFailures
        } else {
            Points::FargateFailures
        };
        (warn, luck.next(kind, rank, healthy))
    }
}
