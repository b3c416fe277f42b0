import { describe, expect, it } from 'vitest';
import { renderLive, renderTable } from '../../../src/render/verify.js';
import { PLAIN } from '../../../src/render/style.js';
import type { VerifyReport } from '../../../src/core/verify/report.js';

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
        { replica: 'http://a/diagnostics', kind: 'replica', status: 'wrong', present: true, lastBuild: '208', lastOutcome: 'older', attempts: 7, answers: { '208': 5, '209': 2 }, streak: 0, needed: 2, lastError: 'build 208, expected 209', timeline: [] },
        { replica: 'http://b/diagnostics', kind: 'replica', status: 'pending', present: false, lastBuild: null, lastOutcome: null, attempts: 0, answers: {}, streak: 0, needed: 2, lastError: null, timeline: [] },
      ],
    };
    const lines = renderTable(report, PLAIN).split('\n');
    expect(lines[0]).toMatch(/^REPLICA\s+BUILD\s+OUTCOME\s+ANSWERS\s+ATTEMPTS\s+LAST ERROR$/);
    expect(lines[1]).toMatch(/^http:\/\/a\/diagnostics\s+208\s+wrong\s+208 ×5, 209 ×2\s+7\s+build 208, expected 209$/);
    expect(lines[2]).toMatch(/^http:\/\/b\/diagnostics\s+-\s+pending \(gone from DNS\)\s+no build\s+0\s+-$/);
    expect(lines.at(-1)).toBe('one is wrong');
  });
});
