// `whalekeeper shim install|uninstall|print`: the `docker` shim for laptops.
import { UsageError } from '../core/errors.js';
import type { Env } from '../core/engine/target.js';
import type { Output } from '../core/events.js';
import { onPath, pathLine, shimDir } from '../core/shim-plan.js';
import { shimFunction, shimScript, type ShimTarget } from '../core/shim-script.js';
import type { ShimFiles } from '../edge/shim-files.js';

/** What `shim` needs from the outside world. */
export interface ShimDeps {
  readonly output: Output;
  readonly files: ShimFiles;
  readonly target: ShimTarget;
  readonly env: Env;
  readonly home: string;
  readonly cwd: string;
}

/** Runs one action; resolves 0. */
export async function shim(action: string, options: { dir: string | undefined }, deps: ShimDeps): Promise<number> {
  const dir = shimDir(options.dir, deps.home, deps.cwd);
  switch (action) {
    case 'install': {
      const path = await deps.files.install(dir, shimScript(deps.target));
      deps.output.emit({ type: 'shim-installed', path, dir, onPath: onPath(dir, deps.env), pathLine: pathLine(dir, deps.home) });
      return 0;
    }
    case 'uninstall': {
      const removed = await deps.files.uninstall(dir);
      deps.output.emit({ type: 'shim-uninstalled', path: `${dir}/docker`, removed });
      return 0;
    }
    case 'print':
      deps.output.emit({ type: 'shim-function', text: shimFunction(deps.target) });
      return 0;
    default:
      throw new UsageError(`shim: unknown action \`${action}\`; give install, uninstall or print`);
  }
}
