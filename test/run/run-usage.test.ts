// `run`'s own usage errors exit 125, as docker run's do: a 2 would read as the container's own exit 2.
import { describe, expect, inject, it } from 'vitest';
import { cleanEnv, whalekeeper } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';

const host = inject('dockerHost');

describe('run refuses its own bad input with exit 125 and one line, before anything runs', () => {
  it.each([
    ['--stop-timeout abc', ['--stop-timeout', 'abc', 'run', TEST_IMAGE, 'true'], {}, '--stop-timeout takes a number, not `abc`'],
    ['an unknown whalekeeper option', ['--bogus', 'run', TEST_IMAGE, 'true'], {}, 'unknown option `--bogus` before the command'],
    ['the same inside --argv-env', ['--argv-env', 'WK_ARGV'], { WK_ARGV: JSON.stringify(['--bogus', 'run', TEST_IMAGE, 'true']) }, 'unknown option `--bogus`'],
    ['WHALEKEEPER_STOP_TIMEOUT=-1', ['run', TEST_IMAGE, 'true'], { WHALEKEEPER_STOP_TIMEOUT: '-1' }, '--stop-timeout takes whole seconds'],
    ['a DOCKER_HOST scheme docker does not take', ['run', TEST_IMAGE, 'true'], { DOCKER_HOST: 'foo://bar' },
      'DOCKER_HOST `foo://bar` is not an engine address docker can use (docker knows no `foo://` scheme)'],
    ['a DOCKER_HOST port that is not a number (credentials masked)', ['run', TEST_IMAGE, 'true'], { DOCKER_HOST: 'tcp://user:pw@host:abc' },
      'DOCKER_HOST `tcp://***@host:abc` is not an engine address docker can use (`abc` is not a port)'],
    ['--host ssh:// without a host', ['--host', 'ssh://', 'run', TEST_IMAGE, 'true'], {}, '--host `ssh://` is not an engine address docker can use'],
  ] as const)('%s', async (_case, args, extra, message) => {
    const result = await whalekeeper(args, cleanEnv(host, extra));
    expect(result.exitCode).toBe(125);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('Failed to initialize');
    expect(result.stderr).not.toContain('pw@');
    expect(result.stdout).toBe('');
  });

  it('other commands keep exit 2 for an unknown option', async () => {
    expect((await whalekeeper(['--bogus', 'ls'], cleanEnv(host))).exitCode).toBe(2);
  });

  it('build: a DOCKER_HOST docker cannot parse is a usage error (2), as for every command but run', async () => {
    const result = await whalekeeper(['build', '.'], cleanEnv(host, { DOCKER_HOST: 'tcp://h:abc' }));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('DOCKER_HOST `tcp://h:abc` is not an engine address docker can use');
    expect(result.stderr).not.toContain('Failed to initialize');
  });
});
