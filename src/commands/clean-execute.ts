// Carries out a CleanupPlan: waves in order, each wave concurrently; target actions in chunks, measuring the
// filesystem again before each chunk and stopping once it is at or below the target.
import type { CleanupPlan, PlannedAction } from '../core/clean/plan.js';
import type { ActionResult } from '../core/clean/report.js';
import { EngineUnreachableError } from '../core/errors.js';
import type { Output } from '../core/events.js';
import type { FilesystemUsage } from '../core/inventory.js';
import { mapPool } from '../core/pool.js';
import { ENGINE_CONCURRENCY, type Engine, type RemoveOutcome } from '../edge/engine.js';

/** Target actions removed between two measurements: one, as docuum does; a measurement is one statfs, an image removal far more. */
export const TARGET_CHUNK = 1;

function remove(engine: Engine, a: PlannedAction): Promise<RemoveOutcome> {
  switch (a.kind) {
    case 'container':
      return engine.removeContainer(a.id, { force: a.force, volumes: a.removeVolumes });
    case 'image':
      return engine.removeImage(a.id, a.tags);
    case 'volume':
      return engine.removeVolume(a.id);
    case 'network':
      return engine.removeNetwork(a.id);
    case 'build-cache':
      return engine.pruneBuildCache(a.keepBytes ?? 0);
  }
}

/** What the executor did, and the error that cut it short when the engine was lost midway. */
export interface Execution {
  readonly results: ActionResult[];
  /** Set when the engine stopped answering: `results` holds what was done before; the rest was not tried. */
  readonly lost: EngineUnreachableError | undefined;
}

/** Tracks the loss of the engine across concurrent removals: once lost, no further removal is started. */
interface Run {
  lost: EngineUnreachableError | undefined;
}

async function runWaves(engine: Engine, actions: readonly PlannedAction[], output: Output, run: Run): Promise<ActionResult[]> {
  const waves = [...new Set(actions.map((a) => a.wave))].sort((x, y) => x - y);
  const results: ActionResult[] = [];
  for (const wave of waves) {
    const group = actions.filter((a) => a.wave === wave);
    const done = await mapPool(group, ENGINE_CONCURRENCY, async (action): Promise<ActionResult | undefined> => {
      if (run.lost) return undefined;
      let outcome: RemoveOutcome;
      try {
        outcome = await remove(engine, action);
      } catch (error) {
        // Lost midway (a restart, a crash): what this removal did is unknown, so it is not counted.
        if (!(error instanceof EngineUnreachableError)) throw error;
        run.lost ??= error;
        return undefined;
      }
      if (outcome.status === 'failed') output.emit({ type: 'clean-failed', action, message: outcome.message });
      if (outcome.status === 'removed') return { action, status: 'removed', ...(outcome.bytes === undefined ? {} : { bytes: outcome.bytes }) };
      return { action, status: outcome.status, ...('message' in outcome ? { message: outcome.message } : {}) };
    });
    results.push(...done.filter((r): r is ActionResult => r !== undefined));
    if (run.lost) break;
  }
  return results;
}

/**
 * Executes the plan; `measure` reads the filesystem again (undefined when it cannot be measured). An engine lost
 * midway ends the execution with what was done so far, never with nothing: the caller reports it, then exits 3.
 */
export async function executePlan(
  plan: CleanupPlan,
  engine: Engine,
  measure: () => Promise<FilesystemUsage | undefined>,
  output: Output,
): Promise<Execution> {
  const run: Run = { lost: undefined };
  const results = await runWaves(engine, plan.actions.filter((a) => a.phase === 'rules'), output, run);
  const target = plan.actions.filter((a) => a.phase === 'target');
  const limit = plan.target?.limitBytes ?? null;
  for (let i = 0; i < target.length && !run.lost; i += TARGET_CHUNK) {
    let usage: FilesystemUsage | undefined;
    try {
      usage = limit === null ? undefined : await measure();
    } catch (error) {
      if (!(error instanceof EngineUnreachableError)) throw error;
      run.lost = error;
      break;
    }
    const reached = usage === undefined || limit === null || usage.usedBytes <= limit;
    if (usage !== undefined && limit !== null) output.emit({ type: 'clean-measure', usedBytes: usage.usedBytes, usedPercent: usage.usedPercent, limitBytes: limit, reached });
    if (reached) {
      results.push(...target.slice(i).map((action): ActionResult => ({ action, status: 'not-needed' })));
      break;
    }
    // The planner orders target actions children before parents, and each chunk runs in that order.
    for (const action of target.slice(i, i + TARGET_CHUNK)) results.push(...(await runWaves(engine, [action], output, run)));
  }
  return { results, lost: run.lost };
}
