// Start-up is a feature: each command reads the entry and its own bundle, nothing else of whalekeeper's: no yargs, no
// other command's code. Help, and what the fast parser leaves to yargs, read the full CLI. (Not timed: the figures are
// `npm run bench`'s; this guards what each command's path loads.)
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execa } from 'execa';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';

const host = inject('dockerHost');
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const TRACE = fileURLToPath(new URL('../helpers/trace-loads.cjs', import.meta.url));

interface Trace {
  readonly exitCode: number | undefined;
  /** whalekeeper's own files read, relative to dist/. */
  readonly bundles: readonly string[];
  readonly builtins: readonly string[];
}

const dir = mkdtempSync(join(tmpdir(), 'wk-startup-test-'));
let replica: Server;
let url: string;

async function traced(args: readonly string[]): Promise<Trace> {
  const file = join(dir, `trace-${Math.random().toString(36).slice(2)}.json`);
  const result = await execa('node', ['-r', TRACE, BIN, ...args], {
    env: cleanEnv(host, { WK_TRACE_FILE: file }),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    cwd: dir,
  });
  const { read, builtins } = JSON.parse(readFileSync(file, 'utf8')) as { read: string[]; builtins: string[] };
  const bundles = [...new Set(read.filter((f) => f.startsWith(DIST) && f.endsWith('.js')).map((f) => f.slice(DIST.length)))];
  return { exitCode: result.exitCode, bundles, builtins };
}

