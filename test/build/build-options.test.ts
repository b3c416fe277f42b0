import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BUILD_OPTIONS, BUILD_SHORT } from '../../src/core/docker-build-options.js';

/** The options `docker build --help` of the installed client lists: long name, short letter, takes a value. */
async function helpOptions(): Promise<Array<{ long: string; short: string | undefined; valued: boolean }>> {
  const { stdout } = await execa('docker', ['build', '--help'], { env: { DOCKER_BUILDKIT: '0' } });
  return [...stdout.matchAll(/^\s+(?:-(\w), )?--([\w-]+)(?: (\w+))?\s/gm)].map((m) => ({ long: m[2]!, short: m[1], valued: m[3] !== undefined }));
}

describe('the docker build options table', () => {
  it('knows every option of the installed client\'s `docker build`, with its short letter and whether it takes a value', async () => {
    const listed = await helpOptions();
    expect(listed.length).toBeGreaterThan(20);
    for (const option of listed) {
      const spec = BUILD_OPTIONS.get(option.long);
      expect(spec, `--${option.long}`).toBeDefined();
      expect(spec!.boolean, `--${option.long} takes a value`).toBe(!option.valued);
      if (option.short !== undefined) expect(BUILD_SHORT[option.short], `-${option.short}`).toBe(option.long);
    }
  });
});
