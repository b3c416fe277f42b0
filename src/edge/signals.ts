// Abort signals: one registration, one handler, removed when the work is done.
import { constants } from 'node:os';

/** The signals after which `run` stops and removes its container: Ctrl-C, Jenkins' abort, a closed terminal. */
export const ABORT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A signal's number (SIGINT 2, SIGTERM 15, SIGHUP 1). */
export function signalNumber(signal: string): number {
  return (constants.signals as Record<string, number>)[signal] ?? 0;
}

/** Calls `handler` once, on the first abort signal; later signals are swallowed while it works. Returns the unhook. */
export function onAbort(handler: (signal: NodeJS.Signals) => void): () => void {
  let fired = false;
  const listener = (signal: NodeJS.Signals): void => {
    if (fired) return;
    fired = true;
    handler(signal);
  };
  for (const signal of ABORT_SIGNALS) process.on(signal, listener);
  return () => {
    for (const signal of ABORT_SIGNALS) process.off(signal, listener);
  };
}
