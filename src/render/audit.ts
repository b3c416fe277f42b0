// Renders the report of `whalekeeper audit`: `file:line: message` on stdout (the compiler convention editors
// and CI annotations read), files it could not read or write and a summary on stderr; or, with --json, one versioned
// document on stdout.
import { isOpen, type AuditReport, type FileFinding, type FileUnparsed } from '../core/audit/events.js';
import { displayArgv, escapeControl, looksSecret } from '../core/mask.js';
import { maskDockerArgv } from '../core/mask-docker.js';
import type { Style } from './style.js';

type Out = { readonly stream: 'out' | 'err'; readonly text: string };

/**
 * The command of a finding as it can be shown: `docker run …`. Audit prints what is already in the repository, so
 * only the values of names that look like secrets are masked (`-e TOKEN=***`, not `-e ES_JAVA_OPTS=…`).
 */
function commandOf(args: readonly string[]): string {
  return `docker ${displayArgv(maskDockerArgv(['run', ...args], looksSecret))}`;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The line saying a part could not be parsed and was read the simple way. */
function unparsedMessage(u: FileUnparsed): string {
  const lines = u.endLine > u.line ? `lines ${u.line}-${u.endLine}` : `line ${u.line}`;
  return `could not be parsed (${u.reason}): ${lines} read the simple way, line by line as a grep for \`docker run\` would`;
}

/**
 * One line per finding (and per "cannot tell", and per part that could not be parsed) on stdout, in the order of the
 * files' lines, then failures and the summary on stderr.
 */
export function renderAuditHuman(report: AuditReport, style: Style): Out[] {
  const entries = [
    ...report.findings.map((f) => ({ file: f.file, line: f.line, first: 1, text: f.fixed ? `fixed: added \`--rm\` after \`run\`` : f.message })),
    ...report.unparsed.map((u) => ({ file: u.file, line: u.line, first: 0, text: unparsedMessage(u) })),
  ];
  // Files in the order they were read; within one, by line, the note of a part before the findings read in it.
  const order = [...new Set(entries.map((e) => e.file))];
  entries.sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file) || a.line - b.line || a.first - b.first);
  const lines: Out[] = entries.map((e) => ({ stream: 'out', text: `${escapeControl(e.file)}:${e.line}: ${e.text}` }));
  for (const failure of report.failures) {
    const what = failure.action === 'read' ? 'cannot read it' : 'cannot write it, its findings are not fixed';
    lines.push({ stream: 'err', text: `whalekeeper: audit: ${escapeControl(failure.file)}: ${what} (${escapeControl(failure.reason)})` });
  }
  const real = report.findings.filter((f) => f.kind !== 'cannot-tell');
  const open = real.filter((f) => !f.fixed).length;
  const fixed = real.length - open;
  const unsure = report.findings.length - real.length;
  const leftToYou = real.some((f) => !f.fixed && f.kind === 'rm-false') ? ' (`--rm=false` is left to you: remove it)' : '';
  const parts = [
    fixed > 0 ? `fixed ${fixed}` : undefined,
    open > 0 ? `${style.warn(`${open} \`docker run\` without \`--rm\``)}${leftToYou}` : undefined,
    unsure > 0 ? (report.strict ? style.warn : (t: string): string => t)(`${unsure} it cannot tell about${report.strict ? ' (counted: --strict)' : ''}`) : undefined,
    report.unparsed.length > 0
      ? (report.strict ? style.warn : (t: string): string => t)(
          `${plural(report.unparsed.length, 'part', 'parts')} of ${plural(new Set(report.unparsed.map((u) => u.file)).size, 'file', 'files')} read the simple way (not parsed${report.strict ? '; counted: --strict' : ''})`,
        )
      : undefined,
    report.failures.length > 0 ? style.warn(`${plural(report.failures.length, 'file', 'files')} failed`) : undefined,
  ].filter((part) => part !== undefined);
  // Never "no `docker run`" alone for a file that was not fully parsed: the parts read the simple way are named.
  const none = open + fixed + unsure === 0 ? `no \`docker run\` without \`--rm\` found, ` : '';
  const summary = parts.length === 0 ? `no \`docker run\` without \`--rm\` in ${report.filesScanned} file(s)` : `${none}${parts.join(', ')} in ${report.filesScanned} file(s)`;
  lines.push({ stream: 'err', text: `whalekeeper: audit: ${summary}` });
  return lines;
}

/** A finding in the --json document. */
function findingJson(f: FileFinding): Record<string, unknown> {
  return {
    file: f.file,
    line: f.line,
    column: f.column,
    kind: f.kind,
    message: f.message,
    command: commandOf(f.args),
    fixed: f.fixed,
    ...(f.via ? { via: f.via } : {}),
    ...(f.unknown ? { unknown: f.unknown } : {}),
    ...(f.simple ? { simple: true } : {}),
  };
}

/**
 * The --json document (version 1; `cannotTell`, `failures`, `strict`, `unparsed` and a finding's `simple` were
 * added): field names are an interface.
 */
export function renderAuditJson(report: AuditReport): Out {
  return {
    stream: 'out',
    text: JSON.stringify({
      version: 1,
      filesScanned: report.filesScanned,
      fix: report.fix,
      strict: report.strict,
      findings: report.findings.filter((f) => f.kind !== 'cannot-tell').map(findingJson),
      cannotTell: report.findings.filter((f) => f.kind === 'cannot-tell').map((f) => ({ ...findingJson(f), counted: isOpen(f, report.strict) })),
      failures: report.failures,
      unparsed: report.unparsed.map((u) => ({ file: u.file, line: u.line, endLine: u.endLine, reason: u.reason, counted: report.strict })),
    }),
  };
}
