// The engine-wide clean lock: taken, held, taken over when stale; always removed by id, never by name.
import { describe, expect, it } from 'vitest';
import { LOCK_HOLDER_LABEL, LOCK_STALE_MS, takeCleanLock } from '../../src/commands/clean-lock.js';
import type { Engine } from '../../src/edge/engine.js';

type Answer = Awaited<ReturnType<Engine['createNamedNetwork']>>;

/** An engine whose createNamedNetwork answers from a script, recording every call. */
function engineAnswering(answers: Answer[]) {
  const log: string[] = [];
  const engine = {
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

describe('takeCleanLock', () => {
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
