// verify: one round (`--stable 1`) over 200 replicas on loopback, against the fastest way to ask them by hand (one
// `curl --parallel --parallel-max 50` with a `jq` count of the matching answers, plus `node -e 0`: whalekeeper is a
// Node program) and against a sequential curl loop; then 1,000 replicas: time against the same curl, and peak memory.
// Two floors run beside them: a script that only sends the same GETs (each on a new connection, the body's build
// compared) through node:http, and through got with verify's options, bundled as whalekeeper's bundles are: what any
// Node client, and any client on got (the project's HTTP library), cannot go below.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { lazyModules } from '../build-plugins.mjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBusy } from './helpers/busy.mjs';

const REPLICAS = 200;
const MANY = 1000;
const BUILD = 209;

/** What one writes by hand, slowest: one curl per replica in turn, checking each body. */
const CURL_LOOP = `#!/usr/bin/env bash
# usage: curl-loop.sh URLS_FILE EXPECTED
failed=0
while IFS= read -r url; do
  body=$(curl -s --max-time 5 -H 'Cache-Control: no-cache' "$url") || { failed=1; continue; }
  [[ $body =~ \\"buildNumber\\":\\ *\\"?$2\\"?[,}\\ ] ]] || failed=1
done < "$1"
exit $failed
`;

/** The fastest by hand: every replica at once (50 connections), the matching answers counted by jq. */
const CURL_PARALLEL = `#!/usr/bin/env bash
# usage: curl-parallel.sh CURL_CONFIG EXPECTED COUNT
n=$(curl -s --parallel --parallel-max 50 --max-time 5 -H 'Cache-Control: no-cache' --config "$1" | jq -s --argjson want "$2" '[.[] | select(.buildNumber == $want)] | length')
[ "$n" = "$3" ]
`;

const UNCHECKED =
  'the content type, a body limit, retries until a deadline, each replica on a new connection, nor which replica answered what (only a count); and it starts no Node';

const FLOOR_UNCHECKED = 'a deadline, redirects, proxies, a body limit, retries, rounds, nor any report';

