// `disk`: filesystem usage + thresholds -> ok / warn / fail, and the exit code that goes with it.
import type { DiskMeasure, EngineUsage, FilesystemUsage } from './inventory.js';
import { formatThreshold, thresholdBytes, type Threshold } from './units.js';

/** ok, warn (above --warn), fail (above --fail), unknown (the filesystem could not be measured). */
export type DiskStatus = 'ok' | 'warn' | 'fail' | 'unknown';

/** The result of `disk`. Versioned: its JSON form is an interface. */
export interface DiskReport {
  readonly version: 1;
  readonly engine: { readonly host: string; readonly dataRoot: string; readonly serverVersion: string };
  readonly filesystem: FilesystemUsage | null;
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

/** Exit code: 1 above --fail, or when --fail was given and nothing could be measured; else 0. */
export function diskExitCode(report: DiskReport): number {
  if (report.status === 'fail') return 1;
  if (report.status === 'unknown' && report.fail !== null) return 1;
  return 0;
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
    unmeasured: input.measure.ok ? null : input.measure.reason,
    usage: input.usage,
    status: diskStatus(input.measure, input.warn, input.fail),
    warn: input.warn ? formatThreshold(input.warn) : null,
    fail: input.fail ? formatThreshold(input.fail) : null,
    measuredMs: input.now,
  };
}
