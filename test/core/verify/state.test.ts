import { describe, expect, it } from 'vitest';
import type { Attempt, AttemptOutcome } from '../../../src/core/verify/attempt.js';
import { decide, finalize, isSettled, newReplica, observe, withPresence, type ReplicaState, type VerifyPolicy } from '../../../src/core/verify/state.js';

const policy: VerifyPolicy = { expect: '209', stable: 2, allowNewer: false, minReplicas: 1 };

const BUILDS: Partial<Record<AttemptOutcome, string>> = { match: '209', older: '208', newer: '210' };
const attempt = (outcome: AttemptOutcome): Attempt => ({ outcome, build: BUILDS[outcome], detail: `saw ${outcome}` });

/** Runs a replica through outcomes; `deadline` finalizes it. */
function run(outcomes: readonly AttemptOutcome[], p: VerifyPolicy = policy, deadline = false): ReplicaState {
  let state = newReplica('r');
  outcomes.forEach((o, i) => (state = observe(state, attempt(o), i * 100, p)));
  return deadline ? finalize(state, p) : state;
}

describe('a replica\'s state machine', () => {
  it.each<[string, AttemptOutcome[], VerifyPolicy, boolean, string, string | undefined]>([
    ['nothing yet', [], policy, false, 'pending', undefined],
    ['one match is not stable', ['match'], policy, false, 'pending', '209'],
    ['two matches in a row verify', ['match', 'match'], policy, false, 'verified', '209'],
    ['--stable 1 verifies at once', ['match'], { ...policy, stable: 1 }, false, 'verified', '209'],
    ['alternating old and new never verifies', ['match', 'older', 'match', 'older', 'match'], policy, false, 'pending', '209'],
    ['a not-ready answer breaks the streak', ['match', 'not-ready', 'match'], policy, false, 'pending', '209'],
    ['refused, then up', ['unreachable', 'unreachable', 'match', 'match'], policy, false, 'verified', '209'],
    ['503 during a rollout, then the build', ['not-ready', 'older', 'match', 'match'], policy, false, 'verified', '209'],
    ['newer fails at once', ['newer'], policy, false, 'wrong', '210'],
    ['newer is counted with --allow-newer', ['newer', 'match'], { ...policy, allowNewer: true }, false, 'verified', '209'],
    ['verified is final', ['match', 'match', 'older'], policy, false, 'verified', '209'],
    ['wrong is final', ['newer', 'match', 'match'], policy, false, 'wrong', '210'],
    ['stale at the deadline is wrong', ['older', 'older'], policy, true, 'wrong', '208'],
    ['unreachable at the deadline is failed', ['unreachable'], policy, true, 'failed', undefined],
    ['HTML at the deadline is failed', ['not-json', 'not-json'], policy, true, 'failed', undefined],
    ['old then unreadable at the deadline is wrong', ['older', 'not-json'], policy, true, 'wrong', '208'],
    ['one match at the deadline is failed (not stable)', ['older', 'match'], policy, true, 'failed', '209'],
    ['never tried at the deadline is failed', [], policy, true, 'failed', undefined],
  ])('%s', (_name, outcomes, p, deadline, status, build) => {
    const state = run(outcomes, p, deadline);
    expect(state.status).toBe(status);
    expect(state.lastBuild).toBe(build);
  });

  it('counts attempts, keeps the timeline and the last error', () => {
    const state = run(['unreachable', 'older', 'match']);
    expect(state.attempts).toBe(3);
    expect(state.timeline.map((e) => e.outcome)).toEqual(['unreachable', 'older', 'match']);
    expect(state.timeline[1]).toEqual({ atMs: 100, outcome: 'older', build: '208', detail: 'saw older' });
    expect(state.lastError).toBe('saw older');
    expect(state.streak).toBe(1);
  });
});

describe('the verdict', () => {
  const verified = run(['match', 'match']);
  const pending = run(['match']);
  const stale = run(['older'], policy, true);
  const newer = run(['newer']);
  const down = run(['unreachable'], policy, true);

  it.each<[string, ReplicaState[], VerifyPolicy, boolean, number]>([
    ['all verified: 0', [verified, verified], policy, true, 0],
    ['one pending: not settled', [verified, pending], policy, false, 3],
    ['a newer one settles at once: 1', [pending, newer], policy, true, 1],
    ['stale at the deadline: 1', [verified, stale], policy, true, 1],
    ['unreachable at the deadline, none wrong: 3', [verified, down], policy, false, 3],
    ['wrong beats unreachable: 1', [down, stale], policy, true, 1],
    ['too few replicas: 3', [verified], { ...policy, minReplicas: 2 }, false, 3],
    ['enough replicas: 0', [verified, verified], { ...policy, minReplicas: 2 }, true, 0],
    ['a pending replica gone from DNS does not count', [verified, withPresence(pending, false)], policy, true, 0],
    ['a wrong replica gone from DNS still counts', [verified, withPresence(newer, false)], policy, true, 1],
    ['gone replicas do not make up --replicas', [verified, withPresence(verified, false)], { ...policy, minReplicas: 2 }, false, 3],
  ])('%s', (_name, states, p, settled, exitCode) => {
    expect(isSettled(states, p)).toBe(settled);
    expect(decide(states, p).exitCode).toBe(exitCode);
  });

  it('names the wrong replica and the build it answered', () => {
    const wrong = { ...stale, id: 'http://10.0.0.2/diagnostics' };
    expect(decide([verified, wrong], policy).summary).toContain('http://10.0.0.2/diagnostics (build 208)');
  });
});
