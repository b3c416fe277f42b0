// Renders the report of `whalekeeper audit`: `file:line: message` on stdout (the compiler convention editors
// and CI annotations read), a summary on stderr; or, with --json, one versioned document on stdout.
import type { AuditReport } from '../core/audit/events.js';
import { displayArgv, escapeControl } from '../core/mask.js';
import { maskDockerArgv } from '../core/mask-docker.js';
import type { Style } from './style.js';

type Out = { readonly stream: 'out' | 'err'; readonly text: string };

/** The command of a finding as it can be shown: `docker run …` with secret values masked. */
function commandOf(args: readonly string[]): string {
  return `docker ${displayArgv(maskDockerArgv(['run', ...args]))}`;
}

/** One line per finding on stdout, then the summary on stderr. */
export function renderAuditHuman(report: AuditReport, style: Style): Out[] {
  const lines: Out[] = report.findings.map((f) => ({
    stream: 'out',
    text: `${escapeControl(f.file)}:${f.line}: ${f.fixed ? `fixed: added \`--rm\` after \`run\`` : f.message}`,
  }));
  const open = report.findings.filter((f) => !f.fixed).length;
  const fixed = report.findings.length - open;
  const summary =
    report.findings.length === 0
      ? `no \`docker run\` without \`--rm\` in ${report.filesScanned} file(s)`
      : [
          fixed > 0 ? `fixed ${fixed}` : undefined,
          open > 0 ? style.warn(`${open} \`docker run\` without \`--rm\``) : undefined,
          open > 0 && report.findings.some((f) => !f.fixed && f.kind === 'rm-false') ? '(`--rm=false` is left to you: remove it)' : undefined,
          `in ${report.filesScanned} file(s)`,
        ].filter((part) => part !== undefined).join(' ');
  lines.push({ stream: 'err', text: `whalekeeper: audit: ${summary}` });
  return lines;
}

/** The --json document (version 1): field names are an interface. */
export function renderAuditJson(report: AuditReport): Out {
  return {
    stream: 'out',
    text: JSON.stringify({
      version: 1,
      filesScanned: report.filesScanned,
      fix: report.fix,
      findings: report.findings.map((f) => ({
        file: f.file,
        line: f.line,
        column: f.column,
        kind: f.kind,
        message: f.message,
        command: commandOf(f.args),
        fixed: f.fixed,
      })),
    }),
  };
}
