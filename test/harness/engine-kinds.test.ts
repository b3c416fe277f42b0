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

      // --limit counts both trees: the image blobs are in containerd's root, not under the data root.
      const limited = await whalekeeper(['--json', 'disk', '--no-breakdown', '--limit', '10G'], env);
      expect([limited.exitCode, limited.stderr]).toEqual([0, '']);
      const counted = (JSON.parse(limited.stdout) as { filesystem: { usedBytes: number; method: string } }).filesystem;
      const dataTree = await createDisk().treeBytes(`${engine.dir}/data`);
      const ctdTree = await createDisk().treeBytes(`${engine.dir}/containerd`);
      expect(counted.method).toBe('du');
      expect(dataTree.ok && ctdTree.ok).toBe(true);
      if (dataTree.ok && ctdTree.ok) {
        expect(counted.usedBytes).toBeGreaterThan(dataTree.bytes);
        // Within 1 MiB of the two trees counted here a moment later (the engine writes its own files meanwhile).
        expect(Math.abs(counted.usedBytes - (dataTree.bytes + ctdTree.bytes))).toBeLessThan(1 << 20);
      }
    } finally {
      await engine.stop();
    }
    expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain(engine.dir);
    expect(await processes(engine.dir)).toBe('');
  });

});
