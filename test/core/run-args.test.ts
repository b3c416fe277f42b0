import { describe, expect, it } from 'vitest';
import { RunRefusedError, UsageError } from '../../src/core/errors.js';
import { maskDockerArgv } from '../../src/core/mask-docker.js';
import { displayArgv, escapeControl, maskSecrets, maskUrlSecrets, urlSecrets } from '../../src/core/mask.js';
import { parseRunArgs, planRun, isRunHelp } from '../../src/core/run-args.js';

const ctx = { runId: 'r-1', build: 'jenkins-app-42', version: '1.2.3' };

describe('parseRunArgs finds the image as docker does', () => {
  it.each([
    [['img'], 0],
    [['-it', 'img', 'sh'], 1],
    [['-itd', 'img'], 1],
    [['-e', 'A=1', 'img'], 2],
    [['-e', 'A', 'img'], 2],
    [['-eA=1', 'img'], 1],
    [['-e=A=1', 'img'], 1],
    [['--env=A=1', 'img'], 1],
    [['--name', 'x', '--rm', 'img', '--rm=false'], 3],
    [['-v', '/a:/b', '-w', '/b', 'img', 'ls', '-la'], 4],
    [['--network', 'host', '-p', '80:80', 'img'], 4],
    [['--sig-proxy=false', 'img'], 1],
    [['-d=true', 'img'], 1],
    [['-it', '-u', '0', 'img', '--help'], 3],
    [['--', 'img'], 1],
    [['-tiv', '/x:/y', 'img'], 2],
  ])('%j: image at %i', (args, index) => {
    expect(parseRunArgs(args).positionalIndex).toBe(index);
  });

  it.each([
    [['--no-such-flag', 'img'], /unknown flag: --no-such-flag/],
    [['-Z', 'img'], /unknown shorthand flag: 'Z'/],
    [['-ZeTOKEN=hunter2', 'img'], /^docker run: unknown shorthand flag: 'Z'$/],
    [['--name'], /flag needs an argument: --name/],
  ])('%j is refused as docker refuses it, exit 125', (args, message) => {
    expect(() => parseRunArgs(args)).toThrow(message);
    try {
      parseRunArgs(args);
    } catch (error) {
      expect((error as UsageError).exitCode).toBe(125);
    }
  });
});

describe('planRun', () => {
  it('adds --rm and the labels after the user\'s options (so they win), and changes nothing else', () => {
    const plan = planRun(['-it', '--name', 'n', '--label', 'whalekeeper.run=mine', 'img', 'sh', '-c', 'exit 3'], ctx);
    expect(plan.dockerArgs).toEqual([
      'run', '-it', '--name', 'n', '--label', 'whalekeeper.run=mine', '--rm',
      '--label', 'whalekeeper.managed=true', '--label', 'whalekeeper.run=r-1', '--label', 'whalekeeper.version=1.2.3',
      '--label', 'whalekeeper.build=jenkins-app-42',
      'img', 'sh', '-c', 'exit 3',
    ]);
    expect(plan.image).toBe('img');
    expect(plan.detached).toBe(false);
  });

  it('puts its options before a `--` that ends the user\'s', () => {
    expect(planRun(['-d', '--', 'img', 'true'], ctx).dockerArgs.slice(-4)).toEqual(['whalekeeper.build=jenkins-app-42', '--', 'img', 'true']);
  });

  it('labels the scope when one is given (--scope, WHALEKEEPER_SCOPE), after the build', () => {
    expect(planRun(['img'], { ...ctx, scope: 'blk-1' }).dockerArgs.slice(-3)).toEqual(['--label', 'whalekeeper.scope=blk-1', 'img']);
    expect(planRun(['img'], ctx).dockerArgs.join(' ')).not.toContain('whalekeeper.scope');
  });

  it('labels no build when none is known', () => {
    expect(planRun(['img'], { ...ctx, build: undefined }).dockerArgs.join(' ')).not.toContain('whalekeeper.build');
  });

  it.each([[['-d', 'img']], [['-itd', 'img']], [['--detach', 'img']], [['--detach=true', 'img']]])('%j is detached', (args) => {
    expect(planRun(args, ctx).detached).toBe(true);
  });

  it.each([[['--detach=false', 'img']], [['img', '-d']]])('%j is not detached', (args) => {
    expect(planRun(args, ctx).detached).toBe(false);
  });

  it.each([
    [['--rm=false', 'img'], /refused `--rm=false`/],
    [['--rm=0', 'img'], /refused `--rm=0`/],
    [['--rm=False', 'img'], /refused `--rm=False`/],
    [['--restart', 'always', 'img'], /refused `--restart always`/],
    [['--restart=on-failure:3', 'img'], /refused `--restart on-failure:3`/],
    [['--restart=unless-stopped', 'img'], /refused `--restart unless-stopped`/],
  ])('refuses %j with exit 125 and names the flag', (args, message) => {
    expect(() => planRun(args, ctx)).toThrow(RunRefusedError);
    expect(() => planRun(args, ctx)).toThrow(message);
    expect(new RunRefusedError('x').exitCode).toBe(125);
  });

  it.each([[['--restart=no', 'img']], [['--rm', 'img']], [['--rm=true', 'img']], [['img', '--rm=false']], [['img', '--restart', 'always']]])(
    'accepts %j (after the image, arguments belong to the container)',
    (args) => {
      expect(planRun(args, ctx).dockerArgs).toContain('img');
    },
  );

  it('needs an image', () => {
    expect(() => planRun(['-it'], ctx)).toThrow(/requires at least 1 argument/);
    expect(() => planRun([], ctx)).toThrow(UsageError);
  });

  it('--help among the options asks for help', () => {
    expect(isRunHelp(['--help'])).toBe(true);
    expect(isRunHelp(['-it', '--help'])).toBe(true);
    expect(isRunHelp(['img', '--help'])).toBe(false);
    expect(isRunHelp(['-h', 'myhost', 'img'])).toBe(false);
  });
});

