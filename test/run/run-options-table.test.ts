// The option table must agree with the installed docker client, so that a flag it does not know fails here, not for a user.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { HIDDEN_RUN_OPTIONS, RUN_OPTIONS, longOfShort } from '../../src/core/docker-run-options.js';

interface HelpFlag {
  long: string;
  short: string | undefined;
  boolean: boolean;
}

/** Reads `docker run --help`: `  -d, --detach   Run…` (boolean) or `      --name string   Assign…` (takes a value). */
function parseHelp(text: string): HelpFlag[] {
  const flags: HelpFlag[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s+(?:-(\w), )?--([\w-]+)(?: ([a-z][\w-]*))?\s{2,}/.exec(line);
    if (match) flags.push({ short: match[1], long: match[2]!, boolean: match[3] === undefined });
  }
  return flags;
}

describe('the docker run option table', async () => {
  const { stdout } = await execa('docker', ['run', '--help'], { env: { DOCKER_HOST: 'unix:///nonexistent' } });
  const flags = parseHelp(stdout);

  it('reads a plausible help text', () => {
    expect(flags.length).toBeGreaterThan(80);
    expect(flags).toContainEqual({ short: 'd', long: 'detach', boolean: true });
    expect(flags).toContainEqual({ short: undefined, long: 'name', boolean: false });
  });

  it.each(flags.map((f) => [f.long, f] as const))('knows --%s as docker does', (_long, flag) => {
    const spec = RUN_OPTIONS.get(flag.long);
    expect(spec, `docker run --${flag.long} is missing from src/core/docker-run-options.ts`).toBeDefined();
    expect(spec!.boolean).toBe(flag.boolean);
    if (flag.short) expect(longOfShort(flag.short)).toBe(flag.long);
  });

  it('has no entry docker does not know (hidden aliases listed as such)', () => {
    const known = new Set([...flags.map((f) => f.long), ...HIDDEN_RUN_OPTIONS]);
    expect([...RUN_OPTIONS.keys()].filter((long) => !known.has(long))).toEqual([]);
  });
});
