#!/bin/sh
# Finds the whalekeeper CLI for the library's steps and prints the path of its binary on the last line of stdout.
# Run once per node per build through `sh`, with every value in the environment (this text is constant):
#   WHALEKEEPER_BIN     an installed whalekeeper to use as it is (any executable; checked by running it with --version)
#   WK_CLI_ID           the SHA-256 of the CLI bundle of the library's own revision (whalekeeper-cli.sha256)
#   WK_CLI_TARBALL      that bundle, written next to the workspace by the step (only when this script asked for it)
#   WHALEKEEPER_CACHE   where bundles are unpacked (default: $XDG_CACHE_HOME/whalekeeper or ~/.cache/whalekeeper)
#   WK_NPM_VERSION      with WHALEKEEPER_SOURCE=registry: the published version to install with npm instead, and
#   WK_NPM_INTEGRITY    its integrity hash (resources/io/whalekeeper/version.txt and integrity.txt): npm ci checks it
# Prints NEED_CLI when the cache holds no working CLI of this revision and no bundle was given: the step then writes
# the bundle (libraryResource) and runs this again. Node.js 20.19 or later must be on PATH, unless WHALEKEEPER_BIN is set.
# Safe when several builds start at once: each unpacks into its own temporary directory, then renames it into place
# with rename(2), which is atomic and fails when another build got there first (that one is then used).
set -eu

# 1. A whalekeeper the agent's owner installed: checked as the steps run it, executed directly ("$WK_BIN" …), so any
# executable that answers --version will do (dist/whalekeeper.js, a wrapper script, a version manager's shim); it
# brings its own Node, so none is asked for on PATH.
if [ -n "${WHALEKEEPER_BIN:-}" ]; then
  if [ ! -e "$WHALEKEEPER_BIN" ]; then
    echo "whalekeeper: WHALEKEEPER_BIN=$WHALEKEEPER_BIN does not exist on this agent (or in this container)." >&2
    exit 127
  fi
  if [ -d "$WHALEKEEPER_BIN" ] || [ ! -x "$WHALEKEEPER_BIN" ]; then
    echo "whalekeeper: WHALEKEEPER_BIN=$WHALEKEEPER_BIN is not an executable file; the steps run it directly" >&2
    echo "  (\"\$WHALEKEEPER_BIN\" --argv-env …): chmod +x it, or point WHALEKEEPER_BIN at the installed whalekeeper." >&2
    exit 126
  fi
  wk_status=0
  wk_version=$("$WHALEKEEPER_BIN" --version 2>&1) || wk_status=$?
  if [ "$wk_status" != 0 ]; then
    echo "whalekeeper: WHALEKEEPER_BIN=$WHALEKEEPER_BIN does not run: \"$WHALEKEEPER_BIN\" --version exited with $wk_status:" >&2
    printf '%s\n' "$wk_version" | sed -n '1,5s/^/  /p' >&2
    exit 127
  fi
  printf '%s\n' "$WHALEKEEPER_BIN"
  exit 0
fi

# 2. Node: the CLI is a Node program (dist/whalekeeper.js), so without a recent enough Node nothing else matters.
if ! command -v node >/dev/null 2>&1; then
  echo "whalekeeper: Node.js 20.19 or later is needed on this agent, and there is no node on PATH ($PATH)." >&2
  echo "  Install Node.js on the agent (or use the NodeJS plugin's nodejs(...) { } block, or run the step in a" >&2
  echo "  container that has it). See docs/jenkins.md, 'How a step finds the CLI'." >&2
  exit 127
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "whalekeeper: Node.js 20.19 or later is needed on this agent; $(command -v node) is $(node --version)." >&2
  echo "  Put a newer node first on PATH (the NodeJS plugin's nodejs(...) { } block does), or run the step in a" >&2
  echo "  container that has one." >&2
  exit 127
fi

# Whether a whalekeeper binary runs here as the steps run it, directly (a cache left half-written, copied from another
# machine, or without its execute bit, does not).
runs() {
  [ -f "$1" ] && [ -x "$1" ] && "$1" --version >/dev/null 2>&1
}

cache=${WHALEKEEPER_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/whalekeeper}

