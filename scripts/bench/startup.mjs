// Start-up: what `whalekeeper run` adds in front of every container, against `docker run --rm` and `node -e 0`.
export default async function startup(ctx) {
  const env = { DOCKER_HOST: ctx.dockerHost };
  const [node, docker, whalekeeper] = ctx.hyperfine(
    ['node -e 0', `docker run --rm ${ctx.image} true`, `node ${ctx.bin} run ${ctx.image} true`],
    { runs: 30, warmup: 3, env },
  );
  const own = whalekeeper - docker;
  return [
    { measure: 'start-up: `whalekeeper run IMAGE true`', subjectMs: whalekeeper, peer: '`docker run --rm IMAGE true`', peerMs: docker },
    {
      measure: 'start-up: whalekeeper\'s own cost (its median − docker\'s)',
      subjectMs: own,
      peer: '`node -e 0`',
      peerMs: node,
      target: '≤ 1.30×',
    },
  ];
}
