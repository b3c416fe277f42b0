// scripts/engine.sh: start and stop are idempotent, each engine kind is what it says, and nothing stays mounted or
// running after stop.
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineKind, startEngine } from '../helpers/engine.js';

/** What `docker info` says of an engine's image store: the storage driver and, for a snapshotter, its type. */
async function store(host: string): Promise<string> {
  const { stdout } = await execa('docker', ['info', '--format', '{{.DockerRootDir}} {{.Driver}} {{json .DriverStatus}}'], { env: { DOCKER_HOST: host } });
  return stdout;
}

const processes = async (pattern: string): Promise<string> => (await execa('pgrep', ['-f', '--', pattern], { reject: false })).stdout;

describe('the private engine script', () => {
  const kind = engineKind();
  const expected = kind === '20.10' ? 'overlay2 (graph driver)' : 'the containerd image store';
  it(`starts twice, stops twice, and leaves nothing mounted or running; its image store is ${expected}`, async () => {
    const first = await startEngine('idempotence', '256M');
    const second = await startEngine('idempotence', '256M');
    expect(second.host).toBe(first.host);
    const info = await store(first.host);
    if (kind === '20.10') expect(info).toMatch(new RegExp(`^${first.dir}/data overlay2 `));
    else expect(info).toBe(`${first.dir}/data overlayfs [["driver-type","io.containerd.snapshotter.v1"]]`);
    const version = await execa('docker', ['version', '--format', '{{.Server.Version}}'], { env: { DOCKER_HOST: first.host } });
    expect(version.stdout).toMatch(kind === '20.10' ? /^20\.10\./ : /^28\./);
    expect(readFileSync('/proc/self/mounts', 'utf8')).toContain(`${first.dir}/data ext4`);
    const pid = Number(readFileSync(`${first.dir}/docker.pid`, 'utf8'));

    await first.stop();
    await second.stop();

    expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain(first.dir);
    expect(existsSync(first.dir)).toBe(false);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(await processes(first.dir)).toBe('');
  });
});
