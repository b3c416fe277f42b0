import { describe, expect, it } from 'vitest';
import { resolveBuildIdentity, resolveBuildNumber } from '../../src/core/build-identity.js';
import { contextToLoad, engineAddress, resolveEngine } from '../../src/core/engine/target.js';
import { resolveGlobals } from '../../src/core/settings.js';
import { EngineHostError, UsageError } from '../../src/core/errors.js';

describe('engine resolution: flags, WHALEKEEPER_HOST, DOCKER_HOST, context, default', () => {
  const ctx = { name: 'dind', host: 'tcp://localhost:2376', tls: { verify: true, certPath: '/certs' } };
  it.each([
    { flag: 'unix:///f.sock', env: { WHALEKEEPER_HOST: 'unix:///w.sock', DOCKER_HOST: 'unix:///d.sock' }, host: 'unix:///f.sock', source: '--host', pass: true },
    { flag: undefined, env: { WHALEKEEPER_HOST: 'unix:///w.sock', DOCKER_HOST: 'unix:///d.sock' }, host: 'unix:///w.sock', source: 'WHALEKEEPER_HOST', pass: true },
    { flag: undefined, env: { DOCKER_HOST: 'unix:///d.sock' }, host: 'unix:///d.sock', source: 'DOCKER_HOST', pass: false },
    { flag: undefined, env: { DOCKER_HOST: '' }, host: 'unix:///var/run/docker.sock', source: 'default', pass: false },
  ])('$source', ({ flag, env, host, source, pass }) => {
    const target = resolveEngine(flag, env, undefined, '/home/u');
    expect(target).toMatchObject({ host, source, passToClient: pass });
  });

  it('uses a loaded context when nothing else names the engine', () => {
    expect(resolveEngine(undefined, {}, ctx, '/h')).toEqual({ host: ctx.host, tls: ctx.tls, source: 'context dind', passToClient: false });
  });

  it('takes DOCKER_API_VERSION as the docker client does (empty: unset)', () => {
    expect(resolveEngine(undefined, { DOCKER_HOST: 'unix:///d.sock', DOCKER_API_VERSION: '1.45' }, undefined, '/h').apiVersion).toBe('1.45');
    expect(resolveEngine(undefined, { DOCKER_API_VERSION: '1.45' }, ctx, '/h')).toMatchObject({ source: 'context dind', apiVersion: '1.45' });
    expect(resolveEngine(undefined, { DOCKER_API_VERSION: '' }, undefined, '/h')).not.toHaveProperty('apiVersion');
  });

  it('takes TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, defaulting to ~/.docker', () => {
    expect(resolveEngine(undefined, { DOCKER_HOST: 'tcp://localhost:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs/client' }, undefined, '/h').tls)
      .toEqual({ verify: true, certPath: '/certs/client' });
    expect(resolveEngine(undefined, { DOCKER_HOST: 'tcp://x:2376', DOCKER_TLS_VERIFY: '1' }, undefined, '/h').tls).toEqual({ verify: true, certPath: '/h/.docker' });
    expect(resolveEngine(undefined, { DOCKER_HOST: 'tcp://x:2375' }, undefined, '/h').tls).toBeUndefined();
    expect(resolveEngine(undefined, { DOCKER_HOST: 'tcp://x', DOCKER_TLS: '1' }, undefined, '/h').tls).toEqual({ verify: false, certPath: '/h/.docker' });
  });

  it.each([
    [undefined, {}, 'from-config', 'from-config'],
    [undefined, { DOCKER_CONTEXT: 'env-ctx' }, 'from-config', 'env-ctx'],
    [undefined, { DOCKER_CONTEXT: 'default' }, 'from-config', undefined],
    [undefined, { DOCKER_HOST: 'unix:///d.sock', DOCKER_CONTEXT: 'x' }, 'y', undefined],
    ['unix:///f.sock', {}, 'y', undefined],
    [undefined, {}, undefined, undefined],
  ])('context to load: flag %s env %j config %s -> %s', (flag, env, current, expected) => {
    expect(contextToLoad(flag, env, current)).toBe(expected);
  });

  it.each([
    ['unix:///var/run/docker.sock', false, { kind: 'unix', path: '/var/run/docker.sock' }],
    ['unix://', false, { kind: 'unix', path: '/var/run/docker.sock' }],
    ['tcp://localhost:2376', true, { kind: 'tcp', host: 'localhost', port: 2376, path: '' }],
    ['tcp://10.0.0.1', false, { kind: 'tcp', host: '10.0.0.1', port: 2375, path: '' }],
    ['tcp://10.0.0.1', true, { kind: 'tcp', host: '10.0.0.1', port: 2376, path: '' }],
    ['tcp://[::1]:2375', false, { kind: 'tcp', host: '::1', port: 2375, path: '' }],
    // As the docker client reads them: no scheme is tcp, an empty host is localhost, credentials and a query are ignored.
    ['localhost:2375', false, { kind: 'tcp', host: 'localhost', port: 2375, path: '' }],
    ['tcp://:1', false, { kind: 'tcp', host: 'localhost', port: 1, path: '' }],
    ['tcp://user:pw@10.0.0.1:2375', false, { kind: 'tcp', host: '10.0.0.1', port: 2375, path: '' }],
    ['tcp://10.0.0.1:2375/?token=abc', false, { kind: 'tcp', host: '10.0.0.1', port: 2375, path: '/' }],
    ['tcp://10.0.0.1:2375/prefix', false, { kind: 'tcp', host: '10.0.0.1', port: 2375, path: '/prefix' }],
    ['ssh://me@host', false, { kind: 'other', scheme: 'ssh' }],
  ])('address of %s', (host, tls, address) => {
    expect(engineAddress(host, tls)).toEqual(address);
  });

  // What `docker version` says "Failed to initialize" to (docker 28.2.2 here).
  it.each([
    ['http://127.0.0.1:2375', /no `http:\/\/` scheme/],
    ['https://127.0.0.1:2376', /no `https:\/\/` scheme/],
    ['foo://x', /no `foo:\/\/` scheme/],
    ['tcp://127.0.0.1:notaport', /`notaport` is not a port/],
    ['tcp://127.0.0.1:99999', /`99999` is not a port/],
    ['tcp://h o', /`h o` is not a host name/],
    ['ssh://', /needs a host name/],
  ])('rejects %s as docker does', (host, reason) => {
    expect(() => engineAddress(host, false)).toThrow(reason);
  });

  it.each([
    [{ host: 'foo://x' }, {}, '--host `foo://x` is not an engine address docker can use'],
    [{}, { DOCKER_HOST: 'tcp://user:secret@127.0.0.1:notaport' }, 'DOCKER_HOST `tcp://***@127.0.0.1:notaport` is not an engine address docker can use (`notaport` is not a port)'],
    [{}, { WHALEKEEPER_HOST: 'http://h' }, 'WHALEKEEPER_HOST `http://h`'],
  ])('a host docker cannot parse is a usage error naming where it came from, masked: %j %j', (flags, env, message) => {
    let caught: unknown;
    try {
      resolveGlobals(flags, env, undefined, '/home/u');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect(caught).toBeInstanceOf(EngineHostError);
    expect((caught as UsageError).exitCode).toBe(2);
    expect((caught as Error).message).toContain(message);
    expect((caught as Error).message).not.toContain('secret');
  });
});

describe('build identity: --build, WHALEKEEPER_BUILD, Jenkins, GitHub Actions, GitLab CI', () => {
  it.each([
    ['b', { WHALEKEEPER_BUILD: 'w', BUILD_TAG: 't' }, { id: 'b', source: '--build' }],
    [undefined, { WHALEKEEPER_BUILD: 'w', BUILD_TAG: 't' }, { id: 'w', source: 'WHALEKEEPER_BUILD' }],
    [undefined, { BUILD_TAG: 'jenkins-app-main-42', JOB_NAME: 'x', BUILD_NUMBER: '1' }, { id: 'jenkins-app-main-42', source: 'BUILD_TAG' }],
    [undefined, { JOB_NAME: 'app/main', BUILD_NUMBER: '42' }, { id: 'jenkins-app-main-42', source: 'JOB_NAME, BUILD_NUMBER' }],
    [undefined, { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '99', GITHUB_RUN_ATTEMPT: '2' }, { id: 'github-o-r-99-2', source: 'GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT' }],
    [undefined, { GITLAB_CI: 'true', CI_PROJECT_PATH: 'g/p', CI_JOB_ID: '7' }, { id: 'gitlab-g-p-7', source: 'CI_PROJECT_PATH, CI_JOB_ID' }],
    [undefined, { BUILD_NUMBER: '42' }, undefined],
    [undefined, {}, undefined],
  ])('flag %s env %j', (flag, env, expected) => {
    expect(resolveBuildIdentity(flag, env)).toEqual(expected);
  });

  it('build number: flag, WHALEKEEPER_BUILD_NUMBER, BUILD_NUMBER, GitHub, GitLab', () => {
    expect(resolveBuildNumber('5', { BUILD_NUMBER: '6' })).toBe('5');
    expect(resolveBuildNumber(undefined, { WHALEKEEPER_BUILD_NUMBER: '4', BUILD_NUMBER: '6' })).toBe('4');
    expect(resolveBuildNumber(undefined, { BUILD_NUMBER: '6' })).toBe('6');
    expect(resolveBuildNumber(undefined, { GITHUB_RUN_NUMBER: '8' })).toBe('8');
    expect(resolveBuildNumber(undefined, { CI_PIPELINE_IID: '9' })).toBe('9');
    expect(resolveBuildNumber(undefined, {})).toBeUndefined();
  });
});

describe('global settings precedence: flag, WHALEKEEPER_*, CI, default', () => {
  it('flags beat variables', () => {
    const s = resolveGlobals({ verbose: false, 'stop-timeout': 1, build: 'f' }, { WHALEKEEPER_VERBOSE: '1', WHALEKEEPER_STOP_TIMEOUT: '9', WHALEKEEPER_BUILD: 'w' }, undefined, '/h');
    expect(s).toMatchObject({ verbose: false, stopTimeoutSeconds: 1, build: { id: 'f' } });
  });

  it('variables beat defaults', () => {
    const s = resolveGlobals({}, { WHALEKEEPER_VERBOSE: 'true', WHALEKEEPER_JSON: 'yes', WHALEKEEPER_STOP_TIMEOUT: '9', WHALEKEEPER_DOCKER: '/opt/docker' }, undefined, '/h');
    expect(s).toMatchObject({ verbose: true, json: true, stopTimeoutSeconds: 9, dockerBinary: '/opt/docker' });
  });

  it('takes --engine-timeout from the flag, then WHALEKEEPER_ENGINE_TIMEOUT', () => {
    expect(resolveGlobals({ 'engine-timeout': 2.5 }, { WHALEKEEPER_ENGINE_TIMEOUT: '7' }, undefined, '/h').engineTimeoutSeconds).toBe(2.5);
    expect(resolveGlobals({}, { WHALEKEEPER_ENGINE_TIMEOUT: '7' }, undefined, '/h').engineTimeoutSeconds).toBe(7);
  });

  it('takes --scope from the flag, then WHALEKEEPER_SCOPE; an empty value is no scope', () => {
    expect(resolveGlobals({ scope: 'f' }, { WHALEKEEPER_SCOPE: 'w' }, undefined, '/h').scope).toBe('f');
    expect(resolveGlobals({}, { WHALEKEEPER_SCOPE: 'w' }, undefined, '/h').scope).toBe('w');
    expect(resolveGlobals({}, { WHALEKEEPER_SCOPE: '' }, undefined, '/h').scope).toBeUndefined();
  });

  it('defaults', () => {
    expect(resolveGlobals({}, {}, undefined, '/h')).toMatchObject({ scope: undefined,  verbose: false, json: false, stopTimeoutSeconds: 3, engineTimeoutSeconds: 10, dockerBinary: 'docker', build: undefined });
  });

  it.each([
    [{ 'stop-timeout': -1 }, {}, /--stop-timeout takes whole seconds/],
    [{ 'stop-timeout': 1.5 }, {}, /--stop-timeout takes whole seconds/],
    [{}, { WHALEKEEPER_VERBOSE: 'sometimes' }, /WHALEKEEPER_VERBOSE takes true or false, not `sometimes`/],
    [{}, { WHALEKEEPER_STOP_TIMEOUT: 'x' }, /WHALEKEEPER_STOP_TIMEOUT takes a number/],
    [{ 'engine-timeout': 0 }, {}, /--engine-timeout takes seconds \(more than 0\), not `0`/],
    [{}, { WHALEKEEPER_ENGINE_TIMEOUT: 'soon' }, /WHALEKEEPER_ENGINE_TIMEOUT takes a number/],
  ])('rejects %j %j', (flags, env, message) => {
    expect(() => resolveGlobals(flags, env, undefined, '/h')).toThrow(message);
  });
});
