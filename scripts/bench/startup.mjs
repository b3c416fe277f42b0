// Start-up: what `whalekeeper run` adds in front of every container, against `docker run --rm` and `node -e 0`; a bare
// script that spawns the same `docker run` gives the floor of any Node wrapper. Then every command's fixed cost, the
// command doing nothing, measured as run's is: its median less the median time of the work it asks of others (the
// engine's answers, measured through a forwarding socket; a replica's answer), against `node -e 0` in the same run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBusy } from './helpers/busy.mjs';

const WORK_RUNS = 10;

export default async function startup(ctx) {
  const env = { DOCKER_HOST: ctx.dockerHost };
  const floor = join(ctx.root, 'bench-results', 'floor.cjs');
  writeFileSync(
    floor,
    `require('node:child_process').spawn('docker', ['run', '--rm', ${JSON.stringify(ctx.image)}, 'true'], { stdio: 'inherit' }).on('exit', (c) => process.exit(c ?? 1));\n`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'wk-bench-startup-'));
  const replica = await startBusy({ mode: 'replica', body: '{"buildNumber": 209}' });
  const proxySocket = join(dir, 'engine.sock');
  const proxy = await startBusy({ mode: 'proxy', listen: proxySocket, upstream: ctx.dockerHost.replace(/^unix:\/\//, '') });
  try {
    const [node, docker, bare, whalekeeper] = ctx.interleaved(
      [['node', '-e', '0'], ['docker', 'run', '--rm', ctx.image, 'true'], ['node', floor], ['node', ctx.bin, 'run', ctx.image, 'true']],
      { runs: 30, warmup: 3, env },
    );
    const rows = [
      { measure: 'start-up: `whalekeeper run IMAGE true`', subjectMs: whalekeeper, peer: '`docker run --rm IMAGE true`', peerMs: docker },
      {
        measure: 'start-up: `whalekeeper run`\'s own cost (its median − `docker run --rm`\'s median)',
        subjectMs: whalekeeper - docker,
        peer: '`node -e 0`',
        peerMs: node,
        target: 1.3,
      },
      {
        measure: 'start-up: `whalekeeper run IMAGE true`',
        subjectMs: whalekeeper,
        peer: 'a bare Node script spawning the same `docker run` (the floor of any Node wrapper)',
        peerMs: bare,
        note: `the floor's own cost (its median − docker's) is ${(bare - docker).toFixed(1)} ms, ${((bare - docker) / node).toFixed(2)}× \`node -e 0\``,
      },
    ];

    // Each command doing nothing: the engine is empty but for the test image, the folder is empty, the replica answers.
    const empty = join(dir, 'empty');
    spawnSync('mkdir', [empty]);
    const url = `http://127.0.0.1:${replica.ports[0]}/diagnostics`;
    const fixed = [
      { name: '`whalekeeper --version`', args: ['--version'] },
      { name: '`whalekeeper ls` on an empty engine', args: ['ls'], work: 'engine' },
      { name: '`whalekeeper clean --agent` with nothing to remove', args: ['clean', '--agent'], work: 'engine' },
      { name: '`whalekeeper disk`', args: ['disk'], work: 'engine' },
      { name: '`whalekeeper verify` of one replica that answers at once (`--direct`: one URL is otherwise a pool, asked until the pool rule is met)', args: ['verify', '--direct', '--stable', '1', '--expect', '209', url], work: 'replica' },
      { name: '`whalekeeper audit` of an empty folder', args: ['audit', empty] },
    ];
    const [nodeAgain, ...medians] = ctx.interleaved([['node', '-e', '0'], ...fixed.map((f) => ['node', ctx.bin, ...f.args])], { runs: 25, warmup: 2, env });
    await replica.take();
    for (const [i, f] of fixed.entries()) {
      const works = [];
      for (let run = 0; run < WORK_RUNS && f.work !== undefined; run++) {
        const host = f.work === 'engine' ? `unix://${proxySocket}` : ctx.dockerHost;
        const result = spawnSync('node', [ctx.bin, ...f.args], { env: { ...process.env, DOCKER_HOST: host }, stdio: 'ignore' });
        if (result.status !== 0) throw new Error(`whalekeeper ${f.args.join(' ')} exited ${result.status}`);
        works.push(await (f.work === 'engine' ? proxy : replica).take());
      }
      const work = f.work === undefined ? 0 : ctx.median(works);
      ctx.log(`fixed cost ${f.args[0]}: ${medians[i].toFixed(1)} ms, work ${work.toFixed(1)} ms, node -e 0 ${nodeAgain.toFixed(1)} ms`);
      rows.push({
        measure: `fixed cost: ${f.name}, own cost (its median − the median ${f.work === undefined ? 'work of others: none' : `${f.work === 'engine' ? "engine's" : "replica's"} busy time, ${work.toFixed(1)} ms`})`,
        subjectMs: medians[i] - work,
        peer: '`node -e 0`',
        peerMs: nodeAgain,
        target: 1.5,
        note:
          f.work === 'engine'
            ? `whole command ${medians[i].toFixed(1)} ms; the engine's time is the sum of its requests' times (first byte in to last byte out) at a socket forwarding to the engine, median of ${WORK_RUNS} runs`
            : f.work === 'replica'
              ? `whole command ${medians[i].toFixed(1)} ms; the replica's time is its request's time in the replica (a Node server on 127.0.0.1), median of ${WORK_RUNS} runs`
              : undefined,
      });
    }
    return rows;
  } finally {
    replica.stop();
    proxy.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
