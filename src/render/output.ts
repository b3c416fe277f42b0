// The Output commands emit to: renders each event, masks known secrets, writes to the right stream.
import type { Output, WhalekeeperEvent } from '../core/events.js';
import { maskSecrets } from '../core/mask.js';
import type { Line, Rendered, Renderers } from './base.js';
import { PLAIN, colourStyle, wantsColour, type Style } from './style.js';

/** The streams output goes to (process.stdout/stderr in production, buffers in tests). */
export interface Streams {
  readonly out: { write(text: string): unknown; isTTY?: boolean };
  readonly err: { write(text: string): unknown; isTTY?: boolean };
}

/** Creates the Output for one invocation: JSON lines with --json, else human lines, coloured only where allowed. */
export async function createOutput(options: {
  json: boolean;
  streams: Streams;
  env: Readonly<Record<string, string | undefined>>;
  /** BASE_RENDERERS (run, errors: the hot path loads no other renderer) or ALL_RENDERERS (render/all.ts). */
  renderers: Renderers;
}): Promise<Output> {
  const { renderers } = options;
  const secrets: string[] = [];
  const style: Style =
    !options.json && wantsColour(options.streams.err.isTTY === true, options.env) ? await colourStyle() : PLAIN;
  const write = (rendered: Rendered): void => {
    for (const line of rendered === undefined ? [] : Array.isArray(rendered) ? rendered : [rendered as Line]) {
      const stream = line.stream === 'out' ? options.streams.out : options.streams.err;
      stream.write(`${maskSecrets(line.text, secrets)}\n`);
    }
  };
  return {
    emit: (event: WhalekeeperEvent) => write(options.json ? renderers.json(event) : renderers.human(event, style)),
    addSecret: (value: string) => {
      if (value !== '' && !secrets.includes(value)) secrets.push(value);
    },
  };
}
