// The clean lock's pure part: its network's name, which of several lock networks holds it, and keeping it out of plans.
import type { NetworkInfo } from '../inventory.js';

/** The lock network's name. */
export const LOCK_NAME = 'whalekeeper-clean-lock';

/** Whether a network is a clean lock (its own clean's, or another's): never an object to clean, nor to list as kept. */
export function isLockNetwork(network: Pick<NetworkInfo, 'name'>): boolean {
  return network.name === LOCK_NAME;
}

/** The lock network that holds the lock when a race made several: the oldest, ties broken by the smallest id. */
export function oldestLock(networks: readonly NetworkInfo[]): NetworkInfo | undefined {
  const age = (n: NetworkInfo): number => n.createdMs ?? Number.POSITIVE_INFINITY;
  return networks.filter(isLockNetwork).sort((a, b) => age(a) - age(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}
