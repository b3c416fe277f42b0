import { describe, expect, it } from 'vitest';
import { auditText, fixText } from '../../../src/core/audit/audit.js';
import type { SourceKind } from '../../../src/core/audit/sources.js';

/** Each finding as `line:kind`. */
const found = (text: string, kind: SourceKind): string[] => auditText(text, kind).map((f) => `${f.line}:${f.kind}`);

describe('audit: shell variables and arrays the script assigns before use', () => {
  it.each([
    ['OPTS="--rm -v x:y"\ndocker run $OPTS base', []],
    ['OPTS="-v x:y"\ndocker run $OPTS base', ['2:no-rm']],
    ['OPTS="--rm"\ndocker run ${OPTS} -v a:b base', []],
    ['export DARGS="--rm -i"\ndocker run ${DARGS} base', []],
    ['local -r OPTS=--rm\ndocker run $OPTS base', []],
    ['OPTS="-v a:b --rm"\nif x; then OPTS="--rm"; fi\ndocker run $OPTS base', []],
    ['OPTS="-v a:b"\nOPTS="--rm"\ndocker run $OPTS base', ['3:cannot-tell']],
    ['docker run $OPTS base\nOPTS=--rm', ['1:cannot-tell']],
    ['OPTS=--rm docker run $OPTS base', ['1:cannot-tell']],
    ['params=(--rm -v x:y)\ndocker run "${params[@]}" base', []],
    ['a=(-v x:y)\na+=(--rm)\ndocker run "${a[@]}" base', []],
    ['a=(-v x:y)\ndocker run "${a[@]}" base', ['2:no-rm']],
    ['a=()\nfor v in A B; do a+=(-e "$v"); done\ndocker run "${a[@]}" --name x base', ['3:no-rm']],
    ['a=()\nfor v in A B; do a+=(-e "$v"); done\ndocker run "${a[@]}" --rm --name x base', []],
    ['GO="-v $HOME/.cache:/c"\ndocker run $GO base', ['2:no-rm']],
    ['args=()\nargs=( "${args[@]}" --rm )\ndocker run "${args[@]}" base', []],
    ['args=(-t)\nargs=( "${args[@]}" -i )\ndocker run "${args[@]}" base', ['3:no-rm']],
    ['X=--rm\nOPTS="$X -t"\ndocker run $OPTS base', []],
    ['OPTS="$EXTRA -t"\ndocker run $OPTS base', ['2:cannot-tell']],
    ['OPTS="--rm $EXTRA"\ndocker run $OPTS base', []],
    ['OPTS="--rm -t"\ndocker run "$OPTS" base', ['2:no-rm']],
  ])('%j → %j', (text, expected) => {
    expect(found(text, 'shell')).toEqual(expected);
  });
});

describe('audit: expansions from outside the file ("cannot tell"), and where they may be the image', () => {
  it.each([
    ['docker run $OPTS base', ['1:cannot-tell']],
    ['docker run ${OPTS:-} base', ['1:cannot-tell']],
    ['docker run "${env[@]}" --rm --name x image', []],
    ['docker run "${env[@]}" --name x image', ['1:cannot-tell']],
    ['docker run "$@"', ['1:cannot-tell']],
    ['docker run $(cat opts) base', ['1:cannot-tell']],
    ['docker run --rm $OPTS base', []],
    // an expansion where only the image can be, or named like an image, is the image
    ['docker run --name x $IMAGE', ['1:no-rm']],
    ['docker run -v a:b "$IMAGE" ./test.sh', ['1:no-rm']],
    ['docker run ${REGISTRY}/app:${TAG} ./test.sh', ['1:no-rm']],
    ['docker run -e A=$B base', ['1:no-rm']],
    ['docker run $ARGS', ['1:no-rm']],
  ])('%j → %j', (text, expected) => {
    expect(found(text, 'shell')).toEqual(expected);
  });

  it('names what it cannot know, and --fix leaves it alone', () => {
    const [finding] = auditText('docker run $OPTS "${extra[@]}" base', 'shell');
    expect(finding).toMatchObject({ kind: 'cannot-tell', unknown: ['$OPTS', '${extra[@]}'], insertAt: undefined });
    expect(finding!.message).toBe('cannot tell whether this `docker run` has `--rm`: `$OPTS`, `${extra[@]}` are not known from this file');
  });
});

