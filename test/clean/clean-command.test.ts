// `clean` end to end over an in-memory engine and disk: exit codes and the report's shape.
import { describe, expect, it } from 'vitest';
import { clean } from '../../src/commands/clean.js';
import { parseCleanArgs } from '../../src/core/clean/settings.js';
import { EngineApiVersionError, EngineUnreachableError, type EngineError } from '../../src/core/errors.js';
import type { WhalekeeperEvent } from '../../src/core/events.js';
import type { ContainerInfo, DiskMeasure } from '../../src/core/inventory.js';
import type { GlobalSettings } from '../../src/core/settings.js';
import type { Engine, RemoveOutcome } from '../../src/edge/engine.js';
import type { Disk } from '../../src/edge/disk.js';
import { renderReport } from '../../src/render/clean.js';
import { PLAIN } from '../../src/render/style.js';
import { container, fs, NOW } from '../core/fixtures.js';

const settings: GlobalSettings = {
  engine: { host: 'unix:///run/docker.sock', tls: undefined, source: 'default', passToClient: false },
  build: undefined, scope: undefined, verbose: false, json: true, dockerBinary: 'docker', stopTimeoutSeconds: 3, engineTimeoutSeconds: 10,
};

/** A data root a graph-driver engine (20.10) keeps here: its `image/` folder, no engine-id; statfs answers `measure`. */
function graphDriverDisk(measure: () => DiskMeasure): Disk {
  return {
    measure: async () => measure(),
    treeBytes: async () => ({ ok: false, reason: 'not used without --limit' }),
    readText: async () => undefined,
    exists: async (path) => path === '/var/lib/docker/image',
    sameFilesystem: async () => true,
    containerds: async () => [],
  };
}

function engineWith(containers: ContainerInfo[], answers: Record<string, RemoveOutcome>, log: string[]): Engine {
  return {
    host: settings.engine.host,
    info: async () => ({ dataRoot: '/var/lib/docker', serverVersion: '20.10', name: 'n', os: 'linux', id: '', imageStore: 'graphdriver', containerdAddress: '' }),
    containers: async () => containers,
    images: async () => [],
    tagTimes: async () => new Map(),
    volumes: async () => [],
    networks: async () => (log.push('networks'), []),
    df: async () => {
      const zero = { count: 0, bytes: 0, reclaimableBytes: 0 };
      return {
        usage: { images: zero, containers: zero, volumes: zero, buildCache: zero },
        sharedSize: new Map(), volumeSize: new Map(), containerSize: new Map(),
        buildCache: { totalBytes: 0, reclaimableBytes: 0, records: 0 },
      };
    },
    removeContainer: async (id) => {
      if (answers[id]?.status === 'failed' && answers[id].message === 'LOST') throw new EngineUnreachableError(settings.engine.host, 'ECONNRESET');
      return answers[id] ?? { status: 'removed' };
    },
    removeImage: async () => ({ status: 'removed' }),
    removeVolume: async () => ({ status: 'removed' }),
    removeNetwork: async (id) => (log.push(`rm network ${id}`), { status: 'removed' }),
    pruneBuildCache: async () => ({ status: 'removed' }),
    createNamedNetwork: async (name) => (log.push(`lock ${name}`), { status: 'created', id: `${name}-id` }),
    runReadOnly: async () => ({ ok: false, reason: 'not here' }),
    close: () => undefined,
  };
}

/** What a DaemonSet pod without the data root's mount sees: no engine-id, no image/ (the path is the container's own). */
const NOT_MOUNTED: Disk = { ...graphDriverDisk(() => ({ ok: false, reason: 'not read' })), exists: async () => false };

async function runClean(answers: Record<string, RemoveOutcome>, target = '90%', disk: Disk = graphDriverDisk(() => ({ ok: true, usage: fs(5000) }))): Promise<{ code: number | unknown; events: WhalekeeperEvent[]; log: string[] }> {
  const events: WhalekeeperEvent[] = [];
  const log: string[] = [];
  const code = await clean(parseCleanArgs({ agent: true, grace: '0', target }, undefined), {
    settings,
    output: { emit: (e) => events.push(e), addSecret: () => undefined },
    connect: () => engineWith([container('a'), container('b'), container('c')], answers, log),
    disk,
    now: () => NOW,
    sleep: async () => false,
    lockClaimant: { holder: 'h:1', isAlive: () => true },
    writeAtomically: async () => {
      throw new Error('clean without --prometheus writes no file');
    },
  }).catch((error: unknown) => error);
  return { code, events, log };
}

