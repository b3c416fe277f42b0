import { describe, expect, it } from 'vitest';
import { commandWord } from '../../src/core/argv.js';
import { displayHost, dockerHostProblem } from '../../src/core/docker-host.js';

describe('dockerHostProblem: what the docker client cannot parse (docker/cli opts/hosts.go)', () => {
  it.each([
    ['unix:///var/run/docker.sock', undefined],
    ['tcp://127.0.0.1:2375', undefined],
    ['tcp://[::1]:2376', undefined],
    ['tcp://user:pw@host:2376/base?x=1', undefined],
    ['tcp://host', undefined],
    ['garbage', undefined],
    ['ssh://user@host', undefined],
    ['ssh://user@host:22', undefined],
    ['npipe:////./pipe/docker_engine', undefined],
    ['', undefined],
    ['foo://bar', 'the docker client takes unix://, tcp://, ssh:// or npipe:// addresses, not foo://'],
    ['http://127.0.0.1:2375', 'the docker client takes unix://, tcp://, ssh:// or npipe:// addresses, not http://'],
    ['fd://', 'the docker client takes unix://, tcp://, ssh:// or npipe:// addresses, not fd://'],
    ['tcp://host:abc', 'the port `abc` is not a number'],
    ['host:abc', 'the port `abc` is not a number'],
    ['tcp://host:99999', 'the port `99999` is out of range'],
    ['tcp://[::1', 'an IPv6 address needs its closing `]`'],
    ['ssh://', 'an ssh:// address needs a host name'],
    ['ssh://user@', 'an ssh:// address needs a host name'],
  ])('%s', (host, problem) => {
    expect(dockerHostProblem(host)).toBe(problem);
  });
});

describe('displayHost masks what can hold credentials', () => {
  it.each([
    ['tcp://user:pw@host:2376', 'tcp://***@host:2376'],
    ['ssh://deploy@host', 'ssh://***@host'],
    ['tcp://host:2376/?token=abc&x=1', 'tcp://host:2376/?token=***&x=***'],
    ['unix:///var/run/docker.sock', 'unix:///var/run/docker.sock'],
  ])('%s', (host, shown) => {
    expect(displayHost(host)).toBe(shown);
  });
});

describe('commandWord finds the command of an argv splitArgv refused', () => {
  it.each([
    [['--bogus', 'run', 'alpine'], {}, 'run'],
    [['--stop-timeout', 'abc', 'run', 'alpine'], {}, 'run'],
    [['--stop-timeout=abc', 'run'], {}, 'run'],
    [['-H', 'tcp://x', '--verbose', 'build', '.'], {}, 'build'],
    [['--argv-env', 'A'], { A: '["--bogus","run","x"]' }, 'run'],
    [['--argv-env', 'MISSING', 'ls'], {}, 'ls'],
    [['--', 'run'], {}, 'run'],
    [['--verbose'], {}, undefined],
  ] as const)('%j', (argv, env, word) => {
    expect(commandWord(argv, env)).toBe(word);
  });
});
