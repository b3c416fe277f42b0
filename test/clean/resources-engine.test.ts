// The shipped Kubernetes resources against a real (private) engine: the DinD pod's disk path on a fresh engine with
// no image at all, Jenkinsfile.example's disk stage in it, and the DaemonSet's container command for two rounds.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { argvOf, recordStages } from '../groovy/pipeline-replay.js';
import { BIN, cleanEnv, containerIds, docker, whalekeeper } from '../helpers/cli.js';
import { startEngine, TEST_IMAGE, type PrivateEngine } from '../helpers/engine.js';
import { tcpForward, whalekeeperSeeing } from '../helpers/stand-ins.js';

interface Container { name: string; args?: string[]; env?: { name: string; value: string }[]; volumeMounts?: { name: string; mountPath: string }[] }
interface Manifest { spec: { containers: Container[]; initContainers?: Container[]; template?: { spec: { containers: Container[] } } } }

const manifest = (name: string): Manifest =>
  parseYaml(readFileSync(fileURLToPath(new URL(`../../resources/io/whalekeeper/kubernetes/${name}`, import.meta.url)), 'utf8')) as Manifest;
const envOf = (c: Container): Record<string, string> => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));

let engine: PrivateEngine;
let dataRoot: string;
let work: string;

beforeAll(async () => {
  engine = await startEngine('kube', '512M');
  // A fresh DinD engine has no image at all: nothing a helper container could measure with.
  await docker(engine.host, ['rmi', TEST_IMAGE]).catch(() => undefined);
  dataRoot = await docker(engine.host, ['info', '--format', '{{.DockerRootDir}}']);
  work = mkdtempSync(join(tmpdir(), 'wk-kube-'));
}, 180_000);

afterAll(async () => {
  if (work) rmSync(work, { recursive: true, force: true });
  if (process.env.WK_ENGINE_KEEP !== '1') await engine?.stop();
});

