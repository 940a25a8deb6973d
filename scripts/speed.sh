#!/usr/bin/env bash
# Whole-process timings with peak memory, for docs/speed.md: builds the release binary, writes the
# synthetic plans, and runs each command RUNS times (default 3) under /usr/bin/time, printing the
# median wall time and the median peak resident memory of each. Offline: no registry, no AWS.
#
#   bash scripts/speed.sh            # every figure
#   RUNS=5 bash scripts/speed.sh report
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-3}"
only="${1:-}"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/release/fargate-planner"
gen="$target/release/examples/generate_plan"

cargo build --release --locked --quiet --bin fargate-planner --example generate_plan
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
    measure "simulate, 20 tasks, 1,000 trials x 365 days" "$bin" simulate \
        "$(plan simulate-20 20 simulate)" --trials 1000 --seed 7 --horizon 365d
fi
if want recommend; then
    for n in 20 100; do
        measure "recommend, $n services (autoscaled, load curves)" "$bin" recommend \
            "$(plan "recommend-$n" "$n" autoscaled)"
    done
fi
