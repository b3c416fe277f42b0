// `npm run demo`'s first story ("hell got loose"), run as a user runs it, once per engine: scripts/demo.sh on a
// private engine of the project's kind (WK_ENGINE_KIND) in a folder of its own, with real node_exporter, Prometheus
// and Alertmanager (scripts/install-deps.sh installs them). The demo writes what it saw (WK_DEMO_SUMMARY); the
// engine is kept (WK_DEMO_KEEP=1) so that what is left on it is checked here, from the engine itself.
// The second story is not run here: its replicas listen on fixed loopback ports, which the two engine projects,
// running at once, would both take; verify and build are tested per engine in test/verify and test/build.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../helpers/cli.js';
import { engineDir, engineKind, stopEngineDir } from '../helpers/engine.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const kind = engineKind();
const dir = engineDir('demo', kind);
const host = `unix://${dir}/docker.sock`;
let work: string;
let result: { exitCode: number | undefined; all: string };
let facts: Map<string, string>;

function fact(key: string): string {
  const value = facts.get(key);
  if (value === undefined) throw new Error(`the demo wrote no ${key}; its output:\n${result.all}`);
  return value;
}
const percent = (key: string) => Number(fact(key).replace(/%$/, ''));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wk-demo-'));
  const summary = join(work, 'summary');
  await stopEngineDir(dir, kind);
  const run = await execa('bash', ['scripts/demo.sh'], {
    cwd: root,
    env: { WK_ENGINE_KIND: kind, WK_ENGINE_DIR: dir, WK_DEMO_STORIES: '1', WK_DEMO_SUMMARY: summary, WK_DEMO_KEEP: '1' },
    all: true,
    reject: false,
    timeout: 240_000,
  });
  result = { exitCode: run.exitCode, all: run.all };
  facts = new Map(readFileSync(summary, 'utf8').split('\n').filter(Boolean).map((line) => {
    const at = line.indexOf('=');
    return [line.slice(0, at), line.slice(at + 1)] as const;
  }));
}, 300_000);

afterAll(async () => {
  await stopEngineDir(dir, kind);
  rmSync(work, { recursive: true, force: true });
});

describe(`npm run demo, story 1, on engine ${kind}`, () => {
  it('runs to the end, on the engine asked for', () => {
    expect(result.exitCode, result.all).toBe(0);
    expect(fact('engine')).toMatch(kind === '20.10' ? /^20\.10\./ : /^28\./);
    expect(result.all).toContain(kind === '20.10' ? 'graph driver overlay2' : 'containerd image store');
  });

  it('fills the disk with leftovers past the alarm, and disk exits 1', () => {
    expect(Number(fact('leftovers'))).toBeGreaterThan(0);
    expect(percent('before')).toBeGreaterThanOrEqual(83);
    expect(fact('alarm')).toBe('1');
  });

  it('the disk alert fires in Alertmanager, and resolves after the clean', () => {
    expect(fact('firing')).toMatch(/^Alertmanager: DockerDataRootFilling firing since .* is \d+(\.\d+)?% full$/);
    expect(fact('resolved')).toMatch(/^Alertmanager: DockerDataRootFilling resolved at /);
  });

  it('whalekeeper run keeps the exit code and leaves nothing, exited, SIGTERMed or SIGKILLed', () => {
    expect([fact('run_exit'), fact('run_left')]).toEqual(['3', '0']);
    expect([fact('sigterm_exit'), fact('sigterm_left')]).toEqual(['143', '0']);
    expect(fact('sigkill_left')).toBe('0');
  });

  it('clean --agent --target 50% gets below 50%, and disk passes after it', () => {
    expect(fact('clean_exit')).toBe('0');
    expect(percent('after')).toBeLessThan(50);
    expect(fact('disk_after_exit')).toBe('0');
  });

  it("the other build's running container survives the agent clean, and its own clean removes it", () => {
    expect(fact('other_running')).toBe('1');
    expect(fact('other_left')).toBe('0');
  });

  it("the engine, asked afterwards: only the kubelet's container, no built image, the filesystem below 50%", async () => {
    const containers = (await docker(host, ['ps', '-a', '--format', '{{.Names}} {{.Label "io.kubernetes.pod.name"}}'])).split('\n').filter(Boolean);
    expect(containers).toHaveLength(1);
    expect(containers[0]).toMatch(/ kube-proxy-x1$/);
    const images = (await docker(host, ['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n').filter(Boolean);
    expect(images).toEqual(['whalekeeper-test/busybox:latest']);
    const fs = statfsSync(join(dir, 'data'));
    expect(1 - fs.bavail / fs.blocks).toBeLessThan(0.5);
  });
});
