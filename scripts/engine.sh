#!/usr/bin/env bash
# A private Docker engine for whalekeeper's tests and demos: its own data root on a small loop-mounted ext4
# filesystem, its own exec root, socket and pidfile, no bridge network, no iptables. Never the machine's engine.
#
#   scripts/engine.sh start   start it (idempotent), build the busybox test image, print DOCKER_HOST=...
#   scripts/engine.sh stop    stop it, unmount and delete everything (idempotent)
#   scripts/engine.sh env     print DOCKER_HOST=... for `eval`/`export`
#   scripts/engine.sh status  exit 0 when it answers
#
# WK_ENGINE_DIR (default /tmp/whalekeeper-engine) holds everything; keep it short (socket paths are limited to 108 bytes).
# WK_ENGINE_SIZE (default 1G) is the size of the data root's filesystem.
# WK_ENGINE_TLS_DIR and WK_ENGINE_TLS_PORT (both, or neither): the engine ALSO listens on tcp://127.0.0.1:PORT with
# --tlsverify, the CA $WK_ENGINE_TLS_DIR/ca.pem and the server's server-cert.pem and server-key.pem there (dockerd's
# documented daemon TLS setup, https://docs.docker.com/engine/security/protect-access/); start then prints
# DOCKER_TLS_HOST=tcp://127.0.0.1:PORT too. An engine already running with other TLS settings is restarted.
# Needs root, dockerd (Debian: docker.io), a docker client, and a static busybox (Debian: busybox-static).
set -euo pipefail

dir=${WK_ENGINE_DIR:-/tmp/whalekeeper-engine}
size=${WK_ENGINE_SIZE:-1G}
sock="$dir/docker.sock"
host="unix://$sock"
image=${WK_TEST_IMAGE:-whalekeeper-test/busybox:latest}
tls_dir=${WK_ENGINE_TLS_DIR:-}
tls_port=${WK_ENGINE_TLS_PORT:-}
if [ -n "$tls_dir$tls_port" ] && { [ -z "$tls_dir" ] || ! [[ "$tls_port" =~ ^[0-9]+$ ]]; }; then
  echo "engine: WK_ENGINE_TLS_DIR and WK_ENGINE_TLS_PORT (a number) go together" >&2; exit 2
fi
tls_host=${tls_port:+tcp://127.0.0.1:$tls_port}

log() { printf 'engine: %s\n' "$*" >&2; }

answers() { [ -S "$sock" ] && DOCKER_HOST="$host" timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

pid_alive() { [ -f "$dir/docker.pid" ] && kill -0 "$(cat "$dir/docker.pid")" 2>/dev/null; }

# Every mount below $dir, deepest first.
mounts_below() { awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r; }

build_image() {
  if DOCKER_HOST="$host" docker image inspect "$image" >/dev/null 2>&1; then return; fi
  local ctx
  ctx=$(mktemp -d)
  mkdir -p "$ctx/bin"
  cp "$(command -v busybox)" "$ctx/bin/busybox"
  cat > "$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY bin/busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV PATH=/bin
CMD ["sh"]
DOCKERFILE
  DOCKER_HOST="$host" DOCKER_BUILDKIT=0 docker build -q -t "$image" "$ctx" >/dev/null 2>&1 \
    || DOCKER_HOST="$host" DOCKER_BUILDKIT=0 docker build -t "$image" "$ctx" >&2
  rm -rf "$ctx"
  log "built $image"
}

# What start prints: the unix socket, and the TLS listener when there is one.
hosts() {
  echo "DOCKER_HOST=$host"
  if [ -n "$tls_host" ]; then echo "DOCKER_TLS_HOST=$tls_host"; fi
}

start() {
  # The TLS listener this engine was started with ('' for none), kept next to it: a start asking for other settings
  # restarts it rather than answering with an engine that does not listen where asked.
  if answers && [ "$(cat "$dir/tls-host" 2>/dev/null || true)" = "$tls_host" ]; then build_image; hosts; return; fi
  command -v dockerd >/dev/null || { log "dockerd not found: apt-get install docker.io"; exit 1; }
  command -v busybox >/dev/null || { log "busybox not found: apt-get install busybox-static"; exit 1; }
  pid_alive && stop_daemon
  mkdir -p "$dir/data" "$dir/exec"
  if ! mountpoint -q "$dir/data"; then
    [ -f "$dir/disk.img" ] || { truncate -s "$size" "$dir/disk.img"; mkfs.ext4 -q -F "$dir/disk.img"; }
    mount -o loop "$dir/disk.img" "$dir/data"
  fi
  rm -f "$sock"
  local tls_args=()
  if [ -n "$tls_host" ]; then
    tls_args=(-H "$tls_host" --tlsverify --tlscacert "$tls_dir/ca.pem" --tlscert "$tls_dir/server-cert.pem" --tlskey "$tls_dir/server-key.pem")
  fi
  printf '%s' "$tls_host" > "$dir/tls-host"
  nohup dockerd \
    --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/docker.pid" -H "$host" "${tls_args[@]}" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --storage-driver overlay2 --log-level warn --group root \
    >"$dir/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    answers && break
    sleep 0.25
  done
  answers || { log "dockerd did not answer; its log:"; tail -20 "$dir/dockerd.log" >&2; exit 1; }
  log "running at $host (data root $dir/data, $(df -h --output=size "$dir/data" | tail -1 | tr -d ' '))"
  build_image
  hosts
}

stop_daemon() {
  local pid
  pid=$(cat "$dir/docker.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  # The containerd it started, and any shim left, live under our exec root.
  pkill -9 -f -- "$dir/exec" 2>/dev/null || true
}

stop() {
  [ -d "$dir" ] || return 0
  stop_daemon
  local m
  for m in $(mounts_below); do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  if mountpoint -q "$dir/data" 2>/dev/null; then umount -l "$dir/data" || true; fi
  losetup -j "$dir/disk.img" 2>/dev/null | cut -d: -f1 | xargs -r -n1 losetup -d 2>/dev/null || true
  rm -rf "$dir"
  log "stopped and removed $dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "DOCKER_HOST=$host" ;;
  status) answers ;;
  *) echo "usage: $0 start|stop|env|status" >&2; exit 2 ;;
esac
