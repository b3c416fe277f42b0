// The options of `docker run` (and `docker create`), as the docker client's flag parser (pflag) knows them.
// A test compares this table with `docker run --help` of the installed client, so a new flag fails a test, not a user.

/** A boolean flag takes no separate value (`--rm`, `--rm=false`); every other flag does (`--name x`, `--name=x`). */
export interface RunOptionSpec {
  readonly long: string;
  readonly short?: string;
  readonly boolean: boolean;
}

const BOOLEAN = ['detach', 'disable-content-trust', 'help', 'init', 'interactive', 'no-healthcheck', 'oom-kill-disable',
  'privileged', 'publish-all', 'quiet', 'read-only', 'rm', 'sig-proxy', 'tty', 'use-api-socket'];

/** Hidden (deprecated) aliases the client still accepts, though `docker run --help` does not list them. */
export const HIDDEN_RUN_OPTIONS = ['net', 'net-alias', 'dns-opt'];

const VALUED = ['add-host', 'annotation', 'attach', 'blkio-weight', 'blkio-weight-device', 'cap-add', 'cap-drop',
  'cgroup-parent', 'cgroupns', 'cidfile', 'cpu-count', 'cpu-percent', 'cpu-period', 'cpu-quota', 'cpu-rt-period',
  'cpu-rt-runtime', 'cpu-shares', 'cpus', 'cpuset-cpus', 'cpuset-mems', 'detach-keys', 'device', 'device-cgroup-rule',
  'device-read-bps', 'device-read-iops', 'device-write-bps', 'device-write-iops', 'dns', 'dns-option', 'dns-search',
  'domainname', 'entrypoint', 'env', 'env-file', 'expose', 'gpus', 'group-add', 'health-cmd', 'health-interval',
  'health-retries', 'health-start-interval', 'health-start-period', 'health-timeout', 'hostname', 'io-maxbandwidth',
  'io-maxiops', 'ip', 'ip6', 'ipc', 'isolation', 'kernel-memory', 'label', 'label-file', 'link', 'link-local-ip',
  'log-driver', 'log-opt', 'mac-address', 'memory', 'memory-reservation', 'memory-swap', 'memory-swappiness', 'mount',
  'name', 'network', 'network-alias', 'oom-score-adj', 'pid', 'pids-limit', 'platform', 'publish', 'pull', 'restart',
  'runtime', 'security-opt', 'shm-size', 'stop-signal', 'stop-timeout', 'storage-opt', 'sysctl', 'tmpfs', 'ulimit',
  'user', 'userns', 'uts', 'volume', 'volume-driver', 'volumes-from', 'workdir',
  ...HIDDEN_RUN_OPTIONS];

const SHORT: Record<string, string> = {
  a: 'attach', c: 'cpu-shares', d: 'detach', e: 'env', h: 'hostname', i: 'interactive', l: 'label', m: 'memory',
  p: 'publish', P: 'publish-all', q: 'quiet', t: 'tty', u: 'user', v: 'volume', w: 'workdir',
};

/** Every `docker run` option by its long name. */
export const RUN_OPTIONS: ReadonlyMap<string, RunOptionSpec> = new Map(
  [...BOOLEAN.map((long) => [long, true] as const), ...VALUED.map((long) => [long, false] as const)].map(([long, boolean]) => {
    const short = Object.keys(SHORT).find((s) => SHORT[s] === long);
    return [long, short === undefined ? { long, boolean } : { long, short, boolean }];
  }),
);

/** Long name of a short flag letter, if docker run knows the letter. */
export function longOfShort(letter: string): string | undefined {
  return SHORT[letter];
}

/**
 * Options whose value can carry a secret: it is masked in every message. `-e NAME=VALUE` keeps NAME visible.
 * `--log-opt` carries logging drivers' tokens (`splunk-token=…`).
 */
export const SECRET_VALUE_OPTIONS: ReadonlySet<string> = new Set(['env', 'build-arg', 'secret', 'log-opt']);