describe('clean (command)', () => {
  it('exits 0 when the only misses are races (404, 409), and counts them', async () => {
    const { code, events, log } = await runClean({ a: { status: 'vanished' }, b: { status: 'in-use', message: 'started' } });
    expect(code).toBe(0);
    const report = events.find((e) => e.type === 'clean-report');
    expect(report).toMatchObject({ report: { counts: { container: { removed: 1, vanished: 1, inUse: 1, failed: 0 } }, skipped: null } });
    // One list of the networks: the lock's look once created, which is also the inventory's.
    expect(log).toEqual(['lock whalekeeper-clean-lock', 'networks', 'rm network whalekeeper-clean-lock-id']);
  });

  it('exits 1 when the --target is not reached, saying what remains and why', async () => {
    const { code, events } = await runClean({}, '10%');
    expect(code).toBe(1);
    const report = events.find((e) => e.type === 'clean-report');
    expect(report).toMatchObject({ report: { counts: { container: { removed: 3 } }, target: { threshold: '10%', reached: false, remaining: { kept: 0, inUse: 0, failed: 0 } } } });
    expect(report?.type === 'clean-report' && report.report.target?.why).toMatch(/^nothing removable is left/);
  });

  it('a target not reached reads: how far above, why, and what remains grouped by reason', async () => {
    const { events } = await runClean({ b: { status: 'in-use', message: 'started' } }, '10%');
    const done = events.find((e) => e.type === 'clean-report');
    if (done?.type !== 'clean-report') throw new Error('no report');
    const kept = { ...done.plan, kept: [{ kind: 'container' as const, id: 'k', name: 'kube-x', owner: { kind: 'kubelet' as const, pod: 'p' }, reason: 'managed by the kubelet (io.kubernetes.* labels)' }] };
    const text = renderReport(done.report, kept, PLAIN);
    expect(text).toContain('Target 10%: not reached (5.0kB used, 4.0kB above it): nothing removable is left: what remains is 0 object(s) the rules keep');
    expect(text).toContain('1 that came into use meanwhile');
    expect(text).toContain('Remaining, kept:\n  1 container: managed by the kubelet (io.kubernetes.* labels) (`kube-x`)');
  });

  it('reports what it removed before an engine lost midway, then throws the loss (exit 3)', async () => {
    const { code: error, events, log } = await runClean({ b: { status: 'failed', message: 'LOST' } });
    expect(error).toBeInstanceOf(EngineUnreachableError);
    expect((error as EngineUnreachableError).exitCode).toBe(3);
    // a and c were under way when b found the engine gone; both answered.
    expect(events.find((e) => e.type === 'clean-report')).toMatchObject({
      report: { counts: { container: { removed: 2 } }, interrupted: { reason: expect.stringContaining('ECONNRESET'), notDone: 1 } },
    });
    expect(log).toContain('rm network whalekeeper-clean-lock-id');
  });

  it('exits 5 when the --target cannot be measured, after removing what it could, with a warning saying why', async () => {
    // A unix socket mounted without the data root: the engine's path holds nothing of it here.
    const { code, events } = await runClean({}, '10%', NOT_MOUNTED);
    expect(code).toBe(5);
    expect(events).toContainEqual({
      type: 'warning',
      message: expect.stringMatching(/^cannot measure the disk: the data root \/var\/lib\/docker is not visible here, and no busybox.* image is on the engine .*; --target\/--high cannot be applied$/),
    });
    expect(events.find((e) => e.type === 'clean-report')).toMatchObject({ report: { counts: { container: { removed: 3 } }, target: { reached: null } } });
  });

  it('exits 1 when a removal failed for another reason, after trying the rest', async () => {
    const { code, events } = await runClean({ a: { status: 'failed', message: 'driver failed to remove root filesystem' } });
    expect(code).toBe(1);
    expect(events.find((e) => e.type === 'clean-report')).toMatchObject({ report: { counts: { container: { removed: 2, failed: 1 } }, failures: [{ id: 'a' }] } });
  });
});

