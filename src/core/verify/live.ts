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

/** Lines the table leaves free: the start line above it (which may wrap once) and the line the cursor rests on. */
const RESERVED = 3;

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

/** Shortens text to `max` characters with an ellipsis in the middle (both ends of a URL tell replicas apart). */
export function middleCut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}

/**
 * Shortens a replica to `max` characters, keeping the part that tells it from the others whole: `prefix` and
 * `suffix` are the lengths all replicas share at their start and end. The shared start goes first (`…10.0.0.7:8080/
 * diagnostics`), then the shared end too; when even the differing part is too long, the middle.
 */
export function shorten(text: string, max: number, prefix: number, suffix: number): string {
  if (text.length <= max) return text;
  const start = Math.min(prefix, text.length);
  const end = Math.max(start, text.length - suffix);
  if (text.length - (max - 1) <= start) return `…${text.slice(text.length - (max - 1))}`;
  const extra = max - 2 - (end - start);
  if (extra < 0) return middleCut(text, max);
  const before = Math.min(start, Math.ceil(extra / 2));
  return `…${text.slice(start - before, end + (extra - before))}…`;
}

/** Lengths of the start and the end all texts share. */
function shared(texts: readonly string[]): { prefix: number; suffix: number } {
  if (texts.length === 0) return { prefix: 0, suffix: 0 };
  const first = texts[0]!;
  let prefix = first.length;
  let suffix = first.length;
  for (const t of texts) {
    let p = 0;
    while (p < prefix && p < t.length && t[p] === first[p]) p++;
    prefix = p;
    let q = 0;
    while (q < suffix && q < t.length && t[t.length - 1 - q] === first[first.length - 1 - q]) q++;
    suffix = q;
  }
  return { prefix, suffix };
}

/** The narrowest the REPLICA column gets before the table gives up whole rows for the summary. */
const MIN_REPLICA = 16;

/**
 * Lays the table out for a terminal of `columns` × `height`. Rows that would wrap get a REPLICA column shortened in
 * the middle; when that is not enough, or the rows do not fit the height, a summary by state and the rows that are
 * not verified yet (as many as fit, and a line for the rest).
 */
export function liveLayout(rows: readonly LiveRow[], columns: number, height: number): LiveLayout {
  const counts: Record<ReplicaStatus, number> = { pending: 0, verified: 0, wrong: 0, failed: 0 };
  for (const r of rows) counts[r.status]++;
  const width = Math.max(20, columns - 1);
  const budget = Math.max(3, height - RESERVED);
  const fit = (shown: readonly LiveRow[]): LiveRow[] | undefined => {
    const cells = [[...LIVE_HEADER], ...shown.map(liveCells)];
    const others = tableWidth(cells.map((c) => c.slice(1))) + 2;
    const room = width - others;
    if (room < MIN_REPLICA) return undefined;
    const { prefix, suffix } = shared(shown.map((r) => r.replica));
    return shown.map((r) => (r.replica.length > room ? { ...r, replica: shorten(r.replica, room, prefix, suffix) } : r));
  };
  const full = rows.length + 1 <= budget ? fit(rows) : undefined;
  if (full !== undefined) return { mode: 'full', rows: full, counts, hidden: 0, lines: rows.length + 1, width };
  // Summary line, header, then as many unverified rows as fit, and a line saying how many more there are.
  const open = rows.filter((r) => r.status !== 'verified');
  const room = budget - 2;
  const shown = open.length <= room ? open : open.slice(0, room - 1);
  const hidden = open.length - shown.length;
  return { mode: 'compact', rows: fit(shown) ?? shown, counts, hidden, lines: 2 + shown.length + (hidden > 0 ? 1 : 0), width };
}

/** How many lines a live event draws (the next one moves up over them). */
export function liveLines(event: { rows: readonly LiveRow[]; columns: number; height: number }): number {
  return liveLayout(event.rows, event.columns, event.height).lines;
}
