// The pure state machine of `verify`: each replica's observations → pending, verified, wrong or failed; then the verdict.
import type { Attempt, AttemptOutcome } from './attempt.js';
import { DEFAULT_POOL_SIZE, matchesNeeded, staleShare } from './pool.js';

/** Where a replica stands. `verified` is final when reached, `wrong` at once for a newer build; the rest at the deadline. */
export type ReplicaStatus = 'pending' | 'verified' | 'wrong' | 'failed';

/** A direct replica answers for itself; a pool (a load balancer's URL) answers from any replica behind it. */
export type ReplicaKind = 'replica' | 'pool';

/** One attempt in a replica's timeline; `atMs` counts from the start of the verification. */
export interface TimelineEntry {
  readonly atMs: number;
  readonly outcome: AttemptOutcome;
  readonly build: string | undefined;
  readonly detail: string;
}

/** How many readable answers gave one build. A list, not an object keyed by build: V8 stores a key like `209` as an
 * array index, and an object with it costs kilobytes (the elements up to that index). */
export interface BuildCount {
  readonly build: string;
  readonly count: number;
}

/** Everything known about one replica (or pool). */
export interface ReplicaState {
  /** The replica as printed: its URL without credentials, with the address when --all-addresses split it. */
  readonly id: string;
  readonly kind: ReplicaKind;
  readonly status: ReplicaStatus;
  /** Matching answers in a row, each on its own connection. */
  readonly streak: number;
  /** Runs of matching answers begun so far (the pool rule needs longer runs as more are begun). */
  readonly runs: number;
  /** Matching answers in a row needed now. */
  readonly needed: number;
  readonly attempts: number;
  /** Readable answers per build (a build as shown: masked and escaped), in the order first seen. */
  readonly answers: readonly BuildCount[];
  /** Readable answers in all. */
  readonly readable: number;
  /** Readable answers of another build than expected (and not counted as a match). */
  readonly others: number;
  /** Readable answers up to the last other build: the share of other builds is measured over these. */
  readonly readableAtLastOther: number;
  readonly lastBuild: string | undefined;
  readonly lastOutcome: AttemptOutcome | undefined;
  /** The detail of the last attempt that was not a match. */
  readonly lastError: string | undefined;
  /** False once --all-addresses no longer finds this address in DNS (the pod went away). */
  readonly present: boolean;
  readonly timeline: readonly TimelineEntry[];
}

/** What decides a replica's state: the build expected and how sure to be. */
export interface VerifyPolicy {
  readonly expect: string;
  readonly stable: number;
  readonly allowNewer: boolean;
  readonly minReplicas: number;
  /** The replicas behind a pool (`--replicas`, else DEFAULT_POOL_SIZE). */
  readonly poolSize?: number | undefined;
}

/** A replica nothing is known about yet. */
export function newReplica(id: string, kind: ReplicaKind = 'replica', policy?: VerifyPolicy): ReplicaState {
  const fresh: ReplicaState = {
    id,
    kind,
    status: 'pending',
    streak: 0,
    runs: 0,
    needed: 0,
    attempts: 0,
    answers: [],
    readable: 0,
    others: 0,
    readableAtLastOther: 0,
    lastBuild: undefined,
    lastOutcome: undefined,
    lastError: undefined,
    present: true,
    timeline: [],
  };
  return { ...fresh, needed: policy === undefined ? 0 : neededFor(fresh, policy) };
}

/** Matching answers in a row that verify `state` now: `--stable` for a replica; for a pool, the pool rule's too. */
function neededFor(state: Pick<ReplicaState, 'kind' | 'others' | 'readableAtLastOther' | 'runs'>, policy: VerifyPolicy): number {
  if (state.kind === 'replica') return policy.stable;
  // The share is measured up to the last other build: the run since then must not lower it (a moving target).
  const share = staleShare(policy.poolSize ?? DEFAULT_POOL_SIZE, state.others, state.readableAtLastOther);
  return Math.max(policy.stable, matchesNeeded(share, Math.max(1, state.runs)));
}

/** True for an outcome that carries a build. */
function isReadable(outcome: AttemptOutcome): boolean {
  return outcome === 'match' || outcome === 'older' || outcome === 'newer';
}

/** The state after one more attempt. Final states do not change; a newer build is wrong at once unless allowed. */
export function observe(state: ReplicaState, attempt: Attempt, atMs: number, policy: VerifyPolicy): ReplicaState {
  if (state.status !== 'pending') return state;
  const entry: TimelineEntry = { atMs, outcome: attempt.outcome, build: attempt.build, detail: attempt.detail };
  const readable = isReadable(attempt.outcome) && attempt.build !== undefined;
  const counts = attempt.outcome === 'match' || (attempt.outcome === 'newer' && policy.allowNewer);
  const other = readable && !counts;
  const readableSoFar = state.readable + (readable ? 1 : 0);
  const base = {
    ...state,
    readableAtLastOther: other ? readableSoFar : state.readableAtLastOther,
    attempts: state.attempts + 1,
    lastOutcome: attempt.outcome,
    lastBuild: attempt.build ?? state.lastBuild,
    answers: readable ? counted1(state.answers, attempt.build!) : state.answers,
    readable: readableSoFar,
    others: other ? state.others + 1 : state.others,
    timeline: [...state.timeline, entry],
  };
  if (counts) {
    const streak = state.streak + 1;
    const runs = state.streak === 0 ? state.runs + 1 : state.runs;
    const needed = neededFor({ ...base, runs }, policy);
    return { ...base, streak, runs, needed, status: streak >= needed ? 'verified' : 'pending' };
  }
  const needed = neededFor(base, policy);
  // Another deployment overtook this one: waiting cannot make this replica run the expected build.
  if (attempt.outcome === 'newer') return { ...base, streak: 0, needed, lastError: attempt.detail, status: 'wrong' };
  return { ...base, streak: 0, needed, lastError: attempt.detail };
}

