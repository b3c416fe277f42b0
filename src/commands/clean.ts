// `whalekeeper clean`: read the engine, plan, then render the plan (--dry-run) or carry out that same plan and report.
import { planCleanup, type CleanupPlan } from '../core/clean/plan.js';
import { buildReport, reportExitCode, type CleanReport } from '../core/clean/report.js';
import type { CleanSettings } from '../core/clean/settings.js';
import { EngineError, EngineUnreachableError, WhalekeeperError } from '../core/errors.js';
import { addFailedRound, failedRoundSummary, mustStop, type FailedRounds } from '../core/clean/failed-rounds.js';
import type { Output } from '../core/events.js';
import { EXIT } from '../core/exit-codes.js';
import { maskUrlSecrets } from '../core/mask.js';
import type { DiskMeasure, EngineUsage, FilesystemUsage, NetworkInfo } from '../core/inventory.js';
import { diskReport, isAbove, type DiskReport } from '../core/disk-status.js';
import { engineContents, type EngineContents } from '../core/metrics/contents.js';
import { renderRoundMetrics, startTally, tallyRound, type RemovedKind, type RoundResult } from '../core/metrics/rounds.js';
import { formatBytes, formatThreshold } from '../core/units.js';
import type { GlobalSettings } from '../core/settings.js';
import type { Disk } from '../edge/disk.js';
import type { Engine } from '../edge/engine.js';
import { executePlan } from './clean-execute.js';
import { LOCK_NAME } from '../core/clean/lock.js';
import { takeCleanLock, type Lock, type LockClaimant } from './clean-lock.js';
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

