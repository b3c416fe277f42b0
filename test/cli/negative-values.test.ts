// A negative value (`--target -1%`) is a usage error naming the flag, not yargs' `Unknown arguments: 1, %`.
import { describe, expect, it } from 'vitest';
import { cleanEnv, whalekeeper } from '../helpers/cli.js';

describe('negative values', () => {
  it.each([
    [['clean', '--agent', '--target', '-1%'], '--target takes a percentage (50%) or a size (20GB), not `-1%`'],
    [['clean', '--agent', '--target', '-20GB'], '--target takes a percentage (50%) or a size (20GB), not `-20GB`'],
    [['clean', '--agent', '--grace', '-1h'], '--grace takes a duration such as 500ms, 30s, 5m or 1h30m, not `-1h`'],
    [['clean', '--agent', '--build-cache', '-1GB'], '--build-cache takes a size such as 20GB or 512MiB, not `-1GB`'],
    [['clean', '--agent', '--every', '-.5m'], '--every takes a duration such as 500ms, 30s, 5m or 1h30m, not `-.5m`'],
    [['disk', '--warn', '-5%'], '--warn takes a percentage (50%) or a size (20GB), not `-5%`'],
    [['disk', '--fail', '-1%'], '--fail takes a percentage (50%) or a size (20GB), not `-1%`'],
    [['--engine-timeout', '-1', 'ls'], '--engine-timeout takes seconds (more than 0), not `-1`'],
  ])('%j: exit 2 naming the flag', async (args, message) => {
    const result = await whalekeeper(args, cleanEnv('unix:///tmp/wk-no-such-engine.sock'));
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(`whalekeeper: error: ${message}`);
  });
});
