// Abort and kill: whatever ends whalekeeper, the container it started does not outlive it by more than seconds.
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { BIN, cleanEnv, containerIds } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';
import { childrenOf, eventually, processesMentioning, tryKill } from '../helpers/processes.js';

const host = inject('dockerHost');

/** Starts `whalekeeper run` of a container that ignores SIGTERM and runs for 5 minutes; waits until it runs. */
async function startLongRun(build: string, extraEnv: Record<string, string> = {}, detached = false) {
  const child = execa('node', [BIN, '--build', build, 'run', TEST_IMAGE, 'sleep', '300'], {
    env: cleanEnv(host, extraEnv),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    detached,
  });
  const running = await eventually(async () => (await containerIds(host, `label=whalekeeper.build=${build}`)).length > 0);
  expect(running, 'the container started').toBe(true);
  // Wrapped: an execa subprocess is a thenable, and returning it bare from an async function would await it.
  return { child };
}

const gone = (build: string) => eventually(async () => (await containerIds(host, `label=whalekeeper.build=${build}`)).length === 0);

describe('abort signals stop and remove the container, and whalekeeper exits 128+signal', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s', async (signal, code) => {
    const build = `abort-${signal}-${randomUUID()}`;
    const { child } = await startLongRun(build);
    child.kill(signal);
    const result = await child;
    expect(result.exitCode).toBe(code);
    expect(String(result.stderr)).toContain(`${signal} received: stopping 1 container(s)`);
    // Removed before whalekeeper exited: no waiting here.
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toEqual([]);
  });
});

describe('the reaper', () => {
  it('leaves a run that takes its time alone, and exits with it', async () => {
    const result = await execa('node', [BIN, '--verbose', 'run', TEST_IMAGE, 'sh', '-c', 'sleep 2; echo finished'], {
      env: cleanEnv(host),
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('finished');
    const runId = /whalekeeper\.run=([0-9a-z]+-[0-9a-z]+-[0-9a-z]{10})/.exec(String(result.stderr))?.[1];
    expect(runId).toBeDefined();
    expect(await eventually(async () => processesMentioning(runId!).length === 0, 25)).toBe(true);
  });
});

describe('killed outright, the reaper removes the container within seconds', () => {
  it('SIGKILL to whalekeeper alone', async () => {
    const build = `kill-${randomUUID()}`;
    const { child } = await startLongRun(build);
    child.kill('SIGKILL');
    await child;
    expect(await gone(build)).toBe(true);
  });

  it('SIGKILL to its whole process group (whalekeeper and the docker client)', async () => {
    const build = `killpg-${randomUUID()}`;
    const { child } = await startLongRun(build, {}, true);
    process.kill(-child.pid!, 'SIGKILL');
    await child;
    expect(await gone(build)).toBe(true);
  });

  it('the docker client killed while whalekeeper lives: exit 137, and the container is removed', async () => {
    const build = `client-${randomUUID()}`;
    const { child } = await startLongRun(build);
    const client = childrenOf(child.pid!).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('run'));
    expect(client, 'the docker client runs as a child of whalekeeper').toBeDefined();
    process.kill(client!, 'SIGKILL');
    const result = await child;
    expect(result.exitCode).toBe(137);
    expect(await gone(build)).toBe(true);
  });

  it('Jenkins\' abort: SIGTERM then SIGKILL to every process carrying the build\'s cookie, and to their children', async () => {
    const build = `cookie-${randomUUID()}`;
    const cookie = randomUUID();
    const { child } = await startLongRun(build, { JENKINS_NODE_COOKIE: cookie, BUILD_ID: '42' }, true);
    const carriers = cookieCarriers(cookie);
    expect(carriers).toContain(child.pid);
    // As hudson.util.ProcessTree.killAll does it (killRecursively: children first, by parent pid), without its
    // 5 s wait between SIGTERM and SIGKILL: the worst case.
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      for (const pid of cookieCarriers(cookie)) killRecursively(pid, signal);
    }
    await child;
    expect(await gone(build)).toBe(true);
  });
});

/** Kills a process's descendants depth-first, then the process. */
function killRecursively(pid: number, signal: NodeJS.Signals): void {
  let children: number[] = [];
  try {
    children = childrenOf(pid);
  } catch {
    // Gone already.
  }
  for (const childPid of children) killRecursively(childPid, signal);
  tryKill(pid, signal);
}

/** Every process whose environment holds JENKINS_NODE_COOKIE=cookie, found as Jenkins finds them: in /proc/PID/environ. */
function cookieCarriers(cookie: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`JENKINS_NODE_COOKIE=${cookie}`)) pids.push(Number(entry));
    } catch {
      // Exited meanwhile, or not ours to read.
    }
  }
  return pids;
}
