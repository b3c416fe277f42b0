// `whalekeeper clean`: read the engine, plan, then render the plan (--dry-run) or carry out that same plan and report.
import { planCleanup, type CleanupPlan } from '../core/cleanup-plan.js';
import { buildReport, hasFailures, type CleanReport } from '../core/clean-report.js';
import type { CleanSettings } from '../core/clean-settings.js';
import { EngineUnreachableError } from '../core/errors.js';
import type { Output } from '../core/events.js';
import { EXIT } from '../core/exit-codes.js';
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
        : { engine: { host: deps.settings.engine.host, dataRoot: info.dataRoot, serverVersion: info.serverVersion }, measure: latest ? { ok: true, usage: latest } : first, usage: (await engine.df()).usage };
    if (settings.high && before && !isAbove(before, settings.high)) {
      const plan: CleanupPlan = { version: 1, scope: policy.scope, takenMs: started, graceMs: policy.graceMs, actions: [], kept: [], target: undefined };
      return { plan, report: undefined, skipped: `${before.usedPercent.toFixed(1)}% used, below --high ${formatThreshold(settings.high)}`, disk: await roundDisk(before) };
    }
    const agent = policy.scope.kind === 'agent';
    // Cleans that evict to a target or prune the build cache take the engine-wide lock: a second one at the same
    // time skips instead of overshooting the target or meeting "a prune operation is already running". Rule-only
    // cleans need none (an object both plan is removed once; the other counts it as vanished) and save its cost.
    if (agent && !settings.dryRun && (policy.target !== undefined || policy.buildCacheKeepBytes !== undefined)) {
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
    const results = await executePlan(plan, engine, measure, quiet ? { emit: () => {}, addSecret: () => {} } : deps.output);
    const after = before ? await measure() : undefined;
    return { plan, unmeasured, report: buildReport({ plan, results, durationMs: deps.now() - started, before, after }), disk: await roundDisk(after) };
  } finally {
    await release?.().catch(() => undefined);
    engine.close();
  }
}

/** Runs `clean` once, or every `--every`; resolves with the exit code. */
export async function clean(settings: CleanSettings, deps: CleanDeps): Promise<number> {
  if (settings.everyMs === undefined) {
    const { plan, report, skipped } = await cleanOnce(settings, deps, false);
    if (skipped && !report) deps.output.emit({ type: 'info', message: `nothing to do: ${skipped}` });
    if (!report) {
      deps.output.emit({ type: 'clean-plan', plan, verbose: deps.settings.verbose });
      return EXIT.ok;
    }
    deps.output.emit({ type: 'clean-report', report, plan });
    return hasFailures(report) ? EXIT.failed : EXIT.ok;
  }
  let tally = startTally(deps.now());
  let engineSeen: DiskReport['engine'] = { host: deps.settings.engine.host, dataRoot: '', serverVersion: '' };
  for (let round = 1; ; round++) {
    const r = await runRound(settings, deps);
    deps.output.emit({ type: 'clean-round', round, summary: r.line });
    if (settings.prometheus !== undefined) {
      tally = tallyRound(tally, { result: r.result, freedBytes: r.freedBytes, atMs: deps.now() });
      // A round that never reached the engine keeps the labels of the last one that did (the same series).
      engineSeen = r.disk?.engine ?? engineSeen;
      const measure: DiskMeasure = r.disk?.measure ?? { ok: false, reason: r.line };
      const report = diskReport({ engine: engineSeen, measure, usage: r.disk?.usage ?? null, warn: undefined, fail: undefined, now: deps.now() });
      await deps.writeAtomically(settings.prometheus, renderRoundMetrics(tally, report));
    }
    if (!(await deps.sleep(settings.everyMs))) return EXIT.ok;
  }
}

/** One round of --every: its line, its result and what it freed, and its disk figures for the metrics. */
interface Round {
  readonly line: string;
  readonly result: RoundResult;
  readonly freedBytes: number;
  readonly disk?: RoundDisk;
}

/** One round of --every, as one line; an unreachable engine is a line too (it may be restarting), not the end. */
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
    ].join('; ');
    return { line: `${line}${note}`, result: failed > 0 ? 'failed' : 'cleaned', freedBytes: Math.max(0, fs ? fs.freedBytes : report.engineReclaimedBytes), disk };
  } catch (error) {
    if (error instanceof EngineUnreachableError) return { line: `skipped: ${error.message}`, result: 'skipped', freedBytes: 0 };
    throw error;
  }
}
