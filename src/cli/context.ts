// What every command handler receives from main: the process's environment and streams, and its global settings.
import type { Env } from '../core/engine/target.js';
import type { Output } from '../core/events.js';
import type { GlobalFlags } from '../core/global-options.js';
import type { GlobalSettings } from '../core/settings.js';
import type { Streams } from '../render/output.js';

/** The world one invocation runs in. Built once in main.ts; nothing reads process.* below this point. */
export interface Invocation {
  readonly env: Env;
  readonly home: string;
  readonly streams: Streams;
  readonly cwd: string;
}

/** What a command's handler gets: the invocation, resolved global settings, and the output to emit to. */
export interface CommandContext extends Invocation {
  readonly flags: GlobalFlags;
  readonly settings: GlobalSettings;
  readonly output: Output;
  /** For pass-through commands (`run`, `build`): the argv after the command word, untouched. */
  readonly rest: readonly string[];
}
