// Hostile and random input: audit never throws (an exception would be exit 70), and --fix only ever inserts ` --rm`.
import { describe, expect, it } from 'vitest';
import { auditBytes, fixBytes } from '../../../src/core/audit/bytes.js';
import type { SourceKind } from '../../../src/core/audit/sources.js';

/** A small seeded generator (mulberry32): the same inputs on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'docker', ' run', ' --rm', ' -v x:y', ' img', '$OPTS', '"${a[@]}"', 'a=(', ')', 'OPTS=', '--rm', '"', "'", "'''", '"""', '`', '$(', '${',
  '}', '\\', '\n', '\r\n', '\t', ' ', '#', '//', '/*', '*/', '<<EOF', '<<-E', 'EOF', '\nEOF\n', 'sh ', 'sh(', 'script:', ',', '+', 'def cmd = ',
  'cmd', 'bash -c ', ' -c ', '|', ';', '&&', '- ', 'run: ', '|\n', ':', '\u00e9', '\u0000', '\ufeff', '$$', '$(X)', 'X := ', '{', '}',
];

describe('audit over random pipelines', () => {
  it.each(['shell', 'groovy', 'yaml', 'make'] as const)('%s: never throws, and --fix inserts only ` --rm`', (kind: SourceKind) => {
    const next = random(kind.length * 7919);
    for (let n = 0; n < 1000; n++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 60) }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
      const bytes = Uint8Array.from(Buffer.from(text, next() < 0.5 ? 'utf8' : 'latin1'));
      const findings = auditBytes(bytes, kind);
      const fixed = Buffer.from(fixBytes(bytes, findings));
      const inserted = findings.filter((f) => f.insertAt !== undefined).map((f) => f.insertAt);
      expect(fixed.length - bytes.length).toBe(new Set(inserted).size * 5);
      expect(fixed.toString('latin1').replaceAll(' --rm', '')).toBe(Buffer.from(bytes).toString('latin1').replaceAll(' --rm', ''));
    }
  });
});

describe('audit over variables that double each other', () => {
  // 40 levels would be 2^40 characters if each value were expanded again: values are computed once, and one longer
  // than any real option list (or script) is not read.
  const levels = Array.from({ length: 40 }, (_, n) => n);
  it.each([
    ['shell', `V0="-t"\n${levels.map((n) => `V${n + 1}="$V${n} $V${n}"`).join('\n')}\ndocker run $V40 img\ndocker run $V3 img\n`, ['42:cannot-tell', '43:no-rm']],
    ['groovy', `def v0 = "-t"\n${levels.map((n) => `def v${n + 1} = v${n} + ' ' + v${n}`).join('\n')}\nsh "docker run \${v40} img"\nsh "docker run \${v3} img"\n`, ['42:cannot-tell', '43:no-rm']],
    ['make', `V0 := -t\n${levels.map((n) => `V${n + 1} := $(V${n}) $(V${n})`).join('\n')}\nt:\n\tdocker run $(V3) img\n`, ['43:no-rm']],
  ] as const)('%s', (kind, text, expected) => {
    const bytes = Uint8Array.from(Buffer.from(text));
    expect(auditBytes(bytes, kind).map((f) => `${f.line}:${f.kind}`)).toEqual(expected);
  });
});

describe('audit over deeply nested input', () => {
  // Each of these exhausted the stack (an internal error, exit 70) before nesting was bounded.
  const deep = 20000;
  it.each([
    ['shell', `${'$('.repeat(deep)}docker run x${')'.repeat(deep)}\n`],
    ['shell', `"${'$("'.repeat(deep)}\n`],
    ['shell', `${'bash <<A\n'.repeat(deep)}docker run x\n`],
    ['shell', `${'a=('.repeat(deep)}\n`],
    ['shell', `${Array.from({ length: deep }, (_, n) => `V${n + 1}="$V${n}"\n`).join('')}docker run $V${deep} x\n`],
    ['groovy', `sh ${'('.repeat(deep)}"docker run x"${')'.repeat(deep)}\n`],
    ['groovy', `${Array.from({ length: deep }, (_, n) => `def v${n + 1} = v${n}\n`).join('')}sh v${deep}\n`],
    ['groovy', `sh "${'${'.repeat(deep)}"\n`],
  ] as const)('%s %#: read without an exception', (kind, text) => {
    expect(() => auditBytes(Uint8Array.from(Buffer.from(text)), kind)).not.toThrow();
  });
});
