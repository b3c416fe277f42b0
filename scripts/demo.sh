#!/usr/bin/env bash
# npm run demo: whalekeeper's main job, replayed with real containers on a private engine (never the machine's).
set -euo pipefail
cd "$(dirname "$0")/.."
export WK_ENGINE_DIR=${WK_ENGINE_DIR:-/tmp/wk-demo}
wk() { node dist/whalekeeper.js "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
trap 'bash scripts/engine.sh stop >/dev/null 2>&1 || true' EXIT

step "Starting a private Docker engine (own data root on a loop-mounted disk)"
eval "export $(bash scripts/engine.sh start)"
image=whalekeeper-test/busybox:latest
export BUILD_TAG=jenkins-demo-1

step "A pipeline's plain 'docker run' without --rm leaves a stopped container behind"
docker run $image sh -c 'echo tests passed' || true
docker ps -a --format '  left behind: {{.ID}} {{.Image}} {{.Status}}'

step "The same step through 'whalekeeper run': same output, same exit code, nothing left"
set +e; wk run $image sh -c 'echo tests failed with 3; exit 3'; code=$?; set -e
echo "  exit code: $code"
echo "  containers of build $BUILD_TAG: $(docker ps -aq --filter label=whalekeeper.build=$BUILD_TAG | wc -l)"

step "Aborted like Jenkins aborts a build (SIGTERM to the step): stopped, removed, exit 143"
node dist/whalekeeper.js run $image sleep 300 & pid=$!
sleep 1; kill -TERM $pid; set +e; wait $pid; code=$?; set -e
echo "  exit code: $code; containers of build $BUILD_TAG: $(docker ps -aq --filter label=whalekeeper.build=$BUILD_TAG | wc -l)"

step "Killed outright (SIGKILL): the reaper removes the container within seconds"
node dist/whalekeeper.js run $image sleep 300 & pid=$!
sleep 1; kill -KILL $pid; wait $pid 2>/dev/null || true
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -z "$(docker ps -aq --filter label=whalekeeper.build=$BUILD_TAG)" ] && break; sleep 0.5; done
echo "  containers of build $BUILD_TAG: $(docker ps -aq --filter label=whalekeeper.build=$BUILD_TAG | wc -l)"

step "Refused: what would leave a container behind"
wk run --rm=false $image true || echo "  exit code: $?"

step "Done; the private engine is stopped and unmounted"
