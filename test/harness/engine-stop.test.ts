// scripts/engine.sh stop with a BuildKit build in progress. BuildKit runs a RUN step with `runc run` as dockerd's
// child, not as a container the engine stops on its way down: when dockerd ends, runc goes and the step's process
// stays, reparented to init, holding the engine's mounts. stop ends those too, so that no suite leaves one behind.
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it, onTestFinished } from 'vitest';
import { cleanEnv } from '../helpers/cli.js';
import { startEngine, TEST_IMAGE } from '../helpers/engine.js';
import { eventually, processesMentioning } from '../helpers/processes.js';

describe('the private engine script, stopped during a BuildKit build', () => {
  it('engine 28: the running RUN step is ended with the engine, and nothing is left on its mounts', async () => {
    const engine = await startEngine('stop-buildkit', '512M', '28');
    onTestFinished(() => engine.stop());
    const dir = await mkdtemp(`${tmpdir()}/wk-stop-buildkit-`);
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const plugins = (await execa('bash', ['scripts/fetch-engine28.sh', '--path'])).stdout.trim();
    await writeFile(`${dir}/config.json`, JSON.stringify({ cliPluginsExtraDirs: [`${plugins}/usr/libexec/docker/cli-plugins`] }));
    // A step that would outlive the test by far, named by a token no other process carries.
    const seconds = 3000 + Math.floor(Math.random() * 1000);
    const token = `sleep ${seconds}`;
    await writeFile(`${dir}/Dockerfile`, `FROM ${TEST_IMAGE}\nRUN echo ${randomUUID()} && ${token}\n`);
    const build = execa('docker', ['build', '--network', 'host', '-t', 'stop-buildkit:1', dir], {
      env: cleanEnv(engine.host, { DOCKER_CONFIG: dir }), extendEnv: false, reject: false, stdin: 'ignore', all: true,
    });
    const step = () => processesMentioning(token).filter((pid) => pid !== build.pid);
    expect(await eventually(() => step().length > 0, 150), 'the RUN step started').toBe(true);

    await engine.stop();
    expect(step(), 'no process of the RUN step is left').toEqual([]);
    const result = await build;
    expect(result.exitCode, result.all).not.toBe(0);
  });
});
