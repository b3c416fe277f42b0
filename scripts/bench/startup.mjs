// Start-up: what `whalekeeper run` adds in front of every container, against `docker run --rm` and `node -e 0`.
// A third peer gives the floor of any Node wrapper: a bare script that spawns the same `docker run` and exits with it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default async function startup(ctx) {
  const env = { DOCKER_HOST: ctx.dockerHost };
  const floor = join(ctx.root, 'bench-results', 'floor.cjs');
  writeFileSync(
    floor,
    `require('node:child_process').spawn('docker', ['run', '--rm', ${JSON.stringify(ctx.image)}, 'true'], { stdio: 'inherit' }).on('exit', (c) => process.exit(c ?? 1));\n`,
  );
  const [node, docker, bare, whalekeeper] = ctx.hyperfine(
    ['node -e 0', `docker run --rm ${ctx.image} true`, `node ${floor}`, `node ${ctx.bin} run ${ctx.image} true`],
    { runs: 40, warmup: 5, env },
  );
  return [
    { measure: 'start-up: `whalekeeper run IMAGE true`', subjectMs: whalekeeper, peer: '`docker run --rm IMAGE true`', peerMs: docker },
    {
      measure: 'start-up: whalekeeper\'s own cost (its median − docker\'s)',
      subjectMs: whalekeeper - docker,
      peer: '`node -e 0`',
      peerMs: node,
      target: '≤ 1.30×',
    },
    {
      measure: 'start-up: `whalekeeper run IMAGE true`',
      subjectMs: whalekeeper,
      peer: 'a bare Node script spawning the same `docker run` (the floor of any Node wrapper)',
      peerMs: bare,
      note: `the floor's own cost (its median − docker's) is ${(bare - docker).toFixed(1)} ms, ${((bare - docker) / node).toFixed(2)}× \`node -e 0\``,
    },
  ];
}
