// The fast parser against yargs: for every command line below, what the fast parser gives a handler is what yargs gives
// it (same option values, same global flags), or the fast parser declines and the argv goes to yargs.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { fastParse, type FastParse } from '../../src/cli/fast-parse.js';
import { optionTable } from '../../src/cli/option-table.js';
import { defineCli } from '../../src/cli/parser.js';
import { COMMANDS } from '../../src/cli/registry.js';
import { splitArgv } from '../../src/core/argv.js';

const nameOf = (command: string) => command.split(' ')[0]!;

/** What yargs gives the handler, or the error it throws. */
async function viaYargs(argv: readonly string[]): Promise<FastParse | Error> {
  let seen: FastParse | undefined;
  const parser = defineCli(argv, 110, async (_definition, parsed, flags) => {
    seen = { argv: parsed, flags };
  });
  try {
    await parser.parseAsync();
  } catch (error) {
    return error as Error;
  }
  return seen ?? new Error('no command ran');
}

function viaFast(argv: readonly string[]): FastParse | undefined {
  const split = splitArgv(argv);
  const definition = COMMANDS.find((c) => nameOf(c.command) === split.command)!;
  return fastParse(optionTable(definition), split.rest, split.flags);
}

/** yargs' argv without its bookkeeping (`_`, `$0`). */
function ownKeys(argv: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(argv).filter(([key]) => key !== '_' && key !== '$0'));
}

const AGREE: readonly (readonly string[])[] = [
  ['ls'],
  ['ls', '--images'],
  ['ls', '--images', '--volumes', '--sizes'],
  ['ls', '--no-images', '--sizes=false', '--volumes=true'],
  ['--json', '-H', 'unix:///tmp/x.sock', 'ls'],
  ['ls', '--json', '-H', 'unix:///tmp/x.sock', '--engine-timeout', '3'],
  ['--build', 'b-1', 'clean'],
  ['clean', '--agent'],
  ['clean', '--agent', '--grace', '0'],
  ['clean', '--agent', '--grace=30m', '--images', 'unused', '--volumes', '--no-networks', '--build-cache', '5GB', '--target', '50%'],
  ['clean', '--agent', '--keep-image', 'node', 'alpine*'],
  ['clean', '--agent', '--keep-image', 'a', '--keep-image', 'b', '--sizes'],
  ['clean', '-n', '--agent'],
  ['clean', '--dry-run', '--agent', '--measure-image', 'busybox'],
  ['clean', '--agent', '--every', '10m', '--high', '85%'],
  ['--verbose', 'clean', '--agent', '--json'],
  ['disk'],
  ['disk', '--warn', '80%', '--fail', '90%'],
  ['disk', '--no-breakdown'],
  ['disk', '--prometheus', '/tmp/x.prom', '--measure-image', 'busybox'],
  ['verify', 'http://127.0.0.1:1/'],
  ['verify', 'http://a', 'http://b', '--expect', '209', '--stable', '1', '--timeout', '30s'],
  ['verify', '--replicas', '3', 'http://a'],
  ['verify', '--replicas=2', '--stable', '3', '--stable', '4', 'http://a'],
  ['verify', '--header', 'A: b', '--header', 'C: d', 'http://a'],
  ['verify', '--all-addresses', '--allow-newer', '--insecure', 'http://a'],
  ['verify', '--field', 'build.number', '--ca', 'x.pem', '--junit', 'r.xml', '--request-timeout', '2s', '--interval', '1s', 'http://a'],
  ['verify', '--header-env', 'Authorization=TOK', 'http://a', '--expect', '007'],
  ['--json', 'verify', '--expect', '209', 'http://a', 'http://b', '-v'],
  ['audit'],
  ['audit', '.'],
  ['audit', 'a', 'b', '--fix'],
  ['audit', '--fix'],
  ['audit', '--no-fix', 'Jenkinsfile'],
  ['shim', 'install'],
  ['shim', 'install', '--dir', '/tmp/x'],
  ['shim', 'print'],
  ['shim', 'uninstall', '--dir=/tmp/y'],
];

/** Command lines the fast parser leaves to yargs (help, mistakes, forms it does not reproduce). */
const DECLINED: readonly (readonly string[])[] = [
  ['ls', '--bogus'],
  ['ls', 'extra'],
  ['ls', '--help'],
  ['ls', '-h'],
  ['ls', '--version'],
  ['ls', '--images', 'true'],
  ['ls', '--images=maybe'],
  ['ls', '--images', '--images'],
  ['--json', 'ls', '--json'],
  ['clean', '--images', 'sometimes'],
  ['clean', '--grace'],
  ['clean', '--build-cache', '--agent'],
  ['clean', '-nv'],
  ['disk', '--warn'],
  ['verify'],
  ['verify', '--replicas', 'x', 'http://a'],
  ['verify', '--expect', '-1', 'http://a'],
  ['audit', '--', 'x'],
  ['shim'],
  ['shim', 'frobnicate'],
  ['shim', 'install', 'twice'],
];

describe('the fast parser reads what yargs reads', () => {
  it('every command has its own bundle and a table the fast parser reproduces exactly', () => {
    const bundles = readdirSync(new URL('../../src/cli/bundles/', import.meta.url)).map((f) => f.replace(/\.ts$/, ''));
    expect(bundles.sort()).toEqual(COMMANDS.map((c) => nameOf(c.command)).sort());
    for (const definition of COMMANDS) expect(optionTable(definition).exact, definition.command).toBe(true);
  });

  it.each(AGREE.map((argv) => [argv.join(' '), argv]))('%s', async (_name, argv) => {
    const fast = viaFast(argv);
    const yargs = await viaYargs(argv);
    expect(yargs).not.toBeInstanceOf(Error);
    expect(fast).toBeDefined();
    expect(fast!.flags).toEqual((yargs as FastParse).flags);
    expect(ownKeys(fast!.argv)).toEqual(ownKeys((yargs as FastParse).argv));
  });

  it.each(DECLINED.map((argv) => [argv.join(' '), argv]))('declines %s', (_name, argv) => {
    expect(viaFast(argv)).toBeUndefined();
  });

  it('a builder call it cannot reproduce leaves the whole command to yargs', () => {
    const definition = { command: 'x', describe: '', builder: (y: never) => (y as { check(f: unknown): unknown }).check(() => true), handler: async () => 0 };
    expect(optionTable(definition as never).exact).toBe(false);
    const coerced = { ...definition, builder: (y: never) => (y as { option(n: string, s: unknown): unknown }).option('n', { type: 'number', coerce: Math.abs }) };
    expect(optionTable(coerced as never).exact).toBe(false);
    expect(fastParse(optionTable(coerced as never), [], {})).toBeUndefined();
  });
});
