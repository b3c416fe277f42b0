// Events of `whalekeeper verify`. Rendered by src/render/verify.ts.
import type { AttemptOutcome } from './attempt.js';
import type { VerifyReport } from './report.js';
import type { ReplicaStatus } from './state.js';

/** One replica's line in the live table. */
export interface LiveRow {
  readonly replica: string;
  readonly status: ReplicaStatus;
  readonly build: string | undefined;
  readonly outcome: AttemptOutcome | undefined;
  readonly streak: number;
  /** Matching answers in a row needed (more for a pool). */
  readonly needed: number;
  readonly attempts: number;
}

/** Everything `verify` reports while it runs and when it ends. */
export type VerifyEvent =
  /** Verification starts: the replicas known so far and the build expected. */
  | {
      readonly type: 'verify-start';
      readonly replicas: readonly string[];
      readonly expect: string;
      readonly timeoutMs: number;
      readonly stable: number;
      /** The URL stands for several replicas (a load balancer): the pool rule applies. */
      readonly pool: boolean;
    }
  /** A replica's state or outcome changed (one line per change, prefixed with the replica). */
  | {
      readonly type: 'verify-change';
      readonly replica: string;
      readonly status: ReplicaStatus;
      readonly outcome: AttemptOutcome;
      readonly detail: string;
      readonly streak: number;
      /** Matching answers in a row needed (--stable, or the pool rule's number). */
      readonly stable: number;
      readonly attempts: number;
    }
  /**
   * On a TTY instead of the change lines: the whole table after a round that changed something, drawn over the
   * previous one (`redraw` lines up).
   */
  | {
      readonly type: 'verify-live';
      readonly rows: readonly LiveRow[];
      /** Lines drawn last time, to move up over. */
      readonly redraw: number;
      /** The terminal's size: the table is laid out to fit it (src/core/verify/live.ts). */
      readonly columns: number;
      readonly height: number;
    }
  /** At the deadline, or when a newer build settles it: how a replica ended, from everything it answered. */
  | { readonly type: 'verify-end'; readonly replica: string; readonly status: ReplicaStatus; readonly reason: string; readonly attempts: number }
  /** --all-addresses: DNS listed new addresses or stopped listing some. */
  | { readonly type: 'verify-replicas'; readonly added: readonly string[]; readonly gone: readonly string[] }
  /** The final report: the table (human) or the one JSON document (--json), on stdout. */
  | { readonly type: 'verify-report'; readonly report: VerifyReport };
