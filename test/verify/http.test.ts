// `whalekeeper verify` (the built CLI) against real HTTP servers on 127.0.0.1.
import { execa } from 'execa';
import { XMLParser } from 'fast-xml-parser';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { VerifyReport } from '../../src/core/verify/report.js';
import { BIN, cleanEnv, whalekeeper } from '../helpers/cli.js';
import { answerBuild, freePort, startReplica, type ReplicaHandler } from '../helpers/http-replica.js';

const env = cleanEnv('unix:///nonexistent.sock');
/** Short times keep the suite fast; no assertion depends on them. */
const FAST = ['--interval', '100ms', '--request-timeout', '2s', '--expect', '209'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wk-verify-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function replica(handler: ReplicaHandler, port?: number) {
  const server = await startReplica(handler, port);
  onTestFinished(() => server.close());
  return server;
}

async function verifyJson(args: string[], extraEnv: Record<string, string> = {}) {
  const result = await whalekeeper(['--json', 'verify', ...FAST, ...args], { ...env, ...extraEnv });
  return { ...result, report: JSON.parse(result.stdout) as VerifyReport };
}

describe('whalekeeper verify over HTTP', () => {
  it('waits for a replica that refuses connections and then comes up', async () => {
    const port = await freePort();
    const child = execa('node', [BIN, 'verify', ...FAST, '--timeout', '20s', '--direct', `http://127.0.0.1:${port}`], { env, extendEnv: false, reject: false, stdin: 'ignore' });
    let stderr = '';
    // when the first attempt was refused, the replica comes up
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('unreachable')) resolve();
      });
    });
    await replica((_n, _req, res) => answerBuild(res, 209), port);
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toContain('verified');
    expect(String(result.stdout)).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}/diagnostics\\s+209\\s+verified`));
  });

  it('a JUnit file that cannot be written is exit 74, one line naming the path, not a bug', async () => {
    const server = await replica((_n, _req, res) => answerBuild(res, 209));
    const result = await whalekeeper(['verify', ...FAST, '--timeout', '10s', '--junit', join(dir, 'no-such-dir', 'r.xml'), server.url], env);
    expect(result.exitCode).toBe(74);
    expect(result.stderr).toContain(`cannot write \`${join(dir, 'no-such-dir', 'r.xml')}\`: the directory \`${join(dir, 'no-such-dir')}\` does not exist`);
    expect(result.stderr).not.toContain('bug');
  });

  it('reads no more than 1 MiB of a body: a replica streaming megabytes is "not JSON", exit 3', async () => {
    const server = await replica((_n, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = `{"pad":"${'x'.repeat(64 * 1024)}"}`;
      for (let i = 0; i < 48; i++) res.write(chunk);
      res.end();
    });
    const { exitCode, report } = await verifyJson(['--timeout', '600ms', server.url]);
    expect(exitCode).toBe(3);
    const last = report.replicas[0]!.timeline.at(-1)!;
    expect(last.outcome).toBe('not-json');
    expect(last.detail).toContain('body larger than 1048576 bytes');
  });

  it('retries 503 during a rollout, then verifies', async () => {
    const server = await replica((n, _req, res) => (n <= 2 ? answerBuild(res, 208, 503) : answerBuild(res, 209)));
    const { exitCode, report } = await verifyJson(['--timeout', '20s', '--direct', server.url]);
    expect(exitCode).toBe(0);
    expect(report.replicas[0]!.timeline.map((e) => e.outcome)).toEqual(['not-ready', 'not-ready', 'match', 'match']);
    expect(server.requests[0]!.url).toBe('/diagnostics');
    expect(server.requests[0]!.headers['cache-control']).toBe('no-cache');
  });

  it('a stale replica at the deadline: exit 1, named in the output and in the JUnit file', async () => {
    const good = await replica((_n, _req, res) => answerBuild(res, 209));
    const stale = await replica((_n, _req, res) => answerBuild(res, 208));
    const junit = join(dir, 'stale.xml');
    const result = await whalekeeper(['verify', ...FAST, '--timeout', '600ms', '--junit', junit, good.url, stale.url], env);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`answered another build than 209: ${stale.url}/diagnostics \\(build 208 ×\\d+\\)`));
    expect(result.stdout).toMatch(new RegExp(`${stale.url}/diagnostics\\s+208\\s+wrong`));
    expect(result.stderr).toContain(`[${stale.url}/diagnostics] WRONG BUILD`);
    // the JUnit file parses back: one testsuite, a testcase per replica
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(await readFile(junit, 'utf8'));
    expect(xml.testsuite).toMatchObject({ name: 'whalekeeper verify', tests: '2', failures: '1', errors: '0' });
    const [ok, wrong] = xml.testsuite.testcase;
    expect(ok.name).toBe(`${good.url}/diagnostics`);
    expect(ok.failure).toBeUndefined();
    expect(wrong.name).toBe(`${stale.url}/diagnostics`);
    expect(wrong.failure.message).toBe('expected 209, last saw 208');
    expect(wrong['system-out']).toMatch(/^\+\d+\.\d{3}s older 208: build 208, expected 209$/m);
  });

  it('one URL is a pool: alternating old and new is not verified until the pool rule\'s run, each answer on a new connection', async () => {
    const builds = [209, 208, 209, 208, 209, 209];
    // one request at a time, in order, so that the answers are those above whatever the burst
    let queue = Promise.resolve();
    const server = await replica((n, _req, res) => {
      queue = queue.then(() => answerBuild(res, builds[n - 1] ?? 209));
    });
    const { exitCode, report } = await verifyJson(['--timeout', '20s', server.url]);
    expect(exitCode).toBe(0);
    const pool = report.replicas[0]!;
    expect(pool).toMatchObject({ kind: 'pool', status: 'verified' });
    expect(pool.answers.find((a) => a.build === '208')?.count).toBe(2);
    // the first round's 10 answers hold both 208s (counted last, they end its run): 208 in 2 of 10 answers is a share
    // of 1/5, lower than 1/3, so the second run needs 30 in a row (never 2)
    expect(pool.streak).toBe(30);
    expect(pool.needed).toBe(30);
    expect(server.connections()).toBe(pool.attempts);
    expect(new Set(server.requests.map((r) => r.connection)).size).toBe(pool.attempts);
    expect(server.requests.every((r) => r.headers.connection === 'close')).toBe(true);
  });

  it('a newer build fails at once', async () => {
    const newer = await replica((_n, _req, res) => answerBuild(res, 210));
    const { exitCode, report } = await verifyJson(['--timeout', '30s', '--direct', newer.url]);
    expect(exitCode).toBe(1);
    expect(report.replicas[0]).toMatchObject({ status: 'wrong', attempts: 1, lastBuild: '210', lastOutcome: 'newer' });
  });

  it('--allow-newer counts a newer build', async () => {
    const newer = await replica((_n, _req, res) => answerBuild(res, '210'));
    const { exitCode } = await verifyJson(['--timeout', '20s', '--allow-newer', newer.url]);
    expect(exitCode).toBe(0);
  });

  it('invalid JSON and an HTML page (after a redirect) never match: exit 3', async () => {
    const broken = await replica((_n, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"buildNumber": 209');
    });
    const login = await replica((_n, req, res) => {
      if (req.url === '/login') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>{"buildNumber": 209}</body></html>');
      } else {
        res.writeHead(302, { location: '/login' });
        res.end();
      }
    });
    const { exitCode, report } = await verifyJson(['--timeout', '500ms', broken.url, login.url]);
    expect(exitCode).toBe(3);
    expect(report.replicas.map((r) => [r.status, r.lastOutcome, r.lastError])).toEqual([
      ['failed', 'not-json', 'body is not valid JSON'],
      ['failed', 'not-json', 'content type `text/html`'],
    ]);
  });

  it('a field at a dotted path, keys in any case, in an application/*+json body', async () => {
    const spring = await replica((_n, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.spring-boot.actuator.v3+json' });
      res.end(JSON.stringify({ Build: { Number: '209' } }));
    });
    const { exitCode } = await verifyJson(['--timeout', '20s', '--field', 'build.number', `${spring.url}/actuator/info`]);
    expect(exitCode).toBe(0);
    expect(spring.requests[0]!.url).toBe('/actuator/info');
  });

  it('a slow replica inside the request timeout is verified', async () => {
    const slow = await replica((_n, _req, res) => void setTimeout(() => answerBuild(res, 209), 400));
    const { exitCode } = await verifyJson(['--timeout', '20s', '--request-timeout', '3s', slow.url]);
    expect(exitCode).toBe(0);
  });

  it('the deadline is honoured: a replica that never answers ends as unreachable (timed out), exit 3', async () => {
    const hung = await replica(() => {});
    const { exitCode, report } = await verifyJson(['--timeout', '300ms', '--request-timeout', '200ms', hung.url]);
    expect(exitCode).toBe(3);
    expect(report.replicas[0]).toMatchObject({ status: 'failed', lastOutcome: 'unreachable' });
    expect(report.replicas[0]!.lastError).toMatch(/timeout/i);
  });

  it('header values and URL credentials never appear in any output or report', async () => {
    const SECRET = 'hdr-s3cret-value';
    const ENV_SECRET = 'env-s3cret-value';
    const PASSWORD = 'url-pa55word';
    // the replica answers the secret as its build, so an unmasked report would show it
    const server = await replica((_n, req, res) => answerBuild(res, String(req.headers['x-token'])));
    const url = `http://deployer:${PASSWORD}@127.0.0.1:${server.port}`;
    const junit = join(dir, 'secret.xml');
    const args = ['verify', ...FAST, '--timeout', '300ms', '--header', `X-Token: ${SECRET}`, '--header-env', 'X-Other=OTHER', '--junit', junit, url];
    const human = await whalekeeper(args, { ...env, OTHER: ENV_SECRET });
    const json = await whalekeeper(['--json', ...args], { ...env, OTHER: ENV_SECRET });
    // the secrets were sent
    expect(server.requests[0]!.headers['x-token']).toBe(SECRET);
    expect(server.requests[0]!.headers['x-other']).toBe(ENV_SECRET);
    expect(server.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`deployer:${PASSWORD}`).toString('base64')}`);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toContain('***');
    const everything = [human.stdout, human.stderr, json.stdout, json.stderr, await readFile(junit, 'utf8')].join('\n');
    for (const secret of [SECRET, ENV_SECRET, PASSWORD, 'deployer']) expect(everything).not.toContain(secret);
  });

  it('what a replica echoes back from what verify sent is masked everywhere: table, lines, JSON, JUnit', async () => {
    const PASSWORD = 'pa55word';
    const TOKEN = 'tok3n-abcdef-123456';
    const basic = Buffer.from(`user:${PASSWORD}`).toString('base64');
    // a replica that echoes request headers back, in the ways a real one might: whole, partly, as a key
    const echoes = [
      (h: Record<string, unknown>) => ({ buildNumber: h.authorization }),
      (h: Record<string, unknown>) => ({ buildNumber: String(h['x-api-key']).replace(/^Bearer /, '') }),
      (h: Record<string, unknown>) => ({ buildNumber: Buffer.from(String(h['x-api-key'])).toString('base64') }),
      (h: Record<string, unknown>) => ({ [String(h.authorization)]: 1, [String(h['x-api-key']).split(' ')[1]!]: 2 }),
      (h: Record<string, unknown>) => ({ buildNumber: `x${String(h['x-api-key']).split(' ')[1]}x` }),
    ];
    const server = await replica((n, req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(echoes[(n - 1) % echoes.length]!(req.headers)));
    });
    const junit = join(dir, 'echo.xml');
    const url = `http://user:${PASSWORD}@127.0.0.1:${server.port}`;
    const args = ['verify', ...FAST, '--interval', '10ms', '--timeout', '400ms', '--header', `X-Api-Key: Bearer ${TOKEN}`, '--junit', junit, url];
    const human = await whalekeeper(args, env);
    const json = await whalekeeper(['--json', ...args], env);
    expect(server.requests[0]!.headers.authorization).toBe(`Basic ${basic}`);
    expect(human.exitCode).toBe(1);
    const report = JSON.parse(json.stdout) as VerifyReport;
    // every echo was seen
    expect(report.replicas[0]!.timeline.length).toBeGreaterThanOrEqual(5);
    const everything = [human.stdout, human.stderr, json.stdout, json.stderr, await readFile(junit, 'utf8')].join('\n');
    for (const secret of [PASSWORD, TOKEN, basic, basic.replace(/=+$/, ''), Buffer.from(`Bearer ${TOKEN}`).toString('base64').slice(0, 20), 'tok3n']) {
      expect(everything).not.toContain(secret);
    }
    expect(human.stdout).toContain('Basic ***');
  });

  it('on SIGINT the reports are still written with the state so far, exit 130', async () => {
    const stale = await replica((_n, _req, res) => answerBuild(res, 208));
    const junit = join(dir, 'interrupted.xml');
    const child = execa('node', [BIN, '--json', 'verify', ...FAST, '--timeout', '60s', '--junit', junit, stale.url], { env, extendEnv: false, reject: false, stdin: 'ignore' });
    await new Promise<void>((resolve) => child.stderr!.on('data', (chunk: Buffer) => chunk.toString().includes('older') && resolve()));
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    const report = JSON.parse(String(result.stdout)) as VerifyReport;
    expect(report).toMatchObject({ exitCode: 130, interruptedBy: 'SIGINT' });
    expect(report.replicas[0]).toMatchObject({ status: 'pending', lastBuild: '208' });
    expect(await readFile(junit, 'utf8')).toContain('expected 209, last saw 208 (not verified when stopped)');
  });

  it('HTTP_PROXY is used as curl uses it, and NO_PROXY bypasses it', async () => {
    // the "proxy" answers itself: it only has to show it was asked for the target
    const proxy = await replica((_n, _req, res) => answerBuild(res, 209));
    const direct = await replica((_n, _req, res) => answerBuild(res, 209));
    const proxied = await verifyJson(['--timeout', '20s', '--direct', 'http://app.example.invalid:8080'], { http_proxy: proxy.url });
    expect(proxied.exitCode).toBe(0);
    expect(proxy.requests[0]!.url).toBe('http://app.example.invalid:8080/diagnostics');
    const bypassed = await verifyJson(['--timeout', '20s', '--direct', direct.url], { http_proxy: proxy.url, NO_PROXY: '127.0.0.1' });
    expect(bypassed.exitCode).toBe(0);
    const byRange = await verifyJson(['--timeout', '20s', '--direct', direct.url], { http_proxy: proxy.url, NO_PROXY: 'example.com,127.0.0.0/8' });
    expect(byRange.exitCode).toBe(0);
    expect(bypassed.exitCode).toBe(0);
    expect(direct.requests).toHaveLength(4);
    expect(proxy.requests).toHaveLength(2);
  });

  it('a redirect to another host is not credited to the replica; --follow-redirects-cross-host follows it and says so', async () => {
    const other = await replica((_n, _req, res) => answerBuild(res, 209));
    const redirecting = await replica((_n, req, res) => {
      if (req.url === '/v2/diagnostics') return answerBuild(res, 208);
      res.writeHead(302, { location: req.url === '/diagnostics' ? `${other.url}/diagnostics` : '/v2/diagnostics' });
      res.end();
    });
    const own = await verifyJson(['--timeout', '300ms', '--direct', '--header', 'X-Token: s3cret-token', redirecting.url]);
    expect(own.exitCode).toBe(3);
    expect(own.report.replicas[0]!.lastError).toBe(`HTTP 302 redirect to another origin, ${other.url}: not followed, a replica is verified by its own answer (--follow-redirects-cross-host)`);
    expect(other.requests).toHaveLength(0);
    const followed = await verifyJson(['--timeout', '20s', '--direct', '--follow-redirects-cross-host', '--header', 'X-Token: s3cret-token', redirecting.url]);
    expect(followed.exitCode).toBe(0);
    expect(followed.report.replicas[0]!.timeline.every((e) => e.detail === `build 209 (answered by ${other.url}, redirected to)`)).toBe(true);
    // the user's header stays with the replica's own origin
    expect(other.requests.every((r) => r.headers['x-token'] === undefined)).toBe(true);
    // a same-origin redirect is followed, with the header
    const sameOrigin = await verifyJson(['--timeout', '300ms', '--direct', '--header', 'X-Token: s3cret-token', `${redirecting.url}/old`]);
    expect(sameOrigin.exitCode).toBe(1);
    expect(redirecting.requests.filter((r) => r.url === '/v2/diagnostics').every((r) => r.headers['x-token'] === 's3cret-token')).toBe(true);
  });

  it('a --ca that is not a PEM certificate is a usage error at once (exit 2), not a TLS failure at the deadline', async () => {
    const key = join(dir, 'key.pem');
    await writeFile(key, '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n');
    const notKey = await whalekeeper(['verify', '--expect', '1', '--timeout', '1m', '--ca', key, 'https://127.0.0.1:1'], env);
    expect(notKey.exitCode).toBe(2);
    expect(notKey.stderr).toContain('holds no PEM certificate');
    const garbled = join(dir, 'garbled.pem');
    await writeFile(garbled, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const bad = await whalekeeper(['verify', '--expect', '1', '--timeout', '1m', '--ca', garbled, 'https://127.0.0.1:1'], env);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('holds a PEM block that is not a certificate');
  });

  it('"field missing" names the keys the body does have, and .NET spellings of --field are read', async () => {
    const server = await replica((_n, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Meta: { BuildNumber: 209, Commit: 'abc' }, Version: '1.2' }));
    });
    const missing = await verifyJson(['--timeout', '200ms', '--direct', '--field', 'buildNumber', server.url]);
    expect(missing.exitCode).toBe(3);
    expect(missing.report.replicas[0]!.lastError).toBe('no `buildNumber` in the body; the body has `Meta`, `Version`');
    for (const field of ['Meta__BuildNumber', 'Meta:BuildNumber', 'meta.buildnumber']) {
      expect((await verifyJson(['--timeout', '20s', '--direct', '--field', field, server.url])).exitCode).toBe(0);
    }
  });

  it('--help teaches the options and lists the exit codes', async () => {
    const help = await whalekeeper(['verify', '--help'], env);
    expect(help.exitCode).toBe(0);
    for (const text of ['--expect', '--all-addresses', '--direct', '--follow-redirects-cross-host', '--header-env', '--junit', 'Exit codes:', 'never gave a readable build', 'a pool']) {
      expect(help.stdout).toContain(text);
    }
  });

  it('usage errors exit 2: no --expect and no BUILD_NUMBER, a bad duration', async () => {
    const noBuild = await whalekeeper(['verify', 'http://127.0.0.1:1'], env);
    expect(noBuild.exitCode).toBe(2);
    expect(noBuild.stderr).toContain('--expect');
    const badDuration = await whalekeeper(['verify', '--expect', '1', '--timeout', 'soon', 'http://127.0.0.1:1'], env);
    expect(badDuration.exitCode).toBe(2);
    expect(badDuration.stderr).toContain('--timeout takes a duration');
    const fromBuildNumber = await whalekeeper(['--json', 'verify', '--timeout', '0s', '--request-timeout', '200ms', 'http://127.0.0.1:1'], { ...env, BUILD_NUMBER: '42' });
    expect(JSON.parse(fromBuildNumber.stdout).expect).toBe('42');
  });
});
