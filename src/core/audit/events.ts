// Events of `whalekeeper audit`: one report, rendered as `file:line: message` lines or one JSON document.
import type { Finding, Unparsed } from './audit.js';

/** A finding in a file, and whether `--fix` fixed it. */
export interface FileFinding extends Finding {
  /** The path as given or found, relative to where audit ran when it was found by walking. */
  readonly file: string;
  readonly fixed: boolean;
}

/** A part of a file its reader could not parse: read the simple way, line by line. */
export interface FileUnparsed extends Unparsed {
  readonly file: string;
}

/** A file audit could not read, or (with `--fix`) could not write; the walk went on. */
export interface FileFailure {
  readonly file: string;
  readonly action: 'read' | 'write';
  /** One line: `EACCES: permission denied`. */
  readonly reason: string;
}

/** What `audit` found across the files it read. */
export interface AuditReport {
  readonly filesScanned: number;
  readonly findings: readonly FileFinding[];
  readonly failures: readonly FileFailure[];
  /** The parts of files that could not be parsed, read the simple way (their findings are in `findings`). */
  readonly unparsed: readonly FileUnparsed[];
  readonly fix: boolean;
  /** With `--strict`, a `docker run` audit cannot tell about, and a part not parsed, count as findings. */
  readonly strict: boolean;
}

/** Whether a finding is left for a person: not fixed, and a finding (a "cannot tell" only with `--strict`). */
export function isOpen(finding: FileFinding, strict: boolean): boolean {
  return !finding.fixed && (finding.kind !== 'cannot-tell' || strict);
}

/** Events of `whalekeeper audit`. */
export type AuditEvent = { readonly type: 'audit-report'; readonly report: AuditReport };
