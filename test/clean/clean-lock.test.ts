// The engine-wide clean lock: taken, held, taken over when stale; always removed by id, never by name.
import { describe, expect, it } from 'vitest';
import { LOCK_HOLDER_LABEL, LOCK_STALE_MS, takeCleanLock } from '../../src/commands/clean-lock.js';
import type { NetworkInfo } from '../../src/core/inventory.js';
import type { Engine } from '../../src/edge/engine.js';

type Answer = Awaited<ReturnType<Engine['createNamedNetwork']>>;

/** An engine whose createNamedNetwork answers from a script, recording every call; `listed` is what it lists. */
function engineAnswering(answers: Answer[], listed: NetworkInfo[] = []) {
  const log: string[] = [];
  const engine = {
    networks: async () => listed,
    createNamedNetwork: async () => {
      log.push('create');
      return answers.shift()!;
    },
    removeNetwork: async (id: string) => {
      log.push(`remove ${id}`);
      return { status: 'removed' as const };
    },
  } as unknown as Engine;
  return { engine, log };
}

const claimant = (alive: boolean) => ({ holder: 'me:1:abc', isAlive: () => alive });
const now = 10 * LOCK_STALE_MS;

/** A lock network as the engine lists it. */
const lockNetwork = (id: string, createdMs: number | null): NetworkInfo => ({ id, name: 'whalekeeper-clean-lock', driver: 'bridge', createdMs, labels: {}, builtin: false });

describe('takeCleanLock', () => {
  it('when a race let two creates of the lock succeed, the younger one leaves (its network removed) and the older holds', async () => {
    // given two lock networks, the other clean's created first
    const race = [lockNetwork('net-b', now - 5), lockNetwork('net-a', now - 3)];
    const younger = engineAnswering([{ status: 'created', id: 'net-a' }], race);
    expect(await takeCleanLock(younger.engine, now, claimant(true))).toEqual({ status: 'held', sinceMs: now - 5 });
    expect(younger.log).toEqual(['create', 'remove net-a']);
    const older = engineAnswering([{ status: 'created', id: 'net-b' }], race);
    // the holder gets the list it decided on: the clean's inventory uses it rather than listing the networks again
    expect(await takeCleanLock(older.engine, now, claimant(true))).toMatchObject({ status: 'taken', networks: race });
    // the same creation time: the smaller id holds
    const tie = engineAnswering([{ status: 'created', id: 'net-b' }], [lockNetwork('net-b', now), lockNetwork('net-a', now)]);
    expect((await takeCleanLock(tie.engine, now, claimant(true))).status).toBe('held');
  });

  it('takes a free lock and releases it by its id', async () => {
    const { engine, log } = engineAnswering([{ status: 'created', id: 'net-1' }]);
    const lock = await takeCleanLock(engine, now, claimant(true));
    expect(lock.status).toBe('taken');
    if (lock.status === 'taken') await lock.release();
    expect(log).toEqual(['create', 'remove net-1']);
  });

  it('leaves a live holder\'s lock alone', async () => {
    const { engine, log } = engineAnswering([{ status: 'exists', id: 'net-0', createdMs: now - 1000, labels: { [LOCK_HOLDER_LABEL]: 'other:2:xyz' } }]);
    expect(await takeCleanLock(engine, now, claimant(true))).toEqual({ status: 'held', sinceMs: now - 1000 });
    expect(log).toEqual(['create']);
  });

  it.each([
    ['its holder is dead', now - 1000, false],
    ['it is older than the stale limit', now - LOCK_STALE_MS - 1, true],
  ])('takes over a lock when %s, removing the old one by its id', async (_why, createdMs, alive) => {
    const { engine, log } = engineAnswering([
      { status: 'exists', id: 'old', createdMs, labels: { [LOCK_HOLDER_LABEL]: 'other:2:xyz' } },
      { status: 'created', id: 'new' },
    ]);
    expect((await takeCleanLock(engine, now, claimant(alive))).status).toBe('taken');
    expect(log).toEqual(['create', 'remove old', 'create']);
  });

  it('takes over its own lock, left by an earlier --every round whose engine was lost before the release', async () => {
    const mine = claimant(true);
    const { engine, log } = engineAnswering([
      { status: 'exists', id: 'old', createdMs: now - 1000, labels: { [LOCK_HOLDER_LABEL]: mine.holder } },
      { status: 'created', id: 'new' },
    ]);
    expect((await takeCleanLock(engine, now, mine)).status).toBe('taken');
    expect(log).toEqual(['create', 'remove old', 'create']);
  });

  it('tries again when the lock vanished between the create and the look', async () => {
    const { engine, log } = engineAnswering([{ status: 'vanished' }, { status: 'created', id: 'n' }]);
    expect((await takeCleanLock(engine, now, claimant(true))).status).toBe('taken');
    expect(log).toEqual(['create', 'create']);
  });
});
