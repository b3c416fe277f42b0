// --limit (a DinD emptyDir's sizeLimit), WHALEKEEPER_DISK_LIMIT, and which engines can have their data root here.
import { describe, expect, it } from 'vitest';
import { parseCleanArgs } from '../../src/core/clean/settings.js';
import { againstLimit, isAbove } from '../../src/core/disk-status.js';
import { isSameMachine } from '../../src/core/engine/target.js';
import { resolveLimit } from '../../src/core/units.js';
import { fs } from './fixtures.js';

describe('againstLimit', () => {
  it.each([
    [25 * 2 ** 30, 50 * 2 ** 30, 50, 25 * 2 ** 30],
    [0, 1000, 0, 1000],
    [1000, 1000, 100, 0],
    [1500, 1000, 100, 0],
  ])('%d bytes under a %d-byte limit: %d%% used, %d left', (tree, limit, percent, left) => {
    const usage = againstLimit('/var/lib/docker', tree, limit, fs(9000));
    expect(usage).toMatchObject({ totalBytes: limit, usedBytes: tree, availableBytes: left, usedPercent: percent, method: 'du' });
  });

  it("keeps the filesystem's inodes (node-wide, as the kubelet's nodefs.inodesFree), or 0 when unread", () => {
    expect(againstLimit('/d', 1, 10, fs(1))).toMatchObject({ inodesTotal: 100, inodesUsed: 10 });
    expect(againstLimit('/d', 1, 10, undefined)).toMatchObject({ inodesTotal: 0, inodesUsed: 0 });
  });

  it('thresholds read against the limit, not the node', () => {
    const usage = againstLimit('/d', 46 * 2 ** 30, 50 * 2 ** 30, undefined);
    expect(isAbove(usage, { kind: 'percent', percent: 90 })).toBe(true);
    expect(isAbove(usage, { kind: 'percent', percent: 95 })).toBe(false);
    expect(isAbove(usage, { kind: 'bytes', bytes: 40 * 2 ** 30 })).toBe(true);
  });
});

describe('resolveLimit', () => {
  it.each([
    ['50GiB', undefined, 50 * 2 ** 30],
    ['50Gi', '1Gi', 50 * 2 ** 30],
    [undefined, '50Gi', 50 * 2 ** 30],
    [undefined, '500M', 500e6],
    [undefined, '', undefined],
    [undefined, undefined, undefined],
  ])('--limit %s with WHALEKEEPER_DISK_LIMIT=%s is %s bytes', (flag, env, bytes) => {
    expect(resolveLimit(flag, env)).toBe(bytes);
  });

  it.each([
    ['0', undefined, '--limit takes a size above zero such as 50GiB, not `0`'],
    ['lots', undefined, '--limit takes a size such as 20GB or 512MiB, not `lots`'],
    [undefined, '50%', 'WHALEKEEPER_DISK_LIMIT takes a size such as 20GB or 512MiB, not `50%`'],
  ])('refuses --limit %s / WHALEKEEPER_DISK_LIMIT=%s', (flag, env, message) => {
    expect(() => resolveLimit(flag, env)).toThrow(message);
  });

  it("applies the pod template's variable to agent cleans only (a build's clean measures nothing)", () => {
    expect(parseCleanArgs({ agent: true }, undefined, undefined, '10Gi').limitBytes).toBe(10 * 2 ** 30);
    expect(parseCleanArgs({}, 'jenkins-app-1', undefined, '10Gi').limitBytes).toBeUndefined();
    expect(() => parseCleanArgs({ limit: '10Gi' }, 'jenkins-app-1')).toThrow('--limit needs --agent');
  });

  it('--prometheus needs --every', () => {
    expect(() => parseCleanArgs({ agent: true, prometheus: '/m.prom' }, undefined)).toThrow('--prometheus needs --every');
    expect(parseCleanArgs({ agent: true, every: '10m', prometheus: '/m.prom' }, undefined).prometheus).toBe('/m.prom');
  });
});

describe('isSameMachine', () => {
  it.each([
    ['unix:///var/run/docker.sock', true],
    ['/var/run/docker.sock', true],
    ['tcp://localhost:2376', true],
    ['tcp://LOCALHOST:2376', true],
    ['tcp://127.0.0.1:2375', true],
    ['tcp://127.1.2.3', true],
    ['tcp://[::1]:2376', true],
    ['tcp://docker:2376', false],
    ['tcp://10.0.0.7:2376', false],
    ['tcp://localhost.example.com:2376', false],
    ['tcp://127.0.0.1.nip.io:2376', false],
    ['ssh://ci@localhost', false],
  ])('%s: %s', (host, same) => {
    expect(isSameMachine(host)).toBe(same);
  });
});
