// Every argv the steps build, with every key of every step (test/groovy/fixtures/Jenkinsfile.every-option), run by
// the REAL CLI against the private engine: a flag name or a value format the CLI does not take exits 2 and fails here.
import { execa } from 'execa';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BIN, docker } from '../helpers/cli.js';
import { answerBuild, startReplica, type ReplicaServer } from '../helpers/http-replica.js';
import { argvOf, recordStages, replay, root, type RecordedSh } from './pipeline-replay.js';

const host = inject('dockerHost');
const buildNumber = String(Date.now() % 1_000_000);
const token = `token-${buildNumber}`;
let work: string;
let workspace: string;
let recorded: RecordedSh[];
let replica: ReplicaServer;
let tls: Server;

/** Starts an https replica answering this build with a certificate for 127.0.0.1 signed by itself (CA_FILE). */
async function startTlsReplica(dir: string): Promise<Server> {
  await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'ca.pem'),
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdin: 'ignore' });
  const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'ca.pem')) }, (_req, res) => answerBuild(res, buildNumber));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wk-argv-'));
  workspace = join(work, 'workspace');
  cpSync(join(root, 'test/fixtures/service'), workspace, { recursive: true });
  replica = await startReplica((_n, _req, res) => answerBuild(res, buildNumber));
  tls = await startTlsReplica(work);
  const tlsPort = (tls.address() as AddressInfo).port;
  recorded = await recordStages(work, 'test/groovy/fixtures/Jenkinsfile.every-option', {
    BUILD_NUMBER: buildNumber,
    JOB_NAME: 'every-option',
    WHALEKEEPER_BIN: BIN,
    REPLICA_URL: replica.url,
    TLS_URL: `https://127.0.0.1:${tlsPort}`,
    CA_FILE: join(work, 'ca.pem'),
    DIAG_TOKEN: token,
    WORKDIR: work,
  });
}, 60_000);

afterAll(async () => {
  await replica?.close();
  tls?.closeAllConnections();
  tls?.close();
  await execa('docker', ['rmi', '-f', `wk-every-option/app:${buildNumber}-all`], { env: { DOCKER_HOST: host }, reject: false, stdin: 'ignore' });
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Keys tested elsewhere against real parts: registry credentials and push need a registry (registry.test.ts).
 * dockerInside is not in the list: its keys go to Docker Pipeline's withDockerContainer, not the CLI (live.test.ts).
 */
const ELSEWHERE = ['credentialsId', 'registry', 'push'];

describe('every key of every step, through the real CLI', () => {
  it('the fixture sets every key each step declares (so a new key is tested here too)', async () => {
    const fixture = readFileSync(join(root, 'test/groovy/fixtures/Jenkinsfile.every-option'), 'utf8');
    const steps = ['dockerBuild', 'dockerRun', 'cleanDockerAgent', 'dockerDiskCheck', 'verifyDeployment', 'withDockerCleanup', 'cleanDockerBuild'];
    // each step's calls: from `step(` to the next step call (or the end)
    const starts = steps.flatMap((step) => [...fixture.matchAll(new RegExp(`\\b${step}\\(`, 'g'))].map((m) => ({ step, at: m.index })));
    starts.sort((a, b) => a.at - b.at);
    for (const step of steps) {
      const source = readFileSync(join(root, `vars/${step}.groovy`), 'utf8');
      const keys = [...source.matchAll(/^ {8}(\w+)\s*: \[/gm)].map((m) => m[1]!);
      expect(keys.length, step).toBeGreaterThan(0);
      const text = starts
        .map((s, i) => (s.step === step ? fixture.slice(s.at, starts[i + 1]?.at) : ''))
        .join('\n');
      for (const key of keys.filter((k) => !ELSEWHERE.includes(k))) expect(text, `${step} ${key}`).toMatch(new RegExp(`\\b${key}: `));
    }
  });

  it('each recorded call exits 0 with the real CLI (no flag or value the CLI refuses)', async () => {
    const stages: string[] = [];
    for (const call of recorded) {
      const result = await replay(call, { host, workspace, patch: { DOCKER_BUILDKIT: '0' } });
      expect(result.exitCode, `${call.stage}: ${call.env.WK_ARGV}\n${result.all}`).toBe(0);
      expect(result.all).not.toMatch(/Unknown argument|Invalid values|error:/);
      stages.push(call.stage);
    }
    expect([...new Set(stages)]).toEqual(['build', 'run', 'clean agent', 'disk', 'verify', 'verify ca', 'verify insecure', 'with cleanup', 'post']);
  });

  it('the options took effect: label, build number, metrics, header, reports', async () => {
    const byStage = (name: string) => recorded.filter((c) => c.stage === name).map(argvOf);
    expect(byStage('clean agent')[0]).toEqual(expect.arrayContaining(['--images', 'unused', '--volumes', '--build-cache', '--dry-run']));
    const labels = JSON.parse(await docker(host, ['image', 'inspect', `wk-every-option/app:${buildNumber}-all`, '--format', '{{json .Config.Labels}}']));
    expect(labels).toMatchObject({ 'wk.test': 'every-option', 'org.opencontainers.image.version': buildNumber });
    expect(readFileSync(join(work, 'whalekeeper.prom'), 'utf8')).toContain('whalekeeper_');
    expect(replica.requests.some((r) => r.headers.authorization === token)).toBe(true);
    for (const report of ['verify.xml', 'verify-ca.xml', 'verify-insecure.xml']) {
      expect(existsSync(join(work, report)), report).toBe(true);
      expect(readFileSync(join(work, report), 'utf8')).not.toContain('<failure');
    }
  });

  it('verify on a usage error (exit 2) writes no report: an earlier build\'s file stays, so verifyDeployment records none then', async () => {
    // given a report left in the workspace by an earlier build, and a verify argv with a duration the CLI refuses
    const stale = join(work, 'verify-stale.xml');
    writeFileSync(stale, '<testsuites><!-- build 1 --></testsuites>');
    const argv = ['verify', replica.url, '--timeout', 'ten minutes', '--junit', stale];
    // when the CLI runs it as the step does
    const result = await execa('/bin/sh', ['-c', '"$WK_BIN" --argv-env WK_ARGV'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', BUILD_NUMBER: buildNumber, WK_BIN: BIN, WK_ARGV: JSON.stringify(argv) },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    // then exit 2 and the stale file untouched (Commands.verifyWroteReport(2) is false: the step skips `junit`)
    expect(result.exitCode, result.stderr).toBe(2);
    expect(readFileSync(stale, 'utf8')).toBe('<testsuites><!-- build 1 --></testsuites>');
  });
});
