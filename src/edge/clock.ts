// Time: a monotonic clock and abortable sleeps, injected so that tests drive them without waiting.
import { setTimeout as delay } from 'node:timers/promises';

/** A monotonic clock and a sleep that an abort cuts short. */
export interface Clock {
  /** Milliseconds from an arbitrary origin; only differences mean anything. */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The real clock. */
export function createClock(): Clock {
  return {
    // process.hrtime rather than performance.now(): the first use of `performance` loads perf_hooks (nine modules).
    now: () => Number(process.hrtime.bigint()) / 1e6,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted || ms <= 0) return resolve();
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
      }),
  };
}

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
