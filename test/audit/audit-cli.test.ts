import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { cleanEnv, whalekeeper } from '../helpers/cli.js';

const fixtures = fileURLToPath(new URL('../fixtures/audit', import.meta.url));
const env = cleanEnv('unix:///nonexistent/docker.sock');

/** Every finding the fixtures hold, as `file:line` (the seed's own sh("""…""") shape is Jenkinsfile:7). */
const EXPECTED = [
  '.github/workflows/ci.yml:8', '.github/workflows/ci.yml:11',
  '.gitlab-ci.yml:6', '.gitlab-ci.yml:8',
  'Jenkinsfile:7', 'Jenkinsfile:12', 'Jenkinsfile:17', 'Jenkinsfile:18', 'Jenkinsfile:22', 'Jenkinsfile:24',
  'Makefile:3', 'Makefile:5',
  'ci.sh:3', 'ci.sh:5', 'ci.sh:9', 'ci.sh:11', 'ci.sh:12', 'ci.sh:14', 'ci.sh:18', 'ci.sh:19',
  'deploy.groovy:10',
  'rm-false.sh:3', 'rm-false.sh:4',
];

/** A copy of the fixtures to edit. */
async function copy(): Promise<string> {
  const dir = await mkdtemp(`${tmpdir()}/wk-audit-`);
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await cp(fixtures, dir, { recursive: true });
  return dir;
}

describe('whalekeeper audit over the fixture pipelines', () => {
  it('reports each docker run without --rm as file:line: message and exits 1', async () => {
    const result = await whalekeeper(['audit'], env, { cwd: fixtures });
    expect(result.exitCode).toBe(1);
    const reported = result.stdout.split('\n').map((line) => /^(.+?:\d+): (.*)$/.exec(line));
    expect(reported.map((m) => m?.[1])).toEqual(EXPECTED);
    expect(reported.every((m) => m?.[2]?.includes('--rm'))).toBe(true);
    expect(result.stderr).toBe('whalekeeper: audit: 23 `docker run` without `--rm` (`--rm=false` is left to you: remove it) in 8 file(s)');
  });

  it('exits 0 with no findings in the clean fixture', async () => {
    const result = await whalekeeper(['audit', 'clean/clean.sh'], env, { cwd: fixtures });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('');
  });

  it('--json prints one versioned document with masked commands', async () => {
    const result = await whalekeeper(['--json', 'audit', 'ci.sh', 'clean'], env, { cwd: fixtures });
    expect(result.exitCode).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ version: 1, filesScanned: 2, fix: false });
    expect(document.findings).toHaveLength(8);
    expect(document.findings[0]).toEqual({
      file: 'ci.sh', line: 3, column: 1, kind: 'no-rm', command: 'docker run base true', fixed: false,
      message: '`docker run` without `--rm`: the container stays on the agent after it exits',
    });
    // `-e TOKEN=s3cret` in ci.sh:19 is never printed
    expect(result.stdout).not.toContain('s3cret');
    expect(document.findings.at(-1).command).toBe("docker run -e 'TOKEN=***' base");
  });

  it('--fix inserts --rm after run and nothing else; a second audit finds only --rm=false; a second --fix changes nothing', async () => {
    const dir = await copy();
    const before = await readFile(`${dir}/Jenkinsfile`, 'utf8');
    const fixed = await whalekeeper(['audit', '--fix'], env, { cwd: dir });
    // only the two `--rm=false` lines are left to a person
    expect(fixed.exitCode).toBe(1);
    expect(fixed.stdout.split('\n').filter((l) => !l.includes('fixed: added'))).toEqual([
      'rm-false.sh:3: `docker run` with `--rm` set false: the container stays on the agent after it exits',
      'rm-false.sh:4: `docker run` with `--rm` set false: the container stays on the agent after it exits',
    ]);
    const after = await readFile(`${dir}/Jenkinsfile`, 'utf8');
    expect(after.replaceAll(' --rm', '')).toBe(before.replaceAll(' --rm', ''));
    expect(after).toContain('sh("""docker run --rm -v \\$(pwd):/app \\\\\n');

    const again = await whalekeeper(['audit', '--fix', '--', '.'], env, { cwd: dir });
    expect(again.stdout.split('\n')).toEqual([expect.stringMatching(/^rm-false\.sh:3: /), expect.stringMatching(/^rm-false\.sh:4: /)]);
    expect(await readFile(`${dir}/Jenkinsfile`, 'utf8')).toBe(after);

    await rm(`${dir}/rm-false.sh`);
    const clean = await whalekeeper(['audit'], env, { cwd: dir });
    expect(clean.exitCode).toBe(0);
  });

  it('a missing path is a usage error (2)', async () => {
    const result = await whalekeeper(['audit', 'no-such-dir'], env, { cwd: fixtures });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('`no-such-dir` does not exist');
  });
});
