import { describe, expect, it } from 'vitest';
import { formatBytes, parseDuration, parseSize, parseThreshold, thresholdBytes } from '../../src/core/units.js';
import { compileGlob, matchesAny } from '../../src/core/glob.js';
import { parseCleanArgs } from '../../src/core/clean/settings.js';

describe('sizes, thresholds and durations', () => {
  it.each([
    ['20GB', 20e9], ['512MiB', 512 * 2 ** 20], ['1.5g', 1.5e9], ['0', 0], ['100', 100], ['10kb', 10_000],
  ])('parseSize(%s)', (raw, bytes) => expect(parseSize(raw, '--x')).toBe(bytes));

  it.each(['', 'GB', '12 parsecs', '-1GB'])('parseSize rejects `%s`, naming the flag', (raw) => {
    expect(() => parseSize(raw, '--build-cache')).toThrow(/--build-cache/);
  });

  it.each([
    ['50%', { kind: 'percent', percent: 50 }],
    ['85.5%', { kind: 'percent', percent: 85.5 }],
    ['20GB', { kind: 'bytes', bytes: 20e9 }],
  ])('parseThreshold(%s)', (raw, expected) => expect(parseThreshold(raw, '--target')).toEqual(expected));

  it.each(['150%', 'half', '%'])('parseThreshold rejects `%s`', (raw) => expect(() => parseThreshold(raw, '--target')).toThrow(/--target.*`/));

  it.each([
    ['1h', 3_600_000], ['90m', 5_400_000], ['1h30m', 5_400_000], ['45s', 45_000], ['0', 0], ['2d', 172_800_000],
  ])('parseDuration(%s)', (raw, ms) => expect(parseDuration(raw, '--grace')).toBe(ms));

  it.each(['1x', 'h', '1h 30m', '-1h', '10'])('parseDuration rejects `%s`', (raw) => expect(() => parseDuration(raw, '--grace')).toThrow(/--grace/));

  it('thresholdBytes: percent of capacity, or bytes as given', () => {
    expect(thresholdBytes({ kind: 'percent', percent: 50 }, 1000)).toBe(500);
    expect(thresholdBytes({ kind: 'bytes', bytes: 42 }, 1000)).toBe(42);
  });

  it.each([[0, '0B'], [999, '999B'], [1500, '1.5kB'], [68_700_000, '68.7MB'], [null, '-']])('formatBytes(%s)', (b, text) => expect(formatBytes(b)).toBe(text));
});

describe('--keep-image globs', () => {
  it.each([
    ['node', 'node:20', true],
    ['node:*', 'node:20-alpine', true],
    ['registry.local/*', 'registry.local/app:1', true],
    ['registry.local/*', 'registry.local/team/app:1', false],
    ['registry.local/**', 'registry.local/team/app:1', true],
    ['app:1.?', 'app:1.2', true],
    ['app', 'application:1', false],
  ])('%s matches %s: %s', (glob, ref, expected) => expect(matchesAny(ref, [compileGlob(glob)])).toBe(expected));
});

describe('parseCleanArgs', () => {
  it('defaults to the build scope from the build identity', () => {
    expect(parseCleanArgs({}, 'jenkins-app-42').policy.scope).toEqual({ kind: 'build', build: 'jenkins-app-42' });
  });

  it('--agent: 1h grace, dangling images, networks, no volumes', () => {
    expect(parseCleanArgs({ agent: true }, undefined).policy).toMatchObject({ scope: { kind: 'agent' }, graceMs: 3_600_000, images: 'dangling', volumes: false, networks: true });
  });

  it.each([
    [{}, undefined, /--build ID/],
    [{ target: '50%' }, 'b', /--target needs --agent/],
    [{ buildCache: '1GB' }, 'b', /--build-cache needs --agent/],
    [{ agent: true, images: 'all' }, undefined, /--images takes/],
    [{ agent: true, high: '80%' }, undefined, /--high needs --every/],
    [{ agent: true, every: '10m', dryRun: true }, undefined, /--dry-run and --every/],
    [{ agent: true, every: '0' }, undefined, /--every takes at least 1s/],
  ])('rejects %j', (args, build, message) => expect(() => parseCleanArgs(args, build)).toThrow(message));

  it('--build-cache alone keeps nothing', () => {
    expect(parseCleanArgs({ agent: true, buildCache: '' }, undefined).policy.buildCacheKeepBytes).toBe(0);
  });
});

describe('measuring in a container', async () => {
  const { parseStatF, pickMeasureImage } = await import('../../src/core/statfs-text.js');
  const { image } = await import('./fixtures.js');

  it('parses `stat -f -c "%S %b %f %a %c %d"`', () => {
    expect(parseStatF('4096 1000 400 350 5000 4000\n', '/var/lib/docker')).toMatchObject({
      totalBytes: 4_096_000, usedBytes: 600 * 4096, availableBytes: 350 * 4096, inodesTotal: 5000, inodesUsed: 1000, method: 'container',
    });
    expect(parseStatF('stat: not found', '/x')).toBeUndefined();
  });

  it.each([
    [['app:1', 'docker.io/library/alpine:3.20'], undefined, 'docker.io/library/alpine:3.20'],
    [['whalekeeper-test/busybox:latest'], undefined, 'whalekeeper-test/busybox:latest'],
    [['app:1', 'alpinelike:1'], undefined, undefined],
    [['app:1'], 'tools:1', 'tools:1'],
  ])('picks an image from %j (asked %s): %s', (tags, asked, expected) => {
    expect(pickMeasureImage(tags.map((t, i) => image(`sha256:${i}`, { tags: [t] })), asked)).toBe(expected);
  });
});
