// scripts/engine.sh: start and stop are idempotent, and nothing stays mounted or running after stop.
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startEngine } from '../helpers/engine.js';

describe('the private engine script', () => {
  it('starts twice, stops twice, and leaves nothing mounted or running', async () => {
    const first = await startEngine('idempotence', '256M');
    const second = await startEngine('idempotence', '256M');
    expect(second.host).toBe(first.host);
    const info = await execa('docker', ['info', '--format', '{{.DockerRootDir}} {{.Driver}}'], { env: { DOCKER_HOST: first.host } });
    expect(info.stdout).toBe(`${first.dir}/data overlay2`);
    expect(readFileSync('/proc/self/mounts', 'utf8')).toContain(`${first.dir}/data ext4`);
    const pid = Number(readFileSync(`${first.dir}/docker.pid`, 'utf8'));

    await first.stop();
    await second.stop();

    expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain(first.dir);
    expect(existsSync(first.dir)).toBe(false);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });
});
