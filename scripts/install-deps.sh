#!/usr/bin/env bash
# Installs everything whalekeeper's demo and tests need on a fresh Debian machine (as root), then the npm packages.
#   Debian: docker.io (dockerd for the private engine), busybox-static (test images FROM scratch),
#   groovy + default-jre-headless + junit4 + libcodenarc-groovy-java (the Jenkins library's tests and lint),
#   prometheus (promtool, to validate metrics and alert rules; and the server) + prometheus-node-exporter +
#   prometheus-alertmanager (test/monitoring/e2e.test.ts and the demo start their own on loopback),
#   hyperfine (npm run bench), curl,
#   openssl (throwaway TLS certificates: the verify tests, the private engine's TLS listener in test/engine-tls),
#   docker-registry + apache2-utils (htpasswd): a registry on loopback for the Jenkins steps' registry credentials,
#   runc (the private engines' runtime, Engine 28's too: see scripts/fetch-engine28.sh),
#   nginx-light and haproxy (real load balancers on loopback in front of verify's test replicas; the tests start their
#   own with their own config), tmux (drives the live table of verify at a fixed terminal size).
set -euo pipefail
packages=(docker.io runc busybox-static groovy default-jre-headless junit4 libcodenarc-groovy-java prometheus prometheus-node-exporter prometheus-alertmanager hyperfine curl openssl e2fsprogs util-linux docker-registry apache2-utils nginx-light haproxy tmux)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian packages may start a system dockerd and a system registry; the tests never use them (they start their
# own, on private sockets and random loopback ports), so leave them alone.
# nginx, haproxy and the Prometheus packages start a system service (nginx on port 80, prometheus on 9090,
# node_exporter on 9100, alertmanager on 9093) where services may start: the tests start their own on free loopback
# ports and need none, so a service this script just installed is stopped and disabled.
for svc_pkg in nginx:nginx-light haproxy:haproxy prometheus:prometheus prometheus-node-exporter:prometheus-node-exporter \
  prometheus-alertmanager:prometheus-alertmanager; do
  svc=${svc_pkg%%:*}
  if [[ " ${missing[*]} " == *" ${svc_pkg#*:} "* ]]; then
    { systemctl disable --now "$svc" || service "$svc" stop; } >/dev/null 2>&1 || true
  fi
done
cd "$(dirname "$0")/.."
# Docker Engine 28 with the containerd image store, the second engine every engine-facing suite runs against: Debian
# unstable's dockerd, containerd and buildx unpacked into a cache folder (pinned; nothing installed over the system's).
bash scripts/fetch-engine28.sh
npm ci --no-audit --no-fund
