// Fills a private engine's 1G data root past 85% with leftovers beside another build's running container and a
// kubelet container, then cleans it to 50%: the dry run must list exactly what the real run removes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, containerIds, docker, whalekeeper } from '../helpers/cli.js';
import { startEngine, TEST_IMAGE, type PrivateEngine } from '../helpers/engine.js';
import { tcpForward, whalekeeperSeeing } from '../helpers/stand-ins.js';

let engine: PrivateEngine;
let env: Record<string, string>;
let dataRoot: string;

interface Fs { usedPercent: number; usedBytes: number; availableBytes: number }

async function diskNow(): Promise<Fs> {
  const result = await whalekeeper(['--json', 'disk', '--no-breakdown'], env);
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout).filesystem as Fs;
}

/** A stopped container that wrote `mb` megabytes into its writable layer (waited for: the disk is measured next). */
async function leftover(mb: number, labels: string[] = []): Promise<string> {
  const id = await docker(engine.host, ['run', '-d', ...labels.flatMap((l) => ['--label', l]), TEST_IMAGE, 'dd', 'if=/dev/zero', 'of=/fill', 'bs=1M', `count=${mb}`]);
  await docker(engine.host, ['wait', id]);
  return id;
}

/** An image with its own `mb`-megabyte layer, tagged `tag`. */
async function imageOf(tag: string, mb: number): Promise<void> {
  const id = await leftover(mb);
  await docker(engine.host, ['commit', id, tag]);
  await docker(engine.host, ['rm', id]);
}

async function everything(): Promise<Set<string>> {
  const images = (await docker(engine.host, ['images', '-q', '--no-trunc'])).split('\n').filter(Boolean);
  const volumes = (await docker(engine.host, ['volume', 'ls', '-q'])).split('\n').filter(Boolean);
  return new Set([...(await containerIds(engine.host)), ...images, ...volumes]);
}

beforeAll(async () => {
  engine = await startEngine('clean-disk', '1G');
  env = cleanEnv(engine.host);
  dataRoot = await docker(engine.host, ['info', '--format', '{{.DockerRootDir}}']);
  // Unused images (tagged one after the other: the first is least recently used), a dangling one, another build's image.
  for (const n of [1, 2, 3]) await imageOf(`leftover/unused:${n}`, 160);
  await imageOf('leftover/dangling:1', 50);
  await imageOf('leftover/dangling:1', 1);
  await imageOf('other/app:1', 30);
  await docker(engine.host, ['run', '-d', '--name', 'y-running', '--label', 'whalekeeper.build=Y', 'other/app:1', 'sleep', '600']);
  await leftover(20, ['io.kubernetes.pod.name=x', 'io.kubernetes.container.name=c']).then((id) => docker(engine.host, ['rename', id, 'kube-stopped']));
  await docker(engine.host, ['run', '-v', '/data', TEST_IMAGE, 'dd', 'if=/dev/zero', 'of=/data/f', 'bs=1M', 'count=30']);
  // Stopped containers with written data until the filesystem is past 85%.
  const fs = await diskNow();
  const capacity = fs.usedBytes + fs.availableBytes;
  const missingMb = Math.ceil((0.87 * capacity - fs.usedBytes) / 1e6 / 1.048576);
  for (const part of [0, 1, 2]) await leftover(Math.ceil(missingMb / 3) + part);
}, 300_000);

afterAll(async () => {
  if (process.env.WK_ENGINE_KEEP !== '1') await engine?.stop();
});