describe('masking', () => {
  it.each([
    [['run', '-e', 'TOKEN=s3cret', 'img'], ['run', '-e', 'TOKEN=***', 'img']],
    [['run', '--env', 'A=b=c', 'img'], ['run', '--env', 'A=***', 'img']],
    [['run', '--env=A=s3cret', 'img'], ['run', '--env=A=***', 'img']],
    [['run', '-eA=s3cret', 'img'], ['run', '-eA=***', 'img']],
    [['run', '-ite', 'A=s3cret', 'img'], ['run', '-ite', 'A=***', 'img']],
    [['run', '-e', 'TOKEN', 'img'], ['run', '-e', 'TOKEN', 'img']],
    [['run', 'img', '-e', 'A=visible'], ['run', 'img', '-e', 'A=visible']],
    [['--host', 'unix:///x', 'run', '-e', 'A=s3cret', 'img'], ['--host', 'unix:///x', 'run', '-e', 'A=***', 'img']],
    [['build', '--build-arg', 'NPM_TOKEN=s3cret', '.'], ['build', '--build-arg', 'NPM_TOKEN=***', '.']],
    [['run', '--bogus', '-e', 'A=s3cret', 'img'], ['run', '--bogus', '-e', 'A=***', 'img']],
    [['--host', 'unix:///x', 'run', '-ie', 'A=s3cret', '-eB=s3cret', 'img'], ['--host', 'unix:///x', 'run', '-ie', 'A=***', '-eB=***', 'img']],
    [['-H', 'tcp://h:1', '--tlsverify', 'container', 'run', '-eB=s3cret', 'img'], ['-H', 'tcp://h:1', '--tlsverify', 'container', 'run', '-eB=***', 'img']],
    [['run', '--log-opt', 'splunk-token=s3cret', 'img'], ['run', '--log-opt', 'splunk-token=***', 'img']],
    [['run', '--bogus', '-ie', 'A=s3cret', '-eB=s3cret', '-itd', 'img'], ['run', '--bogus', '-ie', 'A=***', '-eB=***', '-itd', 'img']],
    [['-H', 'tcp://user:pw@h:1', 'run', 'img'], ['-H', 'tcp://***@h:1', 'run', 'img']],
    [['--host=tcp://h:1/?token=s3cret', 'build', '.'], ['--host=tcp://h:1/?token=***', 'build', '.']],
    [['--host', 'tcp://h:1/?a=1&token=s3cret', 'ps'], ['--host', 'tcp://h:1/?a=***&token=***', 'ps']],
    [['-Htcp://u:p@h:1', 'run', 'img', '-H', 'tcp://u:p@h:1'], ['-Htcp://***@h:1', 'run', 'img', '-H', 'tcp://u:p@h:1']],
  ])('%j', (argv, masked) => {
    expect(maskDockerArgv(argv)).toEqual(masked);
  });

  it.each([
    ['tcp://user:pw@h:2375', 'tcp://***@h:2375'],
    ['tcp://p%40ss:w@rd@h:2375/', 'tcp://***@h:2375/'],
    ['tcp://h:2375/?token=abc&x=', 'tcp://h:2375/?token=***&x=***'],
    ['tcp://TOKEN@h', 'tcp://***@h'],
    ['ssh://me@host', 'ssh://me@host'],
    ['ssh://me:pw@host', 'ssh://***@host'],
    ['unix:///var/run/docker.sock', 'unix:///var/run/docker.sock'],
  ])('engine URL %s is shown as %s', (url, shown) => {
    expect(maskUrlSecrets(url)).toBe(shown);
  });

  it('lists an engine URL\'s secrets, raw and decoded', () => {
    expect(urlSecrets('tcp://us%3Aer:pa%40ss@h:1/?token=t0k%20en')).toEqual(['us%3Aer:pa%40ss', 'us:er:pa@ss', 'pa%40ss', 'pa@ss', 't0k%20en', 't0k en']);
    expect(urlSecrets('ssh://me@host')).toEqual([]);
  });

  it('masks registered secrets anywhere in a line', () => {
    expect(maskSecrets('Authorization: Bearer abc123 and abc123', ['abc123'])).toBe('Authorization: Bearer *** and ***');
  });

  it('masks secrets after JSON or XML encoding too', () => {
    const secret = 'p"a<s>s&\\w\'d';
    expect(maskSecrets(JSON.stringify({ header: secret }), [secret])).toBe('{"header":"***"}');
    const xml = `<failure message="${secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')}"/>`;
    expect(maskSecrets(xml, [secret])).toBe('<failure message="***"/>');
  });

  it('quotes and escapes for display, one line always', () => {
    expect(displayArgv(['run', 'a b', "it's", 'x\ny', 'plain=1'])).toBe("run 'a b' 'it'\\''s' 'x\\ny' plain=1");
    expect(escapeControl('a\u001b[31mred')).toBe('a\\x1b[31mred');
  });
});
