// `whalekeeper ls`: who owns what on the engine.
import type { Output } from '../core/events.js';
import { EXIT } from '../core/exit-codes.js';
import { lsView } from '../core/ls-view.js';
import type { GlobalSettings } from '../core/settings.js';
import type { Engine } from '../edge/engine.js';
import { readInventory } from './snapshot.js';

/** What `ls` lists beyond containers, and whether to ask for sizes. */
export interface LsOptions {
  readonly images: boolean;
  readonly volumes: boolean;
  /** Container sizes and volume sizes (`system df`): costly on big engines, so only on request. */
  readonly sizes: boolean;
}

/** Lists; resolves with the exit code. */
export async function ls(options: LsOptions, deps: { settings: GlobalSettings; output: Output; engine: Engine; now: () => number }): Promise<number> {
  try {
    const { inventory } = await readInventory(
      deps.engine,
      { sizes: options.sizes, df: options.sizes && (options.images || options.volumes), tagTimes: false, volumes: options.volumes, networks: false, images: options.images },
      deps.now,
    );
    deps.output.emit({ type: 'ls-result', result: lsView(inventory, { build: deps.settings.build?.id, images: options.images, volumes: options.volumes, now: deps.now() }) });
    return EXIT.ok;
  } finally {
    deps.engine.close();
  }
}
