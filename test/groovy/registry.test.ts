// Registry credentials through the steps, against a real registry on loopback (Debian's docker-registry with an
// htpasswd file from apache2-utils, its own config and storage in a temporary directory, on a random 127.0.0.1 port):
// dockerBuild pushes and dockerRun pulls with credentialsId, the password never in a recorded sh script, argv,
// withEnv list, build environment or log line.
import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';
import { freePort } from '../helpers/http-replica.js';
import { runLive, shCalls, type LiveRun, type LiveSetup } from './live.js';

const host = inject('dockerHost');
const number = String(Date.now() % 1_000_000);
const password = `pw-${randomBytes(12).toString('hex')}`;
let work: string;
let registry: string;
let server: ResultPromise | undefined;

function setup(n: string): LiveSetup {
  return {
    work: join(work, n),
    base: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(work, 'home'), DOCKER_HOST: host, DOCKER_BUILDKIT: '0' },
    env: { BUILD_NUMBER: number, JOB_NAME: 'registry', WHALEKEEPER_BIN: join(process.cwd(), 'dist', 'whalekeeper.js') },
    credentials: { 'reg-creds': { username: 'ci', password } },
  };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wk-registry-'));
  const port = await freePort();
  registry = `127.0.0.1:${port}`;
  const htpasswd = await execa('htpasswd', ['-Bbn', 'ci', password], { stdin: 'ignore' });
  writeFileSync(join(work, 'htpasswd'), htpasswd.stdout);
  writeFileSync(
    join(work, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: error }',
      `storage: { filesystem: { rootdirectory: ${join(work, 'data')} } }`,
      `http: { addr: "${registry}" }`,
      `auth: { htpasswd: { realm: whalekeeper-test, path: ${join(work, 'htpasswd')} } }`,
      '',
    ].join('\n'),
  );
  server = execa('docker-registry', ['serve', join(work, 'config.yml')], { stdin: 'ignore', reject: false });
  // up when /v2/ answers (401: it wants the credentials)
  for (let i = 0; i < 100; i++) {
    const status = await fetch(`http://${registry}/v2/`).then((r) => r.status, () => 0);
    if (status === 401) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the registry on ${registry} did not answer`);
}, 60_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  await server?.catch(() => undefined);
  await execa('docker', ['rmi', '-f', `${registry}/wk/app:${number}`], { env: { DOCKER_HOST: host }, reject: false, stdin: 'ignore' });
  rmSync(work, { recursive: true, force: true });
});

/** Every place a recorded run could carry the password. */
function leaks(run: LiveRun): string[] {
  const places: string[] = [];
  if (run.log.includes(password)) places.push('log');
  for (const call of run.calls) {
    if (call.step === 'sh') {
      const sh = call.args as { script: string; env: Record<string, string>; buildEnv: Record<string, string> };
      if (sh.script.includes(password)) places.push('sh script');
      if (JSON.stringify(sh.env).includes(password)) places.push('withEnv overlay of an sh (WK_ARGV included)');
      if (JSON.stringify(sh.buildEnv).includes(password)) places.push('build environment of an sh');
    } else if (JSON.stringify(call.args).includes(password)) places.push(`${call.step} arguments`);
  }
  return places;
}

describe('registry credentials through the steps', () => {
  it('dockerBuild pushes and dockerRun pulls with credentialsId; without it the pull is refused; the password is nowhere', async () => {
    // given a Dockerfile in the workspace, when dockerBuild builds and pushes with the credentials
    const pushed = await runLive(`
      node('agent-1') {
        writeFile(file: 'Dockerfile', text: 'FROM ${TEST_IMAGE}\\nCMD ["echo", "pulled"]\\n')
        String ref = dockerBuild(image: '${registry}/wk/app', credentialsId: 'reg-creds', registry: '${registry}', push: true)
        writeFile(file: 'ref', text: ref)
      }`, setup('push'));
    expect(pushed.error, pushed.log).toBeNull();
    const ref = readFileSync(join(work, 'push', 'workspace', 'ref'), 'utf8');
    expect(ref).toBe(`${registry}/wk/app:${number}`);
    // then the registry has it (asked with the credentials), and the local copy goes, so the next run must pull
    const tags = await fetch(`http://${registry}/v2/wk/app/tags/list`, { headers: { Authorization: `Basic ${Buffer.from(`ci:${password}`).toString('base64')}` } });
    expect(await tags.json()).toEqual({ name: 'wk/app', tags: [number] });
    await docker(host, ['rmi', ref]);

    // when dockerRun runs it without credentials, then with them
    const pulled = await runLive(`
      node('agent-1') {
        int refused = dockerRun(image: '${ref}', returnStatus: true)
        echo "without credentials: " + refused
        String out = dockerRun(image: '${ref}', credentialsId: 'reg-creds', registry: '${registry}', returnStdout: true)
        echo "with credentials: " + out.trim()
      }`, setup('pull'));
    expect(pulled.error, pulled.log).toBeNull();
    expect(pulled.log).toContain('without credentials: 125');
    expect(pulled.log).toContain('with credentials: pulled');

    // and the password was on no command line, in no withEnv list or script, in no line of the log
    for (const run of [pushed, pulled]) {
      expect(leaks(run)).toEqual([]);
      // the login went through the constant script, its password from withCredentials' binding only
      const logins = shCalls(run).filter((c) => c.script.includes('docker login'));
      expect(logins.length).toBeGreaterThan(0);
      for (const login of logins) expect(login.credentials).toEqual(['WK_REGISTRY_USER', 'WK_REGISTRY_PASSWORD']);
    }
    // and each call's DOCKER_CONFIG (with the stored credentials) is gone
    for (const n of ['push', 'pull']) {
      const tmp = join(work, n, 'workspace@tmp');
      expect(existsSync(tmp) ? readdirSync(tmp).filter((f) => f.startsWith('whalekeeper-docker-config-')) : []).toEqual([]);
    }
  }, 120_000);
});
