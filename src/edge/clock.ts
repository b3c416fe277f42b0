// The real clock and an abortable sleep, injected into commands that wait (clean --every).
import { setTimeout as delay } from 'node:timers/promises';

/** Milliseconds since the epoch. */
export const now = (): number => Date.now();

/** Sleeps `ms`; resolves false as soon as `signal` aborts, true when the time is up. */
export function createSleep(signal: AbortSignal): (ms: number) => Promise<boolean> {
  return async (ms) => {
    if (signal.aborted) return false;
    try {
      await delay(ms, undefined, { signal });
      return true;
    } catch {
      return false;
    }
  };
}
