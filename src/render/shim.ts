// Renders the events of `whalekeeper shim`: the function and the PATH line on stdout (to paste or eval), notes on stderr.
import type { ShimEvent } from '../core/shim-events.js';
import { escapeControl } from '../core/mask.js';

type Out = { readonly stream: 'out' | 'err'; readonly text: string };

/** Lines for people. */
export function renderShimHuman(event: ShimEvent): Out[] {
  switch (event.type) {
    case 'shim-installed':
      return [
        { stream: 'err', text: `whalekeeper: installed the docker shim at \`${escapeControl(event.path)}\`` },
        event.onPath
          ? { stream: 'err', text: `whalekeeper: \`${escapeControl(event.dir)}\` is on PATH already; make sure it comes before the real docker` }
          : { stream: 'err', text: 'whalekeeper: add this line to your shell profile (~/.profile, ~/.bashrc or ~/.zshrc), then open a new shell:' },
        ...(event.onPath ? [] : [{ stream: 'out' as const, text: event.pathLine }]),
      ];
    case 'shim-uninstalled':
      return [
        {
          stream: 'err',
          text: event.removed
            ? `whalekeeper: removed the docker shim \`${escapeControl(event.path)}\` (remove its PATH line from your profile too)`
            : `whalekeeper: no docker shim at \`${escapeControl(event.path)}\``,
        },
      ];
    case 'shim-function':
      return [{ stream: 'out', text: event.text.replace(/\n$/, '') }];
  }
}

/** The --json document (version 1). */
export function renderShimJson(event: ShimEvent): Out {
  return { stream: 'out', text: JSON.stringify({ version: 1, ...event }) };
}
