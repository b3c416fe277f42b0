import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { pathLine, shimDir } from '../../src/core/shim-plan.js';
import { SHIM_MARKER, shimFunction, shimScript } from '../../src/core/shim-script.js';

// The shim's routing, run by dash against a stand-in real client and a stand-in Node that print what they were given.
let root: string;

beforeAll(async () => {
  root = await mkdtemp(`${tmpdir()}/wk-shim-routing-`);
  await mkdir(`${root}/real`);
  await mkdir(`${root}/shim dir`);
  const show = 'ctx=${DOCKER_CONTEXT-} host=${DOCKER_HOST-} cfg=${DOCKER_CONFIG-} tls=${DOCKER_TLS_VERIFY-} cert=${DOCKER_CERT_PATH-}${DOCKER_TLS:+ plain-tls}';
  await writeFile(`${root}/real/docker`, `#!/bin/sh\necho "real $* | ${show}"\nexit 3\n`, { mode: 0o755 });
  await writeFile(`${root}/node's`, `#!/bin/sh\necho "node $* | ${show} wkd=\${WHALEKEEPER_DOCKER-}"\n`, { mode: 0o755 });
  await chmod(`${root}/node's`, 0o755);
  // The entry must exist (the shim checks it is still there); the outputs below show it as /opt/wk/whalekeeper.js.
  await mkdir(`${root}/wk`);
  await writeFile(`${root}/wk/whalekeeper.js`, '');
  await writeFile(`${root}/shim dir/docker`, shimScript({ node: `${root}/node's`, entry: `${root}/wk/whalekeeper.js` }), { mode: 0o755 });
  await writeFile(`${root}/shim dir/${SHIM_MARKER}`, '');
  return () => rm(root, { recursive: true, force: true });
});

async function viaShim(args: string[], env: Record<string, string> = {}) {
  const result = await execa(`${root}/shim dir/docker`, args, {
    env: { PATH: `${root}/shim dir:${root}/real:/usr/bin:/bin`, DOCKER_HOST: 'unix:///from/env', ...env },
    extendEnv: false,
    reject: false,
  });
  return { code: result.exitCode, out: String(result.stdout).replaceAll(`${root}/wk/whalekeeper.js`, '/opt/wk/whalekeeper.js') };
}

describe('shim routing', () => {
  it.each([
    [['version'], 'real version | ctx= host=unix:///from/env cfg= tls= cert='],
    [['--log-level', 'debug', 'ps'], 'real --log-level debug ps | ctx= host=unix:///from/env cfg= tls= cert='],
    [['container', 'ls'], 'real container ls | ctx= host=unix:///from/env cfg= tls= cert='],
    [['runx'], 'real runx | ctx= host=unix:///from/env cfg= tls= cert='],
  ])('%j goes to the real client with its arguments and status', async (args, expected) => {
    expect(await viaShim(args)).toEqual({ code: 3, out: expected });
  });

  it('whalekeeper run\'s own call (WHALEKEEPER_IN_RUN) goes to the real client: no loop', async () => {
    expect(await viaShim(['run', '--rm', 'img'], { WHALEKEEPER_IN_RUN: '1' })).toEqual({
      code: 3,
      out: 'real run --rm img | ctx= host=unix:///from/env cfg= tls= cert=',
    });
  });

  it('a container argument that looks like whalekeeper\'s label does not bypass whalekeeper', async () => {
    const { out } = await viaShim(['run', 'img', 'echo', 'whalekeeper.run=1']);
    expect(out).toMatch(/^node \/opt\/wk\/whalekeeper.js run img echo whalekeeper.run=1/);
  });

  const wkd = (out: string): string => `${out} wkd=${root}/real/docker`;
  it.each([
    [['run', '-it', 'img', 'sh'], 'node /opt/wk/whalekeeper.js run -it img sh | ctx= host=unix:///from/env cfg= tls= cert='],
    [['container', 'run', 'img'], 'node /opt/wk/whalekeeper.js run img | ctx= host=unix:///from/env cfg= tls= cert='],
    [['-H', 'tcp://h:2376', 'run', 'img'], 'node /opt/wk/whalekeeper.js --host tcp://h:2376 run img | ctx= host=unix:///from/env cfg= tls= cert='],
    [['--host=ssh://me@h', '-D', 'run', 'img'], 'node /opt/wk/whalekeeper.js --host ssh://me@h run img | ctx= host=unix:///from/env cfg= tls= cert='],
    [['-Hunix:///s', 'run', 'img'], 'node /opt/wk/whalekeeper.js --host unix:///s run img | ctx= host=unix:///from/env cfg= tls= cert='],
    [['--context', 'ci', 'container', 'run', 'img'], 'node /opt/wk/whalekeeper.js run img | ctx=ci host= cfg= tls= cert='],
    [['-c', 'ci', '-l', 'warn', 'run', 'img'], 'node /opt/wk/whalekeeper.js run img | ctx=ci host= cfg= tls= cert='],
    [['--config=/cfg', 'run', 'img'], 'node /opt/wk/whalekeeper.js run img | ctx= host=unix:///from/env cfg=/cfg tls= cert='],
    [['--tlsverify', '--tlscacert', '/certs/ca.pem', '-H', 'tcp://h:2376', 'run', 'img'], 'node /opt/wk/whalekeeper.js --host tcp://h:2376 run img | ctx= host=unix:///from/env cfg= tls=1 cert=/certs'],
    [['--tlsverify', '--tlscert=cert.pem', 'run', 'img'], 'node /opt/wk/whalekeeper.js run img | ctx= host=unix:///from/env cfg= tls=1 cert=.'],
    [['--tls', '-H', 'tcp://h:2376', 'run', 'img'], 'node /opt/wk/whalekeeper.js --host tcp://h:2376 run img | ctx= host=unix:///from/env cfg= tls= cert= plain-tls'],
  ])('%j goes to whalekeeper run with the engine kept', async (args, expected) => {
    expect(await viaShim(args)).toEqual({ code: 0, out: wkd(expected) });
  });

  it('the function form routes the same way, with `docker` from PATH as the real client', async () => {
    const script = `${shimFunction({ node: `${root}/node's`, entry: `${root}/wk/whalekeeper.js` })}\ndocker -H tcp://h:1 run img; docker ps`;
    const result = await execa('bash', ['-c', script], { env: { PATH: `${root}/real:/usr/bin:/bin` }, extendEnv: false, reject: false });
    expect(String(result.stdout).split('\n')).toEqual([
      `node ${root}/wk/whalekeeper.js --host tcp://h:1 run img | ctx= host= cfg= tls= cert= wkd=docker`,
      'real ps | ctx= host= cfg= tls= cert=',
    ]);
    expect(result.exitCode).toBe(3);
  });
});

describe('shim placement', () => {
  it.each([
    [undefined, '/home/me/.local/share/whalekeeper/bin', 'export PATH="$HOME/.local/share/whalekeeper/bin:$PATH"'],
    ['bin', '/work/bin', 'export PATH="/work/bin:$PATH"'],
    ['/opt/wk', '/opt/wk', 'export PATH="/opt/wk:$PATH"'],
    ['/opt/$(id)`x`"\\', '/opt/$(id)`x`"\\', 'export PATH="/opt/\\$(id)\\`x\\`\\"\\\\:$PATH"'],
  ])('--dir %s is %s, added with %s', (dir, expected, line) => {
    expect(shimDir(dir, '/home/me', '/work')).toBe(expected);
    expect(pathLine(expected, '/home/me')).toBe(line);
  });
});
