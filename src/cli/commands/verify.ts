// The `verify` command's definition for yargs: options, help that teaches, exit codes; the handler loads lazily.
import type { Argv } from 'yargs';
import type { VerifyRawOptions } from '../../core/verify/settings.js';
import type { CommandDefinition } from '../definition.js';

/** The exit codes of `verify`, as --help and the docs show them. */
export const VERIFY_EXIT_CODES_HELP = [
  'Exit codes:',
  '  0   every replica answered the expected build, --stable times in a row',
  '  1   a replica or pool answered another build and was never verified (at the deadline), or a newer one (at once)',
  '  2   usage error (no --expect and no BUILD_NUMBER, a bad duration, ...)',
  '  3   some replica never gave a readable build by the deadline (unreachable, not JSON, field missing), or only',
  '      matching answers too few in a row, or fewer replicas than --replicas; and none answered another build',
  '  130, 143  interrupted by SIGINT or SIGTERM; the reports were still written',
].join('\n');

/** `whalekeeper verify URL…`. */
export const verifyDefinition: CommandDefinition = {
  command: 'verify <urls..>',
  describe: 'wait until every replica of a service answers the build just deployed (GET /diagnostics), or say which does not',
  builder: verifyBuilder,
  handler: async (argv, ctx) => (await import('../wire/verify.js')).verifyCommand(rawOptions(argv), ctx),
};

function rawOptions(argv: Readonly<Record<string, unknown>>): VerifyRawOptions {
  const strings = (v: unknown): string[] | undefined => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).map(String));
  // A flag given twice takes its last value, as most CLIs do (yargs collects repeats into an array).
  const last = (v: unknown): unknown => (Array.isArray(v) ? v[v.length - 1] : v);
  const str = (v: unknown): string | undefined => (last(v) === undefined ? undefined : String(last(v)));
  const num = (v: unknown): number | undefined => (last(v) === undefined ? undefined : Number(last(v)));
  return {
    urls: strings(argv.urls) ?? [],
    expect: str(argv.expect),
    field: str(argv.field),
    allAddresses: last(argv['all-addresses']) === true,
    direct: last(argv.direct) === true,
    followRedirectsCrossHost: last(argv['follow-redirects-cross-host']) === true,
    replicas: num(argv.replicas),
    stable: num(argv.stable),
    timeout: str(argv.timeout),
    interval: str(argv.interval),
    requestTimeout: str(argv['request-timeout']),
    allowNewer: last(argv['allow-newer']) === true,
    header: strings(argv.header),
    headerEnv: strings(argv['header-env']),
    ca: str(argv.ca),
    insecure: last(argv.insecure) === true,
    junit: str(argv.junit),
  };
}

function verifyBuilder(yargs: Argv): Argv {
  return yargs
    .usage(
      [
        'whalekeeper [options] verify URL... [--expect N] [verify options]',
        '',
        'After a deploy, waits until every replica answers the build just deployed, or fails and names the one that',
        'does not. Several URLs (or --all-addresses) are one replica each; a single URL is a pool (a load balancer)',
        'unless --direct. A URL without a path gets /diagnostics; the answer must be JSON (application/json or',
        'application/*+json) with the build at --field, e.g. {"buildNumber": 209}.',
        'A replica is verified after --stable matching answers in a row, each on a new connection. A pool is verified',
        'when a replica still on another build would have shown up with 99% confidence (13 answers in a row for a pool',
        'of 3, --replicas N for a larger one); a pool that answered another build and never verified is a wrong build.',
        'A replica answering a newer build fails at once (another deployment overtook this one).',
      ].join('\n'),
    )
    .positional('urls', { type: 'string', array: true, describe: 'the replicas: http(s) URLs, one per replica (or per host name with --all-addresses)' })
    .options({
      expect: { type: 'string', describe: 'the build every replica must answer (default: $BUILD_NUMBER)' },
      field: { type: 'string', default: 'buildNumber', describe: 'dotted path to the build in the JSON body (also .NET spellings Meta__BuildNumber, Meta:BuildNumber); keys match regardless of case' },
      'all-addresses': { type: 'boolean', describe: 'resolve each host name (A and AAAA, every round) and check each address as its own replica, keeping Host and the TLS name; connects directly, without a proxy' },
      direct: { type: 'boolean', describe: 'the one URL given is one replica, not a load balancer (a pool)' },
      replicas: {
        type: 'number',
        describe: 'require at least N replicas (a pod not ready yet is missing from DNS); for a pool (one URL), the replicas behind it (default 3)',
      },
      stable: { type: 'number', default: 2, describe: 'matching answers in a row that verify a replica (a pool needs more, see the pool rule)' },
      timeout: { type: 'string', default: '5m', describe: 'overall deadline (500ms, 2s, 5m); never overshot by more than one --request-timeout' },
      interval: { type: 'string', default: '2s', describe: 'pause between rounds' },
      'request-timeout': { type: 'string', default: '5s', describe: 'limit for one request, connection included' },
      'follow-redirects-cross-host': {
        type: 'boolean',
        describe: 'follow a redirect to another origin and count its answer (said per attempt); by default only same-origin redirects are followed',
      },
      'allow-newer': { type: 'boolean', describe: 'count a newer build as a match instead of failing at once' },
      header: { type: 'string', describe: "extra request header 'Name: value' (repeatable); the value is never printed" },
      'header-env': { type: 'string', describe: 'extra header Name=ENV_VAR, the value taken from that variable (repeatable); never printed' },
      ca: { type: 'string', describe: 'PEM file of the CA(s) to verify TLS with, instead of the system ones' },
      insecure: { type: 'boolean', describe: 'do not verify TLS certificates (only when asked; TLS is verified by default)' },
      junit: { type: 'string', describe: 'write a JUnit XML report to this file: a testcase per replica, the attempts in system-out' },
    })
    .example('whalekeeper verify https://app-1.internal:8443 https://app-2.internal:8443', 'both replicas must answer $BUILD_NUMBER')
    .example('whalekeeper verify --all-addresses --replicas 3 --expect 209 http://app-headless.prod.svc:8080', 'every pod of a headless Kubernetes service, at least 3')
    .example("whalekeeper verify --header-env 'Authorization=DIAG_TOKEN' --junit verify.xml --timeout 10m https://app.example.com/actuator/info --field build.number", 'a secret header, a JUnit report, a longer deadline')
    .epilog(
      [
        'Outcomes of an attempt: unreachable (DNS, refused, reset, timed out), not-ready (502, 503, 504), http-error,',
        'not-json (an HTML login page is never a match), field-missing, older, newer, match. All but newer are retried',
        'until the deadline. Requests send Cache-Control: no-cache and honour HTTP_PROXY, HTTPS_PROXY and NO_PROXY as curl.',
        '',
        VERIFY_EXIT_CODES_HELP,
      ].join('\n'),
    );
}
