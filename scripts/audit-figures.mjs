// Recall and precision of `whalekeeper audit` on the project's class fixtures (test/fixtures/audit-classes, the truth
// by hand in truth.json), for this checkout and for earlier revisions, beside a naive grep. Each revision is built from
// `git archive` in a temporary directory (this checkout's node_modules linked in) and run on this checkout's fixtures;
// the grep is the real one: `grep -rnaE 'docker[[:space:]]+(container[[:space:]]+)?run'`, lines holding `--rm` dropped.
//   node scripts/audit-figures.mjs [--only DIR,DIR…] [REVISION...]   (default: 1f4644b, the last revision before issue 22)
// --only scores the fixtures under those folders alone (e.g. the classes of issue 22:
// --only groovy-syntax-error,shell-syntax-error,runtime-values).
// "After" is this checkout as it is on disk (built here into a temporary directory, dist/ untouched).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(root, 'test/fixtures/audit-classes');
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt === -1 ? undefined : args.splice(onlyAt, 2)[1].split(',');
const inScope = (file) => only === undefined || only.some((dir) => file.startsWith(`${dir.replace(/\/$/, '')}/`));
const truth = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(join(fixtures, 'truth.json'), 'utf8'))).filter(([file, t]) => typeof t !== 'string' && inScope(file)),
);
const revisions = args.length > 0 ? args : ['1f4644b'];

/** Builds a tree (a revision, or this checkout when `revision` is undefined) in a temporary directory; its CLI's path. */
function build(revision) {
  const dir = mkdtempSync(join(tmpdir(), 'wk-audit-figures-'));
  if (revision === undefined) {
    for (const part of ['src', 'scripts', 'package.json', 'tsconfig.json']) cpSync(join(root, part), join(dir, part), { recursive: true });
  } else {
    const archive = execFileSync('git', ['-C', root, 'archive', revision, 'src', 'scripts', 'package.json'], { maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  execFileSync('node', ['scripts/build.mjs'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return { dir, cli: join(dir, 'dist/whalekeeper.js') };
}

/** `file:line` of each finding and each "cannot tell" the CLI reports on the fixtures. */
function audit(cli) {
  const run = spawnSync('node', [cli, '--json', 'audit'], { cwd: fixtures, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  const document = JSON.parse(run.stdout);
  const key = (f) => `${f.file}:${f.line}`;
  const scoped = (list) => (list ?? []).filter((f) => inScope(f.file));
  return { findings: new Set(scoped(document.findings).map(key)), cannotTell: new Set(scoped(document.cannotTell).map(key)), unparsed: scoped(document.unparsed).length };
}

/** `file:line` of each line a naive grep reports: `docker run` or `docker container run`, without `--rm`. */
function grep() {
  const run = spawnSync('grep', ['-rnaE', 'docker[[:space:]]+(container[[:space:]]+)?run', '--exclude=truth.json', '.'], { cwd: fixtures, encoding: 'latin1' });
  const lines = run.stdout.split('\n').filter((l) => l !== '' && !l.includes('--rm'));
  const keys = lines.map((l) => /^\.\/(.+?):(\d+):/.exec(l)).filter((m) => inScope(m[1]));
  return { findings: new Set(keys.map((m) => `${m[1]}:${m[2]}`)), cannotTell: undefined, unparsed: undefined };
}

/** Recall and precision of findings against the truth's findings; "cannot tell" against the truth's. */
function score(name, got) {
  const expected = new Set(Object.entries(truth).flatMap(([file, t]) => t.findings.map((l) => `${file}:${l}`)));
  const unsure = new Set(Object.entries(truth).flatMap(([file, t]) => t.cannotTell.map((l) => `${file}:${l}`)));
  const tp = [...got.findings].filter((k) => expected.has(k)).length;
  const fp = got.findings.size - tp;
  const fn = expected.size - tp;
  const ct = [...(got.cannotTell ?? [])].filter((k) => unsure.has(k)).length;
  const pct = (a, b) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(0)} %`);
  return {
    name,
    recall: pct(tp, tp + fn),
    precision: pct(tp, tp + fp),
    counts: `${tp} found, ${fp} false, ${fn} missed`,
    cannotTell: got.cannotTell === undefined ? '—' : `${ct} of ${unsure.size}, ${got.cannotTell.size - ct} unexpected`,
    unparsed: got.unparsed ?? '—',
    missed: [...expected].filter((k) => !got.findings.has(k)),
    wrong: [...got.findings].filter((k) => !expected.has(k)),
  };
}

const rows = [];
const dirs = [];
try {
  for (const revision of revisions) {
    const built = build(revision);
    dirs.push(built.dir);
    rows.push(score(`audit at ${revision}`, audit(built.cli)));
  }
  const here = build(undefined);
  dirs.push(here.dir);
  const head = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim() !== '';
  rows.push(score(`audit at ${head}${dirty ? ' (+ uncommitted src)' : ''}`, audit(here.cli)));
  rows.push(score('naive grep', grep()));
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

const files = Object.keys(truth).length;
const findings = Object.values(truth).reduce((n, t) => n + t.findings.length, 0);
console.log(`test/fixtures/audit-classes${only ? ` (${only.join(', ')})` : ''}: ${files} files, ${findings} docker run without --rm by hand (truth.json)\n`);
console.log('| | recall | precision | counts | "cannot tell" as expected | parts read the simple way |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.name} | ${r.recall} | ${r.precision} | ${r.counts} | ${r.cannotTell} | ${r.unparsed} |`);
for (const r of rows.filter((x) => x.name !== 'naive grep')) {
  if (r.missed.length + r.wrong.length > 0) console.log(`\n${r.name}: missed ${r.missed.join(', ') || 'none'}; false ${r.wrong.join(', ') || 'none'}`);
}
