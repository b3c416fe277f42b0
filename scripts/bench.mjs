// npm run bench: every performance figure of whalekeeper, measured against its peers in the same run.
// Each scripts/bench/*.mjs exports `default async function (ctx)` returning rows ({ measure, subjectMs, peer?, peerMs?,
// unchecked? (what the peer does not check), unit? (default ms), target? (a ratio, or text with met), limit? (an
// absolute bound, for a row without a peer), note? }); this file runs them against a private engine, prints one
// markdown table of medians and ratios, and writes it to bench-results/latest.md.
//   node scripts/bench.mjs [name ...]   run only the named benches (file names without .mjs)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const engineEnv = { ...process.env, WK_ENGINE_DIR: process.env.WK_BENCH_ENGINE_DIR ?? `${process.env.WK_ENGINE_PREFIX ?? '/tmp/wk'}-bench`, WK_ENGINE_SIZE: '2G' };
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

/**
 * Runs commands (argv arrays, no shell) in turns, one run of each per round, and returns each one's median wall time
 * in milliseconds. On a shared machine the load changes from second to second; hyperfine runs one command's runs back
 * to back, so a ratio of two commands would compare two different moments. Turns give every command the same ones.
 */
function interleaved(commands, { runs = 20, warmup = 2, env } = {}) {
  const times = commands.map(() => []);
  for (let round = 0; round < warmup + runs; round++) {
    for (const [i, [file, ...args]] of commands.entries()) {
      const start = performance.now();
      const result = spawnSync(file, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
      const ms = performance.now() - start;
      if (result.status !== 0) throw new Error(`${[file, ...args].join(' ')} exited ${result.status ?? result.signal}`);
      if (round >= warmup) times[i].push(ms);
    }
  }
  return times.map(median);
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
const started = performance.now();
const host = /DOCKER_HOST=(\S+)/.exec(engine('start'))[1];
// The clean bench runs against each engine kind the tests use: Engine 20.10 (overlay2) and Engine 28 with the
// containerd image store (scripts/engine.sh), each its own private engine.
const engine28Env = { ...engineEnv, WK_ENGINE_DIR: `${engineEnv.WK_ENGINE_DIR}28`, WK_ENGINE_KIND: '28' };
const engine28 = (verb) => execFileSync('bash', [join(root, 'scripts/engine.sh'), verb], { env: engine28Env, encoding: 'utf8' });
const ctx = {
  root,
  dockerHost: host,
  /** Every engine kind, started on first use (`engines()`): [{ kind, host }]. */
  engines: () => [{ kind: '20.10', host }, { kind: '28', host: /DOCKER_HOST=(\S+)/.exec(engine28('start'))[1] }],
  bin: join(root, 'dist/whalekeeper.js'),
  image: 'whalekeeper-test/busybox:latest',
  hyperfine,
  interleaved,
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
  if (process.env.WK_ENGINE_KEEP !== '1') {
    engine('stop');
    engine28('stop');
  }
}

const fmt = (value) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1));
const ratioOf = (r) => (r.peerMs === undefined ? undefined : r.subjectMs / r.peerMs);
/** A row's target: a ratio (`target`: at most that many times the peer), an absolute limit (`limit`, in the row's unit). */
function targetOf(r) {
  if (typeof r.target === 'number') return { text: `≤ ${r.target.toFixed(2)}×`, met: ratioOf(r) <= r.target };
  if (typeof r.limit === 'number') return { text: `< ${r.limit} ${r.unit ?? 'ms'}`, met: r.subjectMs < r.limit };
  if (typeof r.target === 'string') return { text: r.target, met: r.met };
  return { text: '', met: undefined };
}
const lines = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString()}; the whole bench (${only.length === 0 ? 'every part' : only.join(', ')}) took ${((performance.now() - started) / 60_000).toFixed(1)} min`,
  '',
  'Every figure is a median of this run; each peer ran in the same run as whalekeeper, in turns with it (one run of each',
  'per round) unless a note says otherwise. "own cost" rows are differences of medians. A row without a peer has a',
  'target only.',
  '"met" is computed from this run\'s figures.',
  '',
  '| measure | whalekeeper (median) | peer (what it does not check) | peer (median) | ratio | target | met |',
  '| --- | ---: | --- | ---: | ---: | --- | --- |',
  ...rows.map((r) => {
    const unit = r.unit ?? 'ms';
    const target = targetOf(r);
    const ratio = ratioOf(r);
    const peer = r.peer === undefined ? '— (no peer)' : `${r.peer}${r.unchecked ? ` (does not check ${r.unchecked})` : ''}`;
    const met = target.met === undefined ? '' : target.met ? 'met' : '**missed**';
    return `| ${r.measure} | ${fmt(r.subjectMs)} ${unit} | ${peer} | ${r.peerMs === undefined ? '' : `${fmt(r.peerMs)} ${unit}`} | ${ratio === undefined ? '' : `${ratio.toFixed(2)}×`} | ${target.text} | ${met} |`;
  }),
];
const notes = rows.filter((r) => r.note).map((r) => `- ${r.measure}: ${r.note}`);
const table = [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
writeFileSync(join(root, 'bench-results', 'latest.md'), `${table}\n`);
process.stdout.write(`${table}\n`);