/** What a round's metrics need from the engine: its data root, measured after the round, its breakdown and contents. */
interface RoundDisk {
  readonly engine: DiskReport['engine'];
  readonly measure: DiskMeasure;
  readonly usage: EngineUsage | null;
  readonly contents: EngineContents;
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

/** Marks a promise as handled until it is awaited: a read that fails while another is awaited fails where it is awaited. */
function later<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

async function cleanOnce(settings: CleanSettings, deps: CleanDeps, quiet: boolean): Promise<Outcome> {
  const engine = deps.connect();
  let lock: Promise<Lock> | undefined;
  try {
    const started = deps.now();
    const info = later(engine.info());
    // A helper container measures a data root not visible here, but only when a decision or the metrics need the figure.
    const needsDisk = settings.policy.target !== undefined || settings.high !== undefined || settings.measureImage !== undefined || settings.limitBytes !== undefined || settings.prometheus !== undefined;
    const remote = needsDisk ? { engine, image: settings.measureImage } : undefined;
    const measureNow = async (): Promise<DiskMeasure> => measureDataRoot(deps.settings.engine, await info, deps.disk, remote, settings.limitBytes);
    const measure = async (): Promise<FilesystemUsage | undefined> => {
      const m = await measureNow();
      return m.ok ? m.usage : undefined;
    };
    const { policy } = settings;
    const agent = policy.scope.kind === 'agent';
    const nothingPlanned: CleanupPlan = { version: 1, scope: policy.scope, takenMs: started, graceMs: policy.graceMs, actions: [], kept: [], target: undefined };
    // The metrics of a round: the data root as the round left it, the engine's breakdown (one `system df`, which
    // also sizes each container and image) and what is on it by owner (the container and image lists).
    const roundDisk = async (first: DiskMeasure, latest: FilesystemUsage | undefined): Promise<RoundDisk | undefined> => {
      if (settings.prometheus === undefined) return undefined;
      const { dataRoot, serverVersion } = await info;
      const { inventory: after, df } = await readInventory(engine, { sizes: false, df: true, tagTimes: false, volumes: false, networks: false }, deps.now);
      const build = policy.scope.kind === 'build' ? policy.scope.build : undefined;
      return { engine: { host: maskUrlSecrets(deps.settings.engine.host), dataRoot, serverVersion }, measure: latest ? { ok: true, usage: latest } : first, usage: df!.usage, contents: engineContents(after, build) };
    };
    const firstRead = later(measureNow());
    // Without a disk decision (no --target, --high, --limit, --prometheus or --measure-image: a statfs here or
    // nothing), the lock and the inventory are read alongside the measurement. Otherwise the measurement comes first,
    // as --high decides from it whether the round runs at all (a round below it must not take the lock: a concurrent
    // clean would skip for nothing), and a helper container that measures must be gone before the inventory is read.
    if (remote !== undefined) {
      const first = await firstRead;
      if (settings.high && first.ok && !isAbove(first.usage, settings.high)) {
        return { plan: nothingPlanned, report: undefined, skipped: `${first.usage.usedPercent.toFixed(1)}% used, below --high ${formatThreshold(settings.high)}`, disk: await roundDisk(first, first.usage) };
      }
    }
    // Every agent clean takes the engine-wide lock: a second one at the same time skips instead of overshooting a
    // target, meeting "a prune operation is already running", or counting removals twice: the engine answers 204 to
    // two concurrent DELETEs of one container (the second can get past its "removal in progress" check just after
    // the first resets it), so a removal's answer alone cannot tell which of two cleans removed it.
    //
    // The inventory is read while the lock is taken, not after: that takes nothing from the lock, which is about
    // removals. Ours start only once the lock is ours, and another clean releases its own only once every one of its
    // removals has been answered, so no object gets two DELETEs at once, however old our inventory. What an inventory
    // read a few milliseconds before the lock can hold: objects that other clean removed before releasing (our DELETE
    // answers 404: `vanished`, never counted as removed by both); it can miss objects made meanwhile (left to the next
    // clean, as anything made just after the read always is). The lock's own look at the networks, listed once it is
    // created, is the inventory's network list (the planner leaves lock networks out: core/clean/lock.ts).
    lock = agent && !settings.dryRun ? later(takeCleanLock(engine, deps.now(), deps.lockClaimant)) : undefined;
    const wantNetworks = !agent || policy.networks;
    const listNetworks = (taken: Lock | undefined): Promise<readonly NetworkInfo[]> =>
      !wantNetworks || taken?.status === 'held' ? Promise.resolve([]) : taken?.status === 'taken' ? Promise.resolve(taken.networks) : engine.networks();
    const networksRead = later(lock ? lock.then(listNetworks) : listNetworks(undefined));
    const inventoryRead = later(
      readInventory(
        engine,
        {
          sizes: settings.sizes,
          df: agent && (policy.target !== undefined || policy.volumes || policy.buildCacheKeepBytes !== undefined || policy.images === 'unused'),
          tagTimes: agent && (policy.target !== undefined || policy.images === 'unused'),
          volumes: agent && policy.volumes,
          networks: false,
        },
        deps.now,
      ),
    );
    const first = await firstRead;
    const before = first.ok ? first.usage : undefined;
    const unmeasured = !first.ok && needsDisk ? first.reason : undefined;
    if (unmeasured && !quiet) deps.output.emit({ type: 'warning', message: `cannot measure the disk: ${unmeasured}; --target/--high cannot be applied` });
    const taken = await lock;
    if (taken?.status === 'held') {
      await Promise.allSettled([inventoryRead, networksRead]);
      const since = taken.sinceMs === null ? '' : ` since ${new Date(taken.sinceMs).toISOString()}`;
      const skipped = `another clean holds the lock (network \`${LOCK_NAME}\`${since})`;
      const plan = nothingPlanned;
      return { plan, skipped, unmeasured, report: buildReport({ plan, results: [], durationMs: deps.now() - started, before, after: before, skipped }), disk: await roundDisk(first, before) };
    }
    if (taken?.status === 'none' && !quiet) deps.output.emit({ type: 'warning', message: `cleaning without the engine-wide lock: ${taken.reason}` });
    const [{ inventory: listed }, networks] = await Promise.all([inventoryRead, networksRead]);
    const plan = planCleanup({ ...listed, networks }, policy, before, deps.now());
    if (settings.dryRun) return { plan, report: undefined };
    await deps.beforeExecute?.(plan);
    const { results, lost } = await executePlan(plan, engine, measure, quiet ? { emit: () => {}, addSecret: () => {} } : deps.output);
    // After a lost engine the filesystem may still be measurable here (statfs), not through a helper container.
    const after = before ? await measure().catch(() => undefined) : undefined;
    const report = buildReport({ plan, results, durationMs: deps.now() - started, before, after, ...(lost ? { lost: lost.message } : {}) });
    return { plan, lost, unmeasured, report, disk: lost ? undefined : await roundDisk(first, after) };
  } finally {
    // Released once every removal is answered and the filesystem measured after them: another clean may start then.
    const held = await lock?.catch(() => undefined);
    if (held?.status === 'taken') await held.release().catch(() => undefined);
    engine.close();
  }
}

/** True when the run decides from the disk's figure (--target, --high): an unmeasured disk then fails it. */
function decidesOnDisk(settings: CleanSettings): boolean {
  return settings.policy.target !== undefined || settings.high !== undefined;
}

/** Runs `clean` once, or every `--every`; resolves with the exit code. */
export async function clean(settings: CleanSettings, deps: CleanDeps): Promise<number> {
  if (settings.everyMs === undefined) {
    const { plan, report, skipped, lost, unmeasured } = await cleanOnce(settings, deps, false);
    if (skipped && !report) deps.output.emit({ type: 'info', message: `nothing to do: ${skipped}` });
    // --target and --high decide from the disk: one that could not be measured is never "done" (exit 5).
    const notMeasured = unmeasured !== undefined && decidesOnDisk(settings);
    if (!report) {
      deps.output.emit({ type: 'clean-plan', plan, verbose: deps.settings.verbose });
      return notMeasured ? EXIT.notMeasured : EXIT.ok;
    }
    deps.output.emit({ type: 'clean-report', report, plan });
    // What was removed is reported first; then the loss ends the command with its own line and exit 3.
    if (lost) throw lost;
    const code = reportExitCode(report);
    return code === EXIT.ok && notMeasured ? EXIT.notMeasured : code;
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
      tally = tallyRound(tally, { result: r.result, freedBytes: r.freedBytes, removed: r.removed, atMs: deps.now() });
      // A round that never reached the engine keeps the labels of the last one that did (the same series).
      engineSeen = r.disk?.engine ?? engineSeen;
      const measure: DiskMeasure = r.disk?.measure ?? { ok: false, reason: line };
      const report = diskReport({ engine: engineSeen, measure, usage: r.disk?.usage ?? null, warn: undefined, fail: undefined, now: deps.now() });
      await deps.writeAtomically(settings.prometheus, renderRoundMetrics(tally, report, r.disk?.contents));
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
  readonly removed?: Readonly<Record<RemovedKind, number>>;
  readonly disk?: RoundDisk;
  /** whalekeeper could not speak to the engine (the loop counts these and ends after a few in a row). */
  readonly error?: EngineError;
}

/** One round of --every, as one line; an engine that could not be spoken to is a failed round, not the end. */
async function runRound(settings: CleanSettings, deps: CleanDeps): Promise<Round> {
  try {
    const { report, skipped, unmeasured, disk } = await cleanOnce(settings, deps, true);
    const note = unmeasured ? `; disk not measured: ${unmeasured}` : '';
    // A round that had to decide from the disk and could not measure it failed at its job, whatever it removed.
    const notMeasured = unmeasured !== undefined && decidesOnDisk(settings);
    if (skipped) return { line: `nothing to do: ${skipped}${note}`, result: notMeasured ? 'failed' : report ? 'skipped' : 'idle', freedBytes: 0, disk };
    if (!report) return { line: `nothing to do${note}`, result: notMeasured ? 'failed' : 'idle', freedBytes: 0, disk };
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
    const removed = { container: c.container.removed, image: c.image.removed, volume: c.volume.removed, network: c.network.removed };
    return { line: `${line}${note}`, result: failed > 0 || report.interrupted || notMeasured ? 'failed' : 'cleaned', freedBytes: Math.max(0, fs ? fs.freedBytes : report.engineReclaimedBytes), removed, disk };
  } catch (error) {
    if (error instanceof EngineError) return { line: error.message, result: 'failed', freedBytes: 0, error };
    throw error;
  }
}