/** The counts with one more answer of `build`. */
function counted1(answers: readonly BuildCount[], build: string): BuildCount[] {
  return answers.some((a) => a.build === build) ? answers.map((a) => (a.build === build ? { build, count: a.count + 1 } : a)) : [...answers, { build, count: 1 }];
}

/** Marks a replica present or gone from DNS (--all-addresses); its observations are kept. */
export function withPresence(state: ReplicaState, present: boolean): ReplicaState {
  return state.present === present ? state : { ...state, present };
}

/**
 * At the deadline, from what was read: a pending replica that ever gave a readable other build is wrong, whatever its
 * last answer; one that never gave a readable build is failed; one that gave only matching answers, too few in a
 * row, is failed too (not verified, but no other build seen).
 */
export function finalize(state: ReplicaState): ReplicaState {
  if (state.status !== 'pending' || !state.present) return state;
  return { ...state, status: state.others > 0 ? 'wrong' : 'failed' };
}

/** Why a replica ended as it did, in a few words (the deadline line, the table's last column). */
export function endReason(state: ReplicaState): string {
  if (state.status === 'wrong') return `answered ${answersText(state.answers)}`;
  if (state.status === 'verified') return `${state.streak} matching answer(s) in a row`;
  if (state.readable === 0) return `never a readable build${state.lastError === undefined ? '' : `; last: ${state.lastError}`}`;
  return `${state.streak} of ${state.needed} matching answers in a row (${answersText(state.answers)})${state.lastError === undefined ? '' : `; last other: ${state.lastError}`}`;
}

/** `build 208 ×3, 209 ×5`: the builds answered, most frequent first. */
export function answersText(answers: readonly BuildCount[]): string {
  const sorted = [...answers].sort((a, b) => b.count - a.count || (a.build < b.build ? -1 : 1));
  return sorted.length === 0 ? 'no build' : `build ${sorted.map((a) => `${a.build} ×${a.count}`).join(', ')}`;
}

/** The replicas that count: those DNS still lists, and any that answered a wrong build. */
export function counted(states: readonly ReplicaState[]): ReplicaState[] {
  return states.filter((s) => s.present || s.status === 'wrong');
}

/** True when waiting longer cannot change the verdict: a replica is wrong, or enough replicas are all verified. */
export function isSettled(states: readonly ReplicaState[], policy: VerifyPolicy): boolean {
  const live = counted(states);
  if (live.some((s) => s.status === 'wrong')) return true;
  return live.length >= policy.minReplicas && live.every((s) => s.status === 'verified');
}

/** The verdict, as an exit code and one sentence. */
export interface Verdict {
  /** 0 every replica verified; 1 one answered another build; 3 one never gave a readable build (or too few replicas). */
  readonly exitCode: 0 | 1 | 3;
  readonly summary: string;
}

/** `2 on 209, 1 on 210`: the verified replicas by the build they answered. */
function byBuild(states: readonly ReplicaState[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s.lastBuild ?? '-', (counts.get(s.lastBuild ?? '-') ?? 0) + 1);
  return [...counts].map(([build, n]) => `${n} on ${build}`).join(', ');
}

/** Decides the exit code from the replicas' states (call after finalize, or when settled). */
export function decide(states: readonly ReplicaState[], policy: VerifyPolicy): Verdict {
  const live = counted(states);
  const wrong = live.filter((s) => s.status === 'wrong');
  if (wrong.length > 0) {
    const names = wrong.map((s) => `${s.id} (${answersText(s.answers)}${s.kind === 'pool' ? ', a pool' : ''})`).join(', ');
    return { exitCode: 1, summary: `${wrong.length} replica(s) answered another build than ${policy.expect}: ${names}` };
  }
  const verified = live.filter((s) => s.status === 'verified');
  if (verified.length === live.length && live.length >= policy.minReplicas) {
    const builds = new Set(verified.map((s) => s.lastBuild));
    const pools = verified.filter((s) => s.kind === 'pool');
    const poolText = pools.map((s) => `; pool ${s.id}: ${s.streak} matching answers in a row, 99% sure no replica behind it runs another build (${answersText(s.answers)})`).join('');
    const head = builds.size === 1 ? `all ${live.length} replica(s) run build ${verified[0]!.lastBuild}` : `all ${live.length} replica(s) verified: ${byBuild(verified)}`;
    return { exitCode: 0, summary: head + poolText };
  }
  if (live.length < policy.minReplicas) {
    return { exitCode: 3, summary: `only ${live.length} replica(s) found, --replicas asks for ${policy.minReplicas}` };
  }
  const unsure = live.filter((s) => s.status !== 'verified');
  const names = unsure.map((s) => `${s.id} (${endReason(s)})`).join(', ');
  const seen = verified.length > 0 ? `; ${verified.length} verified: ${byBuild(verified)}` : '';
  return { exitCode: 3, summary: `${unsure.length} replica(s) not verified as build ${policy.expect}: ${names}${seen}` };
}
