// Runs the Groovy side of the tests (test/groovy/run.sh: JUnit 4 under Groovy 2.4, then CodeNarc) so `npm test` covers
// the Jenkins shared library.
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const runner = fileURLToPath(new URL('./run.sh', import.meta.url));

describe('the Jenkins shared library under Groovy 2.4', () => {
  it('passes every JUnit test class in one JVM, and CodeNarc finds nothing', async () => {
    // given a fresh output directory
    const out = mkdtempSync(join(tmpdir(), 'wk-groovy-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    // when the runner compiles, tests and lints
    const result = await execa('bash', [runner], { env: { WK_GROOVY_OUT: out }, reject: false, all: true, stdin: 'ignore' });
    // then it exits 0 having run the tests and CodeNarc over every step and helper
    expect(result.exitCode, result.all).toBe(0);
    const ran = /OK \((\d+) tests\)/.exec(result.all ?? '');
    expect(Number(ran?.[1])).toBeGreaterThanOrEqual(68);
    expect(result.all).toMatch(/groovy: running 1\d test classes/);
    expect(result.all).toContain('groovy: CodeNarc Summary: TotalFiles=12 FilesWithViolations=0');
  }, 180_000);
});
