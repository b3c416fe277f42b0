// `clean --every`: rounds that failed because whalekeeper could not speak to the engine, counted, so that a loop that
// cannot work ends (non-zero: Kubernetes restarts the pod and its restart count shows it) instead of logging forever.

/** Failed rounds in a row after which `clean --every` exits with the last one's code (4 refused version, 3 otherwise). */
export const FAILED_ROUNDS_LIMIT = 3;

/**
 * An engine that does not answer at all must also have been silent this long before the loop ends: a restarting
 * engine or a DinD sidecar still starting costs a round or two, and a pod restart would not help it.
 */
export const SILENT_ENGINE_MS = 5 * 60_000;

/** Why a round failed: the engine did not answer, or it answered but whalekeeper cannot work with it. */
export type RoundFailure = 'no-answer' | 'answered';

/** The failed rounds in a row so far, since the first of them. */
export interface FailedRounds {
  readonly count: number;
  readonly sinceMs: number;
}

/** The streak after one more failed round (a round that worked resets it to undefined). */
export function addFailedRound(streak: FailedRounds | undefined, nowMs: number): FailedRounds {
  return streak ? { count: streak.count + 1, sinceMs: streak.sinceMs } : { count: 1, sinceMs: nowMs };
}

/** True when the loop must end: FAILED_ROUNDS_LIMIT in a row, and, for a silent engine, SILENT_ENGINE_MS since the first. */
export function mustStop(streak: FailedRounds, failure: RoundFailure, nowMs: number): boolean {
  if (streak.count < FAILED_ROUNDS_LIMIT) return false;
  return failure === 'answered' || nowMs - streak.sinceMs >= SILENT_ENGINE_MS;
}

/** The round's line: `failed (2 in a row; …): <why>`, saying when the loop will end. */
export function failedRoundSummary(streak: FailedRounds, failure: RoundFailure, stop: boolean, message: string): string {
  if (stop) return `failed (${streak.count} in a row, giving up): ${message}`;
  const limit = failure === 'answered' ? `exits at ${FAILED_ROUNDS_LIMIT}` : `exits at ${FAILED_ROUNDS_LIMIT} and ${SILENT_ENGINE_MS / 60_000} min without an answer`;
  return `failed (${streak.count} in a row; ${limit}): ${message}`;
}
