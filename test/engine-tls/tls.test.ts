// ls, disk and clean over TLS against a real private dockerd listening on tcp://127.0.0.1:PORT with --tlsverify, its
// certificates made by openssl for this file (test/helpers/tls-certs.ts); the built CLI, as users run it.
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('the other ways to the same TLS engine', () => {
  it('a docker context made by `docker context create` with the TLS files (its store, as the docker client writes it)', async () => {
    const config = await mkdtemp(join(tmpdir(), 'wk-tls-config-'));
    try {
      const { client } = engine.tls;
      const endpoint = `host=${engine.tlsHost},ca=${client}/ca.pem,cert=${client}/cert.pem,key=${client}/key.pem`;
      await execa('docker', ['context', 'create', 'wk-tls', '--docker', endpoint], { env: { DOCKER_CONFIG: config }, stdin: 'ignore' });
      const id = await stoppedContainer(['whalekeeper.managed=true']);
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: config, DOCKER_CONFIG: config, DOCKER_CONTEXT: 'wk-tls' };
      const listed = await whalekeeper(['--json', 'ls'], env);
      expect([listed.exitCode, listed.stderr]).toEqual([0, '']);
      expect((JSON.parse(listed.stdout) as { rows: { id: string }[] }).rows.map((r) => r.id)).toEqual([id]);
      const cleaned = await whalekeeper(['clean', '--agent', '--grace', '0'], env);
      expect([cleaned.exitCode, cleaned.stderr]).toEqual([0, '']);
      expect(await containerIds(engine.host)).toEqual([]);
    } finally {
      await rm(config, { recursive: true, force: true });
    }
  });

  it('run: the probe, the docker client and the reaper all reach it; the container is gone after', async () => {
    const result = await whalekeeper(['run', TEST_IMAGE, 'echo', 'over tls'], tlsEnv(engine.tls.client, { DOCKER_CONFIG: engine.tls.client }));
    expect([result.exitCode, result.stdout.trim()]).toEqual([0, 'over tls']);
    expect(await containerIds(engine.host)).toEqual([]);
  });
});

// The lines a failure must be: one line naming the host and the TLS problem, no stack trace.
function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('TLS failures: exit 3 (the engine cannot be used) with one line naming the certificate at fault', () => {
  it.each(['ls', 'disk', 'clean --agent --grace 0'])('`%s` with a ca.pem that did not sign the engine\'s certificate; nothing removed', async (command) => {
    const id = await stoppedContainer();
    const result = await whalekeeper(command.split(' '), tlsEnv(engine.tls.wrongCa));
    expect(result.exitCode).toBe(3);
    expect(oneLine(result.stderr)).toBe(
      `whalekeeper: error: the TLS handshake with the Docker engine at ${engine.tlsHost} failed: the engine's certificate is not signed by the CA in ${engine.tls.wrongCa}/ca.pem (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
    );
    expect(await containerIds(engine.host)).toEqual([id]);
  });

  it('a client certificate the engine did not sign (the engine runs with --tlsverify)', async () => {
    const result = await whalekeeper(['ls'], tlsEnv(engine.tls.foreignClient));
    expect(result.exitCode).toBe(3);
    expect(oneLine(result.stderr)).toMatch(
      new RegExp(`^whalekeeper: error: the TLS handshake with the Docker engine at ${engine.tlsHost} failed: the engine refused the client certificate \\(${engine.tls.foreignClient}/cert.pem and key.pem\\).* \\(ERR_SSL_[A-Z0-9_]+\\)$`),
    );
  });

  it('--json: the same line as a JSON error', async () => {
    const result = await whalekeeper(['--json', 'ls'], tlsEnv(engine.tls.wrongCa));
    expect(result.exitCode).toBe(3);
    expect(JSON.parse(oneLine(result.stderr))).toEqual({
      type: 'error',
      message: `the TLS handshake with the Docker engine at ${engine.tlsHost} failed: the engine's certificate is not signed by the CA in ${engine.tls.wrongCa}/ca.pem (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
      exitCode: 3,
    });
  });

  it('a key.pem that is not cert.pem\'s key is a usage error (exit 2) naming the folder, before any connection', async () => {
    const result = await whalekeeper(['ls'], tlsEnv(engine.tls.wrongKey));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`whalekeeper: error: the TLS files in \`${engine.tls.wrongKey}\` cannot be used: x509 certificate routines::key values mismatch (ERR_OSSL_X509_KEY_VALUES_MISMATCH)`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

// The docker client turns TLS on with DOCKER_TLS_VERIFY (verified) or DOCKER_TLS (encrypted, the engine's certificate
// not verified), and never from DOCKER_CERT_PATH alone (docker/cli, cli/flags/options.go: `--tls` "Use TLS; implied
// by --tlsverify", DOCKER_TLS_VERIFY and DOCKER_TLS read into them; the folder is read only when TLS is on).
// whalekeeper reads them the same way (src/core/engine/target.ts) and says so (README: "as the docker client").
describe('DOCKER_TLS_VERIFY unset, certificates present: as the docker client', () => {
  it('DOCKER_TLS=1: TLS without verifying the engine (an unrelated ca.pem is not consulted); the client certificate is still sent', async () => {
    const id = await stoppedContainer(['whalekeeper.managed=true']);
    const env = cleanEnv(engine.tlsHost, { DOCKER_TLS: '1', DOCKER_CERT_PATH: engine.tls.wrongCa });
    const result = await whalekeeper(['--json', 'ls'], env);
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect((JSON.parse(result.stdout) as { rows: { id: string }[] }).rows.map((r) => r.id)).toEqual([id]);
  });

  it('neither DOCKER_TLS_VERIFY nor DOCKER_TLS: plain HTTP, which the TLS port answers with 400; exit 3 with its message, as docker says', async () => {
    const env = cleanEnv(engine.tlsHost, { DOCKER_CERT_PATH: engine.tls.client, DOCKER_CONFIG: engine.tls.client });
    const result = await whalekeeper(['ls'], env);
    expect(result.exitCode).toBe(3);
    expect(oneLine(result.stderr)).toBe(`whalekeeper: error: the Docker engine at ${engine.tlsHost} answered GET /_ping with 400: Client sent an HTTP request to an HTTPS server.`);
    const client = await execa('docker', ['ps'], { env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect([client.exitCode, client.stderr.trim()]).toEqual([1, 'Error response from daemon: Client sent an HTTP request to an HTTPS server.']);
  });
});

