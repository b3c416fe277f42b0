import { createServer } from 'node:net';
import { inject, describe, expect, it, onTestFinished } from 'vitest';
import { cleanEnv, docker, whalekeeper } from '../helpers/cli.js';

const host = inject('dockerHost');
const service = new URL('../fixtures/service', import.meta.url).pathname;

/** A TCP port free on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** GET /diagnostics until it answers (the container needs a moment to listen). */
async function diagnostics(port: number): Promise<unknown> {
  let last: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/diagnostics`);
      return await response.json();
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw last;
}

describe('whalekeeper build against the private engine', () => {
  it('puts BUILD_NUMBER into the image: the service answers 77, the labels carry 77, --tag-build-number tags :77', async () => {
    // given the seed-shaped service and BUILD_NUMBER=77, when it is built through whalekeeper
    const name = `wk-svc-${Date.now()}`;
    onTestFinished(async () => void (await docker(host, ['rmi', '-f', `${name}:latest`, `${name}:77`]).catch(() => undefined)));
    const env = cleanEnv(host, { BUILD_NUMBER: '77', JOB_NAME: 'app', GIT_COMMIT: 'abc123', DOCKER_BUILDKIT: '0' });
    const built = await whalekeeper(['--tag-build-number', 'build', '-t', name, service], env);
    // then docker's output came through, with its status, and no warning (the Dockerfile declares the ARG)
    expect(built.exitCode).toBe(0);
    expect(built.stdout).toContain('Successfully tagged');
    expect(built.stderr).not.toContain('warning');

    const labels = JSON.parse(await docker(host, ['image', 'inspect', `${name}:77`, '--format', '{{json .Config.Labels}}']));
    expect(labels).toMatchObject({
      'org.opencontainers.image.version': '77',
      'org.opencontainers.image.revision': 'abc123',
      'whalekeeper.managed': 'true',
      'whalekeeper.build': 'jenkins-app-77',
    });
    expect(labels['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // and a container of the image answers 77 on GET /diagnostics
    const port = await freePort();
    const id = await docker(host, ['run', '-d', '--rm', '--network', 'host', '-e', `PORT=${port}`, `${name}:77`]);
    onTestFinished(async () => void (await docker(host, ['rm', '-f', id]).catch(() => undefined)));
    expect(await diagnostics(port)).toEqual({ buildNumber: 77 });
  });

  it('warns (and builds) when the Dockerfile in use has no ARG BUILD_NUMBER; exits with docker build\'s status', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { rm } = await import('node:fs/promises');
    const dir = await mkdtemp(`${tmpdir()}/wk-build-`);
    const token = `wk-failing-${Date.now()}`;
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(`${dir}/Other.dockerfile`, 'FROM whalekeeper-test/busybox:latest\nRUN true\n');
    await writeFile(`${dir}/Failing.dockerfile`, `FROM whalekeeper-test/busybox:latest\nARG BUILD_NUMBER\nRUN echo ${token} && exit 3\n`);
    const env = cleanEnv(host, { DOCKER_BUILDKIT: '0' });

    const warned = await whalekeeper(['--build-number', '5', 'build', '-q', '-f', `${dir}/Other.dockerfile`, dir], env);
    expect(warned.exitCode).toBe(0);
    expect(warned.stdout).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(warned.stderr).toContain(`\`${dir}/Other.dockerfile\` declares no \`ARG BUILD_NUMBER\``);
    expect(warned.stderr).toContain('ARG BUILD_NUMBER\nwhalekeeper:     ENV BUILD_NUMBER=${BUILD_NUMBER}');
    await docker(host, ['rmi', warned.stdout]);

    const failed = await whalekeeper(['build', '-q', '--file', `${dir}/Failing.dockerfile`, dir], env);
    // the classic builder exits with the failing step's code
    expect(failed.exitCode).toBe(3);
    expect(failed.stderr).not.toContain('warning');
    // and the failed step's container is gone (--force-rm), where plain `docker build` would keep it
    expect(await docker(host, ['ps', '-a', '--no-trunc', '--format', '{{.Command}}'])).not.toContain(token);
  });
});
