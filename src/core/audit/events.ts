// Events of `whalekeeper audit`: one report, rendered as `file:line: message` lines or one JSON document.
import type { Finding } from './audit.js';

/** A finding in a file, and whether `--fix` fixed it. */
export interface FileFinding extends Finding {
  /** The path as given or found, relative to where audit ran when it was found by walking. */
  readonly file: string;
  readonly fixed: boolean;
}

/** What `audit` found across the files it read. */
export interface AuditReport {
  readonly filesScanned: number;
  readonly findings: readonly FileFinding[];
  readonly fix: boolean;
}

/** Events of `whalekeeper audit`. */
export type AuditEvent = { readonly type: 'audit-report'; readonly report: AuditReport };
