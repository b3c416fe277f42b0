// `build` killed outright: its docker client does not go on alone, and the step it was running leaves no container.
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { BIN, cleanEnv, docker } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';
import { startHungEngine } from '../helpers/hung-engine.js';
import { childrenOf, commandLine, eventually, isAlive, processesMentioning } from '../helpers/processes.js';

const host = inject('dockerHost');

/** Containers on the engine (running or not) whose command mentions `token`. */
async function containersRunning(token: string): Promise<string[]> {
  const out = await docker(host, ['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Command}}']);
  return out.split('\n').filter((line) => line.includes(token));
}

describe('whalekeeper build, SIGKILLed during a slow RUN step', () => {
  it('the classic builder: the docker client ends, and the engine removes the step\'s container', async () => {
    const dir = await mkdtemp(`${tmpdir()}/wk-build-kill-`);
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const token = `wk-slow-step-${randomUUID()}`;
    await writeFile(`${dir}/Dockerfile`, `FROM ${TEST_IMAGE}\nARG BUILD_NUMBER\nRUN echo ${token} && sleep 300\n`);
    const child = execa('node', [BIN, '--build-number', '1', 'build', '-t', `wk-build-kill:${Date.now()}`, dir], {
      env: cleanEnv(host, { DOCKER_BUILDKIT: '0' }), extendEnv: false, reject: false, stdin: 'ignore',
    });
    onTestFinished(async () => {
      for (const line of await containersRunning(token)) await docker(host, ['rm', '-f', line.split(' ')[0]!]).catch(() => undefined);
    });
    expect(await eventually(async () => (await containersRunning(token)).length > 0, 150), 'the RUN step started').toBe(true);
    const client = childrenOf(child.pid!).find((pid) => commandLine(pid)?.includes(' build '));
    expect(client, 'the docker client runs as a child of whalekeeper').toBeDefined();

    // The OOM killer's way: whalekeeper alone, its docker client left running.
    child.kill('SIGKILL');
    await child;
    expect(await eventually(() => !isAlive(client!), 75), 'the docker client ended').toBe(true);
    expect(await eventually(async () => (await containersRunning(token)).length === 0, 75), 'the step\'s container is gone').toBe(true);
  });
});

describe('whalekeeper build against an engine that stopped answering', () => {
  it('SIGTERM: exit 143, and neither the docker client nor a reaper is left waiting on the engine', async () => {
    const engine = await startHungEngine({ answersPing: true });
    onTestFinished(() => engine.close());
    const dir = await mkdtemp(`${tmpdir()}/wk-build-hung-`);
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(`${dir}/Dockerfile`, `FROM ${TEST_IMAGE}\nARG BUILD_NUMBER\n`);
    const child = execa('node', [BIN, '--host', engine.host, '--stop-timeout', '0', '--build-number', '1', 'build', dir], {
      env: cleanEnv(host, { DOCKER_BUILDKIT: '0' }), extendEnv: false, reject: false, stdin: 'ignore',
    });
    expect(await eventually(() => engine.requests.some((line) => line.startsWith('POST ') && line.includes('/build?')), 150)).toBe(true);
    child.kill('SIGTERM');
    expect((await child).exitCode).toBe(143);
    expect(await eventually(() => processesMentioning(engine.socketPath).length === 0, 25)).toBe(true);
  });
});
