// `whalekeeper audit`: reads pipeline files, reports every `docker run` without `--rm`, and with --fix adds it.
import type { FileFinding } from '../core/audit/events.js';
import { auditText, fixText } from '../core/audit/audit.js';
import type { Output } from '../core/events.js';
import type { AuditFiles } from '../edge/audit-files.js';

/** What `audit` needs from the outside world. */
export interface AuditDeps {
  readonly output: Output;
  readonly files: AuditFiles;
}

/** Audits `paths` (default `.`); resolves 1 when a finding is left (not fixed), else 0. */
export async function audit(paths: readonly string[], options: { fix: boolean }, deps: AuditDeps): Promise<number> {
  const files = await deps.files.list(paths.length > 0 ? paths : ['.']);
  const findings: FileFinding[] = [];
  for (const file of files) {
    const text = await deps.files.read(file.path);
    const found = auditText(text, file.kind);
    const fixable = options.fix ? found.filter((f) => f.insertAt !== undefined) : [];
    // Written only when something changes, so a second --fix leaves every file (and its mtime) alone.
    if (fixable.length > 0) await deps.files.write(file.path, fixText(text, fixable));
    findings.push(...found.map((f) => ({ ...f, file: file.display, fixed: fixable.includes(f) })));
  }
  deps.output.emit({ type: 'audit-report', report: { filesScanned: files.length, findings, fix: options.fix } });
  return findings.some((f) => !f.fixed) ? 1 : 0;
}