beforeAll(async () => {
  replica = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"buildNumber": 7}');
  });
  await new Promise<void>((resolve) => replica.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(replica.address() as AddressInfo).port}/`;
});

afterAll(() => {
  replica.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Each command as a user starts it, doing as little as it can: its fixed cost is what the bench measures. */
const COMMANDS: readonly (readonly [string, () => readonly string[]])[] = [
  ['run', () => ['run', TEST_IMAGE, 'true']],
  ['build', () => ['build', join(dir, 'no-such-context')]],
  ['ls', () => ['ls']],
  ['clean', () => ['clean', '--agent', '--dry-run']],
  ['disk', () => ['disk', '--no-breakdown']],
  ['verify', () => ['verify', '--expect', '7', '--stable', '1', url]],
  ['audit', () => ['audit', dir]],
  ['shim', () => ['shim', 'print']],
];

describe('start-up: what each command loads (one engine: which modules a command reads does not depend on the engine it speaks to)', () => {
  it('--version reads the entry alone', async () => {
    const trace = await traced(['--version']);
    expect(trace.exitCode).toBe(0);
    expect(trace.bundles).toEqual(['whalekeeper.js']);
  });

  it('every command of the CLI is listed here', () => {
    expect(readdirSync(join(DIST, 'commands')).sort()).toEqual(COMMANDS.map(([name]) => `${name}.js`).sort());
  });

  it.each(COMMANDS)('%s reads the entry and its own bundle, nothing else', async (name, args) => {
    const trace = await traced(args());
    expect(trace.bundles).toEqual(['whalekeeper.js', `commands/${name}.js`]);
    // `build` of a missing context fails in docker (exit 1); every other command succeeds.
    expect(trace.exitCode).toBe(name === 'build' ? 1 : 0);
  });

  it('run does not load node:crypto (its run id needs no UUID)', async () => {
    const trace = await traced(['run', TEST_IMAGE, 'true']);
    expect(trace.builtins).toContain('NativeModule child_process');
    expect(trace.builtins.filter((m) => /^NativeModule (internal\/)?crypto/.test(m))).toEqual([]);
  });

  it('verify does not load node:http2 (got\'s http2-wrapper is loaded on first use, which needs `http2: true`)', async () => {
    const trace = await traced(['verify', '--expect', '7', '--stable', '1', url]);
    expect(trace.exitCode).toBe(0);
    expect(trace.builtins).toContain('NativeModule http');
    expect(trace.builtins.filter((m) => /^NativeModule (internal\/)?http2/.test(m))).toEqual([]);
    // decompress-response (and node:zlib with it) is loaded only for a compressed answer, which verify does not ask for.
    expect(trace.builtins).not.toContain('NativeModule zlib');
  });

  it.each(COMMANDS.filter(([name]) => ['ls', 'clean', 'disk', 'verify'].includes(name)))(
    '%s does not load node:tls, node:https, perf_hooks or node:fs/promises for an engine on a unix socket or an http URL',
    async (_name, args) => {
      const trace = await traced(args());
      expect(trace.exitCode).toBe(0);
      expect(trace.builtins).toContain('NativeModule http');
      expect(trace.builtins.filter((m) => /^NativeModule (https|tls|_tls_wrap|_tls_common)$/.test(m))).toEqual([]);
      // perf_hooks comes with the first use of `performance`; the clock reads process.hrtime instead.
      expect(trace.builtins).not.toContain('NativeModule perf_hooks');
      // node:fs/promises (and readline with it) only when a file is written.
      expect(trace.builtins).not.toContain('NativeModule fs/promises');
    },
  );

  it('verify of an https URL loads node:https to try it', async () => {
    const trace = await traced(['verify', '--expect', '7', '--stable', '1', '--timeout', '2s', '--request-timeout', '1s', 'https://127.0.0.1:1/']);
    // Nothing listens on port 1: the point is what was loaded to try.
    expect(trace.exitCode).toBe(3);
    expect(trace.builtins).toContain('NativeModule https');
  });

  it('help and what the fast parser leaves to yargs read the full CLI', async () => {
    const help = await traced(['ls', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.bundles).toEqual(['whalekeeper.js', 'commands/ls.js', 'whalekeeper-cli.js']);
    const wrong = await traced(['ls', '--no-such-option']);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.bundles).toEqual(['whalekeeper.js', 'commands/ls.js', 'whalekeeper-cli.js']);
    expect((await traced(['--help'])).bundles).toEqual(['whalekeeper.js', 'whalekeeper-cli.js']);
  });

  it('no command bundle holds yargs or execa; only verify holds got; no bundle keeps an import() (vm.Script has no loader)', () => {
    for (const file of ['whalekeeper.js', 'whalekeeper-cli.js', ...readdirSync(join(DIST, 'commands')).map((f) => `commands/${f}`)]) {
      const text = readFileSync(join(DIST, file), 'utf8');
      expect(text, file).not.toMatch(/\bimport\(/);
      // A build is the same in any checkout (the Jenkins library packs it and checks its hash): no absolute path.
      expect(text, file).not.toContain(join(DIST, '..'));
      // An Intl.ListFormat is made on first use only (scripts/lazy-list-format.mjs): the first one loads ICU's data.
      expect(text, file).not.toMatch(/new Intl\.ListFormat/);
    }
    for (const file of readdirSync(join(DIST, 'commands'))) {
      const text = readFileSync(join(DIST, 'commands', file), 'utf8');
      expect(text, file).not.toMatch(/node_modules\/(yargs|yargs-parser|cliui|y18n|execa)\//);
      expect(/node_modules\/got\//.test(text), file).toBe(file === 'verify.js');
    }
  });

  it('keeps each bundle\'s V8 bytecode per user, and survives a cache it cannot use', async () => {
    const cache = mkdtempSync(join(dir, 'cache-'));
    const shim = (extra: Record<string, string> = {}) =>
      execa('node', [BIN, 'shim', 'print'], { env: cleanEnv(host, { XDG_CACHE_HOME: cache, ...extra }), extendEnv: false, reject: false });
    const files = () => readdirSync(join(cache, 'whalekeeper'), { recursive: true }).map(String).filter((f) => f.endsWith('.v8'));
    const first = await shim({ NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(first.exitCode).toBe(0);
    expect(readdirSync(cache)).toEqual([]);
    expect((await shim()).stdout).toBe(first.stdout);
    expect(files()).toEqual([expect.stringMatching(/\/shim\.js-\d+-\d+\.v8$/)]);
    const [folder] = readdirSync(join(cache, 'whalekeeper'));
    expect(statSync(join(cache, 'whalekeeper', folder!)).mode & 0o777).toBe(0o700);
    // Bytes V8 refuses: compiled from source, the same output, and the cache written anew.
    const file = join(cache, 'whalekeeper', files()[0]!);
    writeFileSync(file, 'not bytecode');
    expect((await shim()).stdout).toBe(first.stdout);
    expect(readFileSync(file).length).toBeGreaterThan(1000);
  });

  it('the list format made on first use formats as Intl.ListFormat does', async () => {
    const module = '../../scripts/lazy-list-format.mjs';
    const { LazyListFormat } = (await import(module)) as { LazyListFormat: typeof Intl.ListFormat };
    const list = ['string', 'number', 'undefined'];
    for (const type of ['conjunction', 'disjunction'] as const) {
      const lazy = new LazyListFormat('en', { style: 'long', type });
      const real = new Intl.ListFormat('en', { style: 'long', type });
      expect(lazy.format(list)).toBe(real.format(list));
      expect(lazy.formatToParts(list)).toEqual(real.formatToParts(list));
      expect(lazy.resolvedOptions()).toEqual(real.resolvedOptions());
    }
  });
});
