// `whalekeeper audit` over fixtures in the shape of real public pipelines, one per class of issues 15 and 16: each is
// found or cleared as its hand-written truth says (test/fixtures/audit-classes/truth.json), with a recall/precision
// summary beside a naive `grep 'docker run' | grep -v -- --rm`; `--fix` changes only the reported lines, byte for byte.
import { execa } from 'execa';
import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { cleanEnv, whalekeeper } from '../helpers/cli.js';

const fixtures = fileURLToPath(new URL('../fixtures/audit-classes', import.meta.url));
const env = cleanEnv('unix:///nonexistent/docker.sock');

interface Truth {
  readonly findings: readonly number[];
  readonly cannotTell: readonly number[];
  /** The first lines of the parts that cannot be parsed and are read the simple way, when there are any. */
  readonly unparsed?: readonly number[];
}

const truth: Record<string, Truth> = Object.fromEntries(
  Object.entries(JSON.parse(await readFile(`${fixtures}/truth.json`, 'utf8')) as Record<string, Truth | string>).filter(
    (entry): entry is [string, Truth] => typeof entry[1] !== 'string',
  ),
);

interface JsonFinding {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly command: string;
  readonly via?: { variable: string; line: number };
}

/** A copy of the fixtures to edit. */
async function copy(): Promise<string> {
  const dir = await mkdtemp(`${tmpdir()}/wk-audit-classes-`);
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await cp(fixtures, dir, { recursive: true });
  await rm(`${dir}/truth.json`);
  return dir;
}

/** The lines of a file's bytes (split at `\n` bytes). */
function byteLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let from = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, from)) {
    lines.push(bytes.subarray(from, i + 1));
    from = i + 1;
  }
  lines.push(bytes.subarray(from));
  return lines;
}

/** Lines holding `docker run` without `--rm`, as a naive grep finds them (the baseline audit must beat). */
function naive(bytes: Buffer): number[] {
  return byteLines(bytes)
    .map((line, i) => ({ text: line.toString('latin1'), line: i + 1 }))
    .filter(({ text }) => /docker\s+(container\s+)?run\b/.test(text) && !text.includes('--rm'))
    .map(({ line }) => line);
}

/** Recall and precision of `found` against `expected`, as counts. */
function score(expected: readonly number[], found: readonly number[]): { tp: number; fp: number; fn: number } {
  const tp = found.filter((l) => expected.includes(l)).length;
  return { tp, fp: found.length - tp, fn: expected.length - tp };
}

const percent = (a: number, b: number): string => (b === 0 ? '—' : `${Math.round((100 * a) / b)} %`);