describe('clean --every when the engine cannot be spoken to', () => {
  /** Runs the loop over engines that fail as `failures` says (undefined: a working round), up to `rounds` rounds. */
  async function loop(failures: (EngineError | undefined)[], rounds: number, gapMs: number): Promise<{ code: number | undefined; error: unknown; lines: string[] }> {
    const lines: string[] = [];
    let round = 0;
    let clock = NOW;
    let code: number | undefined;
    let error: unknown;
    try {
      code = await clean(parseCleanArgs({ agent: true, grace: '0', every: '1s' }, undefined), {
        settings,
        output: { emit: (e) => e.type === 'clean-round' && lines.push(`${e.round}: ${e.summary}`), addSecret: () => undefined },
        connect: () => {
          const failure = failures[round];
          const engine = engineWith([], {}, []);
          return failure ? { ...engine, info: async () => Promise.reject(failure) } : engine;
        },
        disk: graphDriverDisk(() => ({ ok: true, usage: fs(5000) })),
        now: () => clock,
        sleep: async () => ((clock += gapMs), ++round < rounds),
        lockClaimant: { holder: 'h:1', isAlive: () => true },
        writeAtomically: async () => {
          throw new Error('clean without --prometheus writes no file');
        },
      });
    } catch (caught) {
      error = caught;
    }
    return { code, error, lines };
  }
  const refused = new EngineApiVersionError('unix:///run/docker.sock', 'the Docker engine at unix:///run/docker.sock refuses Engine API 1.41');
  const silent = new EngineUnreachableError('unix:///run/docker.sock', 'ECONNREFUSED');

  it('a round with --high whose disk cannot be measured is a failed round in the metrics, and the loop goes on', async () => {
    const lines: string[] = [];
    const files: string[] = [];
    let round = 0;
    const code = await clean(parseCleanArgs({ agent: true, grace: '0', every: '1s', high: '80%', prometheus: '/m/whalekeeper.prom' }, undefined), {
      settings,
      output: { emit: (e) => e.type === 'clean-round' && lines.push(`${e.round}: ${e.summary}`), addSecret: () => undefined },
      connect: () => engineWith([], {}, []),
      disk: NOT_MOUNTED,
      now: () => NOW,
      sleep: async () => ++round < 2,
      lockClaimant: { holder: 'h:1', isAlive: () => true },
      writeAtomically: async (_path, text) => void files.push(text),
    });
    expect(code).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(/^1: removed 0 containers.*; disk not measured: the data root \/var\/lib\/docker is not visible here, and no busybox/),
      expect.stringMatching(/^2: removed 0 containers.*; disk not measured: /),
    ]);
    expect(files.at(-1)).toMatch(/^whalekeeper_clean_rounds_total\{[^}]*result="failed"\} 2$/m);
    expect(files.at(-1)).toMatch(/^whalekeeper_clean_rounds_total\{[^}]*result="idle"\} 0$/m);
  });

  it('a refused version fails 3 rounds in a row, then the loop ends with exit 4, saying so each round', async () => {
    const { code, error, lines } = await loop([refused, refused, refused, refused], 10, 1000);
    expect(code).toBeUndefined();
    expect(error).toMatchObject({ exitCode: 4, message: expect.stringMatching(/^clean --every stops after 3 failed rounds in a row: the Docker engine .* refuses Engine API 1\.41/) });
    expect(lines).toEqual([
      expect.stringMatching(/^1: failed \(1 in a row; exits at 3\): the Docker engine/),
      expect.stringMatching(/^2: failed \(2 in a row; exits at 3\): /),
      expect.stringMatching(/^3: failed \(3 in a row, giving up\): /),
    ]);
  });

  it('a round that works resets the count', async () => {
    const { code, lines } = await loop([refused, refused, undefined, refused, refused], 5, 1000);
    expect(code).toBe(0);
    expect(lines.map((l) => /failed/.test(l))).toEqual([true, true, false, true, true]);
  });

  it('a silent engine (restarting) does not end the loop within 5 minutes, and ends it after', async () => {
    const short = await loop(Array(20).fill(silent), 20, 1000);
    expect(short.code).toBe(0);
    expect(short.lines.at(-1)).toMatch(/^20: failed \(20 in a row; exits at 3 and 5 min without an answer\): cannot reach/);
    const long = await loop(Array(20).fill(silent), 20, 600_000);
    expect(long.error).toMatchObject({ exitCode: 3 });
    expect(long.lines).toHaveLength(3);
  });
});
