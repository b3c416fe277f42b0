// This process as a lock holder (`HOSTNAME:PID:NONCE`), and whether such a holder on this host is still running.
import { hostname } from 'node:os';

/** The claimant for the engine-wide clean lock. */
export function lockClaimant(): { holder: string; isAlive: (holder: string) => boolean } {
  const host = hostname();
  return {
    // The nonce tells apart two holders with the same host name and PID (containers with --network host, each PID 1).
    holder: `${host}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`,
    isAlive: (holder) => {
      const [holderHost, pid] = holder.split(':');
      // A holder on another host (or pod) cannot be checked from here: it counts as alive until the lock goes stale.
      // One with this host's name and a live PID counts as alive too, though the PID may be another namespace's.
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
