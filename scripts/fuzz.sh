#!/usr/bin/env bash
# The longer fuzz campaign (issue 16): every parser of outside input over FUZZ_CASES random and
# mutated inputs each (default 111,112: just over 1,000,000 inputs over the nine parsers), with
# the elapsed time and peak memory. Every CI run does 6,000 per parser (tests/cli/fuzz.rs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cases="${FUZZ_CASES:-111112}"
cargo test --locked --test tests --no-run
FARGATE_PLANNER_FUZZ_CASES="$cases" /usr/bin/time -v \
    cargo test --locked --test tests every_parser_survives -- --nocapture 2>&1 |
    grep -E "fuzz:|test result|Elapsed|Maximum resident"
