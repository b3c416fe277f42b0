// `whalekeeper verify` through real load balancers on loopback (Debian's nginx and haproxy, round-robin) in front of
// Node replicas whose build can be switched: a URL that stands for several replicas is a pool, never a false success.
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../src/core/verify/report.js';
import { BIN, cleanEnv, whalekeeper } from '../helpers/cli.js';
import { answerBuild, startReplica, type ReplicaServer } from '../helpers/http-replica.js';
import { startHaproxy, startNginx, type LoadBalancer } from '../helpers/load-balancer.js';

const env = cleanEnv('unix:///nonexistent.sock');
/** Short polls keep these trials quick; no assertion depends on a duration. */
const FAST = ['--json', 'verify', '--expect', '209', '--interval', '20ms', '--request-timeout', '2s'];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A replica whose build a test switches, as a rollout replaces a pod. */
interface Switchable {
  build: number;
  server: ReplicaServer;
  /** Stops listening (the pod goes away). */
  away(): Promise<void>;
  /** Listens again on the same port, answering `build` (the pod comes back). */
  back(build: number): Promise<void>;
}

async function replicas(builds: readonly number[]): Promise<Switchable[]> {
  const all = await Promise.all(
    builds.map(async (build) => {
      const r: Switchable = {
        build,
        server: undefined as unknown as ReplicaServer,
        away: async () => r.server.close(),
        back: async (b) => {
          r.build = b;
          r.server = await startReplica((_n, _req, res) => answerBuild(res, r.build), r.server.port);
        },
      };
      r.server = await startReplica((_n, _req, res) => answerBuild(res, r.build));
      return r;
    }),
  );
  cleanups.push(async () => void (await Promise.all(all.map((r) => r.server.close()))));
  return all;
}

async function balancer(start: (ports: number[]) => Promise<LoadBalancer>, rs: readonly Switchable[]): Promise<LoadBalancer> {
  const lb = await start(rs.map((r) => r.server.port));
  cleanups.push(() => lb.stop());
  return lb;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts verify and resolves once its progress lines (JSON, on stderr) contain `text`: it is polling by then. */
async function verifyUntil(args: readonly string[], text: string) {
  const child = execa('node', [BIN, ...FAST, ...args], { env, extendEnv: false, reject: false, stdin: 'ignore' });
  let seen = '';
  await new Promise<void>((resolve) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    });
    void child.then(() => resolve());
  });
  // wrapped: an async function returning the child (a thenable) would wait for it to end
  return { child };
}

describe.each([
  ['nginx', startNginx],
  ['haproxy', startHaproxy],
] as const)('verify through %s (round-robin over Node replicas)', (_name, start) => {
  it('one stale replica of 3 (209, 209, 208): never exit 0 in 10 trials; exit 1 each time, naming both builds', async () => {
    const lb = await balancer(start, await replicas([209, 209, 208]));
    const codes: (number | undefined)[] = [];
    for (let trial = 0; trial < 10; trial++) {
      const result = await whalekeeper([...FAST, '--timeout', '300ms', lb.url], env);
      codes.push(result.exitCode);
      const report = JSON.parse(result.stdout) as VerifyReport;
      expect(report.replicas[0]).toMatchObject({ kind: 'pool', status: 'wrong' });
      expect(report.replicas[0]!.answers.map((a) => a.build).sort()).toEqual(['208', '209']);
      expect(report.summary).toMatch(/build 209 ×\d+, 208 ×\d+, a pool/);
    }
    expect(codes).toEqual(Array<number>(10).fill(1));
  });

  it('a rolling update (208 → 209, one replica at a time): never verified before the last switch, verified after it', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const rs = await replicas([208, 208, 208]);
      const lb = await balancer(start, rs);
      const { child } = await verifyUntil(['--timeout', '30s', lb.url], '"outcome":"older"');
      for (const r of rs) {
        await sleep(200);
        // before each switch, the last one included, verify is still waiting
        expect(child.exitCode).toBeNull();
        r.build = 209;
      }
      const switched = performance.now();
      const result = await child;
      const report = JSON.parse(String(result.stdout)) as VerifyReport;
      expect(result.exitCode).toBe(0);
      expect(report.replicas[0]).toMatchObject({ kind: 'pool', status: 'verified' });
      expect(report.replicas[0]!.answers.find((a) => a.build === '208')?.count).toBeGreaterThan(0);
      // how long after the last switch the rollout was verified (a figure for the report, not an assertion)
      console.log(`verify via ${lb.name}: rollout verified ${Math.round(performance.now() - switched)} ms after the last switch, ${report.replicas[0]!.attempts} answers`);
      while (cleanups.length > 0) await cleanups.pop()!();
    }
  });

  it('a replica that goes away and comes back on the new build: verified, exit 0', async () => {
    const rs = await replicas([209, 209, 209]);
    const lb = await balancer(start, rs);
    await rs[2]!.away();
    // nginx passes its turn to another replica (the pool answers 209 only); haproxy answers 503 for it
    const { child } = await verifyUntil(['--timeout', '30s', lb.url], lb.name === 'haproxy' ? '"outcome":"not-ready"' : '"outcome":"match"');
    await sleep(100);
    await rs[2]!.back(209);
    const result = await child;
    expect(result.exitCode).toBe(0);
    const pool = (JSON.parse(String(result.stdout)) as VerifyReport).replicas[0]!;
    expect(pool).toMatchObject({ kind: 'pool', status: 'verified', answers: [{ build: '209', count: expect.any(Number) }] });
    if (lb.name === 'haproxy') expect(pool.timeline.some((e) => e.outcome === 'not-ready')).toBe(true);
  });
});

describe('verify through haproxy: a stale replica that goes away and comes back', () => {
  it('while it is away haproxy answers 503 for its turn, so no run is long enough; back on 208, it is a wrong build (exit 1)', async () => {
    const rs = await replicas([209, 209, 208]);
    const lb = await balancer(startHaproxy, rs);
    const { child } = await verifyUntil(['--timeout', '3s', lb.url], '"outcome":"older"');
    await rs[2]!.away();
    await sleep(400);
    await rs[2]!.back(208);
    const result = await child;
    expect(result.exitCode).toBe(1);
    const pool = (JSON.parse(String(result.stdout)) as VerifyReport).replicas[0]!;
    expect(pool.status).toBe('wrong');
    expect(pool.timeline.some((e) => e.outcome === 'not-ready')).toBe(true);
  });
});