describe('audit: scripts run by another shell', () => {
  it.each([
    ['sh -c "docker run a"', ['1:no-rm']],
    ["bash -ec 'docker run --rm a; docker run b'", ['1:no-rm']],
    ['timeout 60 sh -c "docker run --rm a"', []],
    ['sudo -u ci sh -c "docker run a"', ['1:no-rm']],
    ['echo "bash -c \'docker run a\'"', []],
    ['bash -c "x=\\$(docker run a)"', ['1:no-rm']],
  ])('%j → %j', (text, expected) => {
    expect(found(text, 'shell')).toEqual(expected);
  });

  it('reports a `sh -c` script at its own column and fixes it in place', () => {
    const text = "bash -c 'docker run a'";
    expect(auditText(text, 'shell')).toMatchObject([{ line: 1, column: 10 }]);
    expect(fixText(text, auditText(text, 'shell'))).toBe("bash -c 'docker run --rm a'");
  });
});

describe('audit: here-documents are data unless a shell reads them', () => {
  it.each([
    ['cat <<EOF\ndocker run a\nEOF\ndocker run b', ['4:no-rm']],
    ['cat > run.sh <<\'EOF\'\ndocker run a\nEOF', []],
    ['cat <<-EOF\n\tdocker run a\n\tEOF\ndocker run --rm b', []],
    ['cat <<"END" | tee x\ndocker run a\nEND', []],
    ['bash <<\'EOF\'\ndocker run a\nEOF', ['2:no-rm']],
    ['sh -s <<EOF\ndocker run --rm a\ndocker run b\nEOF', ['3:no-rm']],
    ['ssh deploy@host <<EOF\ndocker run a\nEOF', ['2:no-rm']],
    ['sudo -u ci bash -s <<EOF\ndocker run a\nEOF', ['2:no-rm']],
    ['docker exec -i c sh <<EOF\ndocker run a\nEOF', []],
    ['cat <<A <<B\ndocker run a\nA\ndocker run b\nB\ndocker run c', ['6:no-rm']],
    ['x=$((1<<2))\ndocker run a', ['2:no-rm']],
    ['cat <<< "docker run a"', []],
    ['cat <<EOF\ndocker run a', []],
  ])('%j → %j', (text, expected) => {
    expect(found(text, 'shell')).toEqual(expected);
  });

  it('reads here-documents inside a Groovy sh string too', () => {
    expect(found("sh '''\ncat <<EOF > x\ndocker run a\nEOF\ndocker run b\n'''", 'groovy')).toEqual(['5:no-rm']);
  });
});

describe('audit: Groovy strings followed to sh', () => {
  it.each([
    ['def cmd = """\n  docker run img\n"""\nnode { sh cmd }', ['2:no-rm']],
    ["def cmd = '''docker run img'''\nsh(cmd)", ['1:no-rm']],
    ['String cmd = "docker run " +\n  "-v a:b img"\nsh(script: cmd, returnStdout: true)', ['1:no-rm']],
    ['def cmd = "docker run img"\nsh returnStatus: true, script: cmd', ['1:no-rm']],
    ['def cmd = "docker run --rm img"\nsh cmd', []],
    ['def cmd = "docker run img"\necho cmd', []],
    ['def message = "docker run failed"\nerror(message)', []],
    ['def opts = "--rm -v x:y"\nsh "docker run ${opts} image"', []],
    ['def opts = "--rm -v x:y"\nsh "docker run $opts image"', []],
    ["def opts = '--rm'\nsh 'docker run ' + opts + ' image'", []],
    ['def opts = "-v x:y"\nsh "docker run ${opts} image"', ['2:no-rm']],
    ['sh "docker run ${params.OPTS} image"', ['1:cannot-tell']],
    ['sh(script: "docker run " + opts + " img", returnStatus: true)', ['1:cannot-tell']],
    ['def c = "docker run a"\nif (x) { c = "docker run --rm b" }\nsh c', ['1:no-rm']],
    ['def o = "-v a:b"\nif (x) { o = "--rm" }\nsh "docker run ${o} img"', ['3:cannot-tell']],
    ['def o = "--rm -v a:b"\nif (x) { o = "--rm" }\nsh "docker run ${o} img"', []],
    ['def cmd = "docker run"\ncmd += " --rm img"\nsh cmd', []],
    ['def img = "x"\ndef run = "docker run -d ${img}"\nsh run', ['2:no-rm']],
    ['sh "bash -c \'docker run a\'"', ['1:no-rm']],
    ['sh "docker run \\${OPTS} img"', ['1:cannot-tell']],
  ])('%j → %j', (text, expected) => {
    expect(found(text, 'groovy')).toEqual(expected);
  });

  it('reports at the line where `docker run` is written, naming the variable and the line of its sh', () => {
    const text = "def shellScript = '''\n  docker run -d x\n'''\n\nstage('a') {\n  sh shellScript\n}";
    const [finding] = auditText(text, 'groovy');
    expect(finding).toMatchObject({ line: 2, column: 3, via: { variable: 'shellScript', line: 6 } });
    expect(finding!.message).toBe('`docker run` without `--rm` (the script in `shellScript`, given to `sh` on line 6): the container stays on the agent after it exits');
    expect(fixText(text, [finding!])).toBe(text.replace('docker run', 'docker run --rm'));
  });

  it('fixes a finding reached through a GString in the sh call itself', () => {
    const text = 'def opts = "-v x:y"\nsh "docker run ${opts} image"';
    expect(fixText(text, auditText(text, 'groovy'))).toBe('def opts = "-v x:y"\nsh "docker run --rm ${opts} image"');
  });
});

