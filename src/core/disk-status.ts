// `disk`: filesystem usage + thresholds -> ok / warn / fail, and the exit code that goes with it.
import { EXIT } from './exit-codes.js';
import { usedPercentOf, type DiskMeasure, type EngineUsage, type FilesystemUsage, type HeldFilesystem } from './inventory.js';
import { formatThreshold, thresholdBytes, type Threshold } from './units.js';

/** ok, warn (above --warn), fail (above --fail), unknown (the filesystem could not be measured). */
export type DiskStatus = 'ok' | 'warn' | 'fail' | 'unknown';

/** The result of `disk`. Versioned: its JSON form is an interface. */
export interface DiskReport {
  readonly version: 1;
  readonly engine: { readonly host: string; readonly dataRoot: string; readonly serverVersion: string };
  readonly filesystem: FilesystemUsage | null;
  /** Each filesystem holding engine data, when there is more than one (`filesystem` is then the fullest); else []. */
  readonly filesystems: readonly HeldFilesystem[];
  /** Why the filesystem could not be measured, when it could not. */
  readonly unmeasured: string | null;
  readonly usage: EngineUsage | null;
  readonly status: DiskStatus;
  readonly warn: string | null;
  readonly fail: string | null;
  readonly measuredMs: number;
}

/** True when a filesystem is above a threshold (bytes used, or df's used percent). */
export function isAbove(usage: FilesystemUsage, threshold: Threshold): boolean {
  return usage.usedBytes > thresholdBytes(threshold, usage.usedBytes + usage.availableBytes);
}

/** Decides the status. An unmeasured filesystem is `unknown`: a monitor must not read it as fine. */
export function diskStatus(measure: DiskMeasure, warn: Threshold | undefined, fail: Threshold | undefined): DiskStatus {
  if (!measure.ok) return 'unknown';
  if (fail && isAbove(measure.usage, fail)) return 'fail';
  if (warn && isAbove(measure.usage, warn)) return 'warn';
  return 'ok';
}

/** Exit code: 1 above --fail; 5 when --fail was given and nothing could be measured (never read as fine); else 0. */
export function diskExitCode(report: DiskReport): number {
  if (report.status === 'fail') return EXIT.failed;
  if (report.status === 'unknown' && report.fail !== null) return EXIT.notMeasured;
  return EXIT.ok;
}

/**
 * The data root measured against `--limit` (a DinD emptyDir's sizeLimit): its tree's bytes used, the rest of the
 * limit available, so percentages are of the limit, not of the node's filesystem an emptyDir shares. Inodes stay the
 * filesystem's (the kubelet's nodefs.inodesFree is node-wide), when it could be read.
 */
export function againstLimit(path: string, treeBytes: number, limitBytes: number, filesystem: FilesystemUsage | undefined): FilesystemUsage {
  const available = Math.max(0, limitBytes - treeBytes);
  return {
    path,
    totalBytes: limitBytes,
    usedBytes: treeBytes,
    availableBytes: available,
    usedPercent: usedPercentOf(treeBytes, available),
    inodesTotal: filesystem?.inodesTotal ?? 0,
    inodesUsed: filesystem?.inodesUsed ?? 0,
    method: 'du',
  };
}

/**
 * One measure from each filesystem holding engine data: the fullest (by df's used percent) is the figure thresholds
 * and `--target` are held against, since any full one stops the engine; each is kept for the report.
 */
export function fullestOf(held: readonly HeldFilesystem[]): DiskMeasure {
  if (held.length === 0) return { ok: false, reason: 'no filesystem holding engine data was measured' };
  const fullest = held.reduce((a, b) => (b.usage.usedPercent > a.usage.usedPercent ? b : a));
  return held.length === 1 ? { ok: true, usage: fullest.usage } : { ok: true, usage: fullest.usage, filesystems: held };
}

/** Builds the report. */
export function diskReport(input: {
  engine: DiskReport['engine'];
  measure: DiskMeasure;
  usage: EngineUsage | null;
  warn: Threshold | undefined;
  fail: Threshold | undefined;
  now: number;
}): DiskReport {
  return {
    version: 1,
    engine: input.engine,
    filesystem: input.measure.ok ? input.measure.usage : null,
    filesystems: input.measure.ok ? (input.measure.filesystems ?? []) : [],
    unmeasured: input.measure.ok ? null : input.measure.reason,
    usage: input.usage,
    status: diskStatus(input.measure, input.warn, input.fail),
    warn: input.warn ? formatThreshold(input.warn) : null,
    fail: input.fail ? formatThreshold(input.fail) : null,
    measuredMs: input.now,
  };
}