describe('clean --agent --grace 0 --target 50% on a disk past 85%', () => {
  let planned: Set<string>;

  it('starts past 85%', async () => {
    expect((await diskNow()).usedPercent).toBeGreaterThan(85);
  });

  it('ls shows who owns what', async () => {
    const result = await whalekeeper(['--json', '--build', 'Y', 'ls', '--images'], env);
    expect(result.exitCode).toBe(0);
    const { rows, summary } = JSON.parse(result.stdout) as { rows: { name: string; ownerText: string; state: string; kind: string }[]; summary: { owner: string }[] };
    const row = (name: string) => rows.find((r) => r.name === name);
    expect(row('y-running')).toMatchObject({ ownerText: 'this build (Y)', state: 'running' });
    expect(row('kube-stopped')).toMatchObject({ ownerText: 'kubelet (x)', state: 'exited' });
    expect(row('leftover/unused:1')).toMatchObject({ kind: 'image', state: 'unused', ownerText: 'unmanaged' });
    expect(row('other/app:1')).toMatchObject({ state: 'in use' });
    expect(summary.map((s) => s.owner).sort()).toEqual(['kubelet', 'this build (Y)', 'unmanaged']);
  });

  it('--dry-run removes nothing and lists the plan', async () => {
    const before = await everything();
    const result = await whalekeeper(['--json', 'clean', '--agent', '--grace', '0', '--target', '50%', '--dry-run'], env);
    expect(result.exitCode).toBe(0);
    const { plan } = JSON.parse(result.stdout) as { plan: { actions: { id: string; kind: string; rule: string; expected: boolean }[] } };
    planned = new Set(plan.actions.filter((a) => a.expected).map((a) => a.id));
    expect(plan.actions.filter((a) => a.rule === 'target-lru' && a.expected).length).toBeGreaterThan(0);
    expect(await everything()).toEqual(before);
  });

  it('the real run removes exactly that, gets below 50%, and leaves the running container, its image and the kubelet container', async () => {
    const before = await everything();
    const result = await whalekeeper(['--json', 'clean', '--agent', '--grace', '0', '--target', '50%'], env);
    expect(result.stderr).not.toMatch(/warning|error/);
    expect(result.exitCode).toBe(0);
    const { report } = JSON.parse(result.stdout);
    const after = await everything();
    const removed = new Set([...before].filter((id) => !after.has(id)));
    expect(removed).toEqual(planned);
    expect(report.filesystem.after.usedPercent).toBeLessThan(50);
    expect(report.target.reached).toBe(true);
    expect(report.filesystem.freedBytes).toBeGreaterThan(0);
    expect(await docker(engine.host, ['inspect', '-f', '{{.State.Status}}', 'y-running'])).toBe('running');
    expect(await docker(engine.host, ['inspect', '-f', '{{.State.Status}}', 'kube-stopped'])).toBe('exited');
    expect(await docker(engine.host, ['images', '-q', 'other/app:1'])).not.toBe('');
    expect((await diskNow()).usedPercent).toBeLessThan(50);
  });

  it('--images unused --volumes: the remaining unused images and the anonymous volume go, the image in use stays', async () => {
    expect(await docker(engine.host, ['volume', 'ls', '-q'])).not.toBe('');
    const result = await whalekeeper(['clean', '--agent', '--grace', '0', '--images', 'unused', '--volumes', '--keep-image', 'whalekeeper-test/*'], env);
    expect(result.exitCode).toBe(0);
    expect(await docker(engine.host, ['volume', 'ls', '-q'])).toBe('');
    expect(await docker(engine.host, ['images', '-q', 'leftover/*'])).toBe('');
    expect(await docker(engine.host, ['images', '-q', 'other/app:1'])).not.toBe('');
    expect(await docker(engine.host, ['images', '-q', TEST_IMAGE])).not.toBe('');
  });

  it('disk: thresholds, exit 1 above --fail, metrics promtool accepts', async () => {
    const file = `${engine.dir}/whalekeeper.prom`;
    const result = await whalekeeper(['disk', '--warn', '1%', '--fail', '2%', '--prometheus', file], env);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/Status: fail/);
    const { execa } = await import('execa');
    const check = await execa('promtool', ['check', 'metrics'], { inputFile: file, reject: false });
    expect(check.exitCode).toBe(0);
    expect(await whalekeeper(['disk', '--fail', '99%'], env)).toMatchObject({ exitCode: 0 });
  });
});

describe('disk on a remote engine', () => {
  it('measures the data root through a short-lived container of an image already present, and leaves it behind', async () => {
    // The engine is reached over tcp and its data root is not visible here (hidden in this process's mount namespace).
    const forward = await tcpForward(engine.host);
    try {
      const local = await diskNow();
      const result = await whalekeeperSeeing('hidden', dataRoot, ['--json', 'disk', '--no-breakdown'], cleanEnv(forward.host));
      expect(result.exitCode).toBe(0);
      const { filesystem } = JSON.parse(result.stdout);
      expect(filesystem.method).toBe('container');
      expect(Math.abs(filesystem.usedBytes - local.usedBytes)).toBeLessThan(0.02 * (local.usedBytes + local.availableBytes));
      expect(await containerIds(engine.host, 'label=whalekeeper.managed=true')).toEqual([]);
    } finally {
      forward.close();
    }
  });

  it('measures with statfs when a loopback tcp engine (a DinD sidecar) has its data root visible here', async () => {
    const forward = await tcpForward(engine.host);
    try {
      const result = await whalekeeper(['--json', 'disk', '--no-breakdown'], cleanEnv(`tcp://localhost:${forward.port}`));
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout).filesystem.method).toBe('statfs');
    } finally {
      forward.close();
    }
  });
});

