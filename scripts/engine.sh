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
# WK_ENGINE_KIND picks the engine (kept next to it: a start asking for another kind restarts it):
#   20.10                 Debian bookworm's dockerd 20.10 (docker.io), the overlay2 graph driver (the default)
#   28                    Debian unstable's dockerd 28.x with the containerd image store (scripts/fetch-engine28.sh
#                         unpacks it), running its own containerd, whose root is under the data root: as docker:dind
#                         and a fresh Docker 29 install do ({"features": {"containerd-snapshotter": true}}, the Docker
#                         docs' "containerd image store" page)
#   28-system-containerd  the same dockerd 28, given a containerd of its own started here (--containerd), whose root
#                         is a second loop-mounted filesystem ($dir/containerd, WK_ENGINE_CONTAINERD_SIZE, default
#                         512M): a host install, where the system containerd keeps images outside Docker's data root
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
kind=${WK_ENGINE_KIND:-20.10}
case "$kind" in
  20.10) dockerd=$(command -v dockerd || true); engine_path=$PATH ;;
  28|28-system-containerd)
    engine28=$(bash "$(dirname "$0")/fetch-engine28.sh" --path)
    dockerd=$engine28/usr/sbin/dockerd
    # dockerd finds containerd, its shim and docker-init on PATH; runc stays the system's (see fetch-engine28.sh).
    engine_path=$engine28/usr/bin:$engine28/usr/sbin:$PATH ;;
  *) echo "engine: WK_ENGINE_KIND must be 20.10, 28 or 28-system-containerd, not '$kind'" >&2; exit 2 ;;
esac
ctd_size=${WK_ENGINE_CONTAINERD_SIZE:-512M}

log() { printf 'engine: %s\n' "$*" >&2; }

