import { describe, expect, it } from 'vitest';
import { auditFile, fixText } from '../../../src/core/audit/audit.js';
import type { SourceKind } from '../../../src/core/audit/sources.js';

/** Each finding as `line:kind`, `simple` when read the simple way; and each part not parsed as `line-endLine`. */
const read = (text: string, kind: SourceKind): { findings: string[]; unparsed: string[] } => {
  const { findings, unparsed } = auditFile(text, kind);
  return { findings: findings.map((f) => `${f.line}:${f.kind}${f.simple ? ':simple' : ''}`), unparsed: unparsed.map((u) => `${u.line}-${u.endLine}`) };
};

describe('audit: a part its reader cannot parse is read the simple way, and named', () => {
  it.each([
    // Groovy: a missing comma in sh's map (either way round), a string cut by its line's end, a `'''` or `/*` never closed
    ["sh(script: 'docker run a' returnStdout: true)", 'groovy', ['1:no-rm:simple'], ['1-1']],
    ["sh(returnStdout: true script: 'docker run a')", 'groovy', ['1:no-rm:simple'], ['1-1']],
    ["def v = sh(\n  script: 'docker run a'\n  returnStdout: true\n)", 'groovy', ['2:no-rm:simple'], ['1-4']],
    ["def v = sh(\n  script: 'docker run a',\n  returnStdout: true\n)", 'groovy', ['2:no-rm'], []],
    ["sh(script: 'docker run --rm a'\nsh 'docker run b'", 'groovy', ['2:no-rm'], ['1-2']],
    ["sh(script: 'docker run --rm a' returnStdout: true)", 'groovy', [], ['1-1']],
    ['sh script: "docker run a" label: "x"', 'groovy', ['1:no-rm:simple'], ['1-1']],
    ['sh "docker run a\nsh "docker run --rm b"\nsh "docker run c"', 'groovy', ['1:no-rm', '3:no-rm'], ['1-1']],
    ["x = '''\nsh 'docker run a'\ndocker run --rm b", 'groovy', ['2:no-rm:simple'], ['1-3']],
    ['/* a comment\nsh "docker run a"', 'groovy', ['2:no-rm:simple'], ['1-2']],
    // what Groovy allows is no problem
    ["sh(script: 'docker run a', returnStdout: true)", 'groovy', ['1:no-rm'], []],
    ["if ('x' in list) { sh 'docker run --rm a' }", 'groovy', [], []],
    ['error("docker run failed")', 'groovy', [], []],
    // shell: a quote never closed; the part starts at the first quoted string spanning lines before it
    ['echo "building\ndocker run -v "$PWD":/src a\ndocker run --rm b', 'shell', ['2:no-rm:simple'], ['1-3']],
    ["docker run --rm a\necho 'oops\ndocker run b", 'shell', ['3:no-rm:simple'], ['2-3']],
    ['x=$(docker run a', 'shell', ['1:no-rm'], ['1-1']],
    ['# docker run a\necho "x\n# docker run b', 'shell', [], ['2-3']],
    ['docker run \\\n  --rm a\necho "x', 'shell', [], ['3-3']],
    // `${…}` holding braces, quotes and `$(…)` is closed where the shell closes it; the `$(…)` in it runs
    ['out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/x.XXXXXX")}\ndocker run a', 'shell', ['2:no-rm'], []],
    ['out=${OUT:-$(docker run a)}', 'shell', ['1:no-rm'], []],
    ['x=${OUT:-\ndocker run a', 'shell', ['2:no-rm:simple'], ['1-2']],
    // a here-document never closed is read as the shell reads it (to the end), no problem
    ['cat <<EOF\ndocker run a', 'shell', [], []],
    // Makefile: each recipe line is its own shell; a quote never closed there spoils only that line
    ["t:\n\techo 'it\n\tdocker run a\n", 'make', ['3:no-rm'], ['2-2']],
    ["t:\n\techo 'it\n\tdocker run --rm a\n", 'make', [], ['2-2']],
    ["$(info it's done)\nt:\n\tdocker run a\n", 'make', ['3:no-rm'], []],
    ['t: ; docker run a\n', 'make', ['1:no-rm'], []],
  ] as const)('%j (%s) → %j, not parsed %j', (text, kind, findings, unparsed) => {
    expect(read(text, kind)).toEqual({ findings, unparsed });
  });

  it('--fix adds `--rm` to a `docker run` read the simple way too', () => {
    const text = "def v = sh(script: 'docker run -v x:y a' returnStdout: true)\n";
    expect(fixText(text, auditFile(text, 'groovy').findings)).toBe("def v = sh(script: 'docker run --rm -v x:y a' returnStdout: true)\n");
  });

  it('names the line and why', () => {
    expect(auditFile("stage('x') {\n  sh(script: 'docker run a' returnStdout: true)\n}", 'groovy').unparsed).toEqual([
      { line: 2, endLine: 2, reason: '`returnStdout` where a `,` or `)` was expected' },
    ]);
    expect(auditFile("echo 'a\ndocker run b", 'shell').unparsed).toEqual([{ line: 1, endLine: 2, reason: "a `'` that is never closed" }]);
  });
});

describe('audit: Groovy slashy strings are strings', () => {
  it.each([
    // a quote inside a slashy string opens no string, and `$` there is no GString's
    ["if (msg =~ /it's done/) { echo 'ok' }\nsh 'docker run a'", ['2:no-rm'], []],
    ["if (msg ==~ /it's/) { sh 'docker run --rm a' }", [], []],
    ['def half = total / 2\nsh "docker run -v ${a}/x:/y b"', ['2:no-rm'], []],
    ["def re = /never closed\nsh 'docker run a'", ['2:no-rm:simple'], ['1-2']],
  ] as const)('%j → %j, not parsed %j', (text, findings, unparsed) => {
    expect(read(text, 'groovy')).toEqual({ findings, unparsed });
  });
});
