import { describe, expect, it } from 'vitest';
import { containerFromApi, imageFromApi, networkFromApi, timeMs, usageFromApi, volumeFromApi } from '../../src/core/engine/json.js';

describe('engine JSON -> inventory', () => {
  it('maps a container of GET /containers/json', () => {
    const c = containerFromApi({
      Id: 'abc', Names: ['/web'], Image: 'app:1', ImageID: 'sha256:i', State: 'exited', Created: 1_700_000_000, Labels: { a: 'b' },
      Mounts: [{ Type: 'volume', Name: 'v1' }, { Type: 'bind', Source: '/x' }], NetworkSettings: { Networks: { n: { NetworkID: 'net1' } } },
    });
    expect(c).toEqual({ id: 'abc', name: 'web', image: 'app:1', imageId: 'sha256:i', state: 'exited', createdMs: 1_700_000_000_000, labels: { a: 'b' }, sizeBytes: null, volumes: ['v1'], networks: ['net1'] });
    expect(containerFromApi({ Id: 'x', State: 'exited' }, true).sizeBytes).toBe(0);
  });

  it('maps images: <none>:<none> is no tag; unique bytes from SharedSize', () => {
    expect(imageFromApi({ Id: 'sha256:a', RepoTags: ['<none>:<none>'], Size: 100, SharedSize: 40, Created: 1 })).toMatchObject({ tags: [], sizeBytes: 100, uniqueBytes: 60, createdMs: 1000 });
    expect(imageFromApi({ Id: 'sha256:b', RepoTags: ['a:1'], Size: 100, SharedSize: -1 }).uniqueBytes).toBeNull();
  });

  it.each([
    ['a'.repeat(64), {}, true],
    ['named', {}, false],
    ['named', { 'com.docker.volume.anonymous': '' }, true],
  ])('volume %s labels %j anonymous: %s', (name, labels, anonymous) => expect(volumeFromApi({ Name: name, Labels: labels }).anonymous).toBe(anonymous));

  it.each([['bridge', true], ['host', true], ['none', true], ['ci-net', false]])('network %s built-in: %s', (name, builtin) => {
    expect(networkFromApi({ Name: name, Id: 'i', Created: '2026-01-01T00:00:00Z' }).builtin).toBe(builtin);
  });

  it("reads Go's zero time as unknown", () => {
    expect(timeMs('0001-01-01T00:00:00Z')).toBeNull();
    expect(timeMs('2026-01-01T00:00:00.5Z')).toBe(Date.parse('2026-01-01T00:00:00.5Z'));
  });

  it('computes the breakdown as docker system df does', () => {
    const u = usageFromApi({
      LayersSize: 1000,
      Images: [{ Size: 600, SharedSize: 100, Containers: 0 }, { Size: 500, SharedSize: 100, Containers: 1 }],
      Containers: [{ SizeRw: 10, State: 'running' }, { SizeRw: 20, State: 'exited' }],
      Volumes: [{ UsageData: { Size: 5, RefCount: 0 } }, { UsageData: { Size: 7, RefCount: 1 } }],
      BuildCache: [{ Size: 30, InUse: false }, { Size: 3, InUse: true }],
    });
    expect(u).toEqual({
      images: { count: 2, bytes: 1000, reclaimableBytes: 500 },
      containers: { count: 2, bytes: 30, reclaimableBytes: 20 },
      volumes: { count: 2, bytes: 12, reclaimableBytes: 5 },
      buildCache: { count: 2, bytes: 33, reclaimableBytes: 30 },
    });
  });
});
