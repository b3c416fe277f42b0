// Carries out a CleanupPlan: waves in order, each wave concurrently; target actions in chunks, measuring the
// filesystem again before each chunk and stopping once it is at or below the target.
import type { CleanupPlan, PlannedAction } from '../core/cleanup-plan.js';
import type { ActionResult } from '../core/clean-report.js';
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

async function runWaves(engine: Engine, actions: readonly PlannedAction[], output: Output): Promise<ActionResult[]> {
  const waves = [...new Set(actions.map((a) => a.wave))].sort((x, y) => x - y);
  const results: ActionResult[] = [];
  for (const wave of waves) {
    const group = actions.filter((a) => a.wave === wave);
    results.push(
      ...(await mapPool(group, ENGINE_CONCURRENCY, async (action): Promise<ActionResult> => {
        const done = await remove(engine, action);
        if (done.status === 'failed') output.emit({ type: 'clean-failed', action, message: done.message });
        if (done.status === 'removed') return { action, status: 'removed', ...(done.bytes === undefined ? {} : { bytes: done.bytes }) };
        return { action, status: done.status, ...('message' in done ? { message: done.message } : {}) };
      })),
    );
  }
  return results;
}

/** Executes the plan; `measure` reads the filesystem again (undefined when it cannot be measured). */
export async function executePlan(
  plan: CleanupPlan,
  engine: Engine,
  measure: () => Promise<FilesystemUsage | undefined>,
  output: Output,
): Promise<ActionResult[]> {
  const results = await runWaves(engine, plan.actions.filter((a) => a.phase === 'rules'), output);
  const target = plan.actions.filter((a) => a.phase === 'target');
  const limit = plan.target?.limitBytes ?? null;
  for (let i = 0; i < target.length; i += TARGET_CHUNK) {
    const usage = limit === null ? undefined : await measure();
    const reached = usage === undefined || limit === null || usage.usedBytes <= limit;
    if (usage !== undefined && limit !== null) output.emit({ type: 'clean-measure', usedBytes: usage.usedBytes, usedPercent: usage.usedPercent, limitBytes: limit, reached });
    if (reached) {
      results.push(...target.slice(i).map((action): ActionResult => ({ action, status: 'not-needed' })));
      break;
    }
    // The planner orders target actions children before parents, and each chunk runs in that order.
    for (const action of target.slice(i, i + TARGET_CHUNK)) results.push(...(await runWaves(engine, [action], output)));
  }
  return results;
}
