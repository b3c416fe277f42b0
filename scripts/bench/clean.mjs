// clean, against each engine kind (Engine 20.10, overlay2; Engine 28, the containerd image store): removing 200
// stopped containers with written data by `whalekeeper clean --agent --grace 0`, by `docker container prune -f` (the
// engine's own), by one bulk `docker rm` of every stopped container's id (the fastest
// peer: the client removes them concurrently) and by the seed's loop (one `docker rm` per container), in the same
// run, in turns, each on a fresh set, beside the floor of a Node client sending the same requests; `ls` against
// `docker ps -a`; and the peak memory of a plan over 10,000 containers.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createServer, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CONTAINERS = 200;
// 3 runs per subject per engine, the spread reported beside each median: each run needs a fresh set of containers,
// and making them is most of the bench's time (5 runs on one engine took 14 minutes here).
const REPS = 3;
/** Containers made at once for a set (set-up only). */
const MAKERS = 16;

/** A tar archive (ustar) of one file, `fill`: 1 MiB of zeros. A header block, the data, two zero blocks. */
const FILL_TAR = (() => {
  const header = Buffer.alloc(512);
  const field = (text, offset) => header.write(text, offset, 'latin1');
  field('fill', 0);
  field('0000644\0', 100); // mode
  field('0000000\0', 108); // uid
  field('0000000\0', 116); // gid
  field(`${(1 << 20).toString(8).padStart(11, '0')}\0`, 124); // size
  field('00000000000\0', 136); // mtime
  field('0', 156); // a regular file
  field('ustar\x0000', 257);
  header.fill(' ', 148, 156); // the checksum is computed with its own field as spaces
  const sum = header.reduce((a, b) => a + b, 0);
  field(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([header, Buffer.alloc(1 << 20), Buffer.alloc(1024)]);
})();

export default async function clean(ctx) {
  const rows = [];
  for (const [i, { kind, host }] of ctx.engines().entries()) {
    rows.push(...(await cleanOn({ ...ctx, dockerHost: host }, kind, i === 0)));
  }
  const { peak: memory, requests } = await peakMemory(ctx);
  rows.push({
    measure: 'peak RSS: `clean --agent --dry-run --json` with 10,000 containers and 2,000 images in the inventory',
    unit: 'MB',
    subjectMs: memory,
    limit: 150,
    note: `maximum resident set size from /usr/bin/time -f %M of the built CLI, against a fake Engine API on a unix socket serving a synthetic inventory (so the whole path is measured: JSON parse, inventory, plan, rendering); requests per run: ${requests.total}, of which ${requests.negotiation} to negotiate the API version (GET /_ping, /version)`,
  });
  return rows;
}

/** The clean rows against one engine (`kind`), and `ls` against `docker ps -a` on the first. */
async function cleanOn(ctx, kind, withLs) {
  const env = { ...process.env, DOCKER_HOST: ctx.dockerHost };
  const docker = (args) => execFileSync('docker', args, { env, encoding: 'utf8' }).trim();

  /** The engine's API, for the set-up only (a docker client process per container would take most of the bench). */
  const api = (method, path, body, type = 'application/json') =>
    new Promise((resolve, reject) => {
      const req = request({ socketPath: ctx.dockerHost.replace(/^unix:\/\//, ''), method, path, headers: { 'content-type': type } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => (res.statusCode < 300 ? resolve(text === '' ? undefined : JSON.parse(text)) : reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`))));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body));
    });

  /**
   * CONTAINERS stopped containers (state `created`), each with 1 MiB in its writable layer (set-up only): created
   * through the Engine API, MAKERS at a time, the file put in with `PUT /containers/{id}/archive`. No process is
   * started: starting 200 containers (runc, a shim each) took twice as long here, and was most of the bench's time.
   */
  async function leftovers() {
    let next = 0;
    const worker = async () => {
      while (next++ < CONTAINERS) {
        const { Id } = await api('POST', '/containers/create', { Image: ctx.image, Cmd: ['true'] });
        await api('PUT', `/containers/${Id}/archive?path=/`, FILL_TAR, 'application/x-tar');
      }
    };
    await Promise.all(Array.from({ length: MAKERS }, worker));
    const count = docker(['ps', '-aq', '--filter', 'status=created']).split('\n').filter(Boolean).length;
    if (count !== CONTAINERS) throw new Error(`expected ${CONTAINERS} stopped containers, found ${count}`);
  }

  /** Wall time of one command, and a check that it left no container. */
  function timed(file, args) {
    const start = performance.now();
    const result = spawnSync(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = performance.now() - start;
    if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${result.stderr}`);
    const left = docker(['ps', '-aq']);
    if (left !== '') throw new Error(`${file} ${args.join(' ')} left containers`);
    return ms;
  }

  const subjects = {
    whalekeeper: ['node', [ctx.bin, 'clean', '--agent', '--grace', '0']],
    prune: ['docker', ['container', 'prune', '-f']],
    bulk: ['bash', ['-c', 'docker rm $(docker ps -aq --filter status=exited --filter status=created --filter status=dead) >/dev/null']],
    loop: ['bash', ['-c', 'for c in $(docker ps -qa); do docker rm $c >/dev/null; done']],
    // 16: ENGINE_CONCURRENCY in src/edge/engine.ts, the removals whalekeeper keeps under way at once.
    floor: ['node', [join(ctx.root, 'scripts/bench/helpers/clean-floor.cjs'), '16']],
  };
  const times = { whalekeeper: [], prune: [], bulk: [], loop: [], floor: [] };
  docker(['container', 'prune', '-f']);
  for (let rep = 0; rep < REPS; rep++) {
    for (const [name, [file, args]] of Object.entries(subjects)) {
      // The slowest peer once only: its ratio is far from its target, and each set of containers takes long to make.
      if (name === 'loop' && rep > 0) continue;
      const made = performance.now();
      await leftovers();
      const makeMs = performance.now() - made;
      times[name].push(timed(file, args));
      ctx.log(`clean on ${kind}, ${name} #${rep + 1}: ${times[name].at(-1).toFixed(0)} ms (making the ${CONTAINERS} containers took ${(makeMs / 1000).toFixed(1)} s)`);
    }
  }

  const rows = [];
  const on = `on Engine ${kind}`;
  const wk = ctx.median(times.whalekeeper);
  const spread = (name) => `${Math.min(...times[name]).toFixed(0)}–${Math.max(...times[name]).toFixed(0)} ms`;
  const measure = `clean ${CONTAINERS} stopped containers ${on}: \`whalekeeper clean --agent --grace 0\``;
  const spared = 'the grace period, running/kubelet/kept containers, a lock against a concurrent clean, and the disk freed';
  const runs = `median of ${REPS} runs each, in turns, fresh containers each run, 1 MiB put into each (state created: no process started); whalekeeper's spread ${spread('whalekeeper')}`;
  rows.push(
    {
      measure,
      subjectMs: wk,
      peer: 'one bulk `docker rm $(docker ps -aq --filter status=exited --filter status=created --filter status=dead)`, the fastest peer',
      peerMs: ctx.median(times.bulk),
      unchecked: spared,
      target: 1.3,
      note: `${runs}, the peer's ${spread('bulk')}`,
    },
    { measure, subjectMs: wk, peer: '`docker container prune -f` (the engine\'s own)', peerMs: ctx.median(times.prune), unchecked: 'the grace period (without `--filter until=`), kubelet or kept containers', target: 1.0, note: `the peer's spread ${spread('prune')}` },
    {
      measure,
      subjectMs: wk,
      peer: 'the floor of any Node client: a CommonJS script listing the stopped containers and sending one DELETE each through node:http, 16 at a time on kept-alive connections, as whalekeeper does',
      peerMs: ctx.median(times.floor),
      unchecked: `${spared}, the engine's API version`,
      note: `the floor's spread ${spread('floor')}`,
    },
    { measure, subjectMs: wk, peer: "the seed's loop (`for c in $(docker ps -qa); do docker rm $c; done`), the slowest peer", peerMs: ctx.median(times.loop), unchecked: spared, target: 0.2, note: `the loop ran once (in the first round), whalekeeper ${REPS} times` },
  );
  if (withLs) {
    // ls against docker ps -a, with CONTAINERS stopped containers present.
    await leftovers();
    const [ls, ps, version] = ctx.interleaved([['node', ctx.bin, 'ls'], ['docker', 'ps', '-a'], ['node', ctx.bin, '--version']], { runs: 10, warmup: 2, env: { DOCKER_HOST: ctx.dockerHost } });
    docker(['container', 'prune', '-f']);
    rows.push({ measure: `list ${CONTAINERS} containers ${on}: \`whalekeeper ls\``, subjectMs: ls, peer: '`docker ps -a`', peerMs: ps, unchecked: 'owners (labels), counts and bytes per owner', note: `no target; \`whalekeeper --version\` alone takes ${version.toFixed(0)} ms of it` });
  }
  return rows;
}

/** Serves a synthetic engine (10,000 stopped containers, 2,000 images); returns the CLI's peak RSS in MB and its requests per run. */
async function peakMemory(ctx) {
  const dir = mkdtempSync(join(tmpdir(), 'wk-mem-'));
  const socket = join(dir, 'docker.sock');
  const hex = (n, width = 64) => n.toString(16).padStart(width, '0');
  const created = Math.floor(Date.now() / 1000) - 7200;
  const images = Array.from({ length: 2000 }, (_, i) => ({
    Id: `sha256:${hex(i + 1)}`, ParentId: '', RepoTags: i % 2 ? [`registry.local/team/app-${i}:build-${i}`] : ['<none>:<none>'], RepoDigests: [],
    Created: created - i * 60, Size: 50_000_000 + i, SharedSize: -1, VirtualSize: 50_000_000, Labels: { 'org.opencontainers.image.revision': hex(i, 40) }, Containers: -1,
  }));
  const containers = Array.from({ length: 10_000 }, (_, i) => ({
    Id: hex(1_000_000 + i), Names: [`/ci_job_${i}_step`], Image: images[i % 2000].RepoTags[0], ImageID: images[i % 2000].Id, Command: 'sh -c ./test.sh',
    Created: created - i, State: i % 50 === 0 ? 'running' : 'exited', Status: 'Exited (0) 2 hours ago', Ports: [],
    Labels: { 'whalekeeper.build': `jenkins-app-${i % 300}`, 'whalekeeper.managed': 'true', 'com.example.team': 'platform' },
    HostConfig: { NetworkMode: 'default' }, NetworkSettings: { Networks: { bridge: { NetworkID: hex(7) } } },
    Mounts: [{ Type: 'volume', Name: hex(2_000_000 + i), Destination: '/data', Driver: 'local', RW: true }],
  }));
  const body = {
    '/v1.41/info': { DockerRootDir: '/nonexistent/docker', ServerVersion: '20.10.24', Name: 'fake' },
    '/v1.41/containers/json?all=1': containers,
    '/v1.41/images/json': images,
    '/v1.41/networks': [{ Name: 'bridge', Id: hex(7), Created: '2026-01-01T00:00:00Z', Driver: 'bridge', Labels: {} }],
    '/v1.41/volumes': { Volumes: [] },
  };
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(req.url);
    const answer = req.url === '/_ping' ? 'OK' : body[req.url];
    // As a 20.10 engine: every answer carries Api-Version, which whalekeeper's negotiation (GET /_ping) reads.
    res.writeHead(answer ? 200 : 404, { 'Content-Type': 'application/json', 'Api-Version': '1.41' });
    res.end(JSON.stringify(answer ?? { message: `not faked: ${req.url}` }));
  });
  await new Promise((resolve) => server.listen(socket, resolve));
  try {
    const peaks = [];
    for (let i = 0; i < 3; i++) {
      const { stderr } = await run('/usr/bin/time', ['-f', '%M', 'node', ctx.bin, '--json', 'clean', '--agent', '--dry-run'], {
        env: { PATH: process.env.PATH, DOCKER_HOST: `unix://${socket}` },
        maxBuffer: 512 * 1024 * 1024,
      });
      peaks.push(Number(stderr.trim().split('\n').at(-1)) / 1024);
    }
    ctx.log(`peak RSS with 10,000 containers: ${peaks.map((p) => p.toFixed(0)).join(', ')} MB`);
    const negotiation = seen.filter((url) => url === '/_ping' || url === '/version').length;
    return { peak: ctx.median(peaks), requests: { total: seen.length / peaks.length, negotiation: negotiation / peaks.length } };
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