describe("dind-agent-pod.yaml's build container, on a fresh engine", () => {
  const build = manifest('dind-agent-pod.yaml').spec.containers.find((c) => c.name === 'build')!;
  // The template's environment, with the sidecar's tcp://localhost:2376 replaced by a loopback forwarder to the
  // private engine (plain tcp: TLS is the docker client's and whalekeeper's usual path, not what is tested here).
  const podEnv = async (port: number): Promise<Record<string, string>> => {
    const { DOCKER_TLS_VERIFY: _verify, DOCKER_CERT_PATH: _certs, ...env } = envOf(build);
    expect(env.DOCKER_HOST).toBe('tcp://localhost:2376');
    return { ...cleanEnv(`tcp://localhost:${port}`), ...env, DOCKER_HOST: `tcp://localhost:${port}`, WHALEKEEPER_CACHE: join(work, 'cache') };
  };

  it("passes Jenkinsfile.example's disk stage: the data root mounted read-only, measured against the sizeLimit, no helper image", async () => {
    expect(await docker(engine.host, ['images', '-q'])).toBe('');
    const recorded = await recordStages(work, 'Jenkinsfile.example', { BUILD_NUMBER: '7', JOB_NAME: 'app', WHALEKEEPER_BIN: BIN });
    const stage = recorded.filter((c) => c.stage === 'Disk check').map(argvOf);
    expect(stage.map((argv) => argv[0])).toEqual(['clean', 'disk']);
    const forward = await tcpForward(engine.host);
    try {
      const env = await podEnv(forward.port);
      for (const argv of stage) {
        const result = await whalekeeperSeeing('read-only', dataRoot, argv, env);
        expect(result.exitCode, `${argv.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
        expect(result.stderr).not.toMatch(/warning/);
      }
      const json = await whalekeeperSeeing('read-only', dataRoot, ['--json', 'disk', '--fail', '90%', '--no-breakdown'], env);
      expect(json.exitCode).toBe(0);
      const { filesystem } = JSON.parse(json.stdout);
      expect(filesystem).toMatchObject({ method: 'du', totalBytes: 50 * 2 ** 30 });
      const du = await execa('du', ['-s', '-B1', dataRoot]);
      expect(filesystem.usedBytes).toBe(Number(du.stdout.split('\t')[0]));
      // Nothing ran on the engine to measure it.
      expect(await containerIds(engine.host)).toEqual([]);
    } finally {
      forward.close();
    }
  }, 120_000); // recording the stage starts a Groovy JVM: tens of seconds on a loaded 2-core machine

  it('without the mount: a warning saying what to do, and disk --fail exits 5 (not measured), not 1', async () => {
    const forward = await tcpForward(engine.host);
    try {
      const env = await podEnv(forward.port);
      const { WHALEKEEPER_DISK_LIMIT: _limit, ...statfsEnv } = env;
      const result = await whalekeeperSeeing('hidden', dataRoot, ['disk', '--fail', '90%', '--no-breakdown'], statfsEnv);
      expect(result.exitCode).toBe(5);
      expect(result.stderr).toMatch(/warning: the data root could not be measured: .*no busybox, alpine, debian or ubuntu image is on the engine.*mount the data root read-only at .* or pull a small image .* --measure-image IMAGE/);
      expect(result.stdout).toMatch(/Status: unknown/);
      // With --limit, only a mount can measure: it says so.
      const limited = await whalekeeperSeeing('hidden', dataRoot, ['disk', '--fail', '90%', '--no-breakdown'], env);
      expect(limited.exitCode).toBe(5);
      expect(limited.stderr).toMatch(/--limit counts its bytes where it is visible: mount the data root read-only at/);
      // Without --fail, a report, not a failure.
      expect((await whalekeeperSeeing('hidden', dataRoot, ['disk', '--no-breakdown'], env)).exitCode).toBe(0);
    } finally {
      forward.close();
    }
  });

  it('clean --agent --target against the limit removes images until the data root is below it', async () => {
    // An unused image of ~24MB, imported from a tarball (this engine has no image to build from).
    const payload = join(work, 'payload');
    await execa('sh', ['-c', 'mkdir -p "$1" && head -c 24000000 /dev/urandom > "$1/blob" && tar -C "$1" -c blob > "$1.tar"', 'sh', payload]);
    await docker(engine.host, ['import', `${payload}.tar`, 'leftover/imported:1']);
    const measure = await whalekeeper(['--json', 'disk', '--no-breakdown', '--limit', '1GiB'], cleanEnv(engine.host));
    const used = JSON.parse(measure.stdout).filesystem.usedBytes as number;
    // A limit that puts the data root at ~60%: the target 50% needs the image gone.
    const limit = String(Math.round(used / 0.6));
    const result = await whalekeeper(['--json', 'clean', '--agent', '--grace', '0', '--limit', limit, '--target', '50%'], cleanEnv(engine.host));
    expect(result.exitCode).toBe(0);
    const { report } = JSON.parse(result.stdout);
    expect(report.target).toMatchObject({ threshold: '50%', reached: true });
    expect(report.filesystem.before.method).toBe('du');
    expect(report.filesystem.before.usedPercent).toBeGreaterThan(50);
    expect(report.filesystem.after.usedPercent).toBeLessThanOrEqual(50);
    expect(await docker(engine.host, ['images', '-q'])).toBe('');
  });
});

describe("daemonset.yaml's container command", () => {
  const clean = manifest('daemonset.yaml').spec.template!.spec.containers[0]!;
  const textfileDir = clean.volumeMounts!.find((m) => m.name === 'textfile')!.mountPath;

  /**
   * Runs the container's args as written, against `host`, with two changes only: rounds every 1s instead of 10m,
   * and the textfile folder (a hostPath on the node) a temporary one here. Stops it with SIGTERM after round 2.
   */
  async function twoRounds(host: string): Promise<{ exitCode: number | undefined; stderr: string; textfile: string }> {
    const dir = mkdtempSync(join(work, 'textfile-'));
    const args = clean.args!.map((a) => (a.startsWith('--every=') ? '--every=1s' : a.replace(`=${textfileDir}/`, `=${dir}/`)));
    expect(args.filter((a, i) => a !== clean.args![i])).toHaveLength(2);
    const child = execa('node', [BIN, ...args], { env: { ...cleanEnv(host), ...envOf(clean), DOCKER_HOST: host }, extendEnv: false, reject: false, stdin: 'ignore' });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/round 2: /.test(stderr)) child.kill('SIGTERM');
    });
    const result = await child;
    const file = args.find((a) => a.startsWith('--prometheus='))!.split('=')[1]!;
    return { exitCode: result.exitCode, stderr, textfile: readFileSync(file, 'utf8') };
  }

  async function promtoolCheck(text: string): Promise<void> {
    const check = await execa('promtool', ['check', 'metrics'], { input: text, reject: false, all: true });
    expect(check.all).toBe('');
    expect(check.exitCode).toBe(0);
  }

  it('runs two rounds against the engine and writes a textfile promtool accepts, with the disk and the rounds', async () => {
    const { exitCode, stderr, textfile } = await twoRounds(engine.host);
    expect(exitCode).toBe(0);
    expect(stderr).toMatch(/round 1: nothing to do: [\d.]+% used, below --high 80%/);
    await promtoolCheck(textfile);
    const value = (name: string, label = ''): number => Number(new RegExp(`^${name}\\{[^}]*${label}[^}]*\\} (\\S+)$`, 'm').exec(textfile)?.[1]);
    expect(value('whalekeeper_disk_measured')).toBe(1);
    expect(value('whalekeeper_disk_used_ratio')).toBeGreaterThan(0);
    expect(value('whalekeeper_engine_objects', 'kind="images"')).toBe(0);
    expect(value('whalekeeper_clean_rounds_total', 'result="idle"')).toBe(2);
    expect(value('whalekeeper_clean_rounds_total', 'result="failed"')).toBe(0);
    expect(value('whalekeeper_clean_last_ok_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 120);
    // What is on the engine, by owner and state: this fresh engine holds nothing, every series is there at 0.
    expect(value('whalekeeper_engine_containers', 'owner="unmanaged",state="exited"')).toBe(0);
    expect(value('whalekeeper_engine_images', 'owner="kubelet",state="in_use"')).toBe(0);
    expect(value('whalekeeper_clean_removed_total', 'kind="container"')).toBe(0);
    expect(textfile).toContain(`data_root="${dataRoot}"`);
  });

  it('counts rounds that cannot reach the engine as failed, with the disk not measured', async () => {
    const { exitCode, stderr, textfile } = await twoRounds(`unix://${join(work, 'no-engine.sock')}`);
    expect(exitCode).toBe(0);
    expect(stderr).toMatch(/round 2: failed \(2 in a row; exits at 3 and 5 min without an answer\): cannot reach/);
    await promtoolCheck(textfile);
    expect(textfile).toMatch(/^whalekeeper_clean_rounds_total\{[^}]*result="failed"\} 2$/m);
    expect(textfile).toMatch(/^whalekeeper_clean_rounds_failed_consecutive\{[^}]*\} 2$/m);
    expect(textfile).toMatch(/^whalekeeper_clean_last_ok_timestamp_seconds\{[^}]*\} 0$/m);
    expect(textfile).toMatch(/^whalekeeper_disk_measured\{[^}]*\} 0$/m);
    // Nothing was read from the engine: no contents rather than zeros that were never measured.
    expect(textfile).not.toContain('whalekeeper_engine_containers');
  });
});
