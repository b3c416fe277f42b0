// The `docker` shim: a POSIX sh script (so the pass-through path never starts Node) that sends `docker run` and
// `docker container run` to `whalekeeper run` and execs the real client for everything else. Built here as text.

/** The file next to an installed shim that marks it as one: other shims skip any `docker` in a directory holding it. */
export const SHIM_MARKER = '.whalekeeper-shim';

/** The second line of every shim, to recognise one before overwriting or removing it. */
export const SHIM_SIGNATURE = '# whalekeeper-shim: `docker run` through `whalekeeper run`, the rest to the real docker client';

/** Where whalekeeper is: the Node binary and the entry script the shim execs for `run`. */
export interface ShimTarget {
  readonly node: string;
  readonly entry: string;
}

/** Quotes a value for sh: one single-quoted word. */
export function shQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The routing both forms share: reads docker's global options (`-H`, `--context`, `--config`, `--log-level`, TLS)
 * up to the command; `run` and `container run` exec whalekeeper with the engine mapped (`-H` → `--host`, `--context`
 * → DOCKER_CONTEXT, `--config` → DOCKER_CONFIG, `--tls` → DOCKER_TLS, `--tlsverify` → DOCKER_TLS_VERIFY, a certificate's
 * folder → DOCKER_CERT_PATH); all else execs `$wk_real`.
 * whalekeeper run's own call of the client (WHALEKEEPER_IN_RUN set) goes to the real client.
 */
function routing(target: ShimTarget, reinstall: string): string {
  return `wk_host= wk_ctx= wk_cfg= wk_tls= wk_tlsverify= wk_certdir= wk_skip= wk_cmd= wk_n=0
for wk_a do
  wk_n=$((wk_n + 1))
  if [ -n "$wk_skip" ]; then
    case $wk_skip in
      host) wk_host=$wk_a ;; context) wk_ctx=$wk_a ;; config) wk_cfg=$wk_a ;;
      cert) case $wk_a in */*) wk_certdir=\${wk_a%/*} ;; *) wk_certdir=. ;; esac ;;
    esac
    wk_skip=
    continue
  fi
  if [ "$wk_cmd" = container ]; then
    [ "$wk_a" = run ] && wk_cmd=run
    break
  fi
  case $wk_a in
    -H | --host) wk_skip=host ;;
    --host=*) wk_host=\${wk_a#*=} ;;
    -H*) wk_host=\${wk_a#-H} ;;
    -c | --context) wk_skip=context ;;
    --context=*) wk_ctx=\${wk_a#*=} ;;
    --config) wk_skip=config ;;
    --config=*) wk_cfg=\${wk_a#*=} ;;
    --tlscacert | --tlscert | --tlskey) wk_skip=cert ;;
    --tlscacert=* | --tlscert=* | --tlskey=*)
      wk_a=\${wk_a#*=}
      case $wk_a in */*) wk_certdir=\${wk_a%/*} ;; *) wk_certdir=. ;; esac ;;
    --tls | --tls=true) wk_tls=1 ;;
    --tlsverify | --tlsverify=true) wk_tlsverify=1 ;;
    -l | --log-level) wk_skip=ignored ;;
    -*) ;;
    container) wk_cmd=container ;;
    *) wk_cmd=$wk_a; break ;;
  esac
done
# whalekeeper run's own call of the client (this shim found first on PATH): straight to the real client, no loop.
if [ -n "\${WHALEKEEPER_IN_RUN:-}" ]; then wk_cmd=own-run; fi
if [ "$wk_cmd" != run ]; then
  exec "$wk_real" "$@"
fi
shift $wk_n
# whalekeeper runs this same client, never the shim.
WHALEKEEPER_DOCKER=$wk_real
export WHALEKEEPER_DOCKER
if [ -n "$wk_ctx" ]; then DOCKER_CONTEXT=$wk_ctx; export DOCKER_CONTEXT; unset DOCKER_HOST; fi
if [ -n "$wk_cfg" ]; then DOCKER_CONFIG=$wk_cfg; export DOCKER_CONFIG; fi
if [ -n "$wk_tls" ]; then DOCKER_TLS=1; export DOCKER_TLS; fi
if [ -n "$wk_tlsverify" ]; then DOCKER_TLS_VERIFY=1; export DOCKER_TLS_VERIFY; fi
if [ -n "$wk_certdir" ]; then DOCKER_CERT_PATH=$wk_certdir; export DOCKER_CERT_PATH; fi
# whalekeeper removed or moved since the shim was written: say so and how to fix it (not "node: not found").
if ! [ -x ${shQuote(target.node)} ] || ! [ -f ${shQuote(target.entry)} ]; then
  printf 'whalekeeper shim: whalekeeper is gone (%s, run by %s)\\n' ${shQuote(target.entry)} ${shQuote(target.node)} >&2
  ${reinstall} >&2
  exit 127
fi
if [ -n "$wk_host" ]; then
  exec ${shQuote(target.node)} ${shQuote(target.entry)} --host "$wk_host" run "$@"
fi
exec ${shQuote(target.node)} ${shQuote(target.entry)} run "$@"`;
}

/** What the shim says when its whalekeeper is gone: how to get it back, or to remove the shim (sh, constant). */
const SHIM_REINSTALL =
  "printf 'whalekeeper shim: reinstall whalekeeper, then run `whalekeeper shim install --dir %s`; or remove the shim: rm %s %s\\n' \"${0%/*}\" \"$0\" \"${0%/*}/" +
  SHIM_MARKER +
  '"';

/** The same for the shell function of `shim print`. */
const FUNCTION_REINSTALL =
  "printf 'whalekeeper shim: reinstall whalekeeper, then replace the docker function in your profile with the output of `whalekeeper shim print`\\n'";

/** The installed `docker` script: finds the real client (the first `docker` on PATH that is not a shim), then routes. */
export function shimScript(target: ShimTarget): string {
  return `#!/bin/sh
${SHIM_SIGNATURE}
# Installed by \`whalekeeper shim install\`; remove it with \`whalekeeper shim uninstall\`.
# The real client: the first \`docker\` on PATH that is neither this file (same inode, whatever the path) nor another
# shim (a directory holding ${SHIM_MARKER}), so the shim's directory may be on PATH twice without a loop.
wk_real=
wk_ifs=$IFS
IFS=:
set -f
for wk_dir in $PATH; do
  [ -n "$wk_dir" ] || wk_dir=.
  if [ -f "$wk_dir/docker" ] && [ -x "$wk_dir/docker" ] && ! [ "$wk_dir/docker" -ef "$0" ] && ! [ -e "$wk_dir/${SHIM_MARKER}" ]; then
    wk_real=$wk_dir/docker
    break
  fi
done
set +f
IFS=$wk_ifs
if [ -z "$wk_real" ]; then
  echo "whalekeeper shim: no docker client on PATH besides the shim ($0)" >&2
  exit 127
fi
${routing(target, SHIM_REINSTALL)}
`;
}

/** `shim print`: the same routing as a shell function for a profile (`command docker` is the real client). */
export function shimFunction(target: ShimTarget): string {
  const body = routing(target, FUNCTION_REINSTALL)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `# whalekeeper: \`docker run\` goes through \`whalekeeper run\`; every other docker command is unchanged.
# Add to ~/.profile, ~/.bashrc or ~/.zshrc. The function runs in a subshell, so its variables stay inside.
docker() (
  wk_real=docker
${body}
)
`;
}