describe('clean --build', () => {
  it("removes build X's running and stopped containers, with their networks, and nothing of build Y", async () => {
    const x = ['--label', 'whalekeeper.build=X'];
    await docker(engine.host, ['network', 'create', '--driver', 'bridge', '--internal', ...x, 'x-net']).catch(() => undefined);
    await docker(engine.host, ['run', '-d', ...x, TEST_IMAGE, 'sleep', '600']);
    await docker(engine.host, ['create', ...x, TEST_IMAGE, 'true']);
    await docker(engine.host, ['run', ...x, '-v', '/anon', TEST_IMAGE, 'true']);
    await docker(engine.host, ['run', '--label', 'whalekeeper.build=Y', TEST_IMAGE, 'true']);
    const yBefore = await containerIds(engine.host, 'label=whalekeeper.build=Y');
    const result = await whalekeeper(['--build', 'X', 'clean'], env);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/container\s+3\s/);
    expect(await containerIds(engine.host, 'label=whalekeeper.build=X')).toEqual([]);
    expect(await containerIds(engine.host, 'label=whalekeeper.build=Y')).toEqual(yBefore);
    expect(await docker(engine.host, ['network', 'ls', '-q', '--filter', 'label=whalekeeper.build=X'])).toBe('');
  });

  it('two agent cleans at once do not fight: races are counted, not errors', async () => {
    for (let i = 0; i < 24; i++) await docker(engine.host, ['create', TEST_IMAGE, 'true']);
    const args = ['--json', 'clean', '--agent', '--grace', '0'];
    const [a, b] = await Promise.all([whalekeeper(args, env), whalekeeper(args, env)]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    const counts = [a, b].map((r) => JSON.parse(r.stdout).report.counts.container);
    expect(counts[0].removed + counts[1].removed).toBeGreaterThanOrEqual(24);
    expect(counts.every((c) => c.failed === 0)).toBe(true);
    expect(await containerIds(engine.host, 'status=created')).toEqual([]);
  });

  it('a clean to a target skips while another holds the engine-wide lock', async () => {
    await docker(engine.host, ['network', 'create', '--internal', 'whalekeeper-clean-lock']);
    const leftover = await docker(engine.host, ['create', TEST_IMAGE, 'true']);
    const result = await whalekeeper(['--json', 'clean', '--agent', '--grace', '0', '--target', '99%'], env);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).report.skipped).toMatch(/another clean holds the lock/);
    expect(await containerIds(engine.host)).toContain(leftover);
    await docker(engine.host, ['rm', leftover]);
    await docker(engine.host, ['network', 'rm', 'whalekeeper-clean-lock']);
  });

  it('keeps what is younger than the default grace', async () => {
    await docker(engine.host, ['create', '--name', 'fresh', TEST_IMAGE, 'true']);
    const result = await whalekeeper(['clean', '--agent'], env);
    expect(result.exitCode).toBe(0);
    expect(await docker(engine.host, ['inspect', '-f', '{{.State.Status}}', 'fresh'])).toBe('created');
  });
});

describe('errors', () => {
  it('exit 3 with one line naming the host when the engine is unreachable', async () => {
    const result = await whalekeeper(['clean', '--agent'], cleanEnv('unix:///nonexistent/docker.sock'));
    expect(result.exitCode).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('unix:///nonexistent/docker.sock');
  });

  it('exit 2 for a bad value, quoting it and naming the flag', async () => {
    const result = await whalekeeper(['clean', '--agent', '--target', 'lots'], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--target.*`lots`/);
  });
});

describe('clean --every', () => {
  it('cleans each round, survives the engine restarting (a failed round, not the end), logs one line per round, ends on SIGTERM with 0', async () => {
    const { execa } = await import('execa');
    const { BIN } = await import('../helpers/cli.js');
    const { readFileSync } = await import('node:fs');
    const child = execa('node', [BIN, 'clean', '--agent', '--grace', '0', '--every', '1s'], { env, extendEnv: false, reject: false, stdin: 'ignore' });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const waitFor = async (pattern: RegExp, from: number): Promise<void> => {
      for (let i = 0; i < 600 && !pattern.test(stderr.slice(from)); i++) await new Promise((r) => setTimeout(r, 100));
      expect(stderr.slice(from)).toMatch(pattern);
    };
    await docker(engine.host, ['create', TEST_IMAGE, 'true']);
    await waitFor(/round \d+: removed [1-9]\d* containers/, 0);
    const mark = stderr.length;
    process.kill(Number(readFileSync(`${engine.dir}/docker.pid`, 'utf8')), 'SIGTERM');
    await waitFor(/round \d+: failed \(\d+ in a row; exits at 3 and 5 min without an answer\): cannot reach the Docker engine/, mark);
    await startEngine('clean-disk', '1G');
    const restarted = stderr.length;
    await docker(engine.host, ['create', TEST_IMAGE, 'true']);
    await waitFor(/round \d+: removed [1-9]\d* containers/, restarted);
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(stderr.trim().split('\n').filter((line) => !/^whalekeeper: round \d+: /.test(line))).toEqual([]);
  }, 150_000);
});
