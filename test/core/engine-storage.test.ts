import { describe, expect, it } from 'vitest';
import { fullestOf } from '../../src/core/disk-status.js';
import {
  containerdConfig,
  containerdFlags,
  containerdRootServing,
  dataRootVerdict,
  imageRootOf,
  imageStoreOf,
  isWithin,
  type ContainerdProcess,
} from '../../src/core/engine/storage.js';
import { fs } from './fixtures.js';

describe('imageStoreOf', () => {
  it("reads the containerd store from /info's DriverStatus, and anything else as a graph driver", () => {
    // Engine 28.5 with {"features": {"containerd-snapshotter": true}} answers these two pairs (seen on the test engine).
    expect(imageStoreOf([['driver-type', 'io.containerd.snapshotter.v1']])).toBe('containerd');
    // overlay2 on 20.10 answers its backing filesystem and d_type.
    expect(imageStoreOf([['Backing Filesystem', 'extfs'], ['Supports d_type', 'true']])).toBe('graphdriver');
    expect(imageStoreOf(null)).toBe('graphdriver');
  });
});

describe('containerdFlags', () => {
  it('reads --config, --root and --address in both spellings', () => {
    expect(containerdFlags(['/usr/bin/containerd', '--config', '/x/c.toml', '--root=/r', '-a', '/s.sock'])).toEqual({ config: '/x/c.toml', root: '/r', address: '/s.sock' });
    expect(containerdFlags(['containerd'])).toEqual({ config: undefined, root: undefined, address: undefined });
    // The value of another flag is not a subcommand (scripts/engine.sh starts one so).
    expect(containerdFlags(['containerd', '--config', '/d/containerd.toml', '--log-level', 'warn', '--state', '/s'])).toEqual({ config: '/d/containerd.toml', root: undefined, address: undefined });
  });

  it('is not a containerd daemon: another program, a shim, or a subcommand', () => {
    expect(containerdFlags(['/usr/bin/containerd-shim-runc-v2', '-namespace', 'moby'])).toBeUndefined();
    expect(containerdFlags(['containerd', 'config', 'dump'])).toBeUndefined();
    expect(containerdFlags([])).toBeUndefined();
  });
});

describe('containerdConfig', () => {
  it("reads the top-level root and [grpc]'s address, passing over other tables' keys", () => {
    const toml = [
      'version = 3',
      "root = '/srv/ctd'",
      '[plugins."io.containerd.grpc.v1.cri"]',
      '  root = "/not/this"',
      '[grpc]',
      '  address = "/run/x/containerd.sock"',
      '[ttrpc]',
      '  address = "/run/x/containerd.sock.ttrpc"',
    ].join('\n');
    expect(containerdConfig(toml)).toEqual({ root: '/srv/ctd', address: '/run/x/containerd.sock' });
  });
});

const system = (configText: string | undefined, argv = ['/usr/bin/containerd']): ContainerdProcess => ({ flags: containerdFlags(argv)!, configText });

describe('containerdRootServing', () => {
  it("finds the root of the containerd serving the engine's address: flags, then config, then containerd's defaults", () => {
    const fromConfig = system('root = "/d/containerd"\n[grpc]\n  address = "/d/ctd-state/containerd.sock"', ['containerd', '--config', '/d/containerd.toml']);
    const defaults = system(undefined);
    expect(containerdRootServing('/d/ctd-state/containerd.sock', [defaults, fromConfig])).toBe('/d/containerd');
    expect(containerdRootServing('unix:///run/containerd/containerd.sock', [defaults, fromConfig])).toBe('/var/lib/containerd');
    expect(containerdRootServing('/run/containerd/containerd.sock', [system(undefined, ['containerd', '--root', '/big'])])).toBe('/big');
    expect(containerdRootServing('/elsewhere.sock', [defaults])).toBeUndefined();
  });
});

describe('isWithin', () => {
  it('is true for the folder itself and below it, not for a sibling with the same prefix', () => {
    expect(isWithin('/var/lib/docker/containerd/daemon', '/var/lib/docker')).toBe(true);
    expect(isWithin('/var/lib/docker', '/var/lib/docker/')).toBe(true);
    expect(isWithin('/var/lib/docker2', '/var/lib/docker')).toBe(false);
    expect(isWithin('/var/lib/containerd', '/var/lib/docker')).toBe(false);
  });
});

describe('dataRootVerdict', () => {
  const root = '/var/lib/docker';
  it("takes the folder for the engine's when its engine-id matches, whatever the image store", () => {
    expect(dataRootVerdict(root, { engineId: 'abc-123\n', hasImageDir: false }, 'abc-123')).toEqual({ mine: true });
  });

  it("refuses a folder holding another engine's data (a DaemonSet seeing the host's path, another engine's mount)", () => {
    expect(dataRootVerdict(root, { engineId: 'other', hasImageDir: true }, 'abc-123')).toEqual({
      mine: false,
      reason: "the folder /var/lib/docker here holds another engine's data (engine-id other, not abc-123)",
    });
  });

  it("takes an engine older than engine-id by its graph driver's image/ folder, and says when neither is there", () => {
    expect(dataRootVerdict(root, { engineId: undefined, hasImageDir: true }, 'X:Y:Z')).toEqual({ mine: true });
    expect(dataRootVerdict(root, { engineId: undefined, hasImageDir: false }, 'abc')).toEqual({ mine: false, reason: 'the data root /var/lib/docker is not visible here' });
  });
});

describe('imageRootOf', () => {
  const root = '/var/lib/docker';
  it('keeps graph-driver images under the data root', () => {
    expect(imageRootOf('graphdriver', root, '', [], false)).toEqual({ kind: 'in-data-root' });
  });

  it("places the images of dockerd's own containerd under the data root (docker:dind's layout)", () => {
    const managed = system(`root = "${root}/containerd/daemon"\n[grpc]\n  address = "/var/run/docker/containerd/containerd.sock"`, ['containerd', '--config', '/var/run/docker/containerd/containerd.toml']);
    expect(imageRootOf('containerd', root, '/var/run/docker/containerd/containerd.sock', [managed], true)).toEqual({ kind: 'in-data-root' });
    // Its process not visible here (no hostPID), its root folder is: still under the data root.
    expect(imageRootOf('containerd', root, '/var/run/docker/containerd/containerd.sock', [], true)).toEqual({ kind: 'in-data-root' });
  });

  it("places a host install's images in the system containerd's root, and says when that cannot be seen", () => {
    expect(imageRootOf('containerd', root, '/run/containerd/containerd.sock', [system(undefined)], false)).toEqual({ kind: 'elsewhere', root: '/var/lib/containerd' });
    const unknown = imageRootOf('containerd', root, '/run/containerd/containerd.sock', [], false);
    expect(unknown.kind).toBe('unknown');
    expect(unknown.kind === 'unknown' && unknown.reason).toMatch(/the containerd at \/run\/containerd\/containerd.sock.*hostPID/);
  });
});

describe('fullestOf', () => {
  it('holds the fullest filesystem against the thresholds and keeps each', () => {
    const data = { holds: 'data root' as const, usage: { ...fs(100), path: '/d', usedPercent: 10 } };
    const images = { holds: 'containerd root' as const, usage: { ...fs(900), path: '/c', usedPercent: 90 } };
    expect(fullestOf([data, images])).toEqual({ ok: true, usage: images.usage, filesystems: [data, images] });
    expect(fullestOf([data])).toEqual({ ok: true, usage: data.usage });
    expect(fullestOf([]).ok).toBe(false);
  });
});
