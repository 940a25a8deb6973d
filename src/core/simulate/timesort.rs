//! Sorting a trial's events by time in linear expected time: the sweep that turns shortfall
//! events into availability needs them in order, and a comparison sort of every trial's
//! thousands of events was half of `simulate`'s time.
//!
//! Event times lie in `[0, horizon]` and are spread over it (interruptions, failures and
//! scaling steps), so a bucket sort with about one bucket per event puts each in its place
//! with a counting pass and a scatter; the few that share a bucket are ordered by insertion
//! (a crowded bucket by a comparison sort, so there is no quadratic worst case).
//! The result is exactly the order of a comparison sort by time (ties may come in any order:
//! the sweep adds nothing between two events at the same instant).

/// Sorts `events` by their time (`.0`, seconds in `[0, horizon]`), using `scratch` as the
/// buffer; times outside the range (never produced) are clamped into the end buckets and still
/// ordered correctly.
pub fn sort_by_time(events: &mut Vec<(f64, i64)>, horizon: f64, scratch: &mut Vec<(f64, i64)>) {
    let n = events.len();
    if n < 32 || horizon.is_nan() || horizon <= 0.0 {
        events.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        return;
    }
    let buckets = n;
    let scale = buckets as f64 / horizon;
    let bucket = |t: f64| -> usize {
        let b = (t * scale) as usize; // `as` saturates: NaN and negatives go to 0
        b.min(buckets - 1)
    };
    let mut starts = vec![0usize; buckets + 1];
    for e in events.iter() {
        starts[bucket(e.0) + 1] += 1;
    }
    for i in 1..=buckets {
        starts[i] += starts[i - 1];
    }
    scratch.clear();
    scratch.resize(n, (0.0, 0));
    let mut next = starts.clone();
    for &e in events.iter() {
        let b = bucket(e.0);
        scratch[next[b]] = e;
        next[b] += 1;
    }
    for w in starts.windows(2) {
        let part = &mut scratch[w[0]..w[1]];
        match part.len() {
            0 | 1 => {}
            2..=16 => insertion_sort(part),
            // A crowded bucket (many events at a few instants): no quadratic worst case.
            _ => part.sort_unstable_by(|a, b| a.0.total_cmp(&b.0)),
        }
    }
    std::mem::swap(events, scratch);
}

fn insertion_sort(part: &mut [(f64, i64)]) {
    for i in 1..part.len() {
        let mut j = i;
        while j > 0 && part[j - 1].0.total_cmp(&part[j].0).is_gt() {
            part.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn orders_as_a_comparison_sort(
            times in proptest::collection::vec(0.0f64..1000.0, 0..400),
            clustered in proptest::bool::ANY,
        ) {
            // Clustered: many events in a few buckets, the insertion sort's worst case here.
            let mut events: Vec<(f64, i64)> = times
                .iter()
                .enumerate()
                .map(|(i, t)| (if clustered { (t / 100.0).floor() } else { *t }, i as i64))
                .collect();
            let mut expected = events.clone();
            expected.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut scratch = Vec::new();
            sort_by_time(&mut events, 1000.0, &mut scratch);
            let got: Vec<f64> = events.iter().map(|e| e.0).collect();
            let want: Vec<f64> = expected.iter().map(|e| e.0).collect();
            prop_assert_eq!(got, want);
            // The same multiset: nothing lost or doubled.
            let mut a: Vec<i64> = events.iter().map(|e| e.1).collect();
            let mut b: Vec<i64> = expected.iter().map(|e| e.1).collect();
            a.sort_unstable();
            b.sort_unstable();
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn times_at_and_beyond_the_horizon_stay_in_order() {
        let mut events: Vec<(f64, i64)> =
            (0..100).map(|i| (f64::from(100 - i) * 11.0, i)).collect();
        events.push((1e9, -1));
        events.push((0.0, -2));
        let mut scratch = Vec::new();
        sort_by_time(&mut events, 1000.0, &mut scratch);
        assert!(events.windows(2).all(|w| w[0].0 <= w[1].0));
        assert_eq!(events.first().map(|e| e.1), Some(-2));
        assert_eq!(events.last().map(|e| e.1), Some(-1));
    }
}
