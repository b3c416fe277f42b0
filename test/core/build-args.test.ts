import { describe, expect, it } from 'vitest';
import { createdTime, dockerfileLocation, gitOrigin, planBuild, repositoryOf, withoutCredentials, type BuildStamp } from '../../src/core/build-args.js';
import { checkBuildNumberArg } from '../../src/core/dockerfile-check.js';
import { UsageError } from '../../src/core/errors.js';
import { maskDockerArgv } from '../../src/core/mask-docker.js';
import { parseFlags } from '../../src/core/pflag.js';
import { BUILD_FLAG_TABLE } from '../../src/core/docker-build-options.js';

const stamp: BuildStamp = {
  buildNumber: '77',
  build: 'jenkins-app-77',
  revision: 'abc123',
  source: 'https://example.com/app.git',
  created: '2026-11-25T20:00:00Z',
  tagBuildNumber: false,
};
const none: BuildStamp = { buildNumber: undefined, build: undefined, revision: undefined, source: undefined, created: '2026-11-25T20:00:00Z', tagBuildNumber: false };

describe('planBuild', () => {
  it('adds the build arg, the OCI and ownership labels before the user\'s options, which stay as given', () => {
    const plan = planBuild(['-t', 'base', '.'], stamp, '/src');
    expect(plan.dockerArgs).toEqual([
      'build',
      '--force-rm',
      '--build-arg', 'BUILD_NUMBER=77',
      '--label', 'org.opencontainers.image.version=77',
      '--label', 'org.opencontainers.image.revision=abc123',
      '--label', 'org.opencontainers.image.created=2026-11-25T20:00:00Z',
      '--label', 'org.opencontainers.image.source=https://example.com/app.git',
      '--label', 'whalekeeper.managed=true',
      '--label', 'whalekeeper.build=jenkins-app-77',
      '-t', 'base', '.',
    ]);
    expect(plan.dockerfile).toEqual({ kind: 'file', path: '/src/Dockerfile' });
  });

  it.each([
    [['--build-arg', 'BUILD_NUMBER=5', '.']],
    [['--build-arg=BUILD_NUMBER', '.']],
    [['.', '--build-arg', 'BUILD_NUMBER=5']],
  ])('leaves the build arg to the user who passed it: %j', (args) => {
    const plan = planBuild(args, stamp, '/src');
    expect(plan.dockerArgs.filter((a) => a.includes('BUILD_NUMBER'))).toHaveLength(1);
    expect(plan.userBuildNumberArg).toBe(true);
    expect(plan.passesBuildNumber).toBe(false);
  });

  it('adds only --force-rm, `created` and `managed` when nothing is known', () => {
    const plan = planBuild(['.'], none, '/src');
    expect(plan.added).toEqual(['--force-rm', '--label', 'org.opencontainers.image.created=2026-11-25T20:00:00Z', '--label', 'whalekeeper.managed=true']);
  });

  it('leaves --force-rm to a user who set it', () => {
    expect(planBuild(['--force-rm=false', '.'], none, '/').added).not.toContain('--force-rm');
  });

  it('keeps a label the user set', () => {
    const plan = planBuild(['--label', 'org.opencontainers.image.source=mine', '.'], stamp, '/');
    expect(plan.added.filter((a) => a.startsWith('org.opencontainers.image.source'))).toEqual([]);
  });

  it.each([
    [['-t', 'base', '.'], ['--tag', 'base:77']],
    [['-t', 'base:latest', '-t', 'reg:5000/team/base:dev', '.'], ['--tag', 'base:77', '--tag', 'reg:5000/team/base:77']],
    [['-t', 'base:77', '.'], []],
    [['.', '--tag=base'], ['--tag', 'base:77']],
  ])('--tag-build-number with %j adds %j', (args, tags) => {
    const plan = planBuild(args, { ...stamp, tagBuildNumber: true }, '/');
    expect(plan.added.filter((_, i, all) => all[i - 1] === '--tag' || all[i] === '--tag')).toEqual(tags);
  });

  it.each([
    ['no build number', ['-t', 'base', '.'], { ...none, tagBuildNumber: true }, /build number is not known/],
    ['no -t', ['.'], { ...stamp, tagBuildNumber: true }, /needs a name to tag/],
    ['a build number that is no tag', ['-t', 'b', '.'], { ...stamp, buildNumber: 'a/b', tagBuildNumber: true }, /not a valid image tag/],
  ])('--tag-build-number with %s is a usage error (2)', (_name, args, s, message) => {
    expect(() => planBuild(args, s, '/')).toThrow(message);
    try {
      planBuild(args, s, '/');
    } catch (error) {
      expect((error as UsageError).exitCode).toBe(2);
    }
  });

  it.each([
    [['--nope', '.'], /unknown flag: --nope/],
    [['-t'], /needs an argument/],
    [[], /requires 1 argument/],
    [['a', 'b'], /requires 1 argument/],
  ])('refuses %j as docker would (125)', (args, message) => {
    expect(() => planBuild(args, stamp, '/')).toThrow(message);
    try {
      planBuild(args, stamp, '/');
    } catch (error) {
      expect((error as UsageError).exitCode).toBe(125);
    }
  });

  it('reads -f and --target wherever they are, the last one winning', () => {
    const plan = planBuild(['ctx', '-f', 'a/Dockerfile', '--file=b/Dockerfile.ci', '--target', 'app'], stamp, '/w');
    expect(plan.dockerfile).toEqual({ kind: 'file', path: '/w/b/Dockerfile.ci' });
    expect(plan.target).toBe('app');
  });
});

