#!/usr/bin/env python3
"""A vectorised numpy version of `fargate-planner simulate` for a fixed desired count.

Why it exists: issue 19 states the Rust engine's speed as a ratio to "a numpy version of the same
Monte Carlo". This is that version, written to be fair to numpy (no Python loop per event or per
trial), and checked against the binary so that the ratio compares the same model.

The model (docs/model.md, src/core/simulate/engine.rs), for a service always on at a fixed
desired count split by the strategy's base/weight rule:

- every slot's task runs from t = 0, healthy at once;
- a healthy Spot task is warned after Exp(interruption_rate) (or when an outage that reclaims its
  rank starts: share `reclaim_share` of the ranks per outage); it is unhealthy from the warning
  and stops `stop_timeout` later; the replacement is requested at the warning when
  floor(desired * maximum_percent / 100) > desired, else when the old task stops;
- a healthy task of either provider fails after Exp(task_failure_rate); it stops at once and the
  replacement is requested then;
- a Spot request inside a capacity outage is tried again 15 s later, each wait twice the last
  up to 5 min, and placed at the first try after the outage's end (no FARGATE fallback);
  quiet periods are Exp(outages_per_month per 30 days) and outages last `outage_duration`;
- a replacement is healthy `startup` after it is placed; each task is billed its lifetime rounded
  up to the second, at least 60 s;
- availability: share of the horizon with no slot down; min-healthy availability: share with
  healthy >= min(min_healthy, desired).

How it is vectorised (trials x slots x cycles, no loop over events or trials):

- A slot's life is a sequence of cycles: healthy at h_k, an event (warning or failure) after
  min(Ew_k, Ef_k), a replacement request, placement (possibly after an outage), healthy at
  h_{k+1}. All draws are made up front as (rows, K) arrays (rows = trials x slots, K cycles, more
  columns drawn until every row passes the horizon), and h is a cumulative sum of the cycle
  increments.
- Outages and reclaims make an increment depend on h_k. They are solved as a fixed point: compute
  every increment from the current h, re-cumulate, repeat on the rows that changed until nothing
  changes. Each pass settles at least one more outage hit of every row, and hits are rare, so a
  handful of passes over a small subset of rows suffices; the result is exactly the sequential
  recurrence.
- Which requests fall in an outage is found from the outages' side: for every (outage, Spot row)
  pair a searchsorted into the row-offset, row-sorted request times, with an exact +-1 correction
  for the rounding of the offset keys.
- FARGATE slots are a pure cumulative sum (outages do not touch them).
- Availability: from each trial's down intervals, sorted starts S and sorted ends E (np.sort per
  row, no event sweep). For t in [E_{i-1}, E_i) exactly i intervals have ended, so "at least m
  slots down" holds from S_{i+m-1} on; the measure of that set is
  sum_i max(0, E_i - max(E_{i-1}, S_{i+m-1})). m = 1 gives the full availability, m =
  desired - min(min_healthy, desired) + 1 the min-healthy one.

The random numbers are numpy's PCG64, not the binary's ChaCha8 lanes, so figures agree in
distribution, not bit for bit: `--check` compares the means within 4 standard errors.

Usage (tests/requirements-speed.txt pins numpy; scripts/speed.sh installs it into .venv-speed):

    python scripts/simulate_numpy.py                   # headline figures, JSON, the bench plan
    python scripts/simulate_numpy.py --time            # numpy wall time, 1,000 trials x 365 days
    python scripts/simulate_numpy.py --time --bin B    # ... and the binary's, and the ratio
    python scripts/simulate_numpy.py --check [--bin B] # agreement with the binary (or $FARGATE_PLANNER_BIN)
    python scripts/simulate_numpy.py --write-plan F    # the plan the binary is given
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace

import numpy as np

MONTH_30D_S = 30.0 * 86_400.0


@dataclass(frozen=True)
class Params:
    """One service: `benches/synthetic.rs::simulate_plan(tasks)` with the documented defaults."""

    tasks: int = 20
    fargate_base: int = 2
    fargate_weight: int = 1
    spot_weight: int = 3
    interruption_rate: float = 0.01  # per Spot task-hour
    stop_timeout_s: int = 30  # default
    startup_s: int = 60  # default (no image_pull or health check in the plan)
    outages_per_month: float = 1.0  # per 30 days of quiet time
    outage_duration_s: int = 2700
    reclaim_share: float = 0.0  # default
    task_failure_rate: float = 0.0005  # per task-hour, default
    maximum_percent: int = 200  # default
    min_healthy: int = 15
    min_bill_s: int = 60  # Linux, data/fargate-rules.toml
    hours_per_month: float = 730.0
    explicit: bool = False  # write every setting into the plan (the stress variant)


VARIANTS = {
    # The bench's plan: the speed figure.
    "bench": Params(),
    # Every branch of the model: reclaims, no room above the desired count (replacement at the
    # stop), long stop timeout and startup, frequent long outages, min-healthy shortfalls.
    "stress": Params(
        interruption_rate=0.05,
        stop_timeout_s=120,
        startup_s=90,
        outages_per_month=4.0,
        outage_duration_s=7200,
        reclaim_share=0.5,
        task_failure_rate=0.002,
        maximum_percent=100,
        explicit=True,
    ),
}


def plan_toml(p: Params) -> str:
    """The plan file for the binary; for the bench variant, byte for byte `simulate_plan(tasks)`."""
    if p.explicit:
        spot = (
            f"spot = {{ interruption_rate = {p.interruption_rate}, stop_timeout = {p.stop_timeout_s}, "
            f"outages_per_month = {p.outages_per_month}, outage_duration = {p.outage_duration_s}, "
            f"reclaim_share = {p.reclaim_share} }}"
        )
        avail = (
            f"availability = {{ min_healthy = {p.min_healthy}, startup = {p.startup_s}, "
            f"task_failure_rate = {p.task_failure_rate}, maximum_percent = {p.maximum_percent} }}"
        )
    else:
        spot = (
            f'spot = {{ interruption_rate = {p.interruption_rate}, outages_per_month = '
            f'{p.outages_per_month:g}, outage_duration = "{p.outage_duration_s // 60}m" }}'
        )
        avail = f"availability = {{ min_healthy = {p.min_healthy} }}"
    return f"""[plan]
