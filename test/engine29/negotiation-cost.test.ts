// What the negotiation costs, counted by stand-ins in front of the shared private engine: one `GET /_ping` per command
// run (plus `GET /version` only for an engine newer than whalekeeper), however many objects; and the requests whose
// shape depends on the version, as they reach the engine.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEngine } from '../../src/edge/engine.js';
import { cleanEnv, containerIds, docker, whalekeeper } from '../helpers/cli.js';
import { TEST_IMAGE } from '../helpers/engine.js';
import { ENGINE_29, startStandIn, type SeenRequest, type StandIn } from '../helpers/engine29.js';

const host = inject('dockerHost');
const build = `cost-${Date.now()}`;
const OBJECTS = 25;

/** moby's main today (daemon/config/config.go): API 1.56, default minimum 1.40, newer than whalekeeper's newest. */
const NEWER = { engine: '30.0.0', max: '1.56', min: '1.40' };
/** Docker 20.10 as it is (API 1.41, minimum 1.12): a stand-in that only counts. */
const DOCKER_20_10 = { engine: '20.10.24', max: '1.41', min: '1.12' };

let stands: Record<'e29' | 'newer' | 'e2010', StandIn>;

beforeAll(async () => {
  stands = { e29: await startStandIn(host, ENGINE_29), newer: await startStandIn(host, NEWER), e2010: await startStandIn(host, DOCKER_20_10) };
  for (let i = 0; i < OBJECTS; i++) await docker(host, ['create', '--label', `whalekeeper.build=${build}`, TEST_IMAGE, 'true']);
});

afterAll(async () => {
  for (const stand of Object.values(stands ?? {})) await stand.close();
  const left = await containerIds(host, `label=whalekeeper.build=${build}`);
  if (left.length > 0) await docker(host, ['rm', '-f', ...left]);
});

/** The requests one whalekeeper run made through `stand`, and its exit code. */
async function seen(stand: StandIn, args: string[], extra: Record<string, string> = {}): Promise<{ code: number | undefined; requests: SeenRequest[] }> {
  const from = stand.requests.length;
  const result = await whalekeeper(args, cleanEnv(stand.host, extra));
  return { code: result.exitCode, requests: stand.requests.slice(from) };
}

const count = (requests: SeenRequest[], path: string): number => requests.filter((r) => r.url === path).length;

describe('negotiation costs one request per command run, not per object', () => {
  it.each([
    ['Engine 29 (1.52: equal to whalekeeper)', 'e29' as const, '/v1.52/', 0],
    ['Docker 20.10 (1.41: below)', 'e2010' as const, '/v1.41/', 0],
    ['a newer engine (1.56, minimum 1.40: above)', 'newer' as const, '/v1.52/', 1],
  ])('ls --images on %s', async (_name, which, prefix, versions) => {
    const negotiated = await seen(stands[which], ['--json', 'ls', '--images']);
    const pinned = await seen(stands[which], ['--json', 'ls', '--images'], { DOCKER_API_VERSION: prefix.slice(2, -1) });
    expect([negotiated.code, pinned.code]).toEqual([0, 0]);
    expect(count(negotiated.requests, '/_ping')).toBe(1);
    expect(count(negotiated.requests, '/version')).toBe(versions);
    // The same run with DOCKER_API_VERSION sends no negotiation at all, and otherwise the same requests.
    expect(count(pinned.requests, '/_ping') + count(pinned.requests, '/version')).toBe(0);
    expect(negotiated.requests.length - pinned.requests.length).toBe(1 + versions);
    expect(negotiated.requests.filter((r) => !['/_ping', '/version'].includes(r.url)).every((r) => r.url.startsWith(prefix))).toBe(true);
  });

  it(`clean of a build with ${OBJECTS} containers: one _ping for ${OBJECTS} removals`, async () => {
    const { code, requests } = await seen(stands.e29, ['--json', '--build', build, 'clean']);
    expect(code).toBe(0);
    expect(requests.filter((r) => r.method === 'DELETE' && r.url.startsWith('/v1.52/containers/'))).toHaveLength(OBJECTS);
    expect(count(requests, '/_ping')).toBe(1);
    expect(count(requests, '/version')).toBe(0);
    expect(await containerIds(host, `label=whalekeeper.build=${build}`)).toEqual([]);
  });
});

describe('requests whose shape depends on the version, on the wire', () => {
  it.each([
    ['e29' as const, '/v1.52/build/prune?reserved-space=1000000000000'],
    ['e2010' as const, '/v1.41/build/prune?keep-storage=1000000000000'],
  ])('build cache prune through %s: %s', async (which, url) => {
    const engine = createEngine({ host: stands[which].host, tls: undefined, source: 'test', passToClient: false });
    try {
      const from = stands[which].requests.length;
      // Keeping 1 TB prunes nothing: the engine answers 200 with no record deleted, which is not counted as a removal.
      expect(await engine.pruneBuildCache(1e12)).toEqual({ status: 'vanished' });
      expect(stands[which].requests.slice(from).map((r) => r.url)).toEqual(['/_ping', url]);
    } finally {
      engine.close();
    }
  });

  it.each([
    ['e29' as const, false],
    ['e2010' as const, true],
  ])('network create through %s: CheckDuplicate sent %s, a duplicate refused either way', async (which, check) => {
    const engine = createEngine({ host: stands[which].host, tls: undefined, source: 'test', passToClient: false });
    const name = `wk-dup-${which}-${Date.now()}`;
    try {
      const first = await engine.createNamedNetwork(name, { 'whalekeeper.managed': 'true' });
      expect(first.status).toBe('created');
      expect(await engine.createNamedNetwork(name, {})).toMatchObject({ status: 'exists' });
      const body = stands[which].requests.find((r) => r.url.endsWith('/networks/create'))?.body as Record<string, unknown>;
      expect('CheckDuplicate' in body).toBe(check);
    } finally {
      await docker(host, ['network', 'rm', name]).catch(() => undefined);
      engine.close();
    }
  });
});
