#!/usr/bin/env bash
# Fetches and unpacks a current Docker engine for the tests: Debian unstable's docker.io 28.x (dockerd), containerd
# 2.x (containerd, its runc shim) and docker-buildx (a CLI plugin), pinned below. Nothing is installed over the
# system's packages: apt-get download under a private apt configuration (its own lists and cache, suite sid, the same
# mirror the machine's sources name), then dpkg -x into a folder of its own. Unstable's runc needs a newer C library
# than this Debian release has, so the engine uses the system's runc (Debian: runc, a dependency of docker.io).
#
#   scripts/fetch-engine28.sh          unpack into $WK_ENGINE28_ROOT (cached: done once per pinned version)
#   scripts/fetch-engine28.sh --path   print the folder the engine's binaries are in
#
# WK_ENGINE28_ROOT (default /var/cache/whalekeeper/engine-<docker.io version>) is where they go. Needs root and
# network access to the mirror.
set -euo pipefail

# The pinned versions (Debian unstable, seen on deb.debian.org on 2026-12-05). When the mirror no longer serves them,
# this script says so and lists what it serves now: update the three versions here, and the tests with them.
docker_version=28.5.2+dfsg4-5
containerd_version=2.1.9+ds1-5
buildx_version=0.29.1+ds1-4

root=${WK_ENGINE28_ROOT:-/var/cache/whalekeeper/engine-$docker_version}
if [ "${1:-}" = --path ]; then echo "$root"; exit 0; fi

log() { printf 'fetch-engine28: %s\n' "$*" >&2; }

if [ -x "$root/usr/sbin/dockerd" ] && [ -x "$root/usr/bin/containerd" ] && [ -f "$root/.complete" ]; then
  exit 0
fi

# The mirror the machine's own apt sources name (deb822 .sources or one-line .list), else Debian's own.
mirror=$(grep -hsoE '^(URIs:[[:space:]]*|deb[[:space:]]+(\[[^]]*\][[:space:]]+)?)https?://[^[:space:]]+/debian/?([[:space:]]|$)' \
  /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
  | grep -oE 'https?://[^[:space:]]+' | grep -v -- '-security' | head -1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

apt_dir=$(mktemp -d)
trap 'rm -rf "$apt_dir"' EXIT
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s sid main\n' "$mirror" > "$apt_dir/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Dir::State::Status=/dev/null
  -o APT::Architecture=amd64 -o APT::Sandbox::User=root
)
log "reading Debian unstable's package lists from $mirror"
apt-get "${apt_opts[@]}" -qq update

want=("docker.io=$docker_version" "containerd=$containerd_version" "docker-buildx=$buildx_version")
for w in "${want[@]}"; do
  name=${w%%=*}
  served=$(apt-cache "${apt_opts[@]}" madison "$name" 2>/dev/null | awk '{print $3}' | paste -sd' ' -)
  if ! apt-cache "${apt_opts[@]}" madison "$name" 2>/dev/null | awk '{print $3}' | grep -qxF "${w#*=}"; then
    log "the mirror $mirror no longer serves $name ${w#*=} (pinned in scripts/fetch-engine28.sh); it serves: ${served:-nothing}."
    log "update the pinned versions at the top of scripts/fetch-engine28.sh to what unstable serves now, and run it again"
    exit 1
  fi
done
(cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" -qq download "${want[@]}")

rm -rf "$root.tmp"
mkdir -p "$root.tmp"
for deb in "$apt_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$root.tmp"; done
"$root.tmp/usr/sbin/dockerd" --version >/dev/null
PATH="$root.tmp/usr/bin:$PATH" containerd --version >/dev/null
rm -rf "$root"
mv "$root.tmp" "$root"
touch "$root/.complete"
log "unpacked $("$root/usr/sbin/dockerd" --version) into $root"