describe('audit: Makefile variables in recipes', () => {
  it.each([
    ['OPTS := --rm -v x:y\ntest:\n\tdocker run $(OPTS) img\n', []],
    ['OPTS = -v x:y\ntest:\n\tdocker run $(OPTS) img\n', ['3:no-rm']],
    ['test:\n\tdocker run $(DOCKER_OPTS) img\n', ['2:cannot-tell']],
    ['OPTS ?= --rm # the default\nOPTS += -t\ntest:\n\t@docker run ${OPTS} img\n', []],
    ['OPTS != echo --rm\ntest:\n\tdocker run $(OPTS) img\n', ['3:cannot-tell']],
    ['OPTS = -t\nOPTS = --rm\ntest:\n\tdocker run $(OPTS) img\n', ['4:cannot-tell']],
    ['DOCKER_RUN := docker run -v $(CURDIR):/src\ntest:\n\t$(DOCKER_RUN) img make\n', ['1:no-rm']],
    ['test:\n\tdocker run -v $$(pwd):/x $(IMAGE)\n', ['2:no-rm']],
    // `$$` is one `$` inside its word; a line going on from a recipe line keeps its `-`
    ['test:\n\tfor o in a b; do docker run -e A=$$o img; done\n', ['2:no-rm']],
    ['test:\n\tdocker run -v x:y \\\n\t  --rm img\n', []],
    ['test:\n\tdocker run -v x:y \\\n\t  -t img\n', ['2:no-rm']],
    // `.ONESHELL:`: the recipe is one script, a variable set on one line is used on the next
    ['.ONESHELL:\ntest:\n\tOPTS=--rm\n\tdocker run $$OPTS img\n', []],
    ['test:\n\tOPTS=--rm\n\tdocker run $$OPTS img\n', ['3:cannot-tell']],
  ])('%j → %j', (text, expected) => {
    expect(found(text, 'make')).toEqual(expected);
  });

  it('fixes a docker run held in a variable where the variable is written', () => {
    const text = 'DOCKER_RUN := docker run -v $(CURDIR):/src\ntest:\n\t$(DOCKER_RUN) img make\n';
    expect(fixText(text, auditText(text, 'make'))).toBe('DOCKER_RUN := docker run --rm -v $(CURDIR):/src\ntest:\n\t$(DOCKER_RUN) img make\n');
  });
});

describe('audit: Groovy expressions it cannot read stay whole', () => {
  it.each([
    ["sh \"docker run --rm ${args.collect { \"-e ${it}\" }.join(' ')} img\"\nsh 'docker run b'", ['2:no-rm']],
    ["sh \"docker run ${flag ? '--rm' : ''} img\"", ['1:cannot-tell']],
    ["sh \"docker run ${dockerArgs.join(' ')} img\"\nsh 'docker run --rm x'", ['1:cannot-tell']],
  ])('%j → %j', (text, expected) => {
    expect(found(text, 'groovy')).toEqual(expected);
  });
});

describe('audit: case patterns, inside a command substitution too', () => {
  it.each([
    ['case $q in\n  a) docker run --rm a;;\n  b|c) docker run b;;\n  *) docker run c;;\nesac', ['3:no-rm', '4:no-rm']],
    ['v=$(case $z in b) docker run img;; esac)', ['1:no-rm']],
    ['x=$(case "$1" in a) echo "--rm";; *) echo -t;; esac)\ndocker run $x app:1', ['2:cannot-tell']],
    ['x=$(case "$1" in a) echo -t;; esac)\ndocker run $x --rm app:1', []],
  ])('%j → %j', (text, expected) => {
    expect(found(text, 'shell')).toEqual(expected);
  });
});
