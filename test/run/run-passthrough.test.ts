// Everything but --rm and the labels passes through: streams, TTY, detached mode, names, cidfiles, exit codes.
import { execa } from 'execa';
import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { BIN, cleanEnv, containerIds, whalekeeper } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';

const host = inject('dockerHost');
const newBuild = (what: string) => `${what}-${randomUUID()}`;

/** A temporary folder removed when the test ends. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('streams and terminal', () => {
  it('passes stdin through with -i', async () => {
    const result = await whalekeeper(['run', '-i', TEST_IMAGE, 'sh', '-c', 'tr a-z A-Z'], cleanEnv(host), { input: 'hello whale\n', stdin: 'pipe' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('HELLO WHALE');
  });

  it('-it gets a terminal when whalekeeper has one (under a pseudo-terminal)', async () => {
    // `script` gives whalekeeper a pseudo-terminal, as a developer's shell would.
    const command = `node ${BIN} run -it ${TEST_IMAGE} sh -c 'tty; stty size >/dev/null && echo TTY-OK; exit 7'`;
    const result = await execa('script', ['-qefc', command, '/dev/null'], { env: cleanEnv(host), extendEnv: false, reject: false, stdin: 'ignore' });
    expect(result.stdout).toMatch(/\/dev\/pts\/\d+/);
    expect(result.stdout).toContain('TTY-OK');
    expect(result.exitCode).toBe(7);
  });

  it('leaves arguments after the image to the container, flags included', async () => {
    const result = await whalekeeper(['run', TEST_IMAGE, 'echo', '--rm=false', '--restart', 'always', '-d'], cleanEnv(host));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('--rm=false --restart always -d');
  });
});

describe('docker run options pass through', () => {
  it('--name and a user\'s --cidfile', async () => {
    const dir = tempDir('wk-cid-');
    const name = `wk-named-${randomUUID().slice(0, 8)}`;
    const cidfile = join(dir, 'cid');
    const result = await whalekeeper(['run', '--name', name, '--cidfile', cidfile, TEST_IMAGE, 'sh', '-c', 'hostname >/dev/null; echo ok'], cleanEnv(host));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('ok');
    expect(readFileSync(cidfile, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    expect(await containerIds(host, `name=${name}`)).toEqual([]);
  });

  it('grouped short flags and -e NAME from the environment', async () => {
    const result = await whalekeeper(['run', '-ie', 'WK_FROM_ENV', '-eB=2', TEST_IMAGE, 'sh', '-c', 'echo $WK_FROM_ENV $B'], cleanEnv(host, { WK_FROM_ENV: 'one' }));
    expect(result.stdout).toBe('one 2');
  });
});

describe('exit codes are docker run\'s', () => {
  it.each([
    ['the container\'s own', [TEST_IMAGE, 'sh', '-c', 'exit 42'], 42],
    ['126: command cannot be invoked', [TEST_IMAGE, '/etc'], 126],
    ['127: command not found', [TEST_IMAGE, 'no-such-command'], 127],
    ['125: docker run itself failed', ['--memory', 'lots', TEST_IMAGE, 'true'], 125],
  ])('%s', async (_what, args, code) => {
    const build = newBuild('exit');
    const result = await whalekeeper(['--build', build, 'run', ...args], cleanEnv(host));
    expect(result.exitCode).toBe(code);
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toEqual([]);
  });

  it('125 and a message naming the flag for --rm=false and --restart, before anything runs', async () => {
    const build = newBuild('refused');
    const rm = await whalekeeper(['--build', build, 'run', '--rm=false', TEST_IMAGE, 'true'], cleanEnv(host));
    expect(rm.exitCode).toBe(125);
    expect(rm.stderr).toContain('refused `--rm=false`');
    const restart = await whalekeeper(['--build', build, 'run', '--restart', 'always', TEST_IMAGE, 'true'], cleanEnv(host));
    expect(restart.exitCode).toBe(125);
    expect(restart.stderr).toContain('refused `--restart always`');
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toEqual([]);
  });

  it('125 and one line naming the host when the engine cannot be reached', async () => {
    const result = await whalekeeper(['run', TEST_IMAGE, 'true'], cleanEnv('unix:///tmp/wk-no-such-engine.sock'));
    expect(result.exitCode).toBe(125);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('cannot reach the Docker engine at unix:///tmp/wk-no-such-engine.sock');
  });

  it('--host reaches the engine when DOCKER_HOST points elsewhere, and is passed to the client', async () => {
    const result = await whalekeeper(['--host', host, 'run', TEST_IMAGE, 'echo', 'via-flag'], cleanEnv('unix:///tmp/wk-no-such-engine.sock'));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('via-flag');
  });

  it.each([
    ['DOCKER_CONTEXT', (dir: string) => ({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'wk-private' })],
    ['the config\'s currentContext', (dir: string) => ({ DOCKER_CONFIG: dir })],
  ])('finds the engine through a docker context named by %s, as the docker client does', async (_how, envOf) => {
    const dir = tempDir('wk-config-');
    const id = createHash('sha256').update('wk-private').digest('hex');
    mkdirSync(join(dir, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(join(dir, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: 'wk-private', Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: 'wk-private' }));
    const env = { ...cleanEnv(host), ...envOf(dir) };
    delete (env as Record<string, string | undefined>).DOCKER_HOST;
    const result = await whalekeeper(['run', TEST_IMAGE, 'echo', 'via-context'], env as Record<string, string>);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('via-context');
    // And an unknown context is run's usage error (125, as docker run's: never a 2 a container could give) that names it.
    const missing = await whalekeeper(['run', TEST_IMAGE, 'true'], { ...(env as Record<string, string>), DOCKER_CONTEXT: 'nope' });
    expect(missing.exitCode).toBe(125);
    expect(missing.stderr).toContain('docker context `nope` not found');
  });

  it('127 and a hint when the docker client is missing', async () => {
    const result = await whalekeeper(['--docker', '/nonexistent/docker', 'run', TEST_IMAGE, 'true'], cleanEnv(host));
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toContain('the docker client `/nonexistent/docker` was not found');
  });
});

describe('secrets are never printed', () => {
  it('--verbose shows the docker command with env values masked', async () => {
    const result = await whalekeeper(['--verbose', 'run', '-e', 'TOKEN=hunter2-secret', '--env=PASS=swordfish', TEST_IMAGE, 'true'], cleanEnv(host));
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("-e 'TOKEN=***' '--env=PASS=***' ");
    expect(result.stderr).toContain('--rm --label whalekeeper.managed=true');
    expect(result.stderr).not.toMatch(/hunter2|swordfish/);
  });

  it('126 when the docker client cannot be executed, the secret still masked', async () => {
    const fake = join(tempDir('wk-notexec-'), 'docker');
    writeFileSync(fake, 'not a program');
    chmodSync(fake, 0o644);
    const result = await whalekeeper(['--verbose', '--docker', fake, 'run', '-e', 'TOKEN=hunter2-secret', TEST_IMAGE, 'true'], cleanEnv(host));
    expect(result.exitCode).toBe(126);
    expect(result.stderr).toContain('cannot be executed');
    expect(result.stderr).toContain("'TOKEN=***'");
    expect(result.stderr).not.toContain('hunter2');
  });
});

describe('--json', () => {
  it('prints events as JSON lines on stderr, stdout stays the container\'s', async () => {
    const result = await whalekeeper(['--json', '--verbose', 'run', '-e', 'TOKEN=hunter2-secret', TEST_IMAGE, 'echo', 'out'], cleanEnv(host));
    expect(result.stdout).toBe('out');
    const event = JSON.parse(result.stderr.split('\n')[0]!);
    expect(event.type).toBe('docker-command');
    expect(event.argv).toContain('TOKEN=***');
    expect(result.stderr).not.toContain('hunter2');
  });
});

describe('the help teaches', () => {
  it('run --help lists the behaviour and exit codes', async () => {
    const result = await whalekeeper(['run', '--help'], cleanEnv(host));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('whalekeeper [options] run [docker run options] IMAGE');
    expect(result.stdout).toContain('125  docker run itself failed');
  });

  it('an unknown command is a usage error, exit 2', async () => {
    const result = await whalekeeper(['frobnicate'], cleanEnv(host));
    expect(result.exitCode).toBe(2);
  });
});
