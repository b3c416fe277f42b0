// `whalekeeper disk`: the data root's filesystem and the engine's breakdown, thresholds, Prometheus metrics.
import { diskExitCode, diskReport } from '../core/disk-status.js';
import type { Output } from '../core/events.js';
import { maskUrlSecrets } from '../core/mask.js';
import { renderMetrics } from '../core/metrics/disk.js';
import type { GlobalSettings } from '../core/settings.js';
import type { Threshold } from '../core/units.js';
import type { Disk } from '../edge/disk.js';
import type { Engine } from '../edge/engine.js';
import { measureDataRoot } from './snapshot.js';

/** `disk`'s validated options. */
export interface DiskOptions {
  readonly warn: Threshold | undefined;
  readonly fail: Threshold | undefined;
  readonly prometheus: string | undefined;
  /** Skip `system df` (slow on big engines): filesystem figures only. */
  readonly breakdown: boolean;
  readonly measureImage: string | undefined;
  /** --limit: measure the data root's bytes against this size (a DinD emptyDir's sizeLimit) instead of its filesystem. */
  readonly limitBytes: number | undefined;
}

/** Measures and reports; resolves with the exit code (1 above --fail, 5 not measured with --fail). */
export async function disk(
  options: DiskOptions,
  deps: { settings: GlobalSettings; output: Output; engine: Engine; disk: Disk; now: () => number; writeAtomically: (path: string, text: string) => Promise<void> },
): Promise<number> {
  try {
    const info = await deps.engine.info();
    const [measure, df] = await Promise.all([measureDataRoot(deps.settings.engine, info, deps.disk, { engine: deps.engine, image: options.measureImage }, options.limitBytes), options.breakdown ? deps.engine.df() : Promise.resolve(undefined)]);
    const report = diskReport({
      engine: { host: maskUrlSecrets(deps.settings.engine.host), dataRoot: info.dataRoot, serverVersion: info.serverVersion },
      measure,
      usage: df?.usage ?? null,
      warn: options.warn,
      fail: options.fail,
      now: deps.now(),
    });
    if (!measure.ok) deps.output.emit({ type: 'warning', message: `the data root could not be measured: ${measure.reason}` });
    if (options.prometheus !== undefined) await deps.writeAtomically(options.prometheus, renderMetrics(report));
    deps.output.emit({ type: 'disk-result', report });
    return diskExitCode(report);
  } finally {
    deps.engine.close();
  }
}
