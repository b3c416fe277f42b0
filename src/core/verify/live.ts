// What the live table shows on a terminal of a given size: every row when they fit, else a summary and the rows
// that are not verified yet, so that nothing wraps and nothing scrolls off into the scrollback.
import type { LiveRow } from './events.js';
import type { ReplicaStatus } from './state.js';

/** Each outcome as a person reads it (the lines and the live table). */
export const OUTCOME_TEXT: Readonly<Record<string, string>> = {
  unreachable: 'unreachable',
  'not-ready': 'not ready',
  'http-error': 'HTTP error',
  'not-json': 'not JSON',
  'field-missing': 'field missing',
  older: 'older build',
  newer: 'newer build',
  match: 'match',
};

const outcomeText = (o: LiveRow['outcome']): string => (o === undefined ? '-' : OUTCOME_TEXT[o]!);

/** The live table's columns. */
export const LIVE_HEADER = ['REPLICA', 'STATE', 'BUILD', 'LAST OUTCOME', 'IN A ROW', 'ATTEMPTS'] as const;

/** Lines the terminal keeps free under the table: the start line above it and the line the cursor rests on. */
const RESERVED = 2;

/** What to draw. `lines` is how many lines it takes (the next draw moves up that many). */
export interface LiveLayout {
  /** Every row (full) or a summary then the unverified rows (compact). */
  readonly mode: 'full' | 'compact';
  readonly rows: readonly LiveRow[];
  /** Compact: how many replicas there are in each state, and how many unverified rows did not fit. */
  readonly counts: Readonly<Record<ReplicaStatus, number>>;
  readonly hidden: number;
  readonly lines: number;
  /** Each line is cut to this many columns (one less than the terminal, so the cursor never wraps). */
  readonly width: number;
}

/** The cells of a row as text, before any colour. */
export function liveCells(r: LiveRow): string[] {
  return [r.replica, r.status, r.build ?? '-', outcomeText(r.outcome), r.needed > 0 ? `${r.streak}/${r.needed}` : String(r.streak), String(r.attempts)];
}

/** Width of a table of these cells with two spaces between columns. */
function tableWidth(rows: readonly (readonly string[])[]): number {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
}

/** Lays the table out for a terminal of `columns` × `height`. */
export function liveLayout(rows: readonly LiveRow[], columns: number, height: number): LiveLayout {
  const counts: Record<ReplicaStatus, number> = { pending: 0, verified: 0, wrong: 0, failed: 0 };
  for (const r of rows) counts[r.status]++;
  const width = Math.max(20, columns - 1);
  const budget = Math.max(3, height - RESERVED);
  const cells = [[...LIVE_HEADER], ...rows.map(liveCells)];
  if (rows.length + 1 <= budget && tableWidth(cells) <= width) return { mode: 'full', rows, counts, hidden: 0, lines: rows.length + 1, width };
  // Summary line, header, then as many unverified rows as fit, and a line saying how many more there are.
  const open = rows.filter((r) => r.status !== 'verified');
  const room = budget - 2;
  const shown = open.length <= room ? open : open.slice(0, room - 1);
  const hidden = open.length - shown.length;
  return { mode: 'compact', rows: shown, counts, hidden, lines: 2 + shown.length + (hidden > 0 ? 1 : 0), width };
}

/** How many lines a live event draws (the next one moves up over them). */
export function liveLines(event: { rows: readonly LiveRow[]; columns: number; height: number }): number {
  return liveLayout(event.rows, event.columns, event.height).lines;
}
