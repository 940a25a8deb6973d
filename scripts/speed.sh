#!/usr/bin/env bash
# Whole-process timings with peak memory, for docs/speed.md: builds the release binary, writes the
# synthetic plans, and runs each command RUNS times (default 3) under /usr/bin/time, printing the
# median wall time and the median peak resident memory of each. Offline: no registry, no AWS
# (except `simulate`, which installs numpy from tests/requirements-speed.txt into .venv-speed
# when it is missing).
#
#   bash scripts/speed.sh            # every figure
#   RUNS=5 bash scripts/speed.sh report
#   FARGATE_PLANNER_BIN=path/to/fargate-planner bash scripts/speed.sh simulate   # no build
#
# `simulate` also times scripts/simulate_numpy.py, the numpy version of the same Monte Carlo,
# and prints the ratio of its wall time to the binary's (docs/speed.md).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-3}"
only="${1:-}"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${FARGATE_PLANNER_BIN:-$target/release/fargate-planner}"
gen="$target/release/examples/generate_plan"

if [[ -z "${FARGATE_PLANNER_BIN:-}" ]]; then
    cargo build --release --locked --quiet --bin fargate-planner --example generate_plan
elif [[ "$only" != simulate && ! -x "$gen" ]]; then
    cargo build --release --locked --quiet --example generate_plan
fi
dir="$(mktemp -d -t fp-speed-XXXXXX)"
trap 'rm -rf "$dir"' EXIT

plan() { # plan NAME ARGS...: the synthetic plan, written once
    local f="$dir/$1.toml"
    shift
    [[ -f "$f" ]] || "$gen" "$@" >"$f"
    echo "$f"
}

# measure LABEL CMD...: median wall seconds and median peak RSS (MiB) over $runs runs.
measure() {
    local label="$1"
    shift
    local times=() mems=()
    for _ in $(seq 1 "$runs"); do
        /usr/bin/time -f "%e %M" -o "$dir/time" "$@" >/dev/null 2>"$dir/err" || {
            echo "speed.sh: $label failed:" >&2
            cat "$dir/err" >&2
            exit 1
        }
        read -r t m <"$dir/time"
        times+=("$t")
        mems+=("$m")
    done
    local mt mm
    mt="$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")"
    mm="$(printf '%s\n' "${mems[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")"
    printf '| %-52s | %6.2f s | %7.1f MiB |\n' "$label" "$mt" "$(echo "$mm / 1024" | bc -l)"
}

want() { [[ -z "$only" || "$only" == "$1" ]]; }

echo "| work | median wall | median peak memory |"
echo "|---|---|---|"
if want report; then
    for n in 1000 10000 100000; do
        measure "report, $n services" "$bin" report "$(plan "report-$n" "$n")"
    done
fi
if want validate; then
    measure "validate, 10000 services" "$bin" validate "$(plan report-10000 10000)"
fi
if want simulate; then
    venv="$root/.venv-speed"
    if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import numpy' 2>/dev/null; then
        echo "speed.sh: installing numpy into .venv-speed (tests/requirements-speed.txt)" >&2
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/requirements-speed.txt
    fi
    py="$venv/bin/python"
    # The bench's plan (benches/synthetic.rs simulate_plan(20), byte for byte), no build needed.
    sim="$dir/simulate-20.toml"
    "$py" scripts/simulate_numpy.py --write-plan "$sim"
    measure "simulate, 20 tasks, 1,000 trials x 365 days" "$bin" simulate \
        "$sim" --trials 1000 --seed 7 --horizon 365d
    measure "numpy version, same plan (whole process)" "$py" scripts/simulate_numpy.py
    # Finer than /usr/bin/time's 10 ms: the numpy Monte Carlo in-process (after a warm-up run),
    # the binary whole-process, medians of $runs, and their ratio.
    echo
    "$py" scripts/simulate_numpy.py --time --runs "$runs" --bin "$bin"
fi
if want recommend; then
    for n in 20 100; do
        measure "recommend, $n services (autoscaled, load curves)" "$bin" recommend \
            "$(plan "recommend-$n" "$n" autoscaled)"
    done
fi
