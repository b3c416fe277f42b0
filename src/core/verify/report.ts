// The versioned result of `verify`: what --json prints and what --junit is written from. Field names are an interface.
import type { AttemptOutcome } from './attempt.js';
import type { BuildCount, ReplicaKind, ReplicaState, ReplicaStatus, TimelineEntry, Verdict } from './state.js';

/** One replica in the report. */
export interface ReplicaReport {
  readonly replica: string;
  /** `pool` for a URL that stands for several replicas (a load balancer), `replica` for one replica. */
  readonly kind: ReplicaKind;
  readonly status: ReplicaStatus;
  /** False when --all-addresses no longer found this address (a pod that went away); it then does not count. */
  readonly present: boolean;
  readonly lastBuild: string | null;
  readonly lastOutcome: AttemptOutcome | null;
  readonly attempts: number;
  /** Readable answers per build in the order first seen, e.g. [{"build": "208", "count": 4}, {"build": "209", "count": 25}]. */
  readonly answers: readonly BuildCount[];
  /** Matching answers in a row at the end, and how many were needed (a pool needs more, see docs/verify.md). */
  readonly streak: number;
  readonly needed: number;
  readonly lastError: string | null;
  readonly timeline: readonly TimelineEntry[];
}

/** The whole report, version 1. */
export interface VerifyReport {
  readonly version: 1;
  readonly expect: string;
  readonly field: string;
  readonly stable: number;
  readonly exitCode: number;
  readonly summary: string;
  /** The signal that cut the verification short, if one did; the states are those reached by then. */
  readonly interruptedBy: string | null;
  readonly durationMs: number;
  readonly replicas: readonly ReplicaReport[];
}

/** Builds the report from the final states. */
export function buildReport(input: {
  states: readonly ReplicaState[];
  verdict: Verdict;
  expect: string;
  field: readonly string[];
  stable: number;
  durationMs: number;
  interruptedBy?: string | undefined;
  exitCode?: number | undefined;
}): VerifyReport {
  return {
    version: 1,
    expect: input.expect,
    field: input.field.join('.'),
    stable: input.stable,
    exitCode: input.exitCode ?? input.verdict.exitCode,
    summary: input.interruptedBy ? `interrupted by ${input.interruptedBy}: ${input.verdict.summary}` : input.verdict.summary,
    interruptedBy: input.interruptedBy ?? null,
    durationMs: input.durationMs,
    replicas: input.states.map((s) => ({
      replica: s.id,
      kind: s.kind,
      status: s.status,
      present: s.present,
      lastBuild: s.lastBuild ?? null,
      lastOutcome: s.lastOutcome ?? null,
      attempts: s.attempts,
      answers: s.answers,
      streak: s.streak,
      needed: s.needed,
      lastError: s.lastError ?? null,
      timeline: s.timeline,
    })),
  };
}
