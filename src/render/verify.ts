// `verify`'s events → lines: one per replica state change on stderr, the final table (or JSON document) on stdout.
import type { LiveRow, VerifyEvent } from '../core/verify/events.js';
import type { VerifyReport } from '../core/verify/report.js';
import { escapeControl } from '../core/mask.js';
import type { Style } from './style.js';
import { table } from './table.js';

const PREFIX = 'whalekeeper: ';

/** A rendered line (the shape of human.ts's Line, restated so that human.ts can import this module without a cycle). */
interface Line {
  readonly stream: 'out' | 'err';
  readonly text: string;
}

const OUTCOME_TEXT: Readonly<Record<string, string>> = {
  unreachable: 'unreachable',
  'not-ready': 'not ready',
  'http-error': 'HTTP error',
  'not-json': 'not JSON',
  'field-missing': 'field missing',
  older: 'older build',
  newer: 'newer build',
  match: 'match',
};

/** Renders a verify event for a person. */
export function renderVerifyHuman(event: VerifyEvent, style: Style): Line | undefined {
  switch (event.type) {
    case 'verify-start':
      return {
        stream: 'err',
        text: `${PREFIX}verifying ${event.replicas.length} replica(s) run build ${style.code(event.expect)} (${event.stable} matching answer(s) in a row, within ${formatMs(event.timeoutMs)})`,
      };
    case 'verify-change': {
      const status =
        event.status === 'verified' ? style.ok('verified') : event.status === 'wrong' ? style.error('WRONG BUILD') : event.status === 'failed' ? style.error('failed') : 'waiting';
      const progress = event.outcome === 'match' && event.status === 'pending' ? ` (${event.streak}/${event.stable})` : '';
      return {
        stream: 'err',
        text: `${PREFIX}[${escapeControl(event.replica)}] ${status}: ${OUTCOME_TEXT[event.outcome]}${progress}, ${escapeControl(event.detail)} (attempt ${event.attempts})`,
      };
    }
    case 'verify-live':
      return { stream: 'err', text: renderLive(event.rows, event.redraw, style) };
    case 'verify-replicas': {
      const parts = [
        ...(event.added.length ? [`new address(es) ${event.added.map((a) => style.code(a)).join(', ')}`] : []),
        ...(event.gone.length ? [`gone from DNS ${event.gone.map((a) => style.code(a)).join(', ')}`] : []),
      ];
      return { stream: 'err', text: `${PREFIX}${parts.join('; ')}` };
    }
    case 'verify-report':
      return { stream: 'out', text: renderTable(event.report, style) };
  }
}

/** The final report as one JSON document on stdout. */
export function renderVerifyJson(event: Extract<VerifyEvent, { type: 'verify-report' }>): Line {
  return { stream: 'out', text: JSON.stringify(event.report) };
}

/** The final table: replica, last build seen, outcome, attempts, last error; then the summary. */
export function renderTable(report: VerifyReport, style: Style): string {
  const header = ['REPLICA', 'BUILD', 'OUTCOME', 'ATTEMPTS', 'LAST ERROR'];
  const rows = report.replicas.map((r) => [
    escapeControl(r.replica),
    r.lastBuild ?? '-',
    r.present ? r.status : `${r.status} (gone from DNS)`,
    String(r.attempts),
    r.lastError === null ? '-' : escapeControl(r.lastError),
  ]);
  const verdict = report.exitCode === 0 ? style.ok(report.summary) : style.error(report.summary);
  return [table([header, ...rows]), '', verdict].join('\n');
}

/** The live table, preceded by the escape codes that move up over the previous one and clear it. */
export function renderLive(rows: readonly LiveRow[], redraw: number, style: Style): string {
  const cells = rows.map((r) => [
    escapeControl(r.replica),
    r.status === 'verified' ? style.ok(r.status) : r.status === 'pending' ? r.status : style.error(r.status),
    r.build ?? '-',
    r.outcome === undefined ? '-' : OUTCOME_TEXT[r.outcome]!,
    String(r.streak),
    String(r.attempts),
  ]);
  const header = ['REPLICA', 'STATE', 'BUILD', 'LAST OUTCOME', 'IN A ROW', 'ATTEMPTS'];
  const up = redraw > 0 ? `\u001b[${redraw}A\u001b[J` : '';
  return up + table([header, ...cells]);
}

function formatMs(ms: number): string {
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