region = "us-east-1"
[[service]]
name = "api"
cpu = 1024
memory = 2048
desired_count = {p.tasks}
capacity_provider_strategy = [
  {{ capacity_provider = "FARGATE", base = {p.fargate_base}, weight = {p.fargate_weight} }},
  {{ capacity_provider = "FARGATE_SPOT", weight = {p.spot_weight} }},
]
{spot}
{avail}
[[service.container_definitions]]
name = "api"
image = "api"
"""


def split(p: Params) -> tuple[int, int]:
    """FARGATE and FARGATE_SPOT counts: `Strategy::split` (base first, then largest remainder,
    ties to the earlier item)."""
    base = min(p.fargate_base, p.tasks)
    rest = p.tasks - base
    weights = [p.fargate_weight, p.spot_weight]
    total = sum(weights)
    counts = [base, 0]
    if rest == 0 or total == 0:
        return counts[0], counts[1]
    rems = []
    assigned = 0
    for i, w in enumerate(weights):
        share = rest * w
        counts[i] += share // total
        assigned += share // total
        rems.append((share % total, i))
    rems.sort(key=lambda r: (-r[0], r[1]))
    for _, i in rems[: rest - assigned]:
        counts[i] += 1
    return counts[0], counts[1]


def retry_offsets(longest: float) -> np.ndarray:
    """When a refused Spot placement is tried again, from the refused try: 15 s, then each wait
    twice the last, at most 300 s (the engine's assumed back-off), up to `longest` and one more."""
    out, wait = [0.0], 15.0
    while out[-1] < longest:
        out.append(out[-1] + wait)
        wait = min(2.0 * wait, 300.0)
    return np.array(out)


# Long enough for any wait within a horizon (366 days); padding (+inf) keeps its value.
RETRY = retry_offsets(366 * 86_400.0)


def draw_columns(rng, rows: int, k: int, rate: float) -> np.ndarray:
    """(rows, k) exponential times of `rate` per second (infinite for a zero rate)."""
    if rate <= 0.0:
        return np.full((rows, k), np.inf)
    return rng.standard_exponential((rows, k)) / rate


def columns_for(horizon: float, mean: float, sd: float) -> int:
    """Cycles to draw per row: the expected count in the horizon plus 6 standard deviations."""
    if not math.isfinite(mean) or mean <= 0:
        return 1
    n = horizon / mean
    return int(n + 6.0 * math.sqrt(n * (sd / mean) ** 2 + 1.0) + 4)


def row_count(a: np.ndarray, rows: np.ndarray, v: np.ndarray, side: str, lim: float) -> np.ndarray:
    """Per query, how many entries of row `rows` of `a` (ascending per row, finite entries below
    `lim`, padded with +inf) are <= v (side "right") or < v (side "left"). One searchsorted over
    row-offset keys, then an exact +-1 correction for the keys' rounding."""
    r, m = a.shape
    off = 4.0 * lim
    keys = (np.minimum(a, 2.0 * lim) + off * np.arange(r)[:, None]).ravel()
    q = np.minimum(v, lim) + off * rows
    c = np.searchsorted(keys, q, side=side) - rows * m
    np.clip(c, 0, m, out=c)
    flat = a.ravel()
    base = rows * m
    ok = (lambda x, y: x <= y) if side == "right" else (lambda x, y: x < y)
    prev = np.maximum(c - 1, 0)
    back = (c > 0) & ~ok(flat[base + prev], v)
    c = c - back
    nxt = np.minimum(c, m - 1)
    fwd = (c < m) & ok(flat[base + nxt], v)
    return c + fwd


def outages(rng, trials: int, p: Params, horizon: float):
    """Per trial: outage starts and (clipped) ends, +inf padded, and seconds out."""
    rate = p.outages_per_month / MONTH_30D_S
    d = float(p.outage_duration_s)
    if rate <= 0.0 or d <= 0.0:
        e = np.full((trials, 1), np.inf)
        return e, e.copy(), np.zeros(trials)
    k = columns_for(horizon, 1.0 / rate + d, 1.0 / rate)
    gaps = rng.standard_exponential((trials, k)) / rate
    # t_j = sum of the first j+1 gaps + j outages (an outage cut by the horizon ends it).
    starts = np.cumsum(gaps, axis=1) + d * np.arange(k)
    while (starts[:, -1] < horizon).any():
        more = rng.standard_exponential((trials, k)) / rate
        ext = starts[:, -1:] + d + np.cumsum(more, axis=1) + d * np.arange(k)
        starts = np.concatenate([starts, ext], axis=1)
    live = starts < horizon
    ends = np.where(live, np.minimum(starts + d, horizon), np.inf)
    out_s = np.where(live, ends - starts, 0.0).sum(axis=1)
    starts = np.where(live, starts, np.inf)
    return starts, ends, out_s


def spot_slots(rng, p: Params, trials: int, n_spot: int, horizon: float, o_start, o_end):
    """Plays every Spot slot of every trial. Returns per-row billed seconds, interruptions,
    failures and the down intervals (rows = trial * n_spot + rank)."""
    rows = trials * n_spot
    lam = p.interruption_rate / 3600.0
    mu = p.task_failure_rate / 3600.0
    st = float(p.stop_timeout_s)
    up = float(p.startup_s)
    room = (p.tasks * p.maximum_percent) // 100 > p.tasks
    rate = lam + mu
    mean_cycle = (1.0 / rate if rate > 0 else math.inf) + up
    k = columns_for(horizon, mean_cycle, 1.0 / rate if rate > 0 else 0.0)
    ew = draw_columns(rng, rows, k, lam)
    ef = draw_columns(rng, rows, k, mu)

    def base_inc(ew, ef):
        first = np.minimum(ew, ef)
        delay = 0.0 if room else np.where(ef < ew, 0.0, st)
        return first + delay + up

    trial_of = np.arange(rows) // n_spot
    live_out = np.isfinite(o_start)
    has_outages = bool(live_out.any())
    # Reclaims: per (trial, rank, outage), the outage warns the rank's healthy task.
    reclaim_pairs = None
    if has_outages and p.reclaim_share > 0.0:
        flags = rng.random((trials, n_spot, o_start.shape[1])) < p.reclaim_share
        flags &= live_out[:, None, :]
        t_i, r_i, o_i = np.nonzero(flags)
        reclaim_pairs = (t_i * n_spot + r_i, o_start[t_i, o_i])
    # The (Spot row, outage) pairs, for the outage lookups, in row order (ascending keys).
    if has_outages:
        row_out = live_out[trial_of]
        pair_rows = np.broadcast_to(np.arange(rows)[:, None], row_out.shape)[row_out]
        pair_start = o_start[trial_of][row_out]
        pair_end = o_end[trial_of][row_out]

    def cycles(sel, h):
        """Every cycle of rows `sel` from their healthy times `h` (rows, k), and each cycle's
        correction to its outage-free increment (0.0 exactly where outages play no part)."""
        whole = sel.size == rows
        e_w, e_f = (ew, ef) if whole else (ew[sel], ef[sel])
        warn = h + e_w
        reclaimed = None
        if reclaim_pairs is not None:
            # The first reclaiming outage starting in [h_k, warn_k): only the last cycle with
            # h_k <= start can hold it (cycles do not overlap).
            mask = slice(None) if whole else np.isin(reclaim_pairs[0], sel)
            prow, pstart = reclaim_pairs[0][mask], reclaim_pairs[1][mask]
            local = prow if whole else np.searchsorted(sel, prow)
            kk = row_count(h, local, pstart, "right", horizon) - 1
            hit = (kk >= 0) & (pstart < warn[local, np.maximum(kk, 0)])
            np.minimum.at(warn, (local[hit], kk[hit]), pstart[hit])
            reclaimed = np.zeros(h.shape, dtype=bool)
            reclaimed[local[hit], kk[hit]] = True
        fail = h + e_f
        is_fail = fail < warn
        lost = np.where(is_fail, fail, warn)
        stop = np.where(is_fail, fail, warn + st)
        req = lost if room else stop
        place = req.copy()
        if has_outages:
            # Requests inside an outage are placed at its end: for every (outage, row) pair the
            # requests in [start, end).
            mask = slice(None) if whole else np.isin(pair_rows, sel)
            prow = pair_rows[mask] if whole else np.searchsorted(sel, pair_rows[mask])
            ps, pe = pair_start[mask], pair_end[mask]
            # Start, end, start, end...: ascending keys, which searchsorted is fastest on.
            both = row_count(req, np.repeat(prow, 2), np.stack([ps, pe], axis=1).ravel(),
                             "left", horizon)
            lo, hi = both[0::2], both[1::2]
            d = 0
            while True:
                m = lo + d < hi
                if not m.any():
                    break
                r, c = prow[m], lo[m] + d
                wait = pe[m] - req[r, c]
                i = np.minimum(np.searchsorted(RETRY, wait, "left"), len(RETRY) - 1)
                place[r, c] = np.where(wait <= RETRY[-1], req[r, c] + RETRY[i], pe[m])
                d += 1
        corr = place - req
        if reclaimed is not None and reclaimed.any():
            delay = 0.0 if room else np.where(is_fail, 0.0, st)
            exact = (lost - h) + delay + up
            corr = np.where(reclaimed, corr + exact - base_inc(e_w, e_f), corr)
        return [warn, fail, is_fail, lost, stop, place, place + up], corr

    def healthy_from(inc):
        h = np.zeros_like(inc)
        np.cumsum(inc[:, :-1], axis=1, out=h[:, 1:])
        return h

    def settle():
        """Fixed point: increments from healthy times, healthy times from increments. Rows
        whose corrections are all zero on the outage-free course are settled after the first
        pass; each further pass settles at least one more outage hit of every row it runs."""
        h = healthy_from(inc0)
        res, corr = cycles(np.arange(rows), h)
        changed = np.nonzero((corr != 0.0).any(axis=1))[0]
        passes = 1
        while changed.size:
            passes += 1
            if passes > k + 2:
                raise RuntimeError("the outage fixed point did not settle")
            h_sel = healthy_from(inc0[changed] + corr[changed])
            sub, corr_sel = cycles(changed, h_sel)
            moved = (corr_sel != corr[changed]).any(axis=1)
            corr[changed] = corr_sel
            for full, part in zip(res, sub):
                full[changed] = part
            changed = changed[moved]
        return res, passes

    while True:
        inc0 = base_inc(ew, ef)
        if reclaim_pairs is None:
            # Waits only lengthen cycles: columns past every row's outage-free course are not
            # needed, and while some row's course ends before the horizon more are.
            h = healthy_from(inc0)
            last = int((h < horizon).sum(axis=1).max()) + 1
            if last < ew.shape[1]:
                ew, ef, inc0 = ew[:, :last], ef[:, :last], inc0[:, :last]
        k = ew.shape[1]
        res, passes = settle()
        # Reclaims shorten cycles, so the check is on the settled course: a row whose last
        # cycle ends inside the horizon needs more columns (more of the same draw sequence).
        if not (res[3][:, -1] < horizon).any():
            break
        ew = np.concatenate([ew, draw_columns(rng, rows, k, lam)], axis=1)
        ef = np.concatenate([ef, draw_columns(rng, rows, k, mu)], axis=1)
    warn, fail, is_fail, lost, stop, place_next, h_next = res

    place = np.empty_like(h_next)
    place[:, 0] = 0.0
    place[:, 1:] = place_next[:, :-1]
    exists = place < horizon
    event = lost < horizon
    # Each task's life: placement to its stop, or to the horizon; billed rounded up, >= 60 s.
    end = np.minimum(stop, horizon, out=stop)
    end[~event] = horizon
    billed = np.subtract(end, place, out=end)
    np.ceil(billed, out=billed)
    np.maximum(billed, p.min_bill_s, out=billed)
    billed[~exists] = 0.0
    down_s = np.where(event, lost, horizon)
    down_e = np.minimum(h_next, horizon, out=h_next)
    down_e[~event] = horizon
    return (
        billed.sum(axis=1),
        (event & ~is_fail).sum(axis=1),
        (event & is_fail).sum(axis=1),
        down_s,
        down_e,
        passes,
    )


def fargate_slots(rng, p: Params, trials: int, n_fg: int, horizon: float):
    """FARGATE slots: failures only. Returns per-row extra billed seconds (the pieces' rounding),
    failures and down intervals."""
    rows = trials * n_fg
    mu = p.task_failure_rate / 3600.0
    up = float(p.startup_s)
    if rows == 0 or mu <= 0.0:
        z = np.full((rows, 1), horizon)
        return np.zeros(rows), np.zeros(rows, dtype=int), z, z.copy()
    k = columns_for(horizon, 1.0 / mu + up, 1.0 / mu)
    ef = rng.standard_exponential((rows, k)) / mu
    fail = np.cumsum(ef, axis=1) + up * np.arange(k)
    while (fail[:, -1] < horizon).any():
        more = rng.standard_exponential((rows, k)) / mu
        ext = fail[:, -1:] + up + np.cumsum(more, axis=1) + up * np.arange(k)
        fail = np.concatenate([fail, ext], axis=1)
    place = np.zeros_like(fail)
    place[:, 1:] = fail[:, :-1]
    event = fail < horizon
    exists = place < horizon
    end = np.minimum(fail, horizon)
    pieces = np.where(exists, np.maximum(np.ceil(end - place), p.min_bill_s), 0.0).sum(axis=1)
    extra = pieces - max(math.ceil(horizon), p.min_bill_s)
    down_s = np.where(event, fail, horizon)
    down_e = np.where(event, np.minimum(fail + up, horizon), horizon)
    return extra, event.sum(axis=1), down_s, down_e


def at_least(starts: np.ndarray, ends: np.ndarray, ms: list[int]) -> list[np.ndarray]:
    """Per row and per m in `ms`, the measure of the time at least m of the row's intervals
    cover (see the module documentation)."""
    n = starts.shape[1]
    s = np.sort(starts, axis=1)
    e = np.sort(ends, axis=1)
    prev = np.zeros_like(e)
    prev[:, 1:] = e[:, :-1]
    out = []
    for m in ms:
        if m > n:
            out.append(np.zeros(starts.shape[0]))
            continue
        w = n - m + 1
        piece = e[:, :w] - np.maximum(prev[:, :w], s[:, m - 1 :])
        out.append(np.maximum(piece, 0.0).sum(axis=1))
    return out


def simulate(p: Params, trials: int, days: int, seed: int) -> dict:
    """Per-trial figures (arrays of length `trials`)."""
    horizon = days * 86_400.0
    rng = np.random.default_rng(seed)
    n_fg, n_spot = split(p)
    if n_spot:
        o_start, o_end, out_s = outages(rng, trials, p, horizon)
    else:
        o_start = o_end = np.full((trials, 1), np.inf)
        out_s = np.zeros(trials)
    starts, ends = [], []
    billed_spot = np.zeros(trials)
    interruptions = np.zeros(trials)
    spot_failures = np.zeros(trials)
    passes = 0
    if n_spot:
        b, i, f, ds, de, passes = spot_slots(rng, p, trials, n_spot, horizon, o_start, o_end)
        billed_spot = b.reshape(trials, n_spot).sum(axis=1)
        interruptions = i.reshape(trials, n_spot).sum(axis=1)
        spot_failures = f.reshape(trials, n_spot).sum(axis=1)
        starts.append(ds.reshape(trials, -1))
        ends.append(de.reshape(trials, -1))
    billed_fg = np.full(trials, n_fg * horizon)
    fg_failures = np.zeros(trials)
    if n_fg:
        extra, f, ds, de = fargate_slots(rng, p, trials, n_fg, horizon)
        billed_fg += extra.reshape(trials, n_fg).sum(axis=1)
        fg_failures = f.reshape(trials, n_fg).sum(axis=1)
        starts.append(ds.reshape(trials, -1))
        ends.append(de.reshape(trials, -1))
    starts = np.concatenate(starts, axis=1)
    ends = np.concatenate(ends, axis=1)
    m = p.tasks - min(p.min_healthy, p.tasks) + 1
    down_any, down_min = at_least(starts, ends, [1, m])
    month = p.hours_per_month * 3600.0 / horizon
    return {
        "task_hours_per_month.FARGATE": billed_fg / 3600.0 * month,
        "task_hours_per_month.FARGATE_SPOT": billed_spot / 3600.0 * month,
        "availability_percent": 100.0 * (horizon - down_any) / horizon,
        "min_healthy_percent": 100.0 * (horizon - down_min) / horizon,
        "interruptions": interruptions.astype(float),
        "task_failures": (spot_failures + fg_failures).astype(float),
        "shortfall_task_minutes": (ends - starts).sum(axis=1) / 60.0,
        "spot_outage_percent": 100.0 * out_s / horizon,
        "_passes": passes,
        "_split": (n_fg, n_spot),
    }


FIGURES = [
    "task_hours_per_month.FARGATE",
    "task_hours_per_month.FARGATE_SPOT",
    "interruptions",
    "availability_percent",
    "min_healthy_percent",
    "task_failures",
    "shortfall_task_minutes",
    "spot_outage_percent",
]


def summary(v: np.ndarray) -> dict:
    n = len(v)
    sd = float(np.std(v, ddof=1)) if n > 1 else 0.0
    return {"mean": float(np.mean(v)), "sd": sd, "se": sd / math.sqrt(n)}


def headline(sim: dict, trials: int) -> dict:
    return {name: summary(sim[name]) for name in FIGURES} | {"trials": trials}


def binary_path(arg: str | None) -> str:
    path = arg or os.environ.get("FARGATE_PLANNER_BIN")
    if not path:
        sys.exit("simulate_numpy.py: give the binary with --bin PATH or $FARGATE_PLANNER_BIN")
    return path


def run_binary(bin_path: str, plan_file: str, trials: int, days: int, seed: int) -> dict:
    cmd = [bin_path, "simulate", plan_file, "--trials", str(trials), "--seed", str(seed),
           "--horizon", f"{days}d", "--format", "json"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def binary_figures(doc: dict) -> dict:
    """The binary's figures by the names above: mean and a spread from its percentiles."""
    s = doc["services"][0]
    flat = {}
    for prov, summ in s["task_hours_per_month"]:
        flat[f"task_hours_per_month.{prov}"] = summ
    for name in FIGURES:
        if "." not in name:
            flat[name] = s[name]
    out = {}
    for name, summ in flat.items():
        # The JSON gives mean, P50, P95, P99 (toward the bad side). Its standard deviation is
        # estimated from |P95 - P50| / 1.645 (normal approximation), used only for the binary's
        # share of the combined standard error.
        sd = abs(summ["p95"] - summ["p50"]) / 1.6449
        out[name] = {"mean": summ["mean"], "sd": sd}
    return out


def check_assumptions(p: Params, doc: dict) -> list[str]:
    a = doc["services"][0]["assumptions"]
    want = {
        "interruption_rate_per_task_hour": p.interruption_rate,
        "stop_timeout_s": p.stop_timeout_s,
        "startup_s": p.startup_s,
        "outages_per_month": p.outages_per_month,
        "outage_duration_s": p.outage_duration_s,
        "reclaim_share": p.reclaim_share,
        "task_failure_rate_per_task_hour": p.task_failure_rate,
        "maximum_percent": p.maximum_percent,
        "min_healthy": p.min_healthy,
        "minimum_billed_s": p.min_bill_s,
        "deployments_per_month": 0.0,
    }
    bad = [f"{k}: binary {a.get(k)!r}, numpy {v!r}" for k, v in want.items() if a.get(k) != v]
    if float(doc["hours_per_month"]) != p.hours_per_month:
        bad.append(f"hours_per_month: binary {doc['hours_per_month']}, numpy {p.hours_per_month}")
    if doc["services"][0]["mean_desired"] != p.tasks:
        bad.append(f"mean_desired: binary {doc['services'][0]['mean_desired']}, numpy {p.tasks}")
    return bad


def check(variant: str, p: Params, bin_path: str, trials: int, days: int, seed: int) -> bool:
    with tempfile.TemporaryDirectory() as d:
        plan_file = os.path.join(d, f"{variant}.toml")
        with open(plan_file, "w") as f:
            f.write(plan_toml(p))
        doc = run_binary(bin_path, plan_file, trials, days, seed)
    ok = True
    for line in check_assumptions(p, doc):
        print(f"  assumption differs: {line}")
        ok = False
    sim = simulate(p, trials, days, seed)
    ours = headline(sim, trials)
    theirs = binary_figures(doc)
    n_fg, n_spot = sim["_split"]
    print(f"{variant}: {p.tasks} tasks ({n_fg} FARGATE, {n_spot} FARGATE_SPOT), {trials} trials x "
          f"{days} days, seed {seed} (numpy and binary streams differ)")
    print(f"  {'figure':34} {'numpy mean':>16} {'binary mean':>16} {'diff':>12} "
          f"{'4 SE':>11} {'z':>6}")
    for name in FIGURES:
        a, b = ours[name], theirs[name]
        se = math.sqrt(a["sd"] ** 2 / trials + b["sd"] ** 2 / trials)
        diff = a["mean"] - b["mean"]
        # Figures without spread on either side (min-healthy at 100 %) must agree to rounding.
        tol = max(4.0 * se, 1e-9 * max(1.0, abs(b["mean"])))
        z = diff / se if se > 0 else (0.0 if abs(diff) <= tol else math.inf)
        good = abs(diff) <= tol
        ok &= good
        print(f"  {name:34} {a['mean']:16.6f} {b['mean']:16.6f} {diff:12.3e} {4 * se:11.3e} "
              f"{z:6.2f} {'ok' if good else 'DIFFERS'}")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--variant", choices=sorted(VARIANTS), default="bench")
    ap.add_argument("--tasks", type=int, default=20)
    ap.add_argument("--trials", type=int, default=1000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bin", help="the fargate-planner binary (default $FARGATE_PLANNER_BIN)")
    ap.add_argument("--runs", type=int, default=3, help="--time: runs, median reported")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="compare with the binary on the bench and stress plans; exit 1 on a difference")
    mode.add_argument("--time", action="store_true", help="median wall time of the Monte Carlo")
    mode.add_argument("--write-plan", metavar="FILE", help="write the plan and exit")
    args = ap.parse_args()
    p = replace(VARIANTS[args.variant], tasks=args.tasks)

    if args.write_plan:
        with open(args.write_plan, "w") as f:
            f.write(plan_toml(p))
        return 0
    if args.check:
        bin_path = binary_path(args.bin)
        ok = True
        for name in ("bench", "stress"):
            ok &= check(name, replace(VARIANTS[name], tasks=args.tasks), bin_path,
                        args.trials, args.days, args.seed)
        print("agreement: all means within 4 standard errors" if ok else "agreement: FAILED")
        return 0 if ok else 1
    if args.time:
        # A first full-size run pays for first-touch page faults of the large arrays; it is
        # shown but not counted, so the figure is numpy's steady state (its best case).
        t0 = time.perf_counter()
        simulate(p, args.trials, args.days, args.seed)
        cold = time.perf_counter() - t0
        times, cpu = [], []
        for i in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            simulate(p, args.trials, args.days, args.seed + i)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        np_s = statistics.median(times)
        print(f"numpy {np.__version__}: {args.trials} trials x {args.days} days x {p.tasks} tasks: "
              f"{np_s:.3f} s (median of {args.runs}: {', '.join(f'{t:.3f}' for t in times)}; "
              f"first run {cold:.3f} s, not counted); CPU {statistics.median(cpu):.3f} s")
        if args.bin or os.environ.get("FARGATE_PLANNER_BIN"):
            bin_path = binary_path(args.bin)
            with tempfile.TemporaryDirectory() as d:
                plan_file = os.path.join(d, "plan.toml")
                with open(plan_file, "w") as f:
                    f.write(plan_toml(p))
                cmd = [bin_path, "simulate", plan_file, "--trials", str(args.trials), "--seed",
                       str(args.seed), "--horizon", f"{args.days}d", "--format", "json"]
                bt, bc = [], []
                for _ in range(args.runs):
                    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                    t0 = time.perf_counter()
                    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
                    bt.append(time.perf_counter() - t0)
                    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                    bc.append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
            b_s = statistics.median(bt)
            print(f"binary (whole process): {b_s:.3f} s (median of {args.runs}: "
                  f"{', '.join(f'{t:.3f}' for t in bt)}); CPU {statistics.median(bc):.3f} s")
            print(f"ratio numpy / binary: {np_s / b_s:.1f}x wall, "
                  f"{statistics.median(cpu) / statistics.median(bc):.1f}x CPU")
        return 0
    sim = simulate(p, args.trials, args.days, args.seed)
    print(json.dumps({"variant": args.variant, "seed": args.seed, "days": args.days}
                     | headline(sim, args.trials), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
