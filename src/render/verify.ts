// `verify`'s events → lines: one per replica state change on stderr, the final table (or JSON document) on stdout.
import type { LiveRow, VerifyEvent } from '../core/verify/events.js';
import { liveCells, liveLayout, LIVE_HEADER, OUTCOME_TEXT } from '../core/verify/live.js';
import type { VerifyReport } from '../core/verify/report.js';
import { answersText } from '../core/verify/state.js';
import { escapeControl } from '../core/mask.js';
import type { Style } from './style.js';
import { table } from './table.js';

const PREFIX = 'whalekeeper: ';

/** A rendered line (the shape of human.ts's Line, restated so that human.ts can import this module without a cycle). */
interface Line {
  readonly stream: 'out' | 'err';
  readonly text: string;
}

/** Renders a verify event for a person. */
export function renderVerifyHuman(event: VerifyEvent, style: Style): Line | undefined {
  switch (event.type) {
    case 'verify-start': {
      const what = event.pool
        ? `1 pool (a load balancer: many answers, see the pool rule) runs build ${style.code(event.expect)}`
        : `${event.replicas.length} replica(s) run build ${style.code(event.expect)} (${event.stable} in a row`;
      return { stream: 'err', text: `${PREFIX}verifying ${what}${event.pool ? ' (' : ', '}within ${formatMs(event.timeoutMs)})` };
    }
    case 'verify-change': {
      const status = statusText(event.status, style);
      const progress = event.outcome === 'match' && event.status === 'pending' ? ` (${event.streak}/${event.stable})` : '';
      return {
        stream: 'err',
        text: `${PREFIX}[${escapeControl(event.replica)}] ${status}: ${OUTCOME_TEXT[event.outcome]}${progress}, ${escapeControl(event.detail)} (attempt ${event.attempts})`,
      };
    }
    case 'verify-end':
      return { stream: 'err', text: `${PREFIX}[${escapeControl(event.replica)}] ${statusText(event.status, style)}: ${escapeControl(event.reason)} (${event.attempts} attempt(s))` };
    case 'verify-live':
      return { stream: 'err', text: renderLive(event.rows, event.redraw, style, event.columns, event.height) };
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

function statusText(status: string, style: Style): string {
  if (status === 'verified') return style.ok('verified');
  if (status === 'wrong') return style.error('WRONG BUILD');
  if (status === 'failed') return style.error('not verified');
  return 'waiting';
}

/** The final report as one JSON document on stdout. */
export function renderVerifyJson(event: Extract<VerifyEvent, { type: 'verify-report' }>): Line {
  return { stream: 'out', text: JSON.stringify(event.report) };
}

/** The final table: replica, last build seen, outcome, answers per build, attempts, last error; then the summary. */
export function renderTable(report: VerifyReport, style: Style): string {
  const header = ['REPLICA', 'BUILD', 'OUTCOME', 'ANSWERS', 'ATTEMPTS', 'LAST ERROR'];
  const rows = report.replicas.map((r) => [
    escapeControl(r.replica) + (r.kind === 'pool' ? ' (pool)' : ''),
    r.lastBuild ?? '-',
    r.present ? r.status : `${r.status} (gone from DNS)`,
    answersText(r.answers).replace(/^build /, ''),
    String(r.attempts),
    r.lastError === null ? '-' : escapeControl(r.lastError),
  ]);
  const verdict = report.exitCode === 0 ? style.ok(report.summary) : style.error(report.summary);
  return [table([header, ...rows]), '', verdict].join('\n');
}

/** Cuts a line to `width` columns (colour escapes take none), so that it never wraps. */
function cut(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const esc = /^\u001b\[[0-9;]*m/.exec(line.slice(i, i + 16));
    if (esc !== null) {
      out += esc[0];
      i += esc[0].length - 1;
      continue;
    }
    if (visible === width - 1 && line.replace(/\u001b\[[0-9;]*m/g, '').length > width) {
      out += '…';
      // Close any colour left open.
      return out.includes('\u001b[') ? `${out}\u001b[0m` : out;
    }
    out += line[i];
    visible++;
  }
  return out;
}

/**
 * The live table, preceded by the escape codes that move up over the previous one and clear it. When the rows would
 * wrap or not fit the terminal's height, a summary by state and the rows not verified yet.
 */
export function renderLive(rows: readonly LiveRow[], redraw: number, style: Style, columns = 80, height = 24): string {
  const layout = liveLayout(rows, columns, height);
  const paint = (r: LiveRow): string[] => {
    const cells = liveCells(r).map(escapeControl);
    cells[1] = r.status === 'verified' ? style.ok(r.status) : r.status === 'pending' ? r.status : style.error(r.status);
    return cells;
  };
  const lines: string[] = [];
  if (layout.mode === 'compact') {
    const c = layout.counts;
    lines.push(`${rows.length} replicas: ${style.ok(`${c.verified} verified`)}, ${c.pending} pending, ${c.wrong} wrong, ${c.failed} not verified`);
  }
  lines.push(...table([[...LIVE_HEADER], ...layout.rows.map(paint)]).split('\n'));
  if (layout.hidden > 0) lines.push(`… and ${layout.hidden} more not verified yet`);
  const up = redraw > 0 ? `\u001b[${redraw}A\u001b[J` : '';
  return up + lines.map((l) => cut(l, layout.width)).join('\n');
}

function formatMs(ms: number): string {
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
