// This process as a lock holder (`HOSTNAME:PID`), and whether such a holder on this host is still running.
import { hostname } from 'node:os';

/** The claimant for the engine-wide clean lock. */
export function lockClaimant(): { holder: string; isAlive: (holder: string) => boolean } {
  const host = hostname();
  return {
    holder: `${host}:${process.pid}`,
    isAlive: (holder) => {
      const [holderHost, pid] = holder.split(':');
      // A holder on another host (or pod) cannot be checked from here: it counts as alive until the lock goes stale.
      if (holderHost !== host || !pid) return true;
      try {
        process.kill(Number(pid), 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
}
