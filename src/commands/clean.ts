// `whalekeeper clean`: read the engine, plan, then render the plan (--dry-run) or carry out that same plan and report.
import { planCleanup, type CleanupPlan } from '../core/clean/plan.js';
import { buildReport, reportExitCode, type CleanReport } from '../core/clean/report.js';
import type { CleanSettings } from '../core/clean/settings.js';
import { EngineError, EngineUnreachableError, WhalekeeperError } from '../core/errors.js';
import { addFailedRound, failedRoundSummary, mustStop, type FailedRounds } from '../core/clean/failed-rounds.js';
import type { Output } from '../core/events.js';
import { EXIT } from '../core/exit-codes.js';
import { maskUrlSecrets } from '../core/mask.js';
import type { DiskMeasure, EngineUsage, FilesystemUsage } from '../core/inventory.js';
import { diskReport, isAbove, type DiskReport } from '../core/disk-status.js';
import { renderRoundMetrics, startTally, tallyRound, type RoundResult } from '../core/metrics/rounds.js';
import { formatBytes, formatThreshold } from '../core/units.js';
import type { GlobalSettings } from '../core/settings.js';
import type { Disk } from '../edge/disk.js';
import type { Engine } from '../edge/engine.js';
import { executePlan } from './clean-execute.js';
import { LOCK_NAME, takeCleanLock, type LockClaimant } from './clean-lock.js';
import { measureDataRoot, readInventory } from './snapshot.js';

/** What `clean` needs from the outside world. */
export interface CleanDeps {
  readonly settings: GlobalSettings;
  readonly output: Output;
  /** A fresh engine connection (one per round with --every, so an engine restart costs one round at most). */
  readonly connect: () => Engine;
  readonly disk: Disk;
  readonly now: () => number;
  /** Waits; resolves false when aborted (SIGTERM), true otherwise. */
  readonly sleep: (ms: number) => Promise<boolean>;
  readonly lockClaimant: LockClaimant;
  /**
   * Called with the plan once it is taken, before any removal: the seam where a test changes the engine between
   * plan and execution (a container started meanwhile must be refused by the engine and kept). Unset in production.
   */
  readonly beforeExecute?: (plan: CleanupPlan) => Promise<void>;
  /** Writes the --prometheus textfile (temporary file + rename, so the collector never reads half of it). */
  readonly writeAtomically: (path: string, text: string) => Promise<void>;
}

/** What a round's metrics need from the engine: its data root, measured after the round, and its breakdown. */
interface RoundDisk {
  readonly engine: DiskReport['engine'];
  readonly measure: DiskMeasure;
  readonly usage: EngineUsage | null;
}

interface Outcome {
  readonly plan: CleanupPlan;
  readonly report: CleanReport | undefined;
  readonly skipped?: string;
  /** The engine was lost midway: the report holds what was done before. */
  readonly lost?: EngineUnreachableError;
  /** Why the disk could not be measured when a decision or the metrics needed it. */
  readonly unmeasured?: string;
  /** With --prometheus. */
  readonly disk?: RoundDisk;
}