describe('dockerfileLocation', () => {
  it.each([
    ['.', undefined, { kind: 'file', path: '/w/Dockerfile' }],
    ['svc', undefined, { kind: 'file', path: '/w/svc/Dockerfile' }],
    ['/abs/ctx', undefined, { kind: 'file', path: '/abs/ctx/Dockerfile' }],
    ['svc', 'docker/Dockerfile', { kind: 'file', path: '/w/docker/Dockerfile' }],
    ['svc', '/x/Dockerfile', { kind: 'file', path: '/x/Dockerfile' }],
    ['svc', '-', { kind: 'unreadable', reason: 'the Dockerfile comes from stdin' }],
    ['-', undefined, { kind: 'unreadable', reason: 'the context comes from stdin' }],
    ['https://github.com/a/b.git', undefined, { kind: 'unreadable', reason: 'the context is remote' }],
  ])('context %s with -f %s is %j', (context, file, expected) => {
    expect(dockerfileLocation(context, file, '/w')).toEqual(expected);
  });
});

describe('checkBuildNumberArg', () => {
  it.each([
    ['FROM a\nARG BUILD_NUMBER\nENV X=${BUILD_NUMBER}\n', undefined, 'declared'],
    ['FROM a\nARG BUILD_NUMBER=0\n', undefined, 'declared'],
    ['from a\narg VERSION BUILD_NUMBER\n', undefined, 'declared'],
    ['FROM a\nARG BUILD_NUMBERS\n', undefined, 'missing'],
    ['FROM a\n# ARG BUILD_NUMBER\nRUN true\n', undefined, 'missing'],
    ['FROM a\nRUN echo \\\n  ARG BUILD_NUMBER\n', undefined, 'missing'],
    ['# escape=`\nFROM a\nRUN echo `\n  x\nARG BUILD_NUMBER\n', undefined, 'declared'],
    ['ARG BUILD_NUMBER\nFROM a\n', undefined, 'global-only'],
    ['FROM a AS build\nARG BUILD_NUMBER\nFROM b\nCOPY --from=build /x /x\n', undefined, 'missing'],
    ['FROM a AS build\nARG BUILD_NUMBER\nFROM b\n', 'build', 'declared'],
    ['FROM a AS Build\nARG BUILD_NUMBER\nFROM b\n', 'BUILD', 'declared'],
    ['FROM a\n', 'nope', 'no-such-stage'],
    ['', undefined, 'missing'],
  ])('%j (target %s) is %s', (text, target, expected) => {
    expect(checkBuildNumberArg(text, target)).toBe(expected);
  });

  it('reads the fixture service\'s Dockerfile as declaring it', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../fixtures/service/Dockerfile', import.meta.url), 'utf8');
    expect(checkBuildNumberArg(text, undefined)).toBe('declared');
  });
});

describe('build stamp sources', () => {
  it.each([
    ['https://user:token@git.example.com/app.git', 'https://git.example.com/app.git'],
    ['https://git.example.com/app.git', 'https://git.example.com/app.git'],
    ['git@github.com:org/app.git', 'git@github.com:org/app.git'],
    ['ssh://git@host:22/app.git', 'ssh://host:22/app.git'],
  ])('%s is labelled %s', (url, expected) => {
    expect(withoutCredentials(url)).toBe(expected);
  });

  it.each([
    [{ GIT_COMMIT: 'c1', GIT_URL: 'https://u:p@h/r.git' }, { revision: 'c1', source: 'https://h/r.git' }],
    [{ GITHUB_SHA: 'c2', GITHUB_REPOSITORY: 'o/r' }, { revision: 'c2', source: 'https://github.com/o/r' }],
    [{ CI_COMMIT_SHA: 'c3', CI_PROJECT_URL: 'https://gitlab.example.com/g/r' }, { revision: 'c3', source: 'https://gitlab.example.com/g/r' }],
    [{}, { revision: undefined, source: undefined }],
  ])('%j gives %j', (env, expected) => {
    expect(gitOrigin(env)).toEqual(expected);
  });

  it('writes RFC 3339 in UTC; SOURCE_DATE_EPOCH wins', () => {
    expect(createdTime(Date.UTC(2026, 10, 25, 20, 1, 2, 345), {})).toBe('2026-11-25T20:01:02Z');
    expect(createdTime(0, { SOURCE_DATE_EPOCH: '1700000000' })).toBe('2023-11-14T22:13:20Z');
  });

  it.each([
    ['app:1', 'app'],
    ['app', 'app'],
    ['reg:5000/app', 'reg:5000/app'],
    ['reg:5000/team/app:dev', 'reg:5000/team/app'],
  ])('repository of %s is %s', (reference, expected) => {
    expect(repositoryOf(reference)).toBe(expected);
  });
});

describe('docker build flags', () => {
  it('are read interspersed, as docker build reads them', () => {
    const parsed = parseFlags(['.', '-t', 'x', '--no-cache', '-f', 'D', '--', '-weird'], BUILD_FLAG_TABLE, { interspersed: true });
    expect(parsed.flags.map((f) => [f.long, f.value])).toEqual([['tag', 'x'], ['no-cache', 'true'], ['file', 'D']]);
    expect(parsed.positionals).toEqual([0, 7]);
  });

  it('mask build-arg values wherever they are', () => {
    expect(maskDockerArgv(['build', '--build-arg', 'TOKEN=s3cret', '.', '--build-arg=PASS=x', '--build-arg', 'FROM_ENV'])).toEqual([
      'build', '--build-arg', 'TOKEN=***', '.', '--build-arg=PASS=***', '--build-arg', 'FROM_ENV',
    ]);
  });
});
