// The pure state machine of `verify`: each replica's observations → pending, verified, wrong or failed; then the verdict.
import type { Attempt, AttemptOutcome } from './attempt.js';
import { compareBuild } from './field.js';

/** Where a replica stands. `verified` and `wrong` are final as soon as reached; `failed` only at the deadline. */
export type ReplicaStatus = 'pending' | 'verified' | 'wrong' | 'failed';

/** One attempt in a replica's timeline; `atMs` counts from the start of the verification. */
export interface TimelineEntry {
  readonly atMs: number;
  readonly outcome: AttemptOutcome;
  readonly build: string | undefined;
  readonly detail: string;
}

/** Everything known about one replica. */
export interface ReplicaState {
  /** The replica as printed: its URL without credentials, with the address when --all-addresses split it. */
  readonly id: string;
  readonly status: ReplicaStatus;
  /** Matching answers in a row, each on its own connection. */
  readonly streak: number;
  readonly attempts: number;
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
}

/** A replica nothing is known about yet. */
export function newReplica(id: string): ReplicaState {
  return { id, status: 'pending', streak: 0, attempts: 0, lastBuild: undefined, lastOutcome: undefined, lastError: undefined, present: true, timeline: [] };
}

/** The state after one more attempt. Final states do not change; a newer build is wrong at once unless allowed. */
export function observe(state: ReplicaState, attempt: Attempt, atMs: number, policy: VerifyPolicy): ReplicaState {
  if (state.status !== 'pending') return state;
  const entry: TimelineEntry = { atMs, outcome: attempt.outcome, build: attempt.build, detail: attempt.detail };
  const base = {
    ...state,
    attempts: state.attempts + 1,
    lastOutcome: attempt.outcome,
    lastBuild: attempt.build ?? state.lastBuild,
    timeline: [...state.timeline, entry],
  };
  const counts = attempt.outcome === 'match' || (attempt.outcome === 'newer' && policy.allowNewer);
  if (counts) {
    const streak = state.streak + 1;
    return { ...base, streak, status: streak >= policy.stable ? 'verified' : 'pending' };
  }
  // Another deployment overtook this one: waiting cannot make this replica run the expected build.
  if (attempt.outcome === 'newer') return { ...base, streak: 0, lastError: attempt.detail, status: 'wrong' };
  return { ...base, streak: 0, lastError: attempt.detail };
}

/** Marks a replica present or gone from DNS (--all-addresses); its observations are kept. */
export function withPresence(state: ReplicaState, present: boolean): ReplicaState {
  return state.present === present ? state : { ...state, present };
}

/** At the deadline: a pending replica that last showed another build is wrong; one that never read stable is failed. */
export function finalize(state: ReplicaState, policy: VerifyPolicy): ReplicaState {
  if (state.status !== 'pending' || !state.present) return state;
  const order = state.lastBuild === undefined ? undefined : compareBuild(state.lastBuild, policy.expect);
  const wrongBuild = order === 'older' || (order === 'newer' && !policy.allowNewer);
  return { ...state, status: wrongBuild ? 'wrong' : 'failed' };
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

/** Decides the exit code from the replicas' states (call after finalize, or when settled). */
export function decide(states: readonly ReplicaState[], policy: VerifyPolicy): Verdict {
  const live = counted(states);
  const wrong = live.filter((s) => s.status === 'wrong');
  if (wrong.length > 0) {
    const names = wrong.map((s) => `${s.id} (${s.lastBuild === undefined ? 'no build' : `build ${s.lastBuild}`})`).join(', ');
    return { exitCode: 1, summary: `${wrong.length} replica(s) answered another build than ${policy.expect}: ${names}` };
  }
  const verified = live.filter((s) => s.status === 'verified');
  if (verified.length === live.length && live.length >= policy.minReplicas) {
    return { exitCode: 0, summary: `all ${live.length} replica(s) run build ${policy.expect}` };
  }
  if (live.length < policy.minReplicas) {
    return { exitCode: 3, summary: `only ${live.length} replica(s) found, --replicas asks for ${policy.minReplicas}` };
  }
  const unsure = live.filter((s) => s.status !== 'verified');
  const names = unsure.map((s) => `${s.id} (${s.lastError ?? s.lastOutcome ?? 'no answer'})`).join(', ');
  return { exitCode: 3, summary: `${unsure.length} replica(s) never answered build ${policy.expect} ${policy.stable} time(s) in a row: ${names}` };
}
