// The executor against an in-memory engine: races are counted, failures do not stop the run, --target stops once reached.
import { describe, expect, it } from 'vitest';
import { executePlan } from '../../src/commands/clean-execute.js';
import { planCleanup } from '../../src/core/clean/plan.js';
import type { WhalekeeperEvent } from '../../src/core/events.js';
import { EngineUnreachableError } from '../../src/core/errors.js';
import { removeOutcome, type Engine, type RemoveOutcome } from '../../src/edge/engine.js';
import { agentPolicy, container, fs, image, inventory, NOW } from '../core/fixtures.js';

/** An engine whose removals answer from a table and free `bytes` each from a simulated filesystem. */
function fakeEngine(answers: Record<string, RemoveOutcome>, disk: { used: number }, bytes: Record<string, number> = {}): Engine & { calls: string[] } {
  const calls: string[] = [];
  const remove = async (id: string): Promise<RemoveOutcome> => {
    calls.push(id);
    const answer = answers[id] ?? { status: 'removed' };
    if (answer.status === 'removed') disk.used -= bytes[id] ?? 0;
    return answer;
  };
  const unused = (): never => {
    throw new Error('not used by the executor');
  };
  return {
    calls,
    host: 'fake',
    info: unused, containers: unused, images: unused, tagTimes: unused, volumes: unused, networks: unused, df: unused, runReadOnly: unused, createNamedNetwork: unused,
    removeContainer: (id) => remove(id),
    removeImage: (id) => remove(id),
    removeVolume: (id) => remove(id),
    removeNetwork: (id) => remove(id),
    pruneBuildCache: () => remove('build-cache'),
    close: () => undefined,
  };
}

/** An engine lost after `after` removals: every later request fails as an unreachable engine does. */
function losingEngine(after: number): Engine & { calls: string[] } {
  const engine = fakeEngine({}, { used: 0 });
  const removeContainer = engine.removeContainer;
  return {
    ...engine,
    removeContainer: async (id, options) => {
      if (engine.calls.length >= after) throw new EngineUnreachableError('unix:///x.sock', 'ECONNRESET');
      return removeContainer(id, options);
    },
  };
}

function collect(): { emit: (e: WhalekeeperEvent) => void; addSecret: () => void; events: WhalekeeperEvent[] } {
  const events: WhalekeeperEvent[] = [];
  return { emit: (e) => events.push(e), addSecret: () => undefined, events };
}

describe('executePlan', () => {
  it('counts 404 and 409 as races, reports other failures and carries on', async () => {
    const plan = planCleanup(inventory({ containers: ['a', 'b', 'c', 'd'].map((id) => container(id)) }), agentPolicy(), undefined, NOW);
    const engine = fakeEngine({ a: { status: 'vanished' }, b: { status: 'in-use', message: 'running' }, c: { status: 'failed', message: 'driver error' } }, { used: 0 });
    const output = collect();
    const { results, lost } = await executePlan(plan, engine, async () => undefined, output);
    expect(lost).toBeUndefined();
    expect(results.map((r) => [r.action.id, r.status])).toEqual([['a', 'vanished'], ['b', 'in-use'], ['c', 'failed'], ['d', 'removed']]);
    expect(output.events).toMatchObject([{ type: 'clean-failed', message: 'driver error' }]);
  });

  it('stops at an engine lost midway, with what it removed before and the error', async () => {
    const plan = planCleanup(inventory({ containers: Array.from({ length: 40 }, (_, i) => container(`c${i}`)), images: [image('sha256:1', { tags: [] })] }), agentPolicy(), undefined, NOW);
    const engine = losingEngine(5);
    const { results, lost } = await executePlan(plan, engine, async () => undefined, collect());
    expect(lost).toBeInstanceOf(EngineUnreachableError);
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('removed'));
    // Concurrent removals already under way fail too; none is started after the loss is known, the images' wave neither.
    expect(engine.calls).toHaveLength(5);
    expect(engine.calls).not.toContain('sha256:1');
  });

  it('removes target images one at a time, measuring before each, and stops once at the target', async () => {
    const images = ['sha256:1', 'sha256:2', 'sha256:3'].map((id, i) => image(id, { tags: [`i:${i}`], createdMs: NOW - (500 - i) * 3_600_000, sizeBytes: 1000 }));
    const disk = { used: 9000 };
    const plan = planCleanup(inventory({ images }), agentPolicy({ target: { kind: 'bytes', bytes: 7500 } }), fs(disk.used), NOW);
    const engine = fakeEngine({}, disk, { 'sha256:1': 1000, 'sha256:2': 1000, 'sha256:3': 1000 });
    const output = collect();
    const { results } = await executePlan(plan, engine, async () => fs(disk.used), output);
    expect(engine.calls).toEqual(['sha256:1', 'sha256:2']);
    expect(results.map((r) => r.status)).toEqual(['removed', 'removed', 'not-needed']);
    expect(output.events.map((e) => e.type === 'clean-measure' && e.reached)).toEqual([false, false, true]);
  });

  it('keeps going past the estimate while the filesystem is still above the target', async () => {
    const images = ['sha256:1', 'sha256:2'].map((id, i) => image(id, { tags: [`i:${i}`], createdMs: NOW - (500 - i) * 3_600_000, sizeBytes: 1000 }));
    const disk = { used: 9000 };
    const plan = planCleanup(inventory({ images }), agentPolicy({ target: { kind: 'bytes', bytes: 8500 } }), fs(disk.used), NOW);
    expect(plan.actions.map((a) => a.expected)).toEqual([true, false]);
    // The engine's figure said 1000 bytes; the filesystem freed only 300.
    const engine = fakeEngine({}, disk, { 'sha256:1': 300, 'sha256:2': 1000 });
    await executePlan(plan, engine, async () => fs(disk.used), collect());
    expect(engine.calls).toEqual(['sha256:1', 'sha256:2']);
  });
});

// The engine's answers as moby gives them (daemon/delete.go: a Conflict while another removal of the container runs).
describe('removeOutcome', () => {
  it.each([
    [204, undefined, { status: 'removed' }],
    [404, { message: 'No such container: x' }, { status: 'vanished' }],
    [409, { message: 'removal of container 0123abcd is already in progress' }, { status: 'vanished' }],
    [409, { message: 'You cannot remove a running container 0123abcd. Stop the container before attempting removal or force remove' }, { status: 'in-use', message: 'You cannot remove a running container 0123abcd. Stop the container before attempting removal or force remove' }],
    [409, { message: 'conflict: unable to delete 0123 (cannot be forced) - image is being used by running container 4567' }, { status: 'in-use', message: 'conflict: unable to delete 0123 (cannot be forced) - image is being used by running container 4567' }],
    [500, { message: 'unrecognized image ID sha256:7d2c18025c2d' }, { status: 'vanished' }],
    [403, { message: 'error while removing network: network n id 1 has active endpoints' }, { status: 'in-use', message: 'error while removing network: network n id 1 has active endpoints' }],
    [500, { message: 'driver failed to remove root filesystem' }, { status: 'failed', message: 'driver failed to remove root filesystem' }],
  ])('%i %j -> %j', (status, body, expected) => {
    expect(removeOutcome({ status, body })).toEqual(expected);
  });
});
