import { describe, expect, it } from 'vitest';
import { auditText } from '../../../src/core/audit/audit.js';
import type { SourceKind } from '../../../src/core/audit/sources.js';
import { catHereDoc, runtimeNames } from '../../../src/core/audit/unknown.js';

/** Each finding as `line:kind`, with the unknown expansions a "cannot tell" names. */
const found = (text: string, kind: SourceKind): string[] =>
  auditText(text, kind).map((f) => `${f.line}:${f.kind}${f.unknown ? ` ${f.unknown.join(' ')}` : ''}`);

describe('audit: values set at run time never end docker\'s options; a later --rm counts when the image is certain', () => {
  it.each([
    // a here-document plainly `cat`ed is literal text
    ['opts=()\nopts+=($(cat <<-END\n\t-e IMAGE_TAG=x\n\tEND\n))\ndocker run "${opts[@]}" --rm --name x app:1', []],
    ['opts=($(cat <<-END\n\t-e IMAGE_TAG=x\n\tEND\n))\ndocker run "${opts[@]}" --name x app:1', ['5:no-rm']],
    ["opts=($(cat <<'END'\n--rm\n-v a:b\nEND\n))\ndocker run \"${opts[@]}\" app:1", []],
    ['opts=($(cat <<END\n$EXTRA -v a:b\nEND\n))\ndocker run "${opts[@]}" app:1', ['5:cannot-tell $EXTRA']],
    ['docker run $(cat <<END | sed s/a/b/\n--rm\nEND\n) app:1', ['1:cannot-tell $(cat <<END | sed s/a/b/\n--rm\nEND\n)']],
    // a command's output
    ['args=($(./env.sh))\ndocker run "${args[@]}" --rm -w /src app:1 make', []],
    ['args=($(./env.sh))\ndocker run ${args[@]} -w /src app:1 make', ['2:cannot-tell $(./env.sh)']],
    ['m=$(./mounts.sh)\ndocker run $m --rm --name n app:1', []],
    ['docker run `cat opts` --rm app:1', []],
    // read, a loop, mapfile, the script's arguments
    ['read -r OPTS\ndocker run $OPTS --rm app:1', []],
    ['OPTS="-v a:b"\nread -r OPTS\ndocker run $OPTS app:1', ['3:cannot-tell $OPTS']],
    ['read -r -a extra <<< "${X:-}"\ndocker run "${extra[@]}" --rm app:1 smoke', []],
    ['while read -r o; do docker run $o app:1; done < opts', ['1:cannot-tell $o']],
    ['for tag in a b; do docker run $tag --rm; done', ['1:cannot-tell $tag']],
    ['for tag in a b; do docker run $tag; done', ['1:no-rm']],
    ['mapfile -t a < opts\ndocker run "${a[@]}" app:1', ['2:cannot-tell ${a[@]}']],
    ['docker run "$@" --rm app:1', []],
    // a name that says options is no image
    ['docker run $IMAGE_OPTS --rm app:1', []],
    ['docker run --name x $IMAGE', ['1:no-rm']],
    // `<<<` is a here-string, never a here-document
    ['cat <<< "docker run a"\ndocker run b', ['2:no-rm']],
  ])('%j → %j', (text, expected) => {
    expect(found(text, 'shell')).toEqual(expected);
  });

  it.each([
    ["def a = sh(script: 'cat x', returnStdout: true).trim()\nsh \"docker run ${a} --rm app:1\"", 'groovy', []],
    ["def a = sh(script: 'cat x', returnStdout: true).trim()\nsh \"docker run ${a} app:1\"", 'groovy', ['2:cannot-tell ${a}']],
    ['sh "docker run ${params.ARGS} --rm -v ${env.WORKSPACE}:/ws app:1"', 'groovy', []],
    ['sh "docker run ${env.IMAGE} --rm"', 'groovy', ['1:cannot-tell ${env.IMAGE}']],
    ['O := $(shell ./opts.sh)\nt:\n\tdocker run $(O) --rm app:1\n', 'make', []],
    ['t:\n\tdocker run $(shell ./opts.sh) app:1\n', 'make', ['2:cannot-tell $(shell ./opts.sh)']],
  ] as const)('%j (%s) → %j', (text, kind, expected) => {
    expect(found(text, kind)).toEqual(expected);
  });
});

describe('unknown.ts: what is known', () => {
  it.each([
    [['read', '-r', 'A', 'B'], ['A', 'B']],
    [['read', '-r', '-p', 'prompt', '-a', 'ARR'], ['ARR']],
    [['read', '-r'], ['REPLY']],
    [['for', 'x', 'in', 'a'], ['x']],
    [['getopts', 'ab:', 'opt'], ['opt']],
    [['mapfile', '-t', 'lines'], ['lines']],
    [['echo', 'x'], []],
  ])('%j sets %j at run time', (words, names) => {
    expect(runtimeNames(words)).toEqual(names);
  });

  it('a cat-ed here-document is its text, tabs stripped with <<-, the trailing newline dropped', () => {
    expect(catHereDoc('$(cat <<-END\n\t-e A=1\n\t-v x:y\n\tEND\n)')?.value).toBe('-e A=1\n-v x:y');
    expect(catHereDoc("$(cat <<'END'\n$X\nEND\n)")).toMatchObject({ value: '$X', unknown: [] });
    expect(catHereDoc('$(cat <<END\n$X -t\nEND\n)')).toMatchObject({ value: '$X -t', unknown: ['$X'] });
    expect(catHereDoc('$(cat <<END\n--rm\nEND\n | tr a b)')).toBeUndefined();
    expect(catHereDoc('$(cat opts)')).toBeUndefined();
  });
});
