// `whalekeeper audit`: reads pipeline files, reports every `docker run` without `--rm`, and with --fix adds it.
import { fixBytes, auditFileBytes } from '../core/audit/bytes.js';
import { isOpen, type FileFailure, type FileFinding, type FileUnparsed } from '../core/audit/events.js';
import type { Output } from '../core/events.js';
import type { AuditFiles } from '../edge/audit-files.js';

/** What `audit` needs from the outside world. */
export interface AuditDeps {
  readonly output: Output;
  readonly files: AuditFiles;
}

/**
 * Audits `paths` (default `.`); resolves 1 when a finding is left (not fixed) or a file failed (with `--strict`, also a
 * "cannot tell" or a part that could not be parsed), else 0.
 */
export async function audit(paths: readonly string[], options: { fix: boolean; strict?: boolean }, deps: AuditDeps): Promise<number> {
  const strict = options.strict === true;
  const listed = await deps.files.list(paths.length > 0 ? paths : ['.']);
  const files = listed.files;
  const findings: FileFinding[] = [];
  const failures: FileFailure[] = [...listed.failures];
  const unparsed: FileUnparsed[] = [];
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = await deps.files.read(file.path);
    } catch (error) {
      failures.push({ file: file.display, action: 'read', reason: (error as Error).message });
      continue;
    }
    const read = auditFileBytes(bytes, file.kind);
    const found = read.findings;
    unparsed.push(...read.unparsed.map((u) => ({ ...u, file: file.display })));
    let fixable = options.fix ? found.filter((f) => f.insertAt !== undefined) : [];
    // Written only when something changes, so a second --fix leaves every file (and its mtime) alone. A file that
    // cannot be written is reported and the walk goes on: its findings stay open.
    if (fixable.length > 0) {
      await deps.files.write(file.path, fixBytes(bytes, fixable)).catch((error: unknown) => {
        failures.push({ file: file.display, action: 'write', reason: (error as Error).message });
        fixable = [];
      });
    }
    findings.push(...found.map((f) => ({ ...f, file: file.display, fixed: fixable.includes(f) })));
  }
  deps.output.emit({ type: 'audit-report', report: { filesScanned: files.length, findings, failures, unparsed, fix: options.fix, strict } });
  return failures.length > 0 || findings.some((f) => isOpen(f, strict)) || (strict && unparsed.length > 0) ? 1 : 0;
}
