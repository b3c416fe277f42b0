import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/report-error.js';
import { CheckFailedError, UsageError } from '../../src/core/errors.js';

function capture() {
  const lines: string[] = [];
  const stream = { write: (text: string) => lines.push(text), isTTY: false };
  return { lines, invocation: { env: {}, home: '/h', cwd: '/', streams: { out: stream, err: stream } } };
}

describe('reportError: the one place errors become exit codes', () => {
  it('a typed error prints its message and hint and returns its exit code', async () => {
    const { lines, invocation } = capture();
    expect(await reportError(new UsageError('bad --x', { hint: 'use --y' }), invocation, [])).toBe(2);
    expect(lines.join('')).toBe('whalekeeper: error: bad --x\nwhalekeeper: hint: use --y\n');
    expect(await reportError(new CheckFailedError('disk above 90%'), invocation, [])).toBe(1);
  });

  it('anything else is a bug: exit 70, versions and the argv with secrets masked', async () => {
    const { lines, invocation } = capture();
    const code = await reportError(new TypeError('boom'), invocation, ['run', '-e', 'TOKEN=hunter2', 'img']);
    const text = lines.join('');
    expect(code).toBe(70);
    expect(text).toContain('this is a bug in whalekeeper');
    expect(text).toContain(`node ${process.version}`);
    expect(text).toContain("command: whalekeeper run -e 'TOKEN=***' img");
    expect(text).toContain('TypeError: boom');
    expect(text).not.toContain('hunter2');
  });

  it('a bug in another command shows its name only: its arguments may hold secrets no table knows', async () => {
    const { lines, invocation } = capture();
    await reportError(new Error('boom'), invocation, ['verify', 'https://u:pw@h', '--header', 'Authorization: Bearer hunter2']);
    const text = lines.join('');
    expect(text).toContain('command: whalekeeper verify (3 arguments, not shown');
    expect(text).not.toMatch(/hunter2|pw@/);
  });

  it('--json is read from whalekeeper\'s own options only', async () => {
    const { lines, invocation } = capture();
    await reportError(new UsageError('bad'), invocation, ['run', 'img', 'echo', '--json']);
    expect(lines[0]).toMatch(/^whalekeeper: error: bad/);
  });

  it('--json renders the error as a JSON line', async () => {
    const { lines, invocation } = capture();
    await reportError(new UsageError('bad'), invocation, ['--json', 'ls']);
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'error', message: 'bad', exitCode: 2 });
  });
});
