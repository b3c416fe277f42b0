// The docker shim's pass-through cost: `docker version` (client + server) and `docker ps` through the shim against
// the real client, in the same run. Target: at most 20 ms over the real client (the shim never starts Node there).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function shimBench(ctx) {
  const dir = mkdtempSync(join(tmpdir(), 'wk-shim-bench-'));
  try {
    execFileSync(process.execPath, [ctx.bin, 'shim', 'install', '--dir', dir], { stdio: 'ignore' });
    const real = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
    const env = { PATH: `${dir}:${process.env.PATH}`, DOCKER_HOST: ctx.dockerHost };
    const rows = [];
    for (const [measure, args] of [
      ['`docker version` (client + server) through the shim', 'version'],
      ['`docker ps` through the shim', 'ps'],
    ]) {
      const [shimMs, realMs] = ctx.hyperfine([`${dir}/docker ${args}`, `${real} ${args}`], { runs: 30, warmup: 3, env });
      ctx.log(`${measure}: ${shimMs.toFixed(1)} ms vs ${realMs.toFixed(1)} ms`);
      rows.push({
        measure,
        subjectMs: shimMs,
        peer: `\`${real} ${args}\``,
        peerMs: realMs,
        target: '≤ +20 ms',
        met: shimMs - realMs <= 20,
        note: `overhead ${(shimMs - realMs).toFixed(1)} ms (${shimMs - realMs <= 20 ? 'within' : 'over'} the 20 ms target)`,
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