async function cleanOnce(settings: CleanSettings, deps: CleanDeps, quiet: boolean): Promise<Outcome> {
  const engine = deps.connect();
  let release: (() => Promise<void>) | undefined;
  try {
    const started = deps.now();
    const info = await engine.info();
    // A helper container measures a data root not visible here, but only when a decision or the metrics need the figure.
    const needsDisk = settings.policy.target !== undefined || settings.high !== undefined || settings.measureImage !== undefined || settings.limitBytes !== undefined || settings.prometheus !== undefined;
    const remote = needsDisk ? { engine, image: settings.measureImage } : undefined;
    const measure = async (): Promise<FilesystemUsage | undefined> => {
      const m = await measureDataRoot(deps.settings.engine, info, deps.disk, remote, settings.limitBytes);
      return m.ok ? m.usage : undefined;
    };
    const first = await measureDataRoot(deps.settings.engine, info, deps.disk, remote, settings.limitBytes);
    const before = first.ok ? first.usage : undefined;
    const unmeasured = !first.ok && needsDisk ? first.reason : undefined;
    const { policy } = settings;
    if (unmeasured && !quiet) deps.output.emit({ type: 'warning', message: `cannot measure the disk: ${unmeasured}; --target/--high cannot be applied` });
    // The metrics of a round: the data root as the round left it, and the engine's breakdown (one `system df`).
    const roundDisk = async (latest: FilesystemUsage | undefined): Promise<RoundDisk | undefined> =>
      settings.prometheus === undefined
        ? undefined
        : { engine: { host: maskUrlSecrets(deps.settings.engine.host), dataRoot: info.dataRoot, serverVersion: info.serverVersion }, measure: latest ? { ok: true, usage: latest } : first, usage: (await engine.df()).usage };
    if (settings.high && before && !isAbove(before, settings.high)) {
      const plan: CleanupPlan = { version: 1, scope: policy.scope, takenMs: started, graceMs: policy.graceMs, actions: [], kept: [], target: undefined };
      return { plan, report: undefined, skipped: `${before.usedPercent.toFixed(1)}% used, below --high ${formatThreshold(settings.high)}`, disk: await roundDisk(before) };
    }
    const agent = policy.scope.kind === 'agent';
    // Every agent clean takes the engine-wide lock: a second one at the same time skips instead of overshooting a
    // target, meeting "a prune operation is already running", or counting removals twice: the engine answers 204 to
    // two concurrent DELETEs of one container (the second can get past its "removal in progress" check just after
    // the first resets it), so a removal's answer alone cannot tell which of two cleans removed it.
    if (agent && !settings.dryRun) {
      const lock = await takeCleanLock(engine, deps.now(), deps.lockClaimant);
      if (lock.status === 'held') {
        const plan: CleanupPlan = { version: 1, scope: policy.scope, takenMs: started, graceMs: policy.graceMs, actions: [], kept: [], target: undefined };
        const since = lock.sinceMs === null ? '' : ` since ${new Date(lock.sinceMs).toISOString()}`;
        const skipped = `another clean holds the lock (network \`${LOCK_NAME}\`${since})`;
        return { plan, skipped, unmeasured, report: buildReport({ plan, results: [], durationMs: deps.now() - started, before, after: before, skipped }), disk: await roundDisk(before) };
      }
      if (lock.status === 'none' && !quiet) deps.output.emit({ type: 'warning', message: `cleaning without the engine-wide lock: ${lock.reason}` });
      if (lock.status === 'taken') release = lock.release;
    }
    const { inventory } = await readInventory(
      engine,
      {
        sizes: settings.sizes,
        df: agent && (policy.target !== undefined || policy.volumes || policy.buildCacheKeepBytes !== undefined || policy.images === 'unused'),
        tagTimes: agent && (policy.target !== undefined || policy.images === 'unused'),
        volumes: agent && policy.volumes,
        networks: !agent || policy.networks,
      },
      deps.now,
    );
    const plan = planCleanup(inventory, policy, before, deps.now());
    if (settings.dryRun) return { plan, report: undefined };
    await deps.beforeExecute?.(plan);
    const { results, lost } = await executePlan(plan, engine, measure, quiet ? { emit: () => {}, addSecret: () => {} } : deps.output);
    // After a lost engine the filesystem may still be measurable here (statfs), not through a helper container.
    const after = before ? await measure().catch(() => undefined) : undefined;
    const report = buildReport({ plan, results, durationMs: deps.now() - started, before, after, ...(lost ? { lost: lost.message } : {}) });
    return { plan, lost, unmeasured, report, disk: lost ? undefined : await roundDisk(after) };
  } finally {
    await release?.().catch(() => undefined);
    engine.close();
  }
}

