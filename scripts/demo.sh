#!/usr/bin/env bash
# npm run demo: the mission's two stories, replayed with real containers on a private engine (never the machine's).
#   1. "Hell got loose": leftovers fill an agent's disk; whalekeeper sees, prevents and cleans them.
#   2. "QC your whale": the build number goes into the image, and verify catches the replica that did not update.
# Where Debian's prometheus, prometheus-node-exporter and prometheus-alertmanager are installed, story 1 also runs
# them on loopback (the shipped alert rules, their `for:` shortened to 1s) and shows the disk alert firing and
# resolving, as Alertmanager lists it. Leaves nothing running or mounted.
#   WK_ENGINE_KIND    the engine (scripts/engine.sh): 20.10 (overlay2, the default) or 28 (the containerd image store)
#   WK_DEMO_STORIES   which stories to tell, e.g. "1" (default "1 2")
#   WK_DEMO_SUMMARY   a file to write the figures to, one `key=value` a line (test/demo reads it)
#   WK_DEMO_KEEP=1    keeps the engine (stop it with WK_ENGINE_DIR=... scripts/engine.sh stop)
set -euo pipefail
cd "$(dirname "$0")/.."
export WK_ENGINE_DIR=${WK_ENGINE_DIR:-/tmp/wk-demo} WK_ENGINE_SIZE=${WK_ENGINE_SIZE:-512M} DOCKER_BUILDKIT=0
started=$(date +%s)
stories=" ${WK_DEMO_STORIES:-1 2} "
summary=${WK_DEMO_SUMMARY:-/dev/null}
: > "$summary"
work=$(mktemp -d)
wk() { node dist/whalekeeper.js "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
note() { printf '   %s\n' "$*"; }
count() { docker ps -aq "$@" | wc -l | tr -d ' '; }
used() { df --output=pcent "$WK_ENGINE_DIR/data" | tail -1 | tr -d ' '; }
fact() { printf '%s=%s\n' "$1" "$2" >> "$summary"; }
story() { [[ "$stories" == *" $1 "* ]]; }
finish() {
  for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${WK_DEMO_KEEP:-}" = 1 ] || bash scripts/engine.sh stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap finish EXIT
monitoring=0
[ -x /usr/bin/prometheus ] && [ -x /usr/bin/prometheus-node-exporter ] && [ -x /usr/bin/prometheus-alertmanager ] && monitoring=1
# One line about the alert NAME as Alertmanager's API lists it: `firing` waits until it is active, `resolved` until
# it no longer is (each at most 30 s).
alert_line() {
  node --input-type=module -e '
    const [am, name, want] = process.argv.slice(1);
    for (let i = 0; i < 150; i++) {
      const all = await (await fetch(`${am}/api/v2/alerts?active=true&filter=${encodeURIComponent(`alertname="${name}"`)}`)).json();
      const active = all.filter((a) => a.status.state === "active");
      if (want === "firing" && active.length > 0) { const a = active[0]; console.log(`Alertmanager: ${name} firing since ${a.startsAt.slice(11, 19)} UTC (${a.labels.severity}): ${a.annotations.summary}`); process.exit(0); }
      if (want === "resolved" && active.length === 0) { console.log(`Alertmanager: ${name} resolved at ${new Date().toISOString().slice(11, 19)} UTC: no longer active`); process.exit(0); }
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`Alertmanager: ${name} not ${want} within 30 s`); process.exit(1);
  ' "$ALERTMANAGER" "$@"
}

step "A private Docker engine: its own data root on a ${WK_ENGINE_SIZE} loop-mounted disk"
eval "export $(bash scripts/engine.sh start 2>/dev/null)"
image=whalekeeper-test/busybox:latest
note "DOCKER_HOST=$DOCKER_HOST"
store="graph driver $(docker info --format '{{.Driver}}')"
docker info --format '{{json .DriverStatus}}' | grep -q io.containerd.snapshotter && store="containerd image store"
note "Docker Engine $(docker version --format '{{.Server.Version}}'), $store"
fact engine "$(docker version --format '{{.Server.Version}}')"

if story 1; then
# ---------------------------------------------------------------------------------------------------------------
printf '\n\033[1;31m### Story 1: hell got loose\033[0m\n'

step "Another build is running on this agent (its container must survive everything below)"
other=$(wk --build jenkins-other-7 run -d "$image" sleep 600)
note "running: ${other:0:12} (build jenkins-other-7)"
docker create --label io.kubernetes.pod.name=kube-proxy-x1 --label io.kubernetes.pod.namespace=kube-system "$image" true >/dev/null
note "and a stopped container the kubelet manages (kube-proxy-x1)"

step "Months of pipelines rebuilding images and running plain 'docker run' without --rm"
mkdir -p "$work/img"
for build in app:1 app:1 tool:1; do
  # A distinct line per build: the second app:1 replaces the first, which is left dangling.
  printf 'FROM %s\nRUN dd if=/dev/urandom of=/payload bs=1M count=45 2>/dev/null && echo %s-%s > /id\n' "$image" "$build" "$RANDOM" > "$work/img/Dockerfile"
  docker build -q -t "$build" "$work/img" >/dev/null 2>&1
done
# Leftovers until the disk is past 83% (the containerd store keeps each image twice, compressed and unpacked, so
# how many fit depends on the engine).
for _ in $(seq 1 40); do
  [ "$(used | tr -d %)" -ge 83 ] && break
  docker run "$image" sh -c 'dd if=/dev/urandom of=/report bs=1M count=20 2>/dev/null'
done
leftovers=$(count --filter status=exited)
before=$(used)
note "$leftovers stopped containers left behind, a dangling image, an unused one; disk at $before"
fact leftovers "$leftovers"; fact before "$before"

if [ "$monitoring" = 1 ]; then
  step "Monitoring: node_exporter, Prometheus and Alertmanager on loopback; 'whalekeeper disk --prometheus' every second"
  mkdir -p "$work/textfile"
  npx esbuild test/helpers/serve-monitoring.ts --bundle --platform=node --format=esm --log-level=warning \
    --outfile="$work/serve-monitoring.mjs" "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
  node "$work/serve-monitoring.mjs" "$work/textfile" resources/io/whalekeeper/prometheus/whalekeeper-alerts.yml > "$work/servers" &
  for _ in $(seq 1 100); do grep -q '^NODE_EXPORTER=' "$work/servers" && break; sleep 0.2; done
  eval "export $(tr '\n' ' ' < "$work/servers")"
  while :; do wk disk --no-breakdown --prometheus "$work/textfile/whalekeeper.prom" >/dev/null 2>&1 || true; sleep 1; done &
  note "Prometheus $PROMETHEUS scrapes node_exporter $NODE_EXPORTER every second"
  firing=$(alert_line DockerDataRootFilling firing || true)
  note "$firing"; fact firing "$firing"
fi

step "whalekeeper disk raises the alarm (exit 1 above --fail)"
set +e; wk disk --warn 60% --fail 75%; alarm=$?; set -e
note "exit code: $alarm"; fact alarm "$alarm"

step "whalekeeper ls: who owns what (the unmanaged leftovers are what Kubernetes cannot see)"
wk ls --images | tail -n 12

step "The same pipeline step through 'whalekeeper run': same output, same exit code, nothing left"
set +e; wk --build jenkins-app-42 run "$image" sh -c 'echo "tests: 3 failed"; exit 3'; code=$?; set -e
left=$(count --filter label=whalekeeper.build=jenkins-app-42)
note "exit code: $code; containers of build jenkins-app-42: $left"; fact run_exit "$code"; fact run_left "$left"

step "Aborted as Jenkins aborts a build (SIGTERM, then SIGKILL): nothing left either"
node dist/whalekeeper.js --build jenkins-app-42 run "$image" sleep 300 & pid=$!
sleep 1; kill -TERM "$pid"; set +e; wait "$pid"; code=$?; set -e
left=$(count --filter label=whalekeeper.build=jenkins-app-42)
note "SIGTERM: exit code $code; containers of build jenkins-app-42: $left"; fact sigterm_exit "$code"; fact sigterm_left "$left"
node dist/whalekeeper.js --build jenkins-app-42 run "$image" sleep 300 & pid=$!
sleep 1; kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
for _ in $(seq 1 20); do [ "$(count --filter label=whalekeeper.build=jenkins-app-42)" = 0 ] && break; sleep 0.25; done
left=$(count --filter label=whalekeeper.build=jenkins-app-42)
note "SIGKILL: containers of build jenkins-app-42 after the reaper: $left"; fact sigkill_left "$left"

step "whalekeeper clean --agent --dry-run: the plan, with a reason for every object"
wk clean --agent --grace 0 --images unused --volumes --target 50% --dry-run

step "The same plan, carried out"
set +e; wk clean --agent --grace 0 --images unused --volumes --target 50% > "$work/clean.out"; clean_exit=$?; set -e
tail -n 12 "$work/clean.out"
after=$(used)
note "clean exit code: $clean_exit; disk now at $after"; fact clean_exit "$clean_exit"; fact after "$after"
if [ "$monitoring" = 1 ]; then
  resolved=$(alert_line DockerDataRootFilling resolved || true)
  note "$resolved"; fact resolved "$resolved"
fi

step "What survived: the other build's running container, its image, the kubelet's container"
wk ls
set +e; wk disk --warn 60% --fail 75% --no-breakdown; code=$?; set -e
note "disk exit code: $code"; fact disk_after_exit "$code"
fact other_running "$(count --filter label=whalekeeper.build=jenkins-other-7 --filter status=running)"
wk --build jenkins-other-7 clean >/dev/null
left=$(count --filter label=whalekeeper.build=jenkins-other-7)
note "the other build finished: 'whalekeeper clean' removed its container ($left left)"; fact other_left "$left"
fi

if story 2; then
# ---------------------------------------------------------------------------------------------------------------
printf '\n\033[1;32m### Story 2: QC your whale\033[0m\n'

step "whalekeeper build: the build number goes into the image (build arg, OCI labels, tag)"
wk --build-number 208 --tag-build-number build -q -t svc test/fixtures/service >/dev/null 2>&1
wk --build-number 209 --tag-build-number build -t svc test/fixtures/service 2>&1 | grep -E '^(Step|Successfully)'
note "labels of svc:209: $(docker image inspect svc:209 --format '{{index .Config.Labels "org.opencontainers.image.version"}}') (org.opencontainers.image.version)"

step "Deploy three replicas on loopback ports; one of them did not get the new build"
for port in 18091 18092; do wk --build jenkins-deploy-209 run -d --network host -e PORT=$port svc:209 >/dev/null; done
stale=$(wk --build jenkins-deploy-209 run -d --network host -e PORT=18093 svc:208)
note "127.0.0.1:18091 and :18092 run svc:209; 127.0.0.1:18093 still runs svc:208"
urls=(http://127.0.0.1:18091 http://127.0.0.1:18092 http://127.0.0.1:18093)

step "whalekeeper verify fails and names the stale replica (exit 1)"
set +e; wk verify "${urls[@]}" --expect 209 --timeout 4s --interval 300ms --request-timeout 1s; stale_exit=$?; set -e
note "exit code: $stale_exit"; fact stale_exit "$stale_exit"

step "Redeploy the stale replica; verify passes and writes its JUnit report"
docker rm -f "$stale" >/dev/null
wk --build jenkins-deploy-209 run -d --network host -e PORT=18093 svc:209 >/dev/null
set +e; wk verify "${urls[@]}" --expect 209 --timeout 20s --interval 300ms --junit "$work/verify.xml"; good_exit=$?; set -e
note "JUnit: $(grep -o '<testsuite [^>]*>' "$work/verify.xml" | head -1)"; fact good_exit "$good_exit"
wk --build jenkins-deploy-209 clean >/dev/null
fi

step "Summary"
if story 1; then
  note "story 1: $leftovers containers left behind by plain 'docker run'; 'whalekeeper disk' alarmed (exit $alarm) at $before;"
  note "         'whalekeeper run' left none, aborted or killed; 'clean --agent --target 50%' took the disk from $before to $after,"
  note "         the other build's running container and the kubelet's container untouched"
fi
if story 2; then
  note "story 2: build 209 stamped into the image; verify named the stale replica (exit $stale_exit), then passed (exit $good_exit)"
fi
took=$(( $(date +%s) - started ))
fact seconds "$took"
if [ "${WK_DEMO_KEEP:-}" = 1 ]; then
  note "took $took s; the private engine is kept (WK_DEMO_KEEP=1)"
else
  note "took $took s; the private engine is now stopped, unmounted and deleted"
fi