answers() { [ -S "$sock" ] && DOCKER_HOST="$host" timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

pid_alive() { [ -f "$dir/docker.pid" ] && kill -0 "$(cat "$dir/docker.pid")" 2>/dev/null; }

# A loop-mounted ext4 filesystem of `size` at `mountpoint`, its image file `img` (made once).
mount_loop() {
  local img=$1 mountpoint=$2 size=$3
  mkdir -p "$mountpoint"
  mountpoint -q "$mountpoint" && return 0
  [ -f "$img" ] || { truncate -s "$size" "$img"; mkfs.ext4 -q -F "$img"; }
  mount -o loop "$img" "$mountpoint"
}

# 28-system-containerd: a containerd of the engine's own, root on its own filesystem, every path under $dir/ctd*.
start_containerd() {
  mount_loop "$dir/containerd.img" "$dir/containerd" "$ctd_size"
  mkdir -p "$dir/ctd-state"
  cat > "$dir/containerd.toml" <<TOML
version = 3
root = "$dir/containerd"
state = "$dir/ctd-state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$dir/ctd-state/containerd.sock"
[ttrpc]
  address = "$dir/ctd-state/containerd.sock.ttrpc"
TOML
  pgrep -f -- "--config $dir/containerd.toml" >/dev/null && return 0
  PATH=$engine_path nohup containerd --config "$dir/containerd.toml" --log-level warn >"$dir/containerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 80); do [ -S "$dir/ctd-state/containerd.sock" ] && return 0; sleep 0.25; done
  log "containerd did not start; its log:"; tail -20 "$dir/containerd.log" >&2; exit 1
}

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
  if answers && [ "$(cat "$dir/tls-host" 2>/dev/null || true)" = "$tls_host" ] && [ "$(cat "$dir/kind" 2>/dev/null || true)" = "$kind" ]; then build_image; hosts; return; fi
  [ -n "$dockerd" ] && [ -x "$dockerd" ] || { log "dockerd not found: apt-get install docker.io (20.10), bash scripts/fetch-engine28.sh (28)"; exit 1; }
  command -v busybox >/dev/null || { log "busybox not found: apt-get install busybox-static"; exit 1; }
  pid_alive && stop_daemon
  mkdir -p "$dir/exec"
  mount_loop "$dir/disk.img" "$dir/data" "$size"
  rm -f "$sock"
  local tls_args=() kind_args=()
  if [ -n "$tls_host" ]; then
    tls_args=(-H "$tls_host" --tlsverify --tlscacert "$tls_dir/ca.pem" --tlscert "$tls_dir/server-cert.pem" --tlskey "$tls_dir/server-key.pem")
  fi
  case "$kind" in
    20.10) kind_args=(--storage-driver overlay2) ;;
    *)
      # dockerd 20.10 turns the host's IPv4 forwarding on at its start (--ip-forward, on by default); Engine 28 does
      # so only for a bridge network, which these engines have not, and otherwise warns at every `docker run` on the
      # default network ("IPv4 forwarding is disabled. Networking will not work."). Both engines see the same host.
      [ "$(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null)" = 1 ] || echo 1 > /proc/sys/net/ipv4/ip_forward
      printf '{"features": {"containerd-snapshotter": true}}\n' > "$dir/daemon.json"
      kind_args=(--config-file "$dir/daemon.json")
      if [ "$kind" = 28-system-containerd ]; then
        start_containerd
        kind_args+=(--containerd "$dir/ctd-state/containerd.sock")
      fi ;;
  esac
  printf '%s' "$tls_host" > "$dir/tls-host"
  printf '%s' "$kind" > "$dir/kind"
  PATH=$engine_path nohup "$dockerd" \
    --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/docker.pid" -H "$host" "${tls_args[@]}" "${kind_args[@]}" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --log-level warn --group root \
    >"$dir/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    answers && break
    sleep 0.25
  done
  answers || { log "dockerd did not answer; its log:"; tail -20 "$dir/dockerd.log" >&2; exit 1; }
  log "engine $kind running at $host (data root $dir/data, $(df -h --output=size "$dir/data" | tail -1 | tr -d ' '))"
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
  # 28-system-containerd: the containerd started for it, and its shims (their command lines name its files).
  if [ -f "$dir/containerd.toml" ]; then
    pkill -f -- "--config $dir/containerd.toml" 2>/dev/null || true
    for _ in $(seq 1 40); do pgrep -f -- "--config $dir/containerd.toml" >/dev/null || break; sleep 0.25; done
    pkill -9 -f -- "$dir/ctd-state" 2>/dev/null || true
    pkill -9 -f -- "--config $dir/containerd.toml" 2>/dev/null || true
  fi
  kill_strays
}

# Processes whose root filesystem is a mount of this engine's (its root mount, the line "… / / …" of their
# mountinfo, names a path under $dir): the steps of a BuildKit build. BuildKit runs a RUN step with `runc run` as
# dockerd's child, not as a container the engine stops on shutdown; when dockerd ends, runc goes and the step's
# process stays, reparented to init, holding the engine's mounts (seen with dockerd 28 and `RUN sleep`).
strays() {
  grep -s -m1 -H -F ' / / ' /proc/[0-9]*/mountinfo | grep -F -- "$dir/" | cut -d/ -f3 || true
}

kill_strays() {
  local pids
  pids=$(strays)
  [ -n "$pids" ] || return 0
  # shellcheck disable=SC2086 # one pid per word
  kill -9 $pids 2>/dev/null || true
  for _ in $(seq 1 40); do [ -z "$(strays)" ] && return 0; sleep 0.25; done
  log "processes on this engine's mounts did not end: $(strays | tr '\n' ' ')"
}

stop() {
  [ -d "$dir" ] || return 0
  stop_daemon
  local m
  for m in $(mounts_below); do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  if mountpoint -q "$dir/data" 2>/dev/null; then umount -l "$dir/data" || true; fi
  local img
  for img in "$dir/disk.img" "$dir/containerd.img"; do
    losetup -j "$img" 2>/dev/null | cut -d: -f1 | xargs -r -n1 losetup -d 2>/dev/null || true
  done
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