export default async function verifyBench(ctx) {
  const dir = mkdtempSync(join(tmpdir(), 'wk-bench-verify-'));
  const replicas = await startBusy({ mode: 'replica', count: MANY, body: `{"buildNumber": ${BUILD}}` });
  try {
    const urls = replicas.ports.map((p) => `http://127.0.0.1:${p}/diagnostics`);
    const loop = join(dir, 'curl-loop.sh');
    const parallel = join(dir, 'curl-parallel.sh');
    writeFileSync(loop, CURL_LOOP);
    writeFileSync(parallel, CURL_PARALLEL);
    const files = (count) => {
      writeFileSync(join(dir, `urls-${count}`), `${urls.slice(0, count).join('\n')}\n`);
      writeFileSync(join(dir, `curl-${count}`), urls.slice(0, count).map((u) => `url = "${u}"\n`).join(''));
      return { list: join(dir, `urls-${count}`), config: join(dir, `curl-${count}`) };
    };
    const few = files(REPLICAS);
    const many = files(MANY);
    const bundle = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', entryPoints: [join(ctx.root, 'scripts/bench/helpers/verify-floor.mjs')], logLevel: 'warning', supported: { 'dynamic-import': false }, plugins: [lazyModules] };
    await build({ ...bundle, outfile: join(dir, 'floor-got.cjs') });
    await build({ ...bundle, outfile: join(dir, 'floor-http.cjs'), external: ['got'] });
    const floor = (kind, list) => ['node', join(dir, `floor-${kind}.cjs`), kind, list, String(BUILD)];
    const subject = (count) => ['node', ctx.bin, 'verify', '--stable', '1', '--expect', String(BUILD), '--timeout', '30s', ...urls.slice(0, count)];
    ctx.log(`verify: ${urls.length} replicas up`);

    const [node, wk, curlParallel, curlLoop, floorGot, floorHttp] = ctx.interleaved(
      [
        ['node', '-e', '0'],
        subject(REPLICAS),
        ['bash', parallel, few.config, String(BUILD), String(REPLICAS)],
        ['bash', loop, few.list, String(BUILD)],
        floor('got', few.list),
        floor('http', few.list),
      ],
      { runs: 10, warmup: 2 },
    );
    const [wkMany, curlMany, floorGotMany, floorHttpMany] = ctx.interleaved(
      [subject(MANY), ['bash', parallel, many.config, String(BUILD), String(MANY)], floor('got', many.list), floor('http', many.list)],
      { runs: 5, warmup: 1 },
    );
    const peak = (argv) => {
      const peaks = [];
      for (let i = 0; i < 3; i++) {
        const { status, stderr } = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
        if (status !== 0) throw new Error(`${argv.slice(0, 4).join(' ')} … exited ${status}: ${stderr}`);
        peaks.push(Number(stderr.trim().split('\n').at(-1)) / 1024);
      }
      return ctx.median(peaks);
    };
    const wkPeak = peak(subject(MANY));
    const floorGotPeak = peak(floor('got', many.list));
    const floorHttpPeak = peak(floor('http', many.list));
    const curlPeak = peak(['curl', '-s', '--parallel', '--parallel-max', '50', '--max-time', '5', '-o', '/dev/null', '--config', many.config]);
    ctx.log(`verify ${REPLICAS}: ${wk.toFixed(0)} ms (curl --parallel ${curlParallel.toFixed(0)} ms, node -e 0 ${node.toFixed(0)} ms); ${MANY}: ${wkMany.toFixed(0)} ms, ${wkPeak.toFixed(0)} MB`);

    const round = `verify: one round over ${REPLICAS} replicas on loopback (--stable 1, node start included)`;
    return [
      {
        measure: round,
        subjectMs: wk,
        peer: `\`node -e 0\` + one \`curl --parallel --parallel-max 50\` with a \`jq\` count (sum of their medians), the fastest peer`,
        peerMs: node + curlParallel,
        unchecked: UNCHECKED,
        target: 2.0,
        note: `node -e 0 ${node.toFixed(1)} ms, curl --parallel with jq ${curlParallel.toFixed(1)} ms`,
      },
      { measure: round, subjectMs: wk, peer: 'one `curl --parallel --parallel-max 50` with a `jq` count, alone', peerMs: curlParallel, unchecked: UNCHECKED },
      { measure: round, subjectMs: wk, peer: `the floor with got: a script sending the same GETs through got with verify's options, bundled as whalekeeper is`, peerMs: floorGot, unchecked: FLOOR_UNCHECKED },
      { measure: round, subjectMs: wk, peer: `the floor of any Node client: the same script through node:http`, peerMs: floorHttp, unchecked: FLOOR_UNCHECKED },
      { measure: round, subjectMs: wk, peer: `a sequential curl loop (${REPLICAS} × curl), the slowest peer`, peerMs: curlLoop, unchecked: 'the content type, a body limit, retries until a deadline' },
      {
        measure: `verify: one round over ${MANY} replicas on loopback`,
        subjectMs: wkMany,
        peer: 'one `curl --parallel --parallel-max 50` with a `jq` count',
        peerMs: curlMany,
        unchecked: UNCHECKED,
        note: `median of 5 runs each, in turns; in the same turns the floor with got took ${floorGotMany.toFixed(0)} ms, the floor through node:http ${floorHttpMany.toFixed(0)} ms`,
      },
      {
        measure: `verify: peak RSS of one round over ${MANY} replicas`,
        unit: 'MB',
        subjectMs: wkPeak,
        peer: 'the floor with got (as above)',
        peerMs: floorGotPeak,
        unchecked: FLOOR_UNCHECKED,
        limit: 100,
      },
      {
        measure: `verify: peak RSS of one round over ${MANY} replicas`,
        unit: 'MB',
        subjectMs: wkPeak,
        peer: 'the floor of any Node client (node:http, as above)',
        peerMs: floorHttpPeak,
        unchecked: FLOOR_UNCHECKED,
        limit: 100,
        note: `maximum resident set size from /usr/bin/time -f %M, median of 3; for comparison the same curl --parallel (bodies to /dev/null) peaks at ${curlPeak.toFixed(0)} MB`,
      },
    ];
  } finally {
    replicas.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
