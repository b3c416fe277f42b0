import { describe, expect, it } from 'vitest';
import { addFailedRound, failedRoundSummary, FAILED_ROUNDS_LIMIT, mustStop, SILENT_ENGINE_MS, type RoundFailure } from '../../src/core/clean/failed-rounds.js';

/** The streak after `n` failed rounds, `gapMs` apart, starting at 0. */
function after(n: number, gapMs: number): { count: number; sinceMs: number } {
  let streak;
  for (let i = 0; i < n; i++) streak = addFailedRound(streak, i * gapMs);
  return streak!;
}

describe('clean --every: failed rounds in a row', () => {
  it('stops after 3 in a row', () => expect(FAILED_ROUNDS_LIMIT).toBe(3));

  it.each<[string, number, number, RoundFailure, boolean]>([
    ['refused version, 2 rounds', 2, 1000, 'answered', false],
    ['refused version, 3 rounds 1 s apart', 3, 1000, 'answered', true],
    ['silent engine, 3 rounds 1 s apart (restarting)', 3, 1000, 'no-answer', false],
    ['silent engine, 10 rounds 1 s apart', 10, 1000, 'no-answer', false],
    ['silent engine, 3 rounds 10 min apart', 3, 600_000, 'no-answer', true],
    ['silent engine, 2 rounds 10 min apart', 2, 600_000, 'no-answer', false],
    ['silent engine, 301 rounds 1 s apart (5 min)', 301, 1000, 'no-answer', true],
  ])('%s: stop %s', (_name, n, gapMs, failure, stop) => {
    const streak = after(n, gapMs);
    expect(streak.count).toBe(n);
    expect(mustStop(streak, failure, (n - 1) * gapMs)).toBe(stop);
  });

  it('keeps the time of the first failed round', () => {
    expect(addFailedRound(addFailedRound(undefined, 5), 9)).toEqual({ count: 2, sinceMs: 5 });
    expect(SILENT_ENGINE_MS).toBe(300_000);
  });

  it.each<[number, RoundFailure, boolean, string]>([
    [1, 'answered', false, 'failed (1 in a row; exits at 3): why'],
    [2, 'no-answer', false, 'failed (2 in a row; exits at 3 and 5 min without an answer): why'],
    [3, 'answered', true, 'failed (3 in a row, giving up): why'],
  ])('round line after %s (%s)', (count, failure, stop, line) => {
    expect(failedRoundSummary({ count, sinceMs: 0 }, failure, stop, 'why')).toBe(line);
  });
});