# 3. The option: a published version from the npm registry the agent uses, pinned by its integrity hash.
if [ -n "${WK_NPM_VERSION:-}" ]; then
  version=$WK_NPM_VERSION
  integrity=${WK_NPM_INTEGRITY:?WK_NPM_INTEGRITY is not set}
  key=$(printf '%s' "$integrity" | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(require("crypto").createHash("sha256").update(s).digest("hex").slice(0, 16)))')
  dir=$cache/npm-$version-$key
  bin=$dir/node_modules/whalekeeper/dist/whalekeeper.js
  if runs "$bin"; then
    printf '%s\n' "$bin"
    exit 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "whalekeeper: WHALEKEEPER_SOURCE=registry needs npm on PATH, and there is none." >&2
    exit 127
  fi
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.npm-$version.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  registry=${npm_config_registry:-https://registry.npmjs.org/}
  case $registry in */) ;; *) registry=$registry/ ;; esac
  # A lockfile pins the tarball and its integrity: npm ci installs exactly that, or fails (EINTEGRITY).
  WK_TMP=$tmp WK_RESOLVED="${registry}whalekeeper/-/whalekeeper-$version.tgz" WK_V=$version WK_I=$integrity node -e '
    const fs = require("fs"), e = process.env, dir = e.WK_TMP;
    fs.writeFileSync(dir + "/package.json", JSON.stringify({ name: "whalekeeper-agent", private: true, dependencies: { whalekeeper: e.WK_V } }));
    fs.writeFileSync(dir + "/package-lock.json", JSON.stringify({ name: "whalekeeper-agent", lockfileVersion: 3, requires: true, packages: {
      "": { name: "whalekeeper-agent", dependencies: { whalekeeper: e.WK_V } },
      "node_modules/whalekeeper": { version: e.WK_V, resolved: e.WK_RESOLVED, integrity: e.WK_I } } }));'
  echo "whalekeeper: installing whalekeeper@$version from $registry into $dir" >&2
  # Few, short retries: an agent without registry access fails within seconds, not after npm's minutes of retries.
  if ! (cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --no-update-notifier --loglevel=error --fetch-retries=1 \
      --fetch-retry-mintimeout=500 --fetch-retry-maxtimeout=1000 --fetch-timeout=4000 >&2); then
    echo "whalekeeper: npm could not install whalekeeper@$version from $registry (npm_config_registry selects the" >&2
    echo "  registry). On an agent without registry access, install whalekeeper yourself and set WHALEKEEPER_BIN," >&2
    echo "  or leave WHALEKEEPER_SOURCE unset: the library brings its own CLI." >&2
    exit 1
  fi
  if ! runs "$tmp/node_modules/whalekeeper/dist/whalekeeper.js"; then
    echo "whalekeeper: npm installed no working whalekeeper into $tmp" >&2
    exit 1
  fi
  if ! node -e 'require("fs").renameSync(process.argv[1], process.argv[2])' "$tmp" "$dir" 2>/dev/null; then
    runs "$bin" || { echo "whalekeeper: could not move the install into $dir" >&2; exit 1; }
  fi
  printf '%s\n' "$bin"
  exit 0
fi

# 4. The CLI of the library's own revision, unpacked once per agent.
id=${WK_CLI_ID:?WK_CLI_ID is not set}
dir=$cache/cli-$id
bin=$dir/whalekeeper.js

if runs "$bin"; then
  printf '%s\n' "$bin"
  exit 0
fi
if [ -z "${WK_CLI_TARBALL:-}" ]; then
  printf '%s\n' NEED_CLI
  exit 0
fi

tarball=$WK_CLI_TARBALL
trap 'rm -f "$tarball"' EXIT
actual=$(node -e 'const h = require("crypto").createHash("sha256"); h.update(require("fs").readFileSync(process.argv[1])); console.log(h.digest("hex"))' "$tarball")
if [ "$actual" != "$id" ]; then
  echo "whalekeeper: the CLI bundle written to $tarball has SHA-256 $actual, not $id; not using it." >&2
  exit 1
fi
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.unpack-$id.XXXXXX")
trap 'rm -f "$tarball"; rm -rf "$tmp"' EXIT
echo "whalekeeper: unpacking the CLI of this library's revision into $dir" >&2
tar -xzf "$tarball" -C "$tmp"
if ! runs "$tmp/whalekeeper.js"; then
  echo "whalekeeper: the unpacked CLI does not run (\"$tmp/whalekeeper.js\" --version failed)" >&2
  exit 1
fi
# A stale directory of the same id (it did not run) makes room; rename(2) is atomic, and when another build renamed
# its own copy first, this fails and that copy is used.
if [ -d "$dir" ] && ! runs "$bin"; then
  rm -rf "$dir"
fi
if ! node -e 'require("fs").renameSync(process.argv[1], process.argv[2])' "$tmp" "$dir" 2>/dev/null; then
  runs "$bin" || { echo "whalekeeper: could not move the CLI into $dir" >&2; exit 1; }
fi
printf '%s\n' "$bin"
