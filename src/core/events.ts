// Everything whalekeeper reports is an event of this union; renderers turn events into human lines or JSON.
// Masking happens in the renderer, the one place events become text.
import type { AuditEvent } from './audit/events.js';
import type { BuildEvent } from './build-events.js';
import type { ShimEvent } from './shim-events.js';
import type { VerifyEvent } from './verify/events.js';
import type { CleanEvent, InventoryEvent } from './clean/events.js';

/** Events of `whalekeeper run`. */
export type RunEvent =
  /** The docker client command about to run (`--verbose`); rendered with secrets masked. */
  | { readonly type: 'docker-command'; readonly argv: readonly string[] }
  /** An abort signal arrived; the container gets `graceSeconds` to stop before it is killed and removed. */
  | { readonly type: 'abort'; readonly signal: string; readonly graceSeconds: number; readonly containers: number }
  /** After an abort: what was removed. */
  | { readonly type: 'abort-done'; readonly signal: string; readonly removed: number };

/** Events any command may emit. */
export type CommonEvent =
  | { readonly type: 'info'; readonly message: string }
  | { readonly type: 'warning'; readonly message: string }
  | {
      readonly type: 'error';
      readonly message: string;
      readonly hint: string | undefined;
      readonly exitCode: number;
      /** Set for internal errors: the stack and versions, for a bug report. */
      readonly detail: string | undefined;
    };

/** Every event whalekeeper emits. */
export type WhalekeeperEvent = RunEvent | BuildEvent | CleanEvent | InventoryEvent | VerifyEvent | AuditEvent | ShimEvent | CommonEvent;

/** Where commands send events. Implementations render them; commands never write to stdout/stderr themselves. */
export interface Output {
  emit(event: WhalekeeperEvent): void;
  /** Registers a value that must never be printed (a header value, a token); every later line is masked. */
  addSecret(value: string): void;
}
