// ls, disk and clean over TLS against a real private dockerd listening on tcp://127.0.0.1:PORT with --tlsverify, its
// certificates made by openssl for this file (test/helpers/tls-certs.ts); the built CLI, as users run it.
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, containerIds, docker, whalekeeper } from '../helpers/cli.js';
import { startTlsEngine, TEST_IMAGE, type TlsEngine } from '../helpers/engine.js';

let engine: TlsEngine;

beforeAll(async () => {
  engine = await startTlsEngine('tls', '512M');
}, 120_000);

// Stopped even with WK_ENGINE_KEEP=1: its certificates are made afresh for each run (and its port with them), so a
// kept engine would be restarted by the next run anyway.
afterAll(async () => {
  await engine?.stop();
});

// Each test starts from an engine without containers (this file's engine alone), cleared over its unix socket.
beforeEach(async () => {
  const ids = await containerIds(engine.host);
  if (ids.length > 0) await docker(engine.host, ['rm', '-f', ...ids]);
});

/** The environment the docker client documents for a TLS engine: DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH. */
function tlsEnv(certPath: string, extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv(engine.tlsHost, { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certPath, ...extra });
}

/** A stopped container made by the docker client over the TLS listener (so the certificates are docker's to judge). */
async function stoppedContainer(labels: readonly string[] = []): Promise<string> {
  const { stdout } = await execa('docker', ['create', ...labels.flatMap((l) => ['--label', l]), '--network', 'none', TEST_IMAGE, 'true'], {
    env: tlsEnv(engine.tls.client, { DOCKER_CONFIG: engine.tls.client }),
    extendEnv: false,
    stdin: 'ignore',
  });
  return stdout.trim();
}

describe('an engine reached over TLS (DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH)', () => {
  it('ls lists a labelled stopped container, with its owner', async () => {
    const id = await stoppedContainer(['whalekeeper.managed=true', 'whalekeeper.build=tls-build']);
    const result = await whalekeeper(['--json', 'ls'], tlsEnv(engine.tls.client));
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    const rows = (JSON.parse(result.stdout) as { rows: { id: string; kind: string; state: string; ownerText: string }[] }).rows;
    expect(rows).toMatchObject([{ id, kind: 'container', state: 'created', ownerText: 'build tls-build' }]);
  });

  // docs/clean.md, whalekeeper disk: tcp to a loopback address is "this machine", so the data root is measured with
  // statfs when it is visible here (it is: this engine's); below --fail the exit code is 0.
  it('disk measures the data root of the engine it reached over TLS, and exits 0 below --fail', async () => {
    const result = await whalekeeper(['--json', 'disk', '--fail', '99%'], tlsEnv(engine.tls.client));
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toMatchObject({
      engine: { host: engine.tlsHost, dataRoot: `${engine.dir}/data` },
      filesystem: { path: `${engine.dir}/data`, method: 'statfs' },
      unmeasured: null,
      status: 'ok',
    });
  });

  it('clean --agent --grace 0 removes a stopped container, and the engine no longer has it', async () => {
    const id = await stoppedContainer();
    expect(await containerIds(engine.host)).toEqual([id]);
    const result = await whalekeeper(['clean', '--agent', '--grace', '0'], tlsEnv(engine.tls.client));
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect(await containerIds(engine.host)).toEqual([]);
  });
});
