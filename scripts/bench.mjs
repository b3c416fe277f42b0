// npm run bench: every performance figure of whalekeeper, measured against its peers in the same run.
// Each scripts/bench/*.mjs exports `default async function (ctx)` returning rows ({ measure, subjectMs, peer, peerMs,
// unit? (default ms), target?, note? }); this file runs them against a
// private engine, prints one markdown table of medians and ratios, and writes it to bench-results/latest.md.
//   node scripts/bench.mjs [name ...]   run only the named benches (file names without .mjs)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const engineEnv = { ...process.env, WK_ENGINE_DIR: process.env.WK_BENCH_ENGINE_DIR ?? '/tmp/wk-bench', WK_ENGINE_SIZE: '2G' };
const engine = (verb) => execFileSync('bash', [join(root, 'scripts/engine.sh'), verb], { env: engineEnv, encoding: 'utf8' });

/** Runs commands with hyperfine (no shell) and returns each one's median in milliseconds. */
function hyperfine(commands, { runs = 20, warmup = 3, prepare, env } = {}) {
  const out = join(root, 'bench-results', `.hyperfine-${process.pid}.json`);
  const args = ['-N', '--runs', String(runs), '--warmup', String(warmup), '--export-json', out, '--style', 'none'];
  if (prepare) args.push('--prepare', prepare);
  execFileSync('hyperfine', [...args, ...commands], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const { results } = JSON.parse(execFileSync('cat', [out], { encoding: 'utf8' }));
  return results.map((r) => r.median * 1000);
}

/** Median of a list of numbers. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

mkdirSync(join(root, 'bench-results'), { recursive: true });
const only = process.argv.slice(2);
const files = readdirSync(join(root, 'scripts/bench')).filter((f) => f.endsWith('.mjs')).sort()
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.mjs$/, '')));
const host = /DOCKER_HOST=(\S+)/.exec(engine('start'))[1];
const ctx = {
  root,
  dockerHost: host,
  bin: join(root, 'dist/whalekeeper.js'),
  image: 'whalekeeper-test/busybox:latest',
  hyperfine,
  median,
  log: (line) => process.stderr.write(`bench: ${line}\n`),
};
const rows = [];
try {
  for (const file of files) {
    ctx.log(`${file} ...`);
    const { default: bench } = await import(join(root, 'scripts/bench', file));
    rows.push(...(await bench(ctx)));
  }
} finally {
  if (process.env.WK_ENGINE_KEEP !== '1') engine('stop');
}

const fmt = (value) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const lines = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  '',
  '| measure | whalekeeper (median) | peer | peer (median) | ratio | target |',
  '| --- | ---: | --- | ---: | ---: | --- |',
  ...rows.map((r) => `| ${r.measure} | ${fmt(r.subjectMs)} ${r.unit ?? 'ms'} | ${r.peer} | ${fmt(r.peerMs)} ${r.unit ?? 'ms'} | ${(r.subjectMs / r.peerMs).toFixed(2)}× | ${r.target ?? ''} |`),
];
const notes = rows.filter((r) => r.note).map((r) => `- ${r.measure}: ${r.note}`);
const table = [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
writeFileSync(join(root, 'bench-results', 'latest.md'), `${table}\n`);
process.stdout.write(`${table}\n`);
