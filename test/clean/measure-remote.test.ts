// measureDataRoot for an engine whose data root is not visible here, with stub engines: which paths the helper
// containers measure. A remote host install with the system containerd cannot run here (its containerd would be this
// machine's); the helper container's own measuring is tested against the real engines in clean-disk.test.ts.
import { describe, expect, it } from 'vitest';
import { measureDataRoot } from '../../src/commands/snapshot.js';
import type { EngineTarget } from '../../src/core/engine/target.js';
import type { ImageInfo } from '../../src/core/inventory.js';
import type { Disk } from '../../src/edge/disk.js';
import type { Engine, EngineInfo } from '../../src/edge/engine.js';

const target: EngineTarget = { host: 'tcp://build-host.example:2376', tls: undefined, source: 'default', passToClient: false };
const busybox: ImageInfo = { id: 'sha256:b', parentId: '', tags: ['busybox:latest'], labels: {}, createdMs: 0, sizeBytes: 1, uniqueBytes: 1, lastTagMs: null };
const nothingHere: Disk = {
  measure: async () => ({ ok: false, reason: 'not here' }),
  treeBytes: async () => ({ ok: false, reason: 'not here' }),
  readText: async () => undefined,
  exists: async () => false,
  sameFilesystem: async () => false,
  containerds: async () => [],
};

/** `stat -f -c '%S %b %f %a %c %d'` output per mounted path: block size, blocks, free, available, inodes, free inodes. */
function engineMeasuring(statOf: Record<string, string>, mounted: string[]): Engine {
  return {
    images: async () => [busybox],
    runReadOnly: async (_image: string, hostPath: string) => {
      mounted.push(hostPath);
      const out = statOf[hostPath];
      return out === undefined ? { ok: false, reason: `no such folder ${hostPath}` } : { ok: true, stdout: out };
    },
  } as unknown as Engine;
}

const info = (overrides: Partial<EngineInfo>): EngineInfo => ({ dataRoot: '/var/lib/docker', serverVersion: '28.5.2', name: 'h', os: 'Debian', id: 'abc', imageStore: 'containerd', containerdAddress: '', ...overrides });

describe('measureDataRoot on a remote engine', () => {
  it("with the system containerd's socket (a host install), measures its root too, and holds the fuller against the thresholds", async () => {
    const mounted: string[] = [];
    const engine = engineMeasuring({ '/var/lib/docker': '4096 1000 900 900 100 90\n', '/var/lib/containerd': '4096 2000 200 200 500 100\n' }, mounted);
    const m = await measureDataRoot(target, info({ containerdAddress: '/run/containerd/containerd.sock' }), nothingHere, { engine, image: undefined });
    expect(mounted).toEqual(['/var/lib/docker', '/var/lib/containerd']);
    expect(m.ok && m.usage.path).toBe('/var/lib/containerd');
    expect(m.ok && m.filesystems?.map((f) => f.holds)).toEqual(['data root', 'containerd root']);
  });

  it("says it is not measured when the system containerd's root cannot be measured, instead of the data root alone", async () => {
    const engine = engineMeasuring({ '/var/lib/docker': '4096 1000 900 900 100 90\n' }, []);
    const m = await measureDataRoot(target, info({ containerdAddress: 'unix:///var/run/containerd/containerd.sock' }), nothingHere, { engine, image: undefined });
    expect(m).toEqual({ ok: false, reason: expect.stringMatching(/^the engine keeps its images in the system containerd's root \/var\/lib\/containerd: .*no such folder/) });
  });

  it("dockerd's own containerd (docker:dind) and the graph driver: the data root only", async () => {
    for (const engineInfo of [info({ containerdAddress: '/var/run/docker/containerd/containerd.sock' }), info({ imageStore: 'graphdriver', containerdAddress: '/run/containerd/containerd.sock' })]) {
      const mounted: string[] = [];
      const m = await measureDataRoot(target, engineInfo, nothingHere, { engine: engineMeasuring({ '/var/lib/docker': '4096 1000 900 900 100 90\n' }, mounted), image: undefined });
      expect(mounted).toEqual(['/var/lib/docker']);
      expect(m.ok && m.usage.method).toBe('container');
    }
  });
});
