import { describe, expect, it } from 'vitest';
import { renderLive, renderTable } from '../../../src/render/verify.js';
import { PLAIN } from '../../../src/render/style.js';
import type { VerifyReport } from '../../../src/core/verify/report.js';
import type { LiveRow } from '../../../src/core/verify/events.js';
import { liveLayout, middleCut, shorten } from '../../../src/core/verify/live.js';

describe('verify rendering', () => {
  it('the live table moves up over the previous one and escapes control characters in names', () => {
    const text = renderLive([{ replica: 'http://a/\n', status: 'pending', build: '208', outcome: 'older', streak: 0, needed: 2, attempts: 3 }], 2, PLAIN);
    expect(text.startsWith('\u001b[2A\u001b[J')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain('http://a/\\n');
    expect(text).toMatch(/pending\s+208\s+older build\s+0\/2\s+3$/);
  });

  it('the first live table does not move up', () => {
    expect(renderLive([], 0, PLAIN).startsWith('REPLICA')).toBe(true);
  });

  it('the final table has the replica, last build, outcome, answers per build, attempts and last error', () => {
    const report: VerifyReport = {
      version: 1, expect: '209', field: 'buildNumber', stable: 2, exitCode: 1, summary: 'one is wrong', interruptedBy: null, durationMs: 1,
      replicas: [
        { replica: 'http://a/diagnostics', kind: 'replica', status: 'wrong', present: true, lastBuild: '208', lastOutcome: 'older', attempts: 7, answers: [{ build: '208', count: 5 }, { build: '209', count: 2 }], streak: 0, needed: 2, lastError: 'build 208, expected 209', timeline: [] },
        { replica: 'http://b/diagnostics', kind: 'replica', status: 'pending', present: false, lastBuild: null, lastOutcome: null, attempts: 0, answers: [], streak: 0, needed: 2, lastError: null, timeline: [] },
      ],
    };
    const lines = renderTable(report, PLAIN).split('\n');
    expect(lines[0]).toMatch(/^REPLICA\s+BUILD\s+OUTCOME\s+ANSWERS\s+ATTEMPTS\s+LAST ERROR$/);
    expect(lines[1]).toMatch(/^http:\/\/a\/diagnostics\s+208\s+wrong\s+208 ×5, 209 ×2\s+7\s+build 208, expected 209$/);
    expect(lines[2]).toMatch(/^http:\/\/b\/diagnostics\s+-\s+pending \(gone from DNS\)\s+no build\s+0\s+-$/);
    expect(lines.at(-1)).toBe('one is wrong');
  });
});

describe('the live table fits the terminal', () => {
  const row = (i: number, status: 'pending' | 'verified' = 'verified'): LiveRow => ({ replica: `http://10.0.0.${i}:8080/diagnostics`, status, build: '209', outcome: 'match', streak: 2, needed: 2, attempts: 2 });
  it.each<[string, LiveRow[], number, number, 'full' | 'compact', number, number]>([
    // name, rows, columns, height → mode, rows shown, lines
    ['3 rows fit 80×24', [row(1), row(2), row(3)], 80, 24, 'full', 3, 4],
    ['21 rows fit 24 lines (3 kept free)', Array.from({ length: 20 }, (_v, i) => row(i)), 80, 24, 'full', 20, 21],
    ['21 rows do not', Array.from({ length: 21 }, (_v, i) => row(i)), 80, 24, 'compact', 0, 2],
    ['200 rows, 3 pending: summary, header, the 3', [...Array.from({ length: 197 }, (_v, i) => row(i)), row(198, 'pending'), row(199, 'pending'), row(200, 'pending')], 80, 24, 'compact', 3, 5],
    ['200 pending: as many as fit, and a line for the rest', Array.from({ length: 200 }, (_v, i) => row(i, 'pending')), 80, 24, 'compact', 18, 21],
    ['rows wider than the terminal: the replica column is shortened', [row(1), row(2)], 70, 24, 'full', 2, 3],
    ['a terminal too narrow for any replica column: the summary', [row(1)], 50, 24, 'compact', 0, 2],
  ])('%s', (_name, rows, columns, height, mode, shown, lines) => {
    const layout = liveLayout(rows, columns, height);
    expect({ mode: layout.mode, shown: layout.rows.length, lines: layout.lines }).toEqual({ mode, shown, lines });
    const text = renderLive(rows, 0, PLAIN, columns, height);
    expect(text.split('\n')).toHaveLength(lines);
    for (const line of text.split('\n')) expect(line.length).toBeLessThan(columns);
  });

  it('a shortened replica keeps both ends', () => {
    expect(middleCut('http://app-1.example.com:8080/diagnostics', 20)).toBe('http://app…agnostics');
    const text = renderLive([row(1), row(2)], 0, PLAIN, 70, 24);
    expect(text.split('\n').slice(1).map((l) => l.split(' ')[0])).toEqual(['…/10.0.0.1:8080/d…', '…/10.0.0.2:8080/d…']);
  });

  it.each([
    // text, max, shared start, shared end → shown
    ['http://10.0.0.1:8080/diagnostics', 20, 14, 17, '….1:8080/diagnostics'],
    ['http://10.0.0.1:8080/diagnostics', 26, 14, 17, '…10.0.0.1:8080/diagnostics'],
    ['http://app.test/a/b/c/new-1', 12, 26, 0, '…a/b/c/new-1'],
    ['aaaaaaaaXbbbbbbbb', 7, 8, 8, '…aaXbb…'],
    ['abcdefghij', 5, 0, 0, 'ab…ij'],
  ])('shorten(%s, %i, %i, %i) → %s', (text, max, prefix, suffix, shown) => {
    expect(shorten(text, max, prefix, suffix)).toBe(shown);
  });
});
