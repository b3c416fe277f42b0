import { describe, expect, it } from 'vitest';
import {
  buildPruneQuery,
  compareApi,
  decideApiVersion,
  NEWEST_API,
  OLDEST_API,
  parseRefusal,
  refusedApiMessage,
  uniqueNetworkBody,
  type NegotiationInput,
} from '../../src/core/engine/api.js';
import { UsageError } from '../../src/core/errors.js';

const ping = (apiVersion: string | undefined, status = 200): NegotiationInput['ping'] => ({ status, apiVersion });

describe('Engine API negotiation', () => {
  it('whalekeeper speaks 1.41 (Docker 20.10) to 1.52 (Engine 29)', () => {
    expect([OLDEST_API, NEWEST_API]).toEqual(['1.41', '1.52']);
  });

  it.each<[string, NegotiationInput, ReturnType<typeof decideApiVersion>]>([
    ['nothing known yet: ping', { override: undefined }, { kind: 'ping' }],
    ['engine max below ours (20.10): its max', { override: undefined, ping: ping('1.41') }, { kind: 'speak', version: '1.41', source: 'negotiated' }],
    ['engine max between (25.0)', { override: undefined, ping: ping('1.44') }, { kind: 'speak', version: '1.44', source: 'negotiated' }],
    ['engine max equal to ours (29.0)', { override: undefined, ping: ping('1.52') }, { kind: 'speak', version: '1.52', source: 'negotiated' }],
    ['engine max above ours: its minimum is needed first', { override: undefined, ping: ping('1.56') }, { kind: 'ask-version' }],
    ['engine max above ours, minimum below ours: ours', { override: undefined, ping: ping('1.56'), version: { api: '1.56', min: '1.40' } }, { kind: 'speak', version: '1.52', source: 'negotiated' }],
    ['engine max above ours, minimum equal to ours', { override: undefined, ping: ping('1.56'), version: { api: '1.56', min: '1.52' } }, { kind: 'speak', version: '1.52', source: 'negotiated' }],
    [
      'engine minimum above ours: refused, never spoken to below its minimum',
      { override: undefined, ping: ping('1.60'), version: { api: '1.60', min: '1.53' } },
      { kind: 'refuse', reason: 'engine-too-new', engine: { min: '1.53', max: '1.60' } },
    ],
    ['engine max above ours, /version failed: ours', { override: undefined, ping: ping('1.56'), version: {} }, { kind: 'speak', version: '1.52', source: 'negotiated' }],
    ['engine older than whalekeeper supports (19.03)', { override: undefined, ping: ping('1.40') }, { kind: 'refuse', reason: 'engine-too-old', engine: { min: undefined, max: '1.40' } }],
    ['numeric, not string, comparison (1.9 < 1.41)', { override: undefined, ping: ping('1.9') }, { kind: 'refuse', reason: 'engine-too-old', engine: { min: undefined, max: '1.9' } }],
    ['_ping without the header (engines before API 1.25): ask /version', { override: undefined, ping: ping(undefined) }, { kind: 'ask-version' }],
    [
      '_ping without the header, /version says 1.24',
      { override: undefined, ping: ping(undefined), version: { api: '1.24', min: '1.12' } },
      { kind: 'refuse', reason: 'engine-too-old', engine: { min: '1.12', max: '1.24' } },
    ],
    [
      '_ping without the header and no /version: 1.24, as the docker client assumes',
      { override: undefined, ping: ping(undefined), version: {} },
      { kind: 'refuse', reason: 'engine-too-old', engine: { min: undefined, max: '1.24' } },
    ],
    ['_ping 404 without the header (a proxy), /version answers', { override: undefined, ping: ping(undefined, 404), version: { api: '1.45', min: '1.24' } }, { kind: 'speak', version: '1.45', source: 'negotiated' }],
    ['_ping 404 and /version failed: unknown', { override: undefined, ping: ping(undefined, 404), version: {} }, { kind: 'unknown' }],
    ['_ping 500 with the header (every answer carries it)', { override: undefined, ping: ping('1.43', 500) }, { kind: 'speak', version: '1.43', source: 'negotiated' }],
    ['DOCKER_API_VERSION: as given, no request', { override: '1.41' }, { kind: 'speak', version: '1.41', source: 'DOCKER_API_VERSION' }],
    ['DOCKER_API_VERSION with a v, and beyond our range', { override: 'v1.60' }, { kind: 'speak', version: '1.60', source: 'DOCKER_API_VERSION' }],
    ['DOCKER_API_VERSION wins over a ping', { override: '1.45', ping: ping('1.52') }, { kind: 'speak', version: '1.45', source: 'DOCKER_API_VERSION' }],
  ])('%s', (_name, input, expected) => {
    expect(decideApiVersion(input)).toEqual(expected);
  });

  it('a malformed DOCKER_API_VERSION is a usage error quoting it', () => {
    expect(() => decideApiVersion({ override: 'latest' })).toThrow(UsageError);
    expect(() => decideApiVersion({ override: 'latest' })).toThrow(/DOCKER_API_VERSION.*`latest`/);
  });

  it.each([
    ['1.9', '1.41', -1],
    ['1.52', '1.52', 0],
    ['2.0', '1.99', 1],
  ])('compares %s with %s', (a, b, sign) => expect(Math.sign(compareApi(a, b))).toBe(sign));
});