describe('whalekeeper audit over pipelines as they are really written', () => {
  it('finds or clears every class as the truth says, and prints recall and precision beside a naive grep', async () => {
    const result = await whalekeeper(['--json', 'audit'], env, { cwd: fixtures });
    const document = JSON.parse(result.stdout) as { filesScanned: number; findings: JsonFinding[]; cannotTell: JsonFinding[]; failures: unknown[]; unparsed: JsonFinding[] };
    const rows: string[] = [];
    const total = { audit: { tp: 0, fp: 0, fn: 0 }, grep: { tp: 0, fp: 0, fn: 0 }, unsure: { tp: 0, fp: 0, fn: 0 } };
    const got: Record<string, Truth> = {};
    for (const [file, expected] of Object.entries(truth)) {
      const findings = document.findings.filter((f) => f.file === file).map((f) => f.line);
      const cannotTell = document.cannotTell.filter((f) => f.file === file).map((f) => f.line);
      const unparsed = document.unparsed.filter((f) => f.file === file).map((f) => f.line);
      got[file] = { findings, cannotTell, ...(unparsed.length > 0 ? { unparsed } : {}) };
      const audit = score(expected.findings, findings);
      const grep = score(expected.findings, naive(await readFile(`${fixtures}/${file}`)));
      const unsure = score(expected.cannotTell, cannotTell);
      for (const [key, s] of [['audit', audit], ['grep', grep], ['unsure', unsure]] as const) {
        total[key].tp += s.tp;
        total[key].fp += s.fp;
        total[key].fn += s.fn;
      }
      rows.push(`${file.padEnd(42)} audit ${audit.tp}/${expected.findings.length} found, ${audit.fp} false | grep ${grep.tp} found, ${grep.fp} false | cannot tell ${unsure.tp}/${expected.cannotTell.length}`);
    }
    const { audit, grep, unsure } = total;
    console.log(
      [
        'audit over test/fixtures/audit-classes (truth.json):',
        ...rows,
        `audit: recall ${percent(audit.tp, audit.tp + audit.fn)}, precision ${percent(audit.tp, audit.tp + audit.fp)} (${audit.tp} found, ${audit.fp} false, ${audit.fn} missed)`,
        `grep:  recall ${percent(grep.tp, grep.tp + grep.fn)}, precision ${percent(grep.tp, grep.tp + grep.fp)} (${grep.tp} found, ${grep.fp} false, ${grep.fn} missed)`,
        `cannot tell: ${unsure.tp} of ${unsure.tp + unsure.fn} expected, ${unsure.fp} unexpected`,
      ].join('\n'),
    );
    expect(got).toEqual(truth);
    expect(document.filesScanned).toBe(Object.keys(truth).length);
    expect(document.failures).toEqual([]);
    // "cannot tell" alone is not a finding: the exit code comes from the findings
    expect(result.exitCode).toBe(1);
  });

  it('names the variable a script was held in and the line where it reaches sh', async () => {
    const result = await whalekeeper(['--json', 'audit', 'script-in-variable/Jenkinsfile'], env, { cwd: fixtures });
    const { findings } = JSON.parse(result.stdout) as { findings: JsonFinding[] };
    expect(findings.map((f) => [f.line, f.via])).toEqual([
      [6, { variable: 'shellScript', line: 19 }],
      [8, { variable: 'lintCmd', line: 25 }],
      [11, { variable: 'versionCmd', line: 38 }],
    ]);
    const human = await whalekeeper(['audit', 'script-in-variable/Jenkinsfile'], env, { cwd: fixtures });
    expect(human.stdout.split('\n')[0]).toBe(
      'script-in-variable/Jenkinsfile:6: `docker run` without `--rm` (the script in `shellScript`, given to `sh` on line 19): the container stays on the agent after it exits',
    );
  });

  it('--json masks the values of secret-looking names only (ES_JAVA_OPTS is shown, ELASTIC_PASSWORD is not)', async () => {
    const result = await whalekeeper(['--json', 'audit', 'masking/elasticsearch.sh'], env, { cwd: fixtures });
    const { findings } = JSON.parse(result.stdout) as { findings: JsonFinding[] };
    expect(findings[0]!.command).toBe(
      "docker run -d --name es -e discovery.type=single-node -e 'ES_JAVA_OPTS=-Xms512m -Xmx512m' -e 'ELASTIC_PASSWORD=***' docker.elastic.co/elasticsearch/elasticsearch:8.13.0",
    );
    expect(result.stdout).not.toContain('changeme');
  });

  it('a part it cannot parse is named with its lines, read the simple way, and counted in the summary (text and --json)', async () => {
    const human = await whalekeeper(['audit', 'groovy-syntax-error/Jenkinsfile'], env, { cwd: fixtures });
    expect(human.exitCode).toBe(1);
    expect(human.stdout.split('\n')).toEqual([
      'groovy-syntax-error/Jenkinsfile:10: could not be parsed (`returnStdout` where a `,` or `)` was expected): line 10 read the simple way, line by line as a grep for `docker run` would',
      'groovy-syntax-error/Jenkinsfile:10: `docker run` without `--rm` (read the simple way: this part could not be parsed): the container stays on the agent after it exits',
      'groovy-syntax-error/Jenkinsfile:17: `docker run` without `--rm`: the container stays on the agent after it exits',
    ]);
    expect(human.stderr).toBe('whalekeeper: audit: 2 `docker run` without `--rm`, 1 part of 1 file read the simple way (not parsed) in 1 file(s)');
    const json = await whalekeeper(['--json', 'audit', 'shell-syntax-error/build.sh'], env, { cwd: fixtures });
    const document = JSON.parse(json.stdout) as { findings: Array<JsonFinding & { simple?: boolean }>; unparsed: unknown[] };
    expect(document.unparsed).toEqual([{ file: 'shell-syntax-error/build.sh', line: 5, endLine: 7, reason: 'a `"` that is never closed', counted: false }]);
    expect(document.findings.map((f) => [f.line, f.simple, f.command])).toEqual([[6, true, 'docker run -v \'$PWD:/src\' -w /src node:20 npm ci']]);
  });

  it('never "no docker run" alone for a file not fully parsed; --strict counts the part (exit 1)', async () => {
    const dir = await mkdtemp(`${tmpdir()}/wk-audit-unparsed-`);
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(`${dir}/Jenkinsfile`, "node {\n  def v = sh(script: 'docker run --rm app:1 version' returnStdout: true)\n}\n");
    const lenient = await whalekeeper(['audit'], env, { cwd: dir });
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stdout).toBe(
      'Jenkinsfile:2: could not be parsed (`returnStdout` where a `,` or `)` was expected): line 2 read the simple way, line by line as a grep for `docker run` would',
    );
    expect(lenient.stderr).toBe('whalekeeper: audit: no `docker run` without `--rm` found, 1 part of 1 file read the simple way (not parsed) in 1 file(s)');
    const strict = await whalekeeper(['--json', 'audit', '--strict'], env, { cwd: dir });
    expect(strict.exitCode).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ findings: [], unparsed: [{ file: 'Jenkinsfile', line: 2, counted: true }] });
  });

  it('"cannot tell" is its own kind: exit 0 without --strict, 1 with it', async () => {
    const dir = await mkdtemp(`${tmpdir()}/wk-audit-strict-`);
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(`${dir}/ci.sh`, 'docker run $DOCKER_OPTS app:1 test\n');
    const lenient = await whalekeeper(['audit'], env, { cwd: dir });
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stdout).toBe('ci.sh:1: cannot tell whether this `docker run` has `--rm`: `$DOCKER_OPTS` is not known from this file');
    expect(lenient.stderr).toBe('whalekeeper: audit: 1 it cannot tell about in 1 file(s)');
    const strict = await whalekeeper(['--json', 'audit', '--strict'], env, { cwd: dir });
    expect(strict.exitCode).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ strict: true, findings: [], cannotTell: [{ line: 1, kind: 'cannot-tell', unknown: ['$DOCKER_OPTS'], counted: true }] });
  });

  it('--fix inserts only ` --rm` after `run` on each reported line, byte for byte (Latin-1, BOM, here-documents); a second audit finds only "cannot tell"', async () => {
    const dir = await copy();
    const before = new Map<string, Buffer>();
    for (const file of Object.keys(truth)) before.set(file, await readFile(`${dir}/${file}`));
    const fixed = await whalekeeper(['audit', '--fix'], env, { cwd: dir });
    expect(fixed.exitCode).toBe(0);
    for (const [file, expected] of Object.entries(truth)) {
      // The expected bytes, built apart from audit: ` --rm` after the first `docker run` of each finding's line.
      const lines = byteLines(before.get(file)!).map((line, i) => {
        if (!expected.findings.includes(i + 1)) return line;
        const at = line.indexOf('docker run') + 'docker run'.length;
        return Buffer.concat([line.subarray(0, at), Buffer.from(' --rm'), line.subarray(at)]);
      });
      expect(await readFile(`${dir}/${file}`), file).toEqual(Buffer.concat(lines));
    }
    // the Latin-1 `é` is still the one byte e9, and the byte-order mark is still there
    expect((await readFile(`${dir}/encodings/latin1-build.sh`)).includes(Buffer.from('compil\xe9 ici', 'latin1'))).toBe(true);
    expect((await readFile(`${dir}/encodings/bom-first-line.sh`)).subarray(0, 18)).toEqual(Buffer.from('\ufeffdocker run --rm', 'utf8'));

    const again = await whalekeeper(['--json', 'audit'], env, { cwd: dir });
    const document = JSON.parse(again.stdout) as { findings: JsonFinding[]; cannotTell: JsonFinding[] };
    expect(again.exitCode).toBe(0);
    expect(document.findings).toEqual([]);
    expect(document.cannotTell.map((f) => `${f.file}:${f.line}`).sort()).toEqual(
      Object.entries(truth).flatMap(([file, t]) => t.cannotTell.map((line) => `${file}:${line}`)).sort(),
    );
  });

  it('a file it cannot write is reported, the walk goes on, the exit is 1 (never 70), and no temporary file is left', async () => {
    const dir = await mkdtemp(`${tmpdir()}/wk-audit-locked-`);
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await mkdir(`${dir}/a-locked`);
    await mkdir(`${dir}/b-open`);
    await writeFile(`${dir}/a-locked/ci.sh`, 'docker run app:1 test\n');
    await writeFile(`${dir}/b-open/ci.sh`, 'docker run app:1 lint\n');
    // Root writes through file modes: the immutable attribute refuses even root the rename over the file (e2fsprogs,
    // scripts/install-deps.sh); anyone else cannot create the temporary file in a read-only directory.
    if (process.getuid?.() === 0) {
      await execa('chattr', ['+i', `${dir}/a-locked/ci.sh`]);
      onTestFinished(() => execa('chattr', ['-i', `${dir}/a-locked/ci.sh`]).then(() => undefined));
    } else {
      await chmod(`${dir}/a-locked`, 0o555);
      onTestFinished(() => chmod(`${dir}/a-locked`, 0o755));
    }
    const result = await whalekeeper(['--json', 'audit', '--fix'], env, { cwd: dir });
    expect(result.exitCode).toBe(1);
    const document = JSON.parse(result.stdout) as { findings: Array<JsonFinding & { fixed: boolean }>; failures: unknown[] };
    expect(document.failures).toEqual([{ file: 'a-locked/ci.sh', action: 'write', reason: expect.stringMatching(/^E(PERM|ACCES): /) }]);
    expect(document.findings.map((f) => [f.file, f.fixed])).toEqual([
      ['a-locked/ci.sh', false],
      ['b-open/ci.sh', true],
    ]);
    expect(await readFile(`${dir}/a-locked/ci.sh`, 'utf8')).toBe('docker run app:1 test\n');
    expect(await readFile(`${dir}/b-open/ci.sh`, 'utf8')).toBe('docker run --rm app:1 lint\n');
    expect(await readdir(`${dir}/a-locked`)).toEqual(['ci.sh']);
    expect(await readdir(`${dir}/b-open`)).toEqual(['ci.sh']);

    const human = await whalekeeper(['audit', '--fix'], env, { cwd: dir });
    expect(human.exitCode).toBe(1);
    expect(human.stderr.split('\n')).toEqual([
      expect.stringMatching(/^whalekeeper: audit: a-locked\/ci\.sh: cannot write it, its findings are not fixed \(E(PERM|ACCES): .+\)$/),
      'whalekeeper: audit: 1 `docker run` without `--rm`, 1 file failed in 2 file(s)',
    ]);
  });

  it('--fix keeps the mode of a file (setuid included) and writes through a symbolic link named on the command line', async () => {
    const dir = await mkdtemp(`${tmpdir()}/wk-audit-mode-`);
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(`${dir}/run.sh`, 'docker run app:1\n');
    await chmod(`${dir}/run.sh`, 0o4750);
    await symlink('run.sh', `${dir}/link.sh`);
    const result = await whalekeeper(['audit', '--fix', 'link.sh'], env, { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(await readFile(`${dir}/run.sh`, 'utf8')).toBe('docker run --rm app:1\n');
    expect((await lstat(`${dir}/link.sh`)).isSymbolicLink()).toBe(true);
    expect((await stat(`${dir}/run.sh`)).mode & 0o7777).toBe(0o4750);
    expect((await readdir(dir)).sort()).toEqual(['link.sh', 'run.sh']);
  });

  it('a FIFO named on the command line is a usage error (2), never read (it would block)', async () => {
    const dir = await mkdtemp(`${tmpdir()}/wk-audit-fifo-`);
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await execa('mkfifo', [`${dir}/pipe.sh`]);
    const result = await whalekeeper(['audit', 'pipe.sh'], env, { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('`pipe.sh` is not a file or a directory');
  });
});
