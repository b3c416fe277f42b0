import { describe, expect, it } from 'vitest';
import type { Attempt, AttemptOutcome } from '../../../src/core/verify/attempt.js';
import { decide, finalize, isSettled, newReplica, observe, withPresence, type ReplicaState, type VerifyPolicy } from '../../../src/core/verify/state.js';
import { matchesNeeded, POOL_RISK, staleShare } from '../../../src/core/verify/pool.js';

const policy: VerifyPolicy = { expect: '209', stable: 2, allowNewer: false, minReplicas: 1 };

const BUILDS: Partial<Record<AttemptOutcome, string>> = { match: '209', older: '208', newer: '210' };
const attempt = (outcome: AttemptOutcome): Attempt => ({ outcome, build: BUILDS[outcome], detail: `saw ${outcome}` });

/** Runs a replica through outcomes; `deadline` finalizes it. */
function run(outcomes: readonly AttemptOutcome[], p: VerifyPolicy = policy, deadline = false): ReplicaState {
  let state = newReplica('r');
  outcomes.forEach((o, i) => (state = observe(state, attempt(o), i * 100, p)));
  return deadline ? finalize(state) : state;
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
    ['old, then one match at the deadline is wrong (another build was read, never verified)', ['older', 'match'], policy, true, 'wrong', '209'],
    ['old, then unreachable at the deadline is wrong', ['older', 'unreachable', 'unreachable'], policy, true, 'wrong', '208'],
    ['only one match at the deadline is failed (not stable, no other build)', ['match'], policy, true, 'failed', '209'],
    ['match, 503, match at the deadline is failed', ['match', 'not-ready', 'match'], policy, true, 'failed', '209'],
    ['old, then verified, is verified at the deadline', ['older', 'match', 'match'], policy, true, 'verified', '209'],
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
  const staleThenDown = run(['older', 'match', 'not-json'], policy, true);
  const fewMatches = run(['match'], policy, true);
  const newer = run(['newer']);
  const down = run(['unreachable'], policy, true);

  it.each<[string, ReplicaState[], VerifyPolicy, boolean, number]>([
    ['all verified: 0', [verified, verified], policy, true, 0],
    ['one pending: not settled', [verified, pending], policy, false, 3],
    ['a newer one settles at once: 1', [pending, newer], policy, true, 1],
    ['stale at the deadline: 1', [verified, stale], policy, true, 1],
    ['unreachable at the deadline, none wrong: 3', [verified, down], policy, false, 3],
    ['wrong beats unreachable: 1', [down, stale], policy, true, 1],
    ['another build read, then nothing readable: 1, every time', [verified, staleThenDown], policy, true, 1],
    ['only matches, too few in a row, none other: 3', [verified, fewMatches], policy, false, 3],
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
    expect(decide([verified, wrong], policy).summary).toContain('http://10.0.0.2/diagnostics (build 208 ×1)');
  });
});

describe('the summary names the builds seen', () => {
  const at = (build: string): Attempt => ({ outcome: build === '209' ? 'match' : Number(build) > 209 ? 'newer' : 'older', build, detail: `build ${build}` });
  const replica = (id: string, builds: string[], p: VerifyPolicy): ReplicaState => {
    let s = newReplica(id, 'replica', p);
    builds.forEach((b, i) => (s = observe(s, at(b), i, p)));
    return s;
  };
  it('--allow-newer: "2 on 209, 1 on 210"', () => {
    const p = { ...policy, allowNewer: true };
    const states = [replica('a', ['209', '209'], p), replica('b', ['209', '209'], p), replica('c', ['210', '210'], p)];
    expect(decide(states, p)).toEqual({ exitCode: 0, summary: 'all 3 replica(s) verified: 2 on 209, 1 on 210' });
  });
  it('one build: "all 2 replica(s) run build 209"', () => {
    const states = [replica('a', ['209', '209'], policy), replica('b', ['208', '209', '209'], policy)];
    expect(decide(states, policy)).toEqual({ exitCode: 0, summary: 'all 2 replica(s) run build 209' });
  });
  it('a wrong one: its answers per build', () => {
    const states = [replica('a', ['209', '209'], policy), finalize(replica('b', ['208', '209', '208', '209'], policy))];
    expect(decide(states, policy).summary).toBe('1 replica(s) answered another build than 209: b (build 208 ×2, 209 ×2)');
  });
});

