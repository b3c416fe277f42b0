// scripts/engine.sh's third engine kind, which no suite runs against by default (a few disk tests start it): dockerd 28
// on a containerd started for it, whose root is another filesystem, as on a host install.
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
    } finally {
      await engine.stop();
    }
    expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain(engine.dir);
    expect(await processes(engine.dir)).toBe('');
  });

});
