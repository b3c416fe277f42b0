import { inject, describe, expect, it } from 'vitest';
import { containerIds, cleanEnv, docker, whalekeeper } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';

const host = inject('dockerHost');

describe('whalekeeper run against the private engine', () => {
  it('exits with the container\'s exit code and leaves nothing behind', async () => {
    // given a build identity, when a container exits 3
    const build = `basic-${Date.now()}`;
    const result = await whalekeeper(['--build', build, 'run', TEST_IMAGE, 'sh', '-c', 'echo out; echo err >&2; exit 3'], cleanEnv(host));
    // then whalekeeper exits 3, streams pass through, and no container of that build remains
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('out');
    expect(result.stderr).toBe('err');
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toEqual([]);
  });

  it('-d returns the id; the container carries --rm and the labels', async () => {
    const build = `detached-${Date.now()}`;
    const result = await whalekeeper(['--build', build, 'run', '-d', TEST_IMAGE, 'sleep', '30'], cleanEnv(host));
    expect(result.exitCode).toBe(0);
    const id = result.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const inspected = JSON.parse(await docker(host, ['inspect', id]))[0];
    expect(inspected.HostConfig.AutoRemove).toBe(true);
    expect(inspected.Config.Labels).toMatchObject({ 'whalekeeper.managed': 'true', 'whalekeeper.build': build });
    expect(inspected.Config.Labels['whalekeeper.run']).toMatch(/^[0-9a-z]+-[0-9a-z]+-[0-9a-z]{10}$/);
    expect(inspected.State.Running).toBe(true);
    await docker(host, ['rm', '-f', id]);
  });
});
