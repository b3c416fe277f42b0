import { describe, expect, it } from 'vitest';
import { auditText, fixText } from '../../../src/core/audit/audit.js';
import { sourceKind, type SourceKind } from '../../../src/core/audit/sources.js';

const lines = (text: string, kind: SourceKind): number[] => auditText(text, kind).map((f) => f.line);

describe('audit: shell', () => {
  it.each([
    ['docker run base true', [1]],
    ['docker container run base true', [1]],
    ['docker run --rm base true', []],
    ['docker run -it --rm base sh', []],
    ['docker run --rm=true base true', []],
    ['docker run --rm=false base true', [1]],
    ['docker run --rm --rm=false base', [1]],
    ['docker run -e X=1 base --rm', [1]],
    ['docker run \\\n  --rm \\\n  base', []],
    ['docker run \\\n  -v x:/y base', [1]],
    ['true; docker run a', [1]],
    ['true && docker run a || docker run b', [1, 1]],
    ['cat x | docker run -i a', [1]],
    ['FOO=1 BAR=2 docker run a', [1]],
    ['sudo -E docker run a', [1]],
    ['sudo -u ci -E docker run a', [1]],
    ['timeout 60 docker run a', [1]],
    ['timeout -s KILL 5m docker run --rm a', []],
    ['env -i PATH=/bin docker run a', [1]],
    ['nice -n 5 docker run a', [1]],
    ['sudo -u ci docker ps', []],
    ['docker run --some-new-flag --rm a', []],
    ['docker run --some-new-flag a --rm', [1]],
    ['docker run --some-new-flag -e A=1 --name x --rm img', []],
    ['xargs -n 1 docker run a', [1]],
    ['exec -a name docker run a', [1]],
    ['if docker run a; then :; fi', [1]],
    ['x=$(docker run a)', [1]],
    ['x=`docker run a`', [1]],
    ['echo "$(docker run a)"', [1]],
    ['x="$(docker run --rm a) and more"', []],
    ['echo "id: `docker run a`"', [1]],
    ['docker --context ci run a', [1]],
    ['docker -H tcp://h:2376 --tls container run a', [1]],
    ['docker --log-level debug run --rm a', []],
    ['/usr/local/bin/docker run a', [1]],
    ['docker-compose run app', []],
    ['docker compose run app', []],
    ['docker runx foo', []],
    ['docker ps | grep run', []],
    ['echo "use docker run --rm, not docker run"', []],
    ["echo 'docker run'", []],
    ['# docker run a', []],
    ['true # docker run a', []],
    ['docker build -t run .', []],
  ])('%j → findings on lines %j', (text, expected) => {
    expect(lines(text, 'shell')).toEqual(expected);
  });
});

describe('audit: Groovy (only strings given to sh are scripts)', () => {
  it.each([
    ['sh("""docker run -v \\$(pwd):/app \\\\\n     -w /app base:\\${BUILD_NUMBER} ash -c \'pipelines/test.sh\'""")', [1]],
    ['sh("""docker run --rm -v \\$(pwd):/app \\\\\n     -w /app base:\\${BUILD_NUMBER} ash -c \'x\'""")', []],
    ['sh """docker run \\\\\n  --rm base"""', []],
    ["sh 'docker run a'", [1]],
    ["sh '''\n  ls\n  docker run a\n'''", [3]],
    ["sh(script: 'docker run a', returnStdout: true)", [1]],
    ["sh(returnStdout: true, script: 'docker run a')", [1]],
    ["sh script: 'docker run a', label: 'x'", [1]],
    ["sh label: 'Tests', script: 'docker run a'", [1]],
    ["sh label: 'Tests',\n   returnStatus: true,\n   script: 'docker run a'", [3]],
    ["sh label: 'Tests', script: 'docker run --rm a'", []],
    ["echo label: 'x', script: 'docker run a'", []],
    ["sh 'ls'\nfoo label: 'x', script: 'docker run a'", []],
    ["sh 'ls'; foo script: 'docker run a'", []],
    ["parallel(a: {\n  sh label: 'x', script: 'docker run a'\n})", [2]],
    ['echo "docker run a"', []],
    ['error("docker run failed")', []],
    ["// sh 'docker run a'", []],
    ["/* sh 'docker run a' */", []],
    ["def cmd = 'docker run a'", []],
  ])('%j → findings on lines %j', (text, expected) => {
    expect(lines(text, 'groovy')).toEqual(expected);
  });
});

describe('audit: Makefile and CI YAML', () => {
  it.each([
    ['test:\n\tdocker run a\n', 'make', [2]],
    ['test:\n\t@docker run --rm a\n\t-docker run b\n', 'make', [3]],
    ['test:\n\tdocker run -v $$(pwd):/x a \\\n\t  --rm\n', 'make', [2]],
    ['script:\n  - docker run a\n  - docker run --rm a\n', 'yaml', [2]],
    ['script:\n  - "docker run a"\n', 'yaml', [2]],
    ['steps:\n  - run: docker run a\n  - name: docker run a\n', 'yaml', [2]],
    ['steps:\n  - run: |\n      ls\n      docker run a\n    name: x\n', 'yaml', [4]],
    ['x:\n  description: |\n    docker run a\n', 'yaml', []],
    ['# docker run a\n', 'yaml', []],
    ['script:\n  - docker run a\r b\n', 'yaml', [2]],
  ] as const)('%j (%s) → findings on lines %j', (text, kind, expected) => {
    expect(lines(text, kind)).toEqual(expected);
  });
});

describe('audit --fix', () => {
  it.each([
    ['docker run a', 'shell', 'docker run --rm a'],
    ['docker container run -it a; docker run --rm b', 'shell', 'docker container run --rm -it a; docker run --rm b'],
    ['docker run \\\n  -v x:/y a', 'shell', 'docker run --rm \\\n  -v x:/y a'],
    ['sh("""docker run -v \\$(pwd):/app \\\\\n  base""")', 'groovy', 'sh("""docker run --rm -v \\$(pwd):/app \\\\\n  base""")'],
    ['t:\n\t@docker run a\n', 'make', 't:\n\t@docker run --rm a\n'],
    ['docker run --rm=false a', 'shell', 'docker run --rm=false a'],
  ] as const)('%j becomes %j, and a second pass changes nothing', (text, kind, expected) => {
    const fixed = fixText(text, auditText(text, kind));
    expect(fixed).toBe(expected);
    expect(fixText(fixed, auditText(fixed, kind))).toBe(fixed);
  });
});

describe('sourceKind', () => {
  it.each([
    ['Jenkinsfile', 'groovy'],
    ['ci/Jenkinsfile.deploy', 'groovy'],
    ['vars/deploy.groovy', 'groovy'],
    ['pipelines/test.sh', 'shell'],
    ['Makefile', 'make'],
    ['rules.mk', 'make'],
    ['.gitlab-ci.yml', 'yaml'],
    ['.github/workflows/ci.yaml', 'yaml'],
    ['README.md', undefined],
    ['Dockerfile', undefined],
  ])('%s is %s', (path, kind) => {
    expect(sourceKind(path)).toBe(kind);
  });
});
