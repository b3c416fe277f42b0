// `whalekeeper verify` against containers of the seed-shaped service on the private engine (--network host).
import { execa } from 'execa';
import { beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import type { VerifyReport } from '../../src/core/verify/report.js';
import { BIN, cleanEnv, docker, whalekeeper } from '../helpers/cli.js';
import { freePort } from '../helpers/http-replica.js';

const host = inject('dockerHost');
const env = cleanEnv(host);
const SERVICE = new URL('../fixtures/service', import.meta.url).pathname;
const FAST = ['--interval', '100ms', '--request-timeout', '2s', '--expect', '209'];

/** Builds the service image for a build number, as a pipeline would (BUILD_NUMBER as a build arg). */
async function buildService(build: number): Promise<string> {
  const tag = `wk-verify-service:${build}`;
  await execa('docker', ['build', '-q', '--build-arg', `BUILD_NUMBER=${build}`, '-t', tag, SERVICE], {
    env: { DOCKER_HOST: host, DOCKER_BUILDKIT: '0' },
    stdin: 'ignore',
  });
  return tag;
}

/** Starts a replica of build `build` listening on `port`; removed when the test ends. */
async function startService(build: number, port: number): Promise<string> {
  const id = await docker(host, ['run', '-d', '--rm', '--network', 'host', '-e', `PORT=${port}`, `wk-verify-service:${build}`]);
  onTestFinished(async () => void (await docker(host, ['rm', '-f', id]).catch(() => '')));
  return id;
}

beforeAll(async () => {
  await Promise.all([buildService(208), buildService(209)]);
});

describe('whalekeeper verify against the seed-shaped service (one engine: verify speaks HTTP to the replicas, not to the engine, which only hosts them)', () => {
  it('a rollout: the old replica is replaced while verify waits; exit 0 once every replica answers 209', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    await startService(209, p1);
    const old = await startService(208, p2);
    const child = execa('node', [BIN, '--json', 'verify', ...FAST, '--timeout', '60s', `http://127.0.0.1:${p1}`, `http://127.0.0.1:${p2}`], {
      env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    // when verify has seen the old build, the deploy replaces that replica
    await new Promise<void>((resolve) => child.stderr!.on('data', (chunk: Buffer) => chunk.toString().includes('"outcome":"older"') && resolve()));
    await docker(host, ['rm', '-f', old]);
    await startService(209, p2);
    const result = await child;
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(String(result.stdout)) as VerifyReport;
    expect(report.replicas.map((r) => [r.status, r.lastBuild])).toEqual([
      ['verified', '209'],
      ['verified', '209'],
    ]);
    expect(report.replicas[1]!.timeline[0]!.outcome).toBe('older');
  });

  it('a replica left on the old build: exit 1 at the deadline, named', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    await startService(209, p1);
    await startService(208, p2);
    // the services take a moment to listen: refused attempts are retried until the deadline
    const result = await whalekeeper(['verify', ...FAST, '--timeout', '2s', `http://127.0.0.1:${p1}`, `http://127.0.0.1:${p2}`], env);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`answered another build than 209: http://127\\.0\\.0\\.1:${p2}/diagnostics \\(build 208 ×\\d+\\)`));
  });
});
