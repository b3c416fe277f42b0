import { describe, expect, it } from 'vitest';
import { splitArgv } from '../../src/core/argv.js';
import { UsageError } from '../../src/core/errors.js';

describe('splitArgv', () => {
  it.each([
    { argv: ['run', 'img'], flags: {}, command: 'run', rest: ['img'] },
    { argv: ['--verbose', 'run', '-d', 'img'], flags: { verbose: true }, command: 'run', rest: ['-d', 'img'] },
    { argv: ['-v', '-H', 'unix:///x.sock', 'run', '-v', '/a:/b', 'img'], flags: { verbose: true, host: 'unix:///x.sock' }, command: 'run', rest: ['-v', '/a:/b', 'img'] },
    { argv: ['--host=tcp://h:2376', 'ls'], flags: { host: 'tcp://h:2376' }, command: 'ls', rest: [] },
    { argv: ['--build', 'b-1', '--stop-timeout', '7', 'run', 'img'], flags: { build: 'b-1', 'stop-timeout': 7 }, command: 'run', rest: ['img'] },
    { argv: ['--no-verbose', 'run', 'img'], flags: { verbose: false }, command: 'run', rest: ['img'] },
    { argv: ['--json=false', 'ls'], flags: { json: false }, command: 'ls', rest: [] },
    { argv: ['--', 'run', '--help'], flags: {}, command: 'run', rest: ['--help'] },
    { argv: [], flags: {}, command: undefined, rest: [] },
  ])('$argv', ({ argv, flags, command, rest }) => {
    const split = splitArgv(argv);
    expect(split.flags).toEqual(flags);
    expect(split.command).toBe(command);
    expect(split.rest).toEqual(rest);
  });

  it('notes --help and --version before the command', () => {
    expect(splitArgv(['--help']).help).toBe(true);
    expect(splitArgv(['--version']).version).toBe(true);
    expect(splitArgv(['run', '--help']).help).toBe(false);
  });

  it.each([
    [['--rm', 'run', 'img'], /unknown option `--rm` before the command/],
    [['--host'], /--host needs a value/],
    [['--stop-timeout', 'soon', 'run'], /--stop-timeout takes a number, not `soon`/],
    [['--verbose=maybe', 'run'], /--verbose takes true or false/],
  ])('rejects %j', (argv, message) => {
    expect(() => splitArgv(argv)).toThrow(UsageError);
    expect(() => splitArgv(argv)).toThrow(message);
  });

  describe('--argv-env', () => {
    it('splices the JSON array in place, untouched by any shell', () => {
      const env = { WK_ARGV: JSON.stringify(['run', '-e', 'X=$(id)', 'img', 'sh', '-c', 'echo `x`; touch /tmp/pwned']) };
      const split = splitArgv(['--verbose', '--argv-env', 'WK_ARGV'], env);
      expect(split.flags).toEqual({ verbose: true });
      expect(split.command).toBe('run');
      expect(split.rest).toEqual(['-e', 'X=$(id)', 'img', 'sh', '-c', 'echo `x`; touch /tmp/pwned']);
    });

    it('may carry global options before the command', () => {
      const split = splitArgv(['--argv-env=A'], { A: '["--build","b 1","run","img"]' });
      expect(split.flags).toEqual({ build: 'b 1' });
      expect(split.rest).toEqual(['img']);
    });

    it.each([
      [{}, /WK is not set/],
      [{ WK: 'run img' }, /WK is not JSON/],
      [{ WK: '{"a":1}' }, /must be a JSON array of strings/],
      [{ WK: '["run", 3]' }, /must be a JSON array of strings/],
      [{ WK: '["--argv-env","WK"]' }, /--argv-env may be given once/],
    ])('rejects %j', (env, message) => {
      expect(() => splitArgv(['--argv-env', 'WK'], env)).toThrow(message);
    });
  });
});