describe('refusals', () => {
  it.each([
    [400, 'client version 1.41 is too old. Minimum supported API version is 1.44, please upgrade your client to a newer version', { sent: '1.41', min: '1.44' }],
    [400, 'client version 1.60 is too new. Maximum supported API version is 1.52', { sent: '1.60', max: '1.52' }],
    [400, 'invalid filter', undefined],
    [500, 'client version 1.41 is too old. Minimum supported API version is 1.44', undefined],
  ])('%s %s', (status, message, expected) => expect(parseRefusal(status, message)).toEqual(expected));

  it('one line naming the engine range, what whalekeeper speaks and DOCKER_API_VERSION', () => {
    const line = refusedApiMessage({ host: 'unix:///d.sock', engine: { min: '1.44', max: '1.52' }, sent: { version: '1.41', source: 'DOCKER_API_VERSION' } });
    expect(line).toBe(
      'the Docker engine at unix:///d.sock refuses Engine API 1.41 (set by DOCKER_API_VERSION): it accepts Engine API 1.44 to 1.52, whalekeeper speaks 1.41 to 1.52; unset DOCKER_API_VERSION to negotiate, or set it within 1.44 to 1.52',
    );
    expect(line).not.toMatch(/\n|cannot reach/);
  });

  it.each([
    [{ reason: 'engine-too-old' as const, engine: { min: undefined, max: '1.40' } }, /accepts Engine API up to 1\.40, whalekeeper speaks 1\.41 to 1\.52; upgrade the engine.*DOCKER_API_VERSION/],
    [{ reason: 'engine-too-new' as const, engine: { min: '1.53', max: '1.60' } }, /accepts Engine API 1\.53 to 1\.60, whalekeeper speaks 1\.41 to 1\.52; upgrade whalekeeper.*DOCKER_API_VERSION/],
    [{ engine: { min: '1.44', max: '1.52' }, sent: { version: '1.43', source: 'negotiated' as const } }, /refuses Engine API 1\.43 \(negotiated\).*set DOCKER_API_VERSION to a version within 1\.44 to 1\.52/],
  ])('%j', (p, pattern) => expect(refusedApiMessage({ host: 'h', ...p })).toMatch(pattern));
});

describe('requests whose shape depends on the version', () => {
  it.each([
    ['1.41', 'keep-storage=5'],
    ['1.47', 'keep-storage=5'],
    ['1.48', 'reserved-space=5'],
    ['1.52', 'reserved-space=5'],
  ])('build cache prune at %s: %s', (version, query) => expect(buildPruneQuery(version, 5)).toBe(query));

  it.each([
    ['1.41', true],
    ['1.43', true],
    ['1.44', undefined],
    ['1.52', undefined],
  ])('network create at %s: CheckDuplicate %s', (version, check) => {
    expect(uniqueNetworkBody(version, { Name: 'n' })).toEqual(check ? { Name: 'n', CheckDuplicate: true } : { Name: 'n' });
  });
});
