// whalekeeper's own options, which come before the command because everything after `run` belongs to docker.
// One table drives both the yargs definition (help, every command) and the fast path of `run`.

/** The kind of value a global option takes. */
export type GlobalOptionType = 'string' | 'boolean' | 'number';

/** One global option: its flag, the WHALEKEEPER_* variable that sets it, and its help. */
export interface GlobalOptionSpec {
  readonly name: GlobalOptionName;
  readonly alias?: string;
  readonly type: GlobalOptionType;
  readonly env: string;
  readonly describe: string;
}

/** The names of the global options, as the Settings resolver knows them. */
export type GlobalOptionName =
  | 'host'
  | 'build'
  | 'scope'
  | 'verbose'
  | 'json'
  | 'docker'
  | 'stop-timeout'
  | 'engine-timeout'
  | 'argv-env'
  | 'build-number'
  | 'tag-build-number';

/** Every global option. Precedence for each: flag, then its WHALEKEEPER_* variable, then CI variables, then default. */
export const GLOBAL_OPTIONS: readonly GlobalOptionSpec[] = [
  {
    name: 'host',
    alias: 'H',
    type: 'string',
    env: 'WHALEKEEPER_HOST',
    describe:
      'Docker engine to use (unix:///path, tcp://host:port, ssh://user@host). Default as the docker client: DOCKER_HOST (with DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), DOCKER_CONTEXT or the current context, then unix:///var/run/docker.sock',
  },
  {
    name: 'build',
    type: 'string',
    env: 'WHALEKEEPER_BUILD',
    describe:
      'Build identity that labels containers and scopes `clean`. Default from CI: BUILD_TAG, else JOB_NAME and BUILD_NUMBER (Jenkins), else GitHub Actions or GitLab CI run ids',
  },
  {
    name: 'scope',
    type: 'string',
    env: 'WHALEKEEPER_SCOPE',
    describe:
      'A part of the build (e.g. one Jenkins withDockerCleanup block): `run` labels its container with it too, and a build-scoped `clean` then removes only that part (`clean --agent` ignores it)',
  },
  {
    name: 'build-number',
    type: 'string',
    env: 'WHALEKEEPER_BUILD_NUMBER',
    describe:
      '`build`: the number passed as `--build-arg BUILD_NUMBER` and the image\'s version label. Default from CI: BUILD_NUMBER (Jenkins), GITHUB_RUN_NUMBER, CI_PIPELINE_IID',
  },
  {
    name: 'tag-build-number',
    type: 'boolean',
    env: 'WHALEKEEPER_TAG_BUILD_NUMBER',
    describe: '`build`: also tag every `-t NAME[:TAG]` as NAME:<build number> (as the seed tags base:$BUILD_NUMBER)',
  },
  { name: 'verbose', alias: 'v', type: 'boolean', env: 'WHALEKEEPER_VERBOSE', describe: 'Print what whalekeeper does (secrets masked)' },
  { name: 'json', type: 'boolean', env: 'WHALEKEEPER_JSON', describe: 'Machine-readable output: one JSON document on stdout' },
  { name: 'docker', type: 'string', env: 'WHALEKEEPER_DOCKER', describe: 'The docker client to run (default: `docker` on PATH)' },
  {
    name: 'stop-timeout',
    type: 'number',
    env: 'WHALEKEEPER_STOP_TIMEOUT',
    describe: 'Seconds a container gets to stop after SIGINT/SIGTERM/SIGHUP before it is killed and removed (default 3, inside Jenkins\' 5 s kill window)',
  },
  {
    name: 'engine-timeout',
    type: 'number',
    env: 'WHALEKEEPER_ENGINE_TIMEOUT',
    describe:
      'Seconds to wait for the Docker engine to accept a connection and start answering a request (default 10); long operations (a removal, a wait) are not bound by it',
  },
  {
    name: 'argv-env',
    type: 'string',
    env: 'WHALEKEEPER_ARGV_ENV',
    describe:
      'Read the rest of the arguments (command included) from this environment variable, a JSON array of strings. For callers that must not build command lines, like the Jenkins steps: `withEnv([\'WK_ARGV=["run","base:42","true"]\']) { sh \'whalekeeper --argv-env WK_ARGV\' }`',
  },
];

/** Raw values of the global options as a parser found them; absent when not given as a flag. */
export type GlobalFlags = Partial<Record<GlobalOptionName, string | boolean | number>>;
