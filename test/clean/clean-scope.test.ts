// `--scope` (WHALEKEEPER_SCOPE) against the private engine: `run` labels its container with the scope, and a
// build-scoped `clean` with a scope removes only that scope's containers; without one, the whole build.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { cleanEnv, containerIds, docker, whalekeeper } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';

const host = inject('dockerHost');
const build = `scope-test-${Date.now()}`;

afterAll(async () => {
  const left = await containerIds(host, `label=whalekeeper.build=${build}`).catch(() => []);
  if (left.length > 0) await docker(host, ['rm', '-f', ...left]).catch(() => '');
});

/** Starts a detached container of the build, in `scope` when given; returns its id. */
async function start(scope?: string): Promise<string> {
  const env = cleanEnv(host, { WHALEKEEPER_BUILD: build, ...(scope ? { WHALEKEEPER_SCOPE: scope } : {}) });
  const result = await whalekeeper(['run', '-d', TEST_IMAGE, 'sleep', '300'], env);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout.trim();
}

describe('clean --scope', () => {
  it('removes only its scope; another scope and the unscoped rest of the build stay, until a clean without scope', async () => {
    // given three running containers of one build: in scope a, in scope b, and in none
    const [a, b, none] = [await start('a'), await start('b'), await start()];
    expect(await docker(host, ['inspect', '-f', '{{index .Config.Labels "whalekeeper.scope"}}', a])).toBe('a');
    // when scope a is cleaned (the flag; the variable would do the same)
    const scoped = await whalekeeper(['--build', build, '--scope', 'a', 'clean'], cleanEnv(host));
    expect(scoped.exitCode, scoped.stderr).toBe(0);
    expect(scoped.stdout + scoped.stderr).toContain(`build ${build} scope a`);
    // then only a is gone
    expect((await containerIds(host, `label=whalekeeper.build=${build}`)).sort()).toEqual([b, none].sort());
    // and WHALEKEEPER_SCOPE=b removes b only
    expect((await whalekeeper(['clean'], cleanEnv(host, { WHALEKEEPER_BUILD: build, WHALEKEEPER_SCOPE: 'b' }))).exitCode).toBe(0);
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toEqual([none]);
    // and a clean without scope removes the rest of the build
    expect((await whalekeeper(['clean'], cleanEnv(host, { WHALEKEEPER_BUILD: build }))).exitCode).toBe(0);
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toEqual([]);
  });
});
