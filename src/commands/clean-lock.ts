// One agent clean at a time per engine. The lock is an internal network with a fixed name, because the engine
// refuses a second network of the same name (409): it works for remote engines and across hosts and pods, where a
// lock file would not, and needs no image (a lock container would keep its image from removal and make the real run
// differ from the dry run). A lock older than LOCK_STALE_MS is taken over: its holder died without releasing it.
import { LABELS } from '../core/labels.js';
import type { NetworkInfo } from '../core/inventory.js';
import type { Engine } from '../edge/engine.js';

/** The lock network's name. */
export const LOCK_NAME = 'whalekeeper-clean-lock';

/** After this long a lock is stale: no agent clean takes half an hour, even on big engines. */
export const LOCK_STALE_MS = 30 * 60_000;

/** The lock as taken (release it when done), held by another clean, or not available on this engine. */
export type Lock = { readonly status: 'taken'; release(): Promise<void> } | { readonly status: 'held'; readonly sinceMs: number | null } | { readonly status: 'none'; readonly reason: string };

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
      const winner = oldestLock(await engine.networks());
      if (winner === undefined || winner.id === created.id) return { status: 'taken', release: async () => void (await engine.removeNetwork(created.id)) };
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

/** The lock network that holds the lock when a race made several: the oldest, ties broken by the smallest id. */
function oldestLock(networks: readonly NetworkInfo[]): NetworkInfo | undefined {
  const age = (n: NetworkInfo): number => n.createdMs ?? Number.POSITIVE_INFINITY;
  return networks.filter((n) => n.name === LOCK_NAME).sort((a, b) => age(a) - age(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}
