// What a clean did: per-action outcomes aggregated into the report (counts per kind, bytes, filesystem before/after).
import type { CleanScope, CleanupPlan, ObjectKind, PlannedAction } from './plan.js';
import { EXIT } from '../exit-codes.js';
import type { FilesystemUsage } from '../inventory.js';

/** The outcome of one planned action. `not-needed`: a target action skipped because the target was reached. */
export type ActionStatus = 'removed' | 'vanished' | 'in-use' | 'failed' | 'not-needed';

/** One action and what became of it. */
export interface ActionResult {
  readonly action: PlannedAction;
  readonly status: ActionStatus;
  readonly message?: string;
  /** Bytes the engine says it freed (the plan's figure, or the build-cache prune's own). */
  readonly bytes?: number;
}

/** Counts for one kind of object. */
export interface KindCounts {
  removed: number;
  vanished: number;
  inUse: number;
  failed: number;
  notNeeded: number;
}

/** The report of a real run. Versioned: its JSON form is an interface. */
export interface CleanReport {
  readonly version: 1;
  readonly scope: CleanScope;
  readonly durationMs: number;
  readonly counts: Readonly<Record<ObjectKind, KindCounts>>;
  /** Sum of what the engine reports for the removed objects (unknown sizes count 0). */
  readonly engineReclaimedBytes: number;
  /** The data root's filesystem before and after; null when it could not be measured. */
  readonly filesystem: { readonly before: FilesystemUsage; readonly after: FilesystemUsage; readonly freedBytes: number } | null;
  /**
   * `usedBytes`: the filesystem after the run. `remaining` and `why`, when the target was not reached: what stays
   * (kept by the plan's rules, or refused by the engine) and why nothing more was removed.
   */
  readonly target: {
    readonly threshold: string;
    readonly limitBytes: number | null;
    readonly reached: boolean | null;
    readonly usedBytes: number | null;
    readonly remaining: { readonly kept: number; readonly inUse: number; readonly failed: number } | null;
    readonly why: string | null;
  } | null;
  readonly failures: readonly { readonly kind: ObjectKind; readonly id: string; readonly name: string; readonly message: string }[];
  /** Why nothing was done (another clean held the lock), or null. */
  readonly skipped: string | null;
  /** The engine was lost midway: why, and how many planned removals were not done (the counts hold those that were). */
  readonly interrupted: { readonly reason: string; readonly notDone: number } | null;
}

const KINDS: readonly ObjectKind[] = ['container', 'image', 'volume', 'network', 'build-cache'];

/** Aggregates the results. */
export function buildReport(input: {
  plan: CleanupPlan;
  results: readonly ActionResult[];
  durationMs: number;
  before: FilesystemUsage | undefined;
  after: FilesystemUsage | undefined;
  skipped?: string;
  /** Why the engine was lost midway, if it was. */
  lost?: string;
}): CleanReport {
  const counts = Object.fromEntries(KINDS.map((k) => [k, { removed: 0, vanished: 0, inUse: 0, failed: 0, notNeeded: 0 }])) as Record<ObjectKind, KindCounts>;
  let bytes = 0;
  for (const r of input.results) {
    const c = counts[r.action.kind];
    if (r.status === 'removed') {
      c.removed += 1;
      bytes += r.bytes ?? r.action.bytes ?? 0;
    } else if (r.status === 'vanished') c.vanished += 1;
    else if (r.status === 'in-use') c.inUse += 1;
    else if (r.status === 'failed') c.failed += 1;
    else c.notNeeded += 1;
  }
  const { before, after, plan } = input;
  const limit = plan.target?.limitBytes ?? null;
  const reached = limit === null || !after ? null : after.usedBytes <= limit;
  const interrupted = input.lost === undefined ? null : { reason: input.lost, notDone: plan.actions.length - input.results.length };
  const refused = (status: ActionStatus): number => input.results.filter((r) => r.status === status).length;
  const remaining = reached === false ? { kept: plan.kept.length, inUse: refused('in-use'), failed: refused('failed') } : null;
  return {
    version: 1,
    scope: plan.scope,
    durationMs: input.durationMs,
    counts,
    engineReclaimedBytes: bytes,
    filesystem: before && after ? { before, after, freedBytes: before.usedBytes - after.usedBytes } : null,
    target: plan.target
      ? { threshold: plan.target.threshold, limitBytes: limit, reached, usedBytes: after?.usedBytes ?? null, remaining, why: remaining && whyNotReached(remaining, interrupted !== null) }
      : null,
    failures: input.results
      .filter((r) => r.status === 'failed')
      .map((r) => ({ kind: r.action.kind, id: r.action.id, name: r.action.name, message: r.message ?? '' })),
    skipped: input.skipped ?? null,
    interrupted,
  };
}

/** Why a target was not reached, in one sentence. */
function whyNotReached(remaining: { kept: number; inUse: number; failed: number }, lost: boolean): string {
  if (lost) return 'the engine was lost before the target was reached';
  const parts = [
    `${remaining.kept} object(s) the rules keep (in use, younger than --grace, kept by label or --keep-image, or not selected by these options)`,
    ...(remaining.inUse > 0 ? [`${remaining.inUse} that came into use meanwhile`] : []),
    ...(remaining.failed > 0 ? [`${remaining.failed} whose removal failed`] : []),
  ];
  return `nothing removable is left: what remains is ${parts.join(', ')}`;
}

/** True when some removal failed for a reason other than the normal races. */
export function hasFailures(report: CleanReport): boolean {
  return report.failures.length > 0;
}

/** A real run's exit code: 1 when a removal failed or the --target was not reached, else 0 (a lost engine is 3, thrown). */
export function reportExitCode(report: CleanReport): number {
  return hasFailures(report) || report.target?.reached === false ? EXIT.failed : EXIT.ok;
}
