// `run` against an engine that stopped answering, and the reaper against a docker client that outlives whalekeeper.
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { BIN, cleanEnv, containerIds, docker } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';
import { startHungEngine, type HungEngine } from '../helpers/hung-engine.js';
import { childrenOf, commandLine, eventually, isAlive, parentOf, processesMentioning, tryKill } from '../helpers/processes.js';

const host = inject('dockerHost');

/** Whether `pid` is a reaper or runs under one (the reaper is the one process allowed to outlive whalekeeper). */
function isReaperOrItsChild(pid: number): boolean {
  for (let current: number | undefined = pid; current !== undefined && current > 1; current = parentOf(current)) {
    if (commandLine(current)?.includes(' whalekeeper-reaper ')) return true;
  }
  return false;
}

/** Ends every reaper (and its children) whose command line mentions `text`: they would wait on a hung engine. */
function endReapers(text: string): void {
  for (const pid of processesMentioning(text)) {
    if (!commandLine(pid)?.includes(' whalekeeper-reaper ')) continue;
    for (const child of childrenOf(pid)) tryKill(child, 'SIGKILL');
    tryKill(pid, 'SIGKILL');
  }
}

describe('an engine that accepts connections and never answers', () => {
  let engine: HungEngine;
  beforeAll(async () => {
    engine = await startHungEngine({ answersPing: false });
  });
  afterAll(() => engine.close());

  it('run exits 125 within --engine-timeout, saying so, and starts no docker client', async () => {
    const result = await execa('node', [BIN, '--host', engine.host, '--engine-timeout', '1', 'run', TEST_IMAGE, 'true'], {
      env: cleanEnv(host), extendEnv: false, reject: false, stdin: 'ignore',
    });
    expect(result.exitCode).toBe(125);
    expect(result.stderr).toBe(
      `whalekeeper: error: cannot reach the Docker engine at ${engine.host} (connected, but no answer within 1 s); is it running? (--host, DOCKER_HOST, DOCKER_CONTEXT)`,
    );
    expect(engine.requests).toEqual(['GET /_ping HTTP/1.1']);
  });

  it('SIGTERM while run waits for its answer: exit 143 at once (not after the engine timeout), nothing left behind', async () => {
    // The engine timeout (120 s) is longer than the test's own: only an exit on the signal lets this test pass.
    const child = execa('node', [BIN, '--host', engine.host, '--engine-timeout', '120', 'run', TEST_IMAGE, 'true'], {
      env: cleanEnv(host), extendEnv: false, reject: false, stdin: 'ignore',
    });
    expect(await eventually(() => engine.requests.length >= 2)).toBe(true);
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(143);
    expect(processesMentioning(engine.socketPath)).toEqual([]);
  });
});

describe('an engine that answers its health check, then hangs (the container is never created)', () => {
  let engine: HungEngine;
  beforeAll(async () => {
    engine = await startHungEngine({ answersPing: true });
  });
  afterAll(async () => {
    endReapers(engine.socketPath);
    await engine.close();
  });

  it('SIGTERM: run exits 143 within --stop-timeout + 2 s, its docker clients killed; only the reaper is left', async () => {
    const child = execa('node', [BIN, '--host', engine.host, '--stop-timeout', '0', 'run', TEST_IMAGE, 'sleep', '300'], {
      env: cleanEnv(host), extendEnv: false, reject: false, stdin: 'ignore',
    });
    expect(await eventually(() => engine.requests.some((line) => line.includes('/containers/create')))).toBe(true);
    const client = childrenOf(child.pid!).find((pid) => commandLine(pid)?.includes(' run --rm '));
    expect(client, 'the docker client runs as a child of whalekeeper').toBeDefined();
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(143);
    // The bound is the message's, not a clock's: whalekeeper gave up at the grace (0) + 1 s and said so.
    expect(result.stderr).toContain('could not remove the container after SIGTERM: the engine did not finish within 1 s; the reaper removes what is left');
    expect(isAlive(client!)).toBe(false);
    const left = processesMentioning(engine.socketPath);
    expect(left.length, 'the reaper waits on the engine').toBeGreaterThan(0);
    expect(left.filter((pid) => !isReaperOrItsChild(pid))).toEqual([]);
  });
});

describe('the reaper and a docker client that outlives whalekeeper', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(`${tmpdir()}/wk-slow-pull-`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a slow pull: the client creates the container after whalekeeper was SIGKILLed; the reaper removes it, then ends', async () => {
    // A stand-in for the docker client whose `run` spends 6 s before its create, as a pull of a missing image does
    // (docker run pulls first: https://docs.docker.com/reference/cli/docker/container/run/); every other call (ps, rm)
    // is the real client's. Longer than the 3 s the reaper used to wait without seeing a container.
    const real = (await execa('sh', ['-c', 'command -v docker'])).stdout.trim();
    const standIn = `${dir}/docker`;
    await writeFile(standIn, `#!/bin/sh\nif [ "$1" = run ]; then echo $$ > '${dir}/pulling'; sleep 6; fi\nexec '${real}' "$@"\n`);
    await chmod(standIn, 0o755);
    const build = `slow-pull-${randomUUID()}`;
    const since = Math.floor(Date.now() / 1000) - 1;
    const child = execa('node', [BIN, '--verbose', '--docker', standIn, '--build', build, 'run', TEST_IMAGE, 'sleep', '300'], {
      env: cleanEnv(host), extendEnv: false, reject: false, stdin: 'ignore',
    });
    onTestFinished(async () => {
      for (const id of await containerIds(host, `label=whalekeeper.build=${build}`)) await docker(host, ['rm', '-f', id]);
    });
    expect(await eventually(async () => (await readFile(`${dir}/pulling`, 'utf8').catch(() => '')) !== '')).toBe(true);
    const pulling = Number(await readFile(`${dir}/pulling`, 'utf8'));
    child.kill('SIGKILL');
    const { stderr } = await child;
    const runId = /whalekeeper\.run=([0-9a-z]+-[0-9a-z]+-[0-9a-z]{10})/.exec(stderr)?.[1];
    expect(runId).toBeDefined();

    // The client creates its container after whalekeeper is gone, and ends once the reaper removed it.
    expect(await eventually(() => !isAlive(pulling), 100), 'the docker client ended').toBe(true);
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toEqual([]);
    const events = await docker(host, [
      'events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000)),
      '--filter', `label=whalekeeper.build=${build}`, '--filter', 'type=container', '--format', '{{.Action}}',
    ]);
    expect(events.split('\n')).toEqual(expect.arrayContaining(['create', 'destroy']));
    // The reaper ends after its client did and the run's containers are gone.
    onTestFinished(() => endReapers(runId!));
    expect(await eventually(() => processesMentioning(runId!).length === 0, 150), 'the reaper ended').toBe(true);
  });
});
