// clean against a real private engine that misbehaves: two cleans at once, an engine lost midway, a slow engine,
// and a container started between the plan and its execution.
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clean } from '../../src/commands/clean.js';
import { parseCleanArgs } from '../../src/core/clean/settings.js';
import type { WhalekeeperEvent } from '../../src/core/events.js';
import { resolveGlobals } from '../../src/core/settings.js';
import { mapPool } from '../../src/core/pool.js';
import { createDisk } from '../../src/edge/disk.js';
import { createEngine, ENGINE_CONCURRENCY } from '../../src/edge/engine.js';
import { lockClaimant } from '../../src/edge/process-identity.js';
import { cleanEnv, containerIds, docker, whalekeeper } from '../helpers/cli.js';
import { startEngine, TEST_IMAGE, type PrivateEngine } from '../helpers/engine.js';
import { startEngineProxy } from '../helpers/fake-engine.js';

let engine: PrivateEngine;
let socketPath: string;

beforeAll(async () => {
  engine = await startEngine('engine-faults', '512M');
  socketPath = engine.host.replace(/^unix:\/\//, '');
}, 120_000);

// Each test starts from an engine with no container and no network of its own (this file's engine alone).
beforeEach(async () => {
  const ids = await containerIds(engine.host);
  if (ids.length > 0) await docker(engine.host, ['rm', '-f', ...ids]);
  await docker(engine.host, ['network', 'prune', '-f']);
});

afterAll(async () => {
  if (process.env.WK_ENGINE_KEEP !== '1') await engine?.stop();
});

/** One Engine API call to the private engine; the answer's status and JSON body. */
function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ socketPath, method, path, headers: payload === undefined ? {} : { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Creates `n` containers (never started) of the test image, concurrently; their ids. */
async function createContainers(n: number, cmd: string[] = ['true']): Promise<string[]> {
  return mapPool(Array.from({ length: n }, (_, i) => i), 16, async () => {
    const created = await api('POST', '/containers/create', { Image: TEST_IMAGE, Cmd: cmd, HostConfig: { NetworkMode: 'none' } });
    expect(created.status).toBe(201);
    return (created.body as { Id: string }).Id;
  });
}

/** Creates `n` unused networks. */
async function createNetworks(n: number): Promise<void> {
  await mapPool(Array.from({ length: n }, (_, i) => i), 8, async (i) => {
    expect((await api('POST', '/networks/create', { Name: `wk-faults-${i}-${Date.now()}`, Driver: 'bridge', Internal: true })).status).toBe(201);
  });
}

async function networkCount(): Promise<number> {
  return ((await api('GET', '/networks')).body as { Name: string }[]).filter((n) => !['bridge', 'host', 'none'].includes(n.Name)).length;
}

interface Counts { removed: number; vanished: number; inUse: number; failed: number; notNeeded: number }

describe('two agent cleans at once', () => {
  it('over 200 containers and 20 networks: their "removed" add up to what existed, each object counted once', async () => {
    await createContainers(200);
    await createNetworks(20);
    expect(await containerIds(engine.host)).toHaveLength(200);
    const networks = await networkCount();
    const args = ['--json', 'clean', '--agent', '--grace', '0'];
    const reports = await Promise.all([whalekeeper(args, cleanEnv(engine.host)), whalekeeper(args, cleanEnv(engine.host))]);
    expect(reports.map((r) => [r.exitCode, r.stderr])).toEqual([[0, ''], [0, '']]);
    const counts = reports.map((r) => JSON.parse(r.stdout).report.counts as Record<string, Counts>);
    const sum = (kind: string, field: keyof Counts): number => counts[0]![kind]![field] + counts[1]![kind]![field];
    expect(await containerIds(engine.host)).toEqual([]);
    expect(await networkCount()).toBe(0);
    // Every object is counted by exactly one of the two (the engine itself may answer 204 to both DELETEs of one
    // container: here 288 of 200 were counted before the cleans took turns).
    expect(sum('container', 'removed')).toBe(200);
    expect(sum('network', 'removed')).toBe(networks);
    expect(sum('container', 'inUse') + sum('network', 'inUse')).toBe(0);
  }, 120_000);
});

describe('removals over kept-alive connections', () => {
  it('80 removals reuse at most ENGINE_CONCURRENCY connections of their own, not one each', async () => {
    await createContainers(80);
    const proxy = await startEngineProxy(socketPath);
    try {
      const result = await whalekeeper(['--json', 'clean', '--agent', '--grace', '0'], cleanEnv(proxy.host));
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout).report.counts.container.removed).toBe(80);
      expect(proxy.removalsPassed()).toBe(80);
      // The removals' connections, and those of the reads before them (as many again at most).
      expect(proxy.connections()).toBeLessThanOrEqual(2 * ENGINE_CONCURRENCY);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});

describe('one image removed by two Engines at once', () => {
  it('counts as removed by exactly one: the one whose answer lists it as Deleted', async () => {
    const source = (await createContainers(1))[0]!;
    const committed = await api('POST', `/commit?container=${source}&repo=wk-faults/twice&tag=a`);
    expect(committed.status).toBe(201);
    const id = (committed.body as { Id: string }).Id;
    await docker(engine.host, ['tag', 'wk-faults/twice:a', 'wk-faults/twice:b']);
    await docker(engine.host, ['rm', source]);
    const settings = resolveGlobals({}, { DOCKER_HOST: engine.host }, undefined, '/root');
    const [one, two] = [createEngine(settings.engine), createEngine(settings.engine)];
    try {
      const outcomes = await Promise.all([one, two].map((e) => e.removeImage(id, ['wk-faults/twice:a', 'wk-faults/twice:b'])));
      expect(outcomes.map((o) => o.status).sort(), JSON.stringify(outcomes)).toEqual(['removed', 'vanished']);
      expect((await api('GET', `/images/${id}/json`)).status).toBe(404);
    } finally {
      one.close();
      two.close();
    }
  });
});

describe('an engine lost midway', () => {
  it('reports the removals it did before the loss, then exits 3 with one line', async () => {
    await createContainers(120);
    const proxy = await startEngineProxy(socketPath, { loseAfterRemovals: 40 });
    try {
      const result = await whalekeeper(['--json', 'clean', '--agent', '--grace', '0'], cleanEnv(proxy.host));
      expect(result.exitCode).toBe(3);
      const report = JSON.parse(result.stdout).report;
      expect(report.counts.container.removed).toBe(proxy.removalsPassed());
      expect(proxy.removalsPassed()).toBe(40);
      expect(report.interrupted.notDone).toBe(120 - 40 - report.counts.container.vanished - report.counts.container.inUse - report.counts.container.failed);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`cannot reach the Docker engine at ${proxy.host}`);
      // The engine carried out at least what was reported (and perhaps removals whose answers it never sent).
      expect((await containerIds(engine.host)).length).toBeLessThanOrEqual(120 - 40);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('human output says so too, after the counts', async () => {
    await createContainers(30);
    const proxy = await startEngineProxy(socketPath, { loseAfterRemovals: 10 });
    try {
      const result = await whalekeeper(['clean', '--agent', '--grace', '0'], cleanEnv(proxy.host));
      expect(result.exitCode).toBe(3);
      expect(result.stdout).toMatch(/container\s+10\s/);
      expect(result.stdout).toMatch(/stopped: cannot reach the Docker engine at .* planned removal\(s\) not done/);
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

describe('a slow engine', () => {
  it('is waited for: answers within --engine-timeout, and removals slower than it (a long operation)', async () => {
    await createContainers(3);
    const proxy = await startEngineProxy(socketPath, { delayMs: (method) => (method === 'DELETE' ? 1500 : 300) });
    try {
      const result = await whalekeeper(['--engine-timeout', '1', '--json', 'clean', '--agent', '--grace', '0'], cleanEnv(proxy.host));
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout).report.counts.container.removed).toBe(3);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});

describe('an engine that stops answering during the removals', () => {
  it('is given up on within twice --engine-timeout (its pings go unanswered), not after the 120 s a removal may take', async () => {
    await createContainers(3);
    let removing = false;
    const proxy = await startEngineProxy(socketPath, {
      hung: (method, path) => {
        if (method === 'DELETE' && path.includes('/containers/')) removing = true;
        return removing;
      },
    });
    try {
      const result = await whalekeeper(['--engine-timeout', '1', '--json', 'clean', '--agent', '--grace', '0'], cleanEnv(proxy.host));
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain('no answer to a ping within 1 s while a long operation ran, --engine-timeout');
      expect(JSON.parse(result.stdout).report.interrupted.notDone).toBe(3);
    } finally {
      await proxy.close();
    }
  }, 30_000);
});

describe('a container started between the plan and its execution', () => {
  it('is refused by the engine (409), kept running and reported in use: removals are never forced', async () => {
    const [late, other] = await createContainers(2, ['sleep', '300']);
    const settings = resolveGlobals({ json: true }, { DOCKER_HOST: engine.host }, undefined, '/root');
    const events: WhalekeeperEvent[] = [];
    const code = await clean(parseCleanArgs({ agent: true, grace: '0' }, undefined), {
      settings,
      output: { emit: (e) => events.push(e), addSecret: () => undefined },
      connect: () => createEngine(settings.engine),
      disk: createDisk(),
      now: Date.now,
      sleep: async () => false,
      lockClaimant: lockClaimant(),
      writeAtomically: async () => {
        throw new Error('clean without --prometheus writes no file');
      },
      // The seam: the plan holds both created containers; one is started before any removal.
      beforeExecute: async (plan) => {
        expect(plan.actions.filter((a) => a.kind === 'container').map((a) => a.id).sort()).toEqual([late, other].sort());
        expect((await api('POST', `/containers/${late}/start`)).status).toBe(204);
      },
    });
    expect(code).toBe(0);
    const report = events.find((e) => e.type === 'clean-report');
    expect(report).toMatchObject({ report: { counts: { container: { removed: 1, inUse: 1, vanished: 0, failed: 0 } } } });
    expect(await docker(engine.host, ['inspect', '-f', '{{.State.Status}}', late!])).toBe('running');
    expect(await containerIds(engine.host)).toEqual([late]);
  }, 60_000);
});
