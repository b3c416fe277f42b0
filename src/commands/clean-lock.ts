// One agent clean at a time per engine. The lock is a network with a fixed name, because the engine refuses a second
// network of the same name (409): it works for remote engines and across hosts and pods, where a lock file would not,
// and needs no image (a lock container would keep its image from removal and make the real run differ from the dry
// run). A lock older than LOCK_STALE_MS is taken over: its holder died without releasing it.
//
// The network is config-only (API 1.30+): the engine only stores it (moby's libnetwork NewNetwork skips the driver and
// the address pools for it, and goes through the same duplicate-name check), so it creates no bridge device, takes no
// subnet from the pool, can never be joined by a container, and `docker network prune` leaves it alone. Measured on
// the tests' engine: create 3 ms and remove 4 ms, against 5 ms and 35-70 ms for an internal bridge network (the kernel
// tears its bridge device down). Whalekeeper versions that took a bridge lock share the name, so they still exclude
// each other.
import { LABELS } from '../core/labels.js';
import type { NetworkInfo } from '../core/inventory.js';
import { LOCK_NAME, oldestLock } from '../core/clean/lock.js';
import type { Engine } from '../edge/engine.js';

/** After this long a lock is stale: no agent clean takes half an hour, even on big engines. */
export const LOCK_STALE_MS = 30 * 60_000;

/**
 * The lock as taken (release it when done; `networks`: the engine's networks as listed once the lock was created, so a
 * clean needs no second list), held by another clean, or not available on this engine.
 */
export type Lock = { readonly status: 'taken'; readonly networks: readonly NetworkInfo[]; release(): Promise<void> } | { readonly status: 'held'; readonly sinceMs: number | null } | { readonly status: 'none'; readonly reason: string };

/** The label naming the lock's holder, `HOSTNAME:PID:NONCE` (the nonce: two containers may share both host and PID). */
export const LOCK_HOLDER_LABEL = 'whalekeeper.lock-holder';

/** Who asks for the lock, and whether a holder on this host is still alive (so a lock left by a crash or an engine restart is taken over at once). */
export interface LockClaimant {
  readonly holder: string;
  readonly isAlive: (holder: string) => boolean;
}

/**
 * Takes the lock. Removal is always by the network's id, never by name: a clean that takes over a stale lock, or
 * releases its own, can then never remove a lock another clean has just created under the same name.
 */
export async function takeCleanLock(engine: Engine, now: number, claimant: LockClaimant): Promise<Lock> {
  const labels = { [LABELS.managed]: 'true', [LABELS.keep]: 'true', [LOCK_HOLDER_LABEL]: claimant.holder };
  for (let attempt = 0; attempt < 3; attempt++) {
    const created = await engine.createNamedNetwork(LOCK_NAME, labels);
    if (created.status === 'created') {
      // The engine's duplicate-name check is not atomic: two creates at the same moment can both succeed. Every
      // claimant then sees the same set, and only the oldest (ties: the smallest id) holds the lock; the others leave.
      const networks = await engine.networks();
      const winner = oldestLock(networks);
      if (winner === undefined || winner.id === created.id) return { status: 'taken', networks, release: async () => void (await engine.removeNetwork(created.id)) };
      await engine.removeNetwork(created.id);
      return { status: 'held', sinceMs: winner.createdMs };
    }
    if (created.status === 'failed') return { status: 'none', reason: created.message };
    // Released between our create and our look: try again.
    if (created.status === 'vanished') continue;
    const holder = created.labels[LOCK_HOLDER_LABEL];
    // Our own holder: left by an earlier round of this process (`--every`) whose engine was lost before the release.
    const ours = holder === claimant.holder;
    const stale = ours || (created.createdMs !== null && now - created.createdMs > LOCK_STALE_MS) || (holder !== undefined && !claimant.isAlive(holder));
    if (!stale) return { status: 'held', sinceMs: created.createdMs };
    await engine.removeNetwork(created.id);
  }
  return { status: 'held', sinceMs: null };
}
