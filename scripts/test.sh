#!/usr/bin/env bash
# The project's test command: installs the pinned AWS emulator (moto) into .venv when missing,
# starts it on loopback, runs `cargo test --locked "$@"` against it, and stops it on exit.
# Tests that need the emulator fail (never skip) when FARGATE_PLANNER_TEST_MOTO is unset.
# Likewise Debian's docker-registry (Distribution) for the image tests: installed when missing and
# running as root, started on loopback with a temporary config and storage, exported as
# FARGATE_PLANNER_TEST_REGISTRY (host:port). The AWS CDK from npm into tests/cdk/node_modules for
# the tests that synthesize CDK apps (FARGATE_PLANNER_TEST_CDK).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

venv="$root/.venv"
if [[ ! -x "$venv/bin/moto_server" || ! -x "$venv/bin/cfn-lint" ]] || ! "$venv/bin/python" -c 'import numpy' 2>/dev/null; then
    echo "test.sh: installing the AWS emulator, cfn-lint and numpy into .venv (tests/requirements.txt)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/requirements.txt
fi

log="$(mktemp -t moto-XXXXXX.log)"
moto_pid=""
registry_pid=""
registry_dir=""
cleanup() {
    if [[ -n "$moto_pid" ]] && kill -0 "$moto_pid" 2>/dev/null; then
        kill "$moto_pid" 2>/dev/null || true
        wait "$moto_pid" 2>/dev/null || true
    fi
    if [[ -n "$registry_pid" ]] && kill -0 "$registry_pid" 2>/dev/null; then
        kill "$registry_pid" 2>/dev/null || true
        wait "$registry_pid" 2>/dev/null || true
    fi
    rm -f "$log"
    if [[ -n "$registry_dir" ]]; then rm -rf "$registry_dir"; fi
}
trap cleanup EXIT

"$venv/bin/moto_server" -H 127.0.0.1 -p 0 >"$log" 2>&1 &
moto_pid=$!

port=""
for _ in $(seq 1 150); do
    port="$(sed -n 's|.*Running on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$log" | head -n 1)"
    [[ -n "$port" ]] && break
    if ! kill -0 "$moto_pid" 2>/dev/null; then
        echo "test.sh: moto_server exited:" >&2
        cat "$log" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z "$port" ]]; then
    echo "test.sh: moto_server did not report its port within 15 s:" >&2
    cat "$log" >&2
    exit 1
fi
url="http://127.0.0.1:$port"
ready=""
for _ in $(seq 1 100); do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$url/moto-api/" 2>/dev/null; then
        ready=1
        break
    fi
    sleep 0.1
done
if [[ -z "$ready" ]]; then
    echo "test.sh: moto at $url did not answer /moto-api/" >&2
    exit 1
fi
echo "test.sh: moto $("$venv/bin/python" -c 'import moto; print(moto.__version__)') at $url (pid $moto_pid)" >&2

export FARGATE_PLANNER_TEST_MOTO="$url"
# The fault test starts and stops emulators of its own.
export FARGATE_PLANNER_TEST_MOTO_SERVER="$venv/bin/moto_server"
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
# AWS_MAX_ATTEMPTS=1 (no 1.7 s retry on moto's HTTP 500s) is set per run by the deploy tests,
# not here: other tests check the SDK's retries.

# The HTML report test opens the page in headless Chromium (Debian's package); install it when
# missing and we can. Without a browser that test fails loudly; it never passes silently.
if ! command -v chromium >/dev/null 2>&1 && [[ -z "${CHROME:-}" ]]; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "test.sh: installing chromium for the HTML report test" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
    else
        echo "test.sh: WARNING: no chromium; the HTML report test will fail (set CHROME or install chromium)" >&2
    fi
fi

# The image registry (Distribution) for the image-architecture tests.
registry_bin="$(command -v docker-registry || true)"
if [[ -z "$registry_bin" ]]; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "test.sh: installing docker-registry for the image tests" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-registry >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-registry >/dev/null; }
        registry_bin="$(command -v docker-registry || true)"
    fi
fi
if [[ -n "$registry_bin" ]]; then
    registry_dir="$(mktemp -d -t registry-XXXXXX)"
    registry_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
    printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s/data\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:%s\n' \
        "$registry_dir" "$registry_port" >"$registry_dir/config.yml"
    "$registry_bin" serve "$registry_dir/config.yml" >"$registry_dir/log" 2>&1 &
    registry_pid=$!
    registry_ready=""
    for _ in $(seq 1 100); do
        if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "http://127.0.0.1:$registry_port/v2/" 2>/dev/null; then
            registry_ready=1
            break
        fi
        sleep 0.1
    done
    if [[ -z "$registry_ready" ]]; then
        echo "test.sh: docker-registry on 127.0.0.1:$registry_port did not answer /v2/:" >&2
        cat "$registry_dir/log" >&2
        exit 1
    fi
    echo "test.sh: docker-registry at 127.0.0.1:$registry_port (pid $registry_pid)" >&2
    export FARGATE_PLANNER_TEST_REGISTRY="127.0.0.1:$registry_port"
else
    echo "test.sh: WARNING: no docker-registry; the image tests will fail (install Debian's docker-registry)" >&2
fi

# The AWS CDK (pinned in tests/cdk/package.json and package-lock.json) for the tests that
# synthesize the apps in tests/cdk/apps: installed into tests/cdk/node_modules when missing.
cdk_dir="$root/tests/cdk"
if [[ ! -x "$cdk_dir/node_modules/.bin/cdk" ]]; then
    node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
    if [[ "$node_major" -lt 20 ]]; then
        echo "test.sh: WARNING: the CDK tests need Node.js 20 or later (found: $(node --version 2>/dev/null || echo none)); they will fail" >&2
    else
        echo "test.sh: installing the AWS CDK into tests/cdk/node_modules (tests/cdk/package-lock.json)" >&2
        npm ci --prefix "$cdk_dir" --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
    fi
fi
export FARGATE_PLANNER_TEST_CDK="$cdk_dir"
# cfn-lint (pinned in tests/requirements.txt) checks the CloudFormation that `recommend` prints.
export FARGATE_PLANNER_TEST_CFN_LINT="$venv/bin/cfn-lint"
# The numpy version of the simulation the engine is checked against (tests/cli/simulate.rs).
export FARGATE_PLANNER_TEST_PYTHON="$venv/bin/python"

cargo test --locked "$@"
