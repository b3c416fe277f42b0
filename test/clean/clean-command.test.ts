// `clean` end to end over an in-memory engine and disk: exit codes and the report's shape.
import { describe, expect, it } from 'vitest';
import { clean } from '../../src/commands/clean.js';
import { parseCleanArgs } from '../../src/core/clean-settings.js';
import type { WhalekeeperEvent } from '../../src/core/events.js';
import type { ContainerInfo } from '../../src/core/inventory.js';
import type { GlobalSettings } from '../../src/core/settings.js';
import type { Engine, RemoveOutcome } from '../../src/edge/engine.js';
import { container, fs, NOW } from '../core/fixtures.js';

const settings: GlobalSettings = {
  engine: { host: 'unix:///run/docker.sock', tls: undefined, source: 'default', passToClient: false },
  build: undefined, scope: undefined, verbose: false, json: true, dockerBinary: 'docker', stopTimeoutSeconds: 3, engineTimeoutSeconds: 10,
};

function engineWith(containers: ContainerInfo[], answers: Record<string, RemoveOutcome>, log: string[]): Engine {
  return {
    host: settings.engine.host,
    info: async () => ({ dataRoot: '/var/lib/docker', serverVersion: '20.10', name: 'n', os: 'linux' }),
    containers: async () => containers,
    images: async () => [],
    tagTimes: async () => new Map(),
    volumes: async () => [],
    networks: async () => [],
    df: async () => {
      const zero = { count: 0, bytes: 0, reclaimableBytes: 0 };
      return {
        usage: { images: zero, containers: zero, volumes: zero, buildCache: zero },
        sharedSize: new Map(), volumeSize: new Map(), containerSize: new Map(),
        buildCache: { totalBytes: 0, reclaimableBytes: 0, records: 0 },
      };
    },
    removeContainer: async (id) => answers[id] ?? { status: 'removed' },
    removeImage: async () => ({ status: 'removed' }),
    removeVolume: async () => ({ status: 'removed' }),
    removeNetwork: async (id) => (log.push(`rm network ${id}`), { status: 'removed' }),
    pruneBuildCache: async () => ({ status: 'removed' }),
    createNamedNetwork: async (name) => (log.push(`lock ${name}`), { status: 'created', id: `${name}-id` }),
    runReadOnly: async () => ({ ok: false, reason: 'not here' }),
    close: () => undefined,
  };
}

async function runClean(answers: Record<string, RemoveOutcome>): Promise<{ code: number; events: WhalekeeperEvent[]; log: string[] }> {
  const events: WhalekeeperEvent[] = [];
  const log: string[] = [];
  const code = await clean(parseCleanArgs({ agent: true, grace: '0', target: '90%' }, undefined), {
    settings,
    output: { emit: (e) => events.push(e), addSecret: () => undefined },
    connect: () => engineWith([container('a'), container('b'), container('c')], answers, log),
    disk: { measure: async () => ({ ok: true, usage: fs(5000) }) },
    now: () => NOW,
    sleep: async () => false,
    lockClaimant: { holder: 'h:1', isAlive: () => true },
  });
  return { code, events, log };
}

describe('clean (command)', () => {
  it('exits 0 when the only misses are races (404, 409), and counts them', async () => {
    const { code, events, log } = await runClean({ a: { status: 'vanished' }, b: { status: 'in-use', message: 'started' } });
    expect(code).toBe(0);
    const report = events.find((e) => e.type === 'clean-report');
    expect(report).toMatchObject({ report: { counts: { container: { removed: 1, vanished: 1, inUse: 1, failed: 0 } }, skipped: null } });
    expect(log).toEqual(['lock whalekeeper-clean-lock', 'rm network whalekeeper-clean-lock-id']);
  });

  it('exits 1 when a removal failed for another reason, after trying the rest', async () => {
    const { code, events } = await runClean({ a: { status: 'failed', message: 'driver failed to remove root filesystem' } });
    expect(code).toBe(1);
    expect(events.find((e) => e.type === 'clean-report')).toMatchObject({ report: { counts: { container: { removed: 2, failed: 1 } }, failures: [{ id: 'a' }] } });
  });
});
