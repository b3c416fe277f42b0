// The folders are the architecture: core is pure, and no module imports in a circle.
import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FORBIDDEN_IN_CORE = /^(node:)?(child_process|fs|fs\/promises|net|http|https|http2|dns|dgram|tls|os|process)$|^(execa|got|chalk|yargs)(\/|$)/;

function filesOf(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);
}

describe('src/core is pure', () => {
  it.each(filesOf('src/core'))('%s imports no process, socket, HTTP or filesystem module', (file) => {
    const bad = importsOf(file).filter((spec) => FORBIDDEN_IN_CORE.test(spec) || (spec.startsWith('.') && /\/(edge|commands|cli|render)\//.test(`/${spec}`)));
    expect(bad).toEqual([]);
  });

  it('uses no process.* global', () => {
    const offenders = filesOf('src/core').filter((file) => /\bprocess\.(env|argv|exit|stdout|stderr|cwd|on)\b/.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('imports', () => {
  it('have no cycles (madge)', async () => {
    const result = await execa('npx', ['madge', '--circular', '--json', '--extensions', 'ts', '--ts-config', 'tsconfig.json', 'src'], { cwd: root });
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});