/** Runs `clean` once, or every `--every`; resolves with the exit code. */
export async function clean(settings: CleanSettings, deps: CleanDeps): Promise<number> {
  if (settings.everyMs === undefined) {
    const { plan, report, skipped, lost } = await cleanOnce(settings, deps, false);
    if (skipped && !report) deps.output.emit({ type: 'info', message: `nothing to do: ${skipped}` });
    if (!report) {
      deps.output.emit({ type: 'clean-plan', plan, verbose: deps.settings.verbose });
      return EXIT.ok;
    }
    deps.output.emit({ type: 'clean-report', report, plan });
    // What was removed is reported first; then the loss ends the command with its own line and exit 3.
    if (lost) throw lost;
    return reportExitCode(report);
  }
  let failed: FailedRounds | undefined;
  let tally = startTally(deps.now());
  let engineSeen: DiskReport['engine'] = { host: maskUrlSecrets(deps.settings.engine.host), dataRoot: '', serverVersion: '' };
  for (let round = 1; ; round++) {
    const r = await runRound(settings, deps);
    let stop = false;
    let line = r.line;
    if (r.error) {
      // The engine could not be spoken to: a line per round, and the end of the loop after a few in a row.
      failed = addFailedRound(failed, deps.now());
      const failure = r.error instanceof EngineUnreachableError ? 'no-answer' : 'answered';
      stop = mustStop(failed, failure, deps.now());
      line = failedRoundSummary(failed, failure, stop, r.error.message);
    } else {
      failed = undefined;
    }
    deps.output.emit({ type: 'clean-round', round, summary: line });
    if (settings.prometheus !== undefined) {
      tally = tallyRound(tally, { result: r.result, freedBytes: r.freedBytes, atMs: deps.now() });
      // A round that never reached the engine keeps the labels of the last one that did (the same series).
      engineSeen = r.disk?.engine ?? engineSeen;
      const measure: DiskMeasure = r.disk?.measure ?? { ok: false, reason: line };
      const report = diskReport({ engine: engineSeen, measure, usage: r.disk?.usage ?? null, warn: undefined, fail: undefined, now: deps.now() });
      await deps.writeAtomically(settings.prometheus, renderRoundMetrics(tally, report));
    }
    if (stop && r.error && failed) throw new WhalekeeperError(`clean --every stops after ${failed.count} failed rounds in a row: ${r.error.message}`, r.error.exitCode, { cause: r.error });
    if (!(await deps.sleep(settings.everyMs))) return EXIT.ok;
  }
}

/** One round of --every: its line, its result and what it freed, and its disk figures for the metrics. */
interface Round {
  readonly line: string;
  readonly result: RoundResult;
  readonly freedBytes: number;
  readonly disk?: RoundDisk;
  /** whalekeeper could not speak to the engine (the loop counts these and ends after a few in a row). */
  readonly error?: EngineError;
}

/** One round of --every, as one line; an engine that could not be spoken to is a failed round, not the end. */
async function runRound(settings: CleanSettings, deps: CleanDeps): Promise<Round> {
  try {
    const { report, skipped, unmeasured, disk } = await cleanOnce(settings, deps, true);
    const note = unmeasured ? `; disk not measured: ${unmeasured}` : '';
    if (skipped) return { line: `nothing to do: ${skipped}${note}`, result: report ? 'skipped' : 'idle', freedBytes: 0, disk };
    if (!report) return { line: `nothing to do${note}`, result: 'idle', freedBytes: 0, disk };
    const c = report.counts;
    const fs = report.filesystem;
    const failed = report.failures.length;
    const line = [
      `removed ${c.container.removed} containers, ${c.image.removed} images, ${c.volume.removed} volumes, ${c.network.removed} networks`,
      fs ? `freed ${formatBytes(fs.freedBytes)} (${fs.before.usedPercent.toFixed(1)}% -> ${fs.after.usedPercent.toFixed(1)}%)` : `engine reports ${formatBytes(report.engineReclaimedBytes)}`,
      `${(report.durationMs / 1000).toFixed(1)}s`,
      ...(failed > 0 ? [`${failed} failed: ${report.failures[0]!.message}`] : []),
      ...(report.target?.reached === false ? [`target ${report.target.threshold} not reached: ${report.target.why}`] : []),
      ...(report.interrupted ? [`stopped: ${report.interrupted.reason}`] : []),
    ].join('; ');
    return { line: `${line}${note}`, result: failed > 0 || report.interrupted ? 'failed' : 'cleaned', freedBytes: Math.max(0, fs ? fs.freedBytes : report.engineReclaimedBytes), disk };
  } catch (error) {
    if (error instanceof EngineError) return { line: error.message, result: 'failed', freedBytes: 0, error };
    throw error;
  }
}