describe('the pool rule', () => {
  const pool = (p: VerifyPolicy = policy): ReplicaState => newReplica('http://lb/diagnostics', 'pool', p);
  /** Feeds a pool a string of answers: 9 = match, 8 = older, x = unreachable. */
  const feed = (answers: string, p: VerifyPolicy = policy, state = pool(p)): ReplicaState => {
    let s = state;
    [...answers].forEach((c, i) => (s = observe(s, c === '9' ? attempt('match') : c === '8' ? attempt('older') : attempt('unreachable'), i, p)));
    return s;
  };

  it.each<[string, number, number, number]>([
    // share of the pool that may be stale, run number, matching answers in a row needed
    ['1 of 2', 1 / 2, 1, 8],
    ['1 of 3, the first run', 1 / 3, 1, 13],
    ['1 of 3, the second run', 1 / 3, 2, 17],
    ['1 of 3, the tenth run', 1 / 3, 10, 24],
    ['1 of 3, the hundredth run', 1 / 3, 100, 36],
    ['1 of 10', 1 / 10, 1, 49],
    ['1 of 20, the first run', 1 / 20, 1, 100],
    ['1 of 20, the tenth run', 1 / 20, 10, 190],
    ['a pool of one', 1, 1, 1],
  ])('%s: run %#', (_name, share, run, needed) => {
    expect(matchesNeeded(share, run)).toBe(needed);
    // and the bound holds: a stale share misses k answers with probability ≤ 1% × 6/(π² r²)
    expect((1 - share) ** needed).toBeLessThanOrEqual((POOL_RISK * 6) / (Math.PI ** 2 * run ** 2));
  });

  it.each<[string, number, number, number, number]>([
    ['nothing seen: 1 of the pool size', 3, 0, 0, 1 / 3],
    ['other builds on half the answers: still 1 of 3', 3, 5, 10, 1 / 3],
    ['other builds rarer than 1 of 3: the share seen', 3, 1, 20, 1 / 20],
    ['--replicas 20', 20, 0, 0, 1 / 20],
  ])('stale share: %s', (_name, size, others, readable, share) => expect(staleShare(size, others, readable)).toBeCloseTo(share, 12));

  it('a clean pool of 3 is verified after 13 matching answers, not 12', () => {
    expect(feed('9'.repeat(12)).status).toBe('pending');
    expect(feed('9'.repeat(13)).status).toBe('verified');
  });

  it('round-robin over 209, 209, 208 never verifies, and ends wrong at the deadline', () => {
    const s = feed('998'.repeat(200));
    expect(s.status).toBe('pending');
    expect(s.answers).toEqual([{ build: '209', count: 400 }, { build: '208', count: 200 }]);
    expect(finalize(s).status).toBe('wrong');
  });

  it('--stable above the rule counts', () => expect(feed('9'.repeat(13), { ...policy, stable: 20 }).status).toBe('pending'));

  it('after another build, each new run needs more', () => {
    const s = feed('8' + '9'.repeat(16));
    expect(s.needed).toBe(13);
    expect(s.status).toBe('verified');
    const t = feed('98' + '9'.repeat(16));
    expect(t.runs).toBe(2);
    expect(t.needed).toBe(17);
    expect(t.status).toBe('pending');
    expect(feed('98' + '9'.repeat(17)).status).toBe('verified');
  });

  it('a pool of 20 (--replicas 20) needs 100 in a row', () => {
    const p = { ...policy, poolSize: 20 };
    expect(feed('9'.repeat(99), p).status).toBe('pending');
    expect(feed('9'.repeat(100), p).status).toBe('verified');
  });

  it('a pool larger than assumed: the rarer share seen sets the run', () => {
    // 208 in 2 of 22 answers: the share 1/11 is lower than 1/3, so the third run must be as long as for 1 stale of 11
    const before = ('9'.repeat(10) + '8').repeat(2);
    const needed = matchesNeeded(2 / 22, 3);
    expect(needed).toBe(77);
    const s = feed(before + '9'.repeat(needed - 1));
    expect(s.needed).toBe(needed);
    expect(s.status).toBe('pending');
    expect(feed(before + '9'.repeat(needed)).status).toBe('verified');
  });

  it('unreachable answers break the run and start a new one', () => {
    const s = feed('9999x9');
    expect(s.streak).toBe(1);
    expect(s.runs).toBe(2);
  });
});

describe('the exit code of every end state', () => {
  const states: [string, ReplicaState, number][] = [
    ['verified', run(['match', 'match']), 0],
    ['a newer build (at once)', run(['newer']), 1],
    ['older at the deadline', run(['older'], policy, true), 1],
    ['older, then matches too few at the deadline', run(['older', 'match'], policy, true), 1],
    ['older, then not ready at the deadline', run(['older', 'not-ready'], policy, true), 1],
    ['newer with --allow-newer, then older at the deadline', run(['newer', 'older'], { ...policy, allowNewer: true }, true), 1],
    ['matches too few at the deadline', run(['match'], policy, true), 3],
    ['unreachable at the deadline', run(['unreachable'], policy, true), 3],
    ['not ready at the deadline', run(['not-ready'], policy, true), 3],
    ['HTTP error at the deadline', run(['http-error'], policy, true), 3],
    ['not JSON at the deadline', run(['not-json'], policy, true), 3],
    ['field missing at the deadline', run(['field-missing'], policy, true), 3],
    ['never tried at the deadline', run([], policy, true), 3],
  ];
  it.each(states)('%s → exit %i', (_name, state, code) => {
    expect(decide([state], policy).exitCode).toBe(code);
    expect(decide([state], policy).summary).not.toMatch(/failed: match/);
  });
});
