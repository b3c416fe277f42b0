// scripts/engine.sh's third engine kind, which no suite runs against by default (a few disk tests start it): dockerd 28
// on a containerd started for it, whose root is another filesystem, as on a host install.
import { execa } from 'execa';
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDisk } from '../../src/edge/disk.js';
import { cleanEnv, whalekeeper } from '../helpers/cli.js';
import { startEngine } from '../helpers/engine.js';

const processes = async (pattern: string): Promise<string> => (await execa('pgrep', ['-f', '--', pattern], { reject: false })).stdout;

describe('the private engine script, 28-system-containerd', () => {
  it('28-system-containerd: dockerd 28 on a containerd of its own, whose root is another filesystem; stop ends both', async () => {
    const engine = await startEngine('sysctd', '256M', '28-system-containerd');
    try {
      const { stdout } = await execa('docker', ['info', '--format', '{{.DockerRootDir}} {{json .Containerd}}'], { env: { DOCKER_HOST: engine.host } });
      expect(stdout).toBe(`${engine.dir}/data {"Address":"${engine.dir}/ctd-state/containerd.sock","Namespaces":{"Containers":"moby","Plugins":"plugins.moby"}}`);
      const mounts = readFileSync('/proc/self/mounts', 'utf8');
      expect(mounts).toContain(`${engine.dir}/data ext4`);
      expect(mounts).toContain(`${engine.dir}/containerd ext4`);
      // The image store is containerd's: the test image's layers are under its root, not under Docker's data root.
      expect(existsSync(`${engine.dir}/containerd/io.containerd.content.v1.content/blobs/sha256`)).toBe(true);
      expect(existsSync(`${engine.dir}/data/containerd`)).toBe(false);

      // docs/clean.md, whalekeeper disk: each filesystem holding engine data is named and measured; the fullest is
      // the one held against the thresholds.
      const env = cleanEnv(engine.host);
      const disk = await whalekeeper(['--json', 'disk', '--no-breakdown', '--fail', '99%'], env);
      expect([disk.exitCode, disk.stderr]).toEqual([0, '']);
      const report = JSON.parse(disk.stdout) as { filesystem: { path: string }; filesystems: { holds: string; usage: { path: string; totalBytes: number; usedPercent: number; method: string } }[] };
      expect(report.filesystems.map((f) => [f.holds, f.usage.path, f.usage.method])).toEqual([
        ['data root', `${engine.dir}/data`, 'statfs'],
        ['containerd root', `${engine.dir}/containerd`, 'statfs'],
      ]);
      for (const f of report.filesystems) {
        const s = statfsSync(f.usage.path);
        expect(f.usage.totalBytes).toBe(s.blocks * s.bsize);
      }
      const fullest = report.filesystems.reduce((a, b) => (b.usage.usedPercent > a.usage.usedPercent ? b : a));
      expect(report.filesystem.path).toBe(fullest.usage.path);
      const text = await whalekeeper(['disk', '--no-breakdown'], env);
      expect(text.stdout).toMatch(new RegExp(`^Data root ${engine.dir}/data: .* used .*\nContainerd root \\(images\\) ${engine.dir}/containerd: .* used `, 'm'));

      // --limit counts both trees: the image blobs are in containerd's root, not under the data root. The engine
      // and its containerd keep writing and collecting their own files meanwhile (databases, ingests), so the count
      // is held against what is stable (the image's blobs) and bracketed above by the trees counted around it.
      const tree = async (path: string): Promise<number> => {
        const t = await createDisk().treeBytes(path);
        if (!t.ok) throw new Error(`${path} could not be counted here: ${t.reason}`);
        return t.bytes;
      };
      const trees = async (): Promise<number> => (await tree(`${engine.dir}/data`)) + (await tree(`${engine.dir}/containerd`));
      const blobs = await tree(`${engine.dir}/containerd/io.containerd.content.v1.content/blobs`);
      const dataBefore = await tree(`${engine.dir}/data`);
      const before = await trees();
      const limited = await whalekeeper(['--json', 'disk', '--no-breakdown', '--limit', '10G'], env);
      const after = await trees();
      expect([limited.exitCode, limited.stderr]).toEqual([0, '']);
      const counted = (JSON.parse(limited.stdout) as { filesystem: { usedBytes: number; method: string } }).filesystem;
      expect(counted.method).toBe('du');
      expect(counted.usedBytes).toBeGreaterThan(Math.min(dataBefore, await tree(`${engine.dir}/data`)) + blobs);
      expect(counted.usedBytes).toBeLessThanOrEqual(Math.max(before, after) + 65536);
    } finally {
      await engine.stop();
    }
    expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain(engine.dir);
    expect(await processes(engine.dir)).toBe('');
  });

});
