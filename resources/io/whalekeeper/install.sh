#!/bin/sh
# Installs whalekeeper $WK_VERSION once per agent and prints the path of its binary on the last line of stdout.
# Run by the library's steps through `sh`, with every value in the environment (this text is constant):
#   WK_VERSION          the version to install (the library's resources/io/whalekeeper/version.txt)
#   WHALEKEEPER_CACHE   where versions are kept (default: $XDG_CACHE_HOME/whalekeeper or ~/.cache/whalekeeper)
# Safe when several builds start at once: each installs into its own temporary directory, then renames it into
# place with rename(2), which is atomic and fails when another build got there first (that one is then used).
set -eu

version=${WK_VERSION:?WK_VERSION is not set}
cache=${WHALEKEEPER_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/whalekeeper}
dir=$cache/$version
bin=$dir/node_modules/.bin/whalekeeper

if [ -x "$bin" ]; then
  printf '%s\n' "$bin"
  exit 0
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "whalekeeper: node and npm are needed on this agent to install whalekeeper $version, and they are not on PATH." >&2
  echo "  Either install Node.js 20.19 or later on the agent (or run the step in a container that has it)," >&2
  echo "  or install whalekeeper yourself (npm install -g whalekeeper@$version) and set WHALEKEEPER_BIN to its path." >&2
  exit 127
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.install-$version.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "whalekeeper: installing whalekeeper@$version into $dir" >&2
# npm's output goes to stderr: stdout carries only the path.
npm install --prefix "$tmp" --no-audit --no-fund --no-save --loglevel=error "whalekeeper@$version" >&2
if [ ! -x "$tmp/node_modules/.bin/whalekeeper" ]; then
  echo "whalekeeper: npm installed no whalekeeper binary into $tmp" >&2
  exit 1
fi
# rename(2) is atomic; when another build renamed its own copy first, it fails and that copy is used.
if ! node -e 'require("fs").renameSync(process.argv[1], process.argv[2])' "$tmp" "$dir" 2>/dev/null; then
  [ -x "$bin" ] || { echo "whalekeeper: could not move the install into $dir" >&2; exit 1; }
fi
printf '%s\n' "$bin"
