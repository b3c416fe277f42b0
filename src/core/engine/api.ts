// The Engine API version whalekeeper speaks to an engine, negotiated as the docker client does, and the requests
// whose shape depends on it. Pure: the edge (src/edge/engine-negotiate.ts) asks the engine what this module says to.
//
// Documented in moby's api/docs/CHANGELOG.md ("Engine API version history") and the version middleware
// (daemon/server/middleware/version.go): every answer carries `Api-Version` (the engine's newest), `GET /version`
// carries `MinAPIVersion` (since API 1.25), and a versioned path outside the engine's range answers 400
// `client version X is too old. Minimum supported API version is Y, …` or `… is too new. Maximum supported API version is Z`.
import { UsageError } from '../errors.js';
import { maskUrlSecrets } from '../mask.js';

/** The oldest Engine API whalekeeper speaks: Docker 20.10's (its tests' private engine), hence Docker 20.10 and later. */
export const OLDEST_API = '1.41';

/** The newest Engine API whalekeeper is tested with: Docker Engine 29.0's (test/helpers/engine29.ts stands in for it). */
export const NEWEST_API = '1.52';

/** The version docker assumes for an engine whose `_ping` carries no `API-Version` (engines before API 1.25). */
const HEADERLESS_API = '1.24';

/** A version as "major.minor" numbers, so that 1.9 < 1.41 (a string comparison gets it wrong). */
export function parseApiVersion(text: string | undefined): readonly [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)$/.exec((text ?? '').trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Compares two well-formed versions: negative when a is older than b. */
export function compareApi(a: string, b: string): number {
  const [x, y] = [parseApiVersion(a) ?? [0, 0], parseApiVersion(b) ?? [0, 0]];
  return x[0] - y[0] || x[1] - y[1];
}

/** Where the version whalekeeper speaks came from. */
export type ApiSource = 'negotiated' | 'DOCKER_API_VERSION';

/** What the engine accepts, as far as it told (`min` unknown until `GET /version` is read). */
export interface EngineApiRange {
  readonly min: string | undefined;
  readonly max: string | undefined;
}

/** What is known so far: `DOCKER_API_VERSION`, the `_ping` answer, and `GET /version` once asked (`{}` when it failed). */
export interface NegotiationInput {
  readonly override: string | undefined;
  readonly ping?: { readonly status: number; readonly apiVersion: string | undefined };
  readonly version?: { readonly api?: string | undefined; readonly min?: string | undefined };
}

/** The next step of a negotiation: a request to make, or the outcome. */
export type ApiDecision =
  | { readonly kind: 'ping' }
  /** `GET /version`: its `MinAPIVersion` (the engine's newest is above whalekeeper's) or `ApiVersion` (no header). */
  | { readonly kind: 'ask-version' }
  | { readonly kind: 'speak'; readonly version: string; readonly source: ApiSource }
  /** The engine and whalekeeper share no version: `engine` is what it accepts. */
  | { readonly kind: 'refuse'; readonly reason: 'engine-too-old' | 'engine-too-new'; readonly engine: EngineApiRange }
  /** Neither `_ping` nor `/version` said a version: the `_ping` answer is reported as the engine's error. */
  | { readonly kind: 'unknown' };

/**
 * Decides as the docker client does: `DOCKER_API_VERSION` is used as given, with no request; otherwise the lower of
 * the engine's newest (`_ping`'s `API-Version`) and NEWEST_API, never below the engine's `MinAPIVersion` (read only
 * when the engine's newest is above NEWEST_API, the one case where it can matter) and never below OLDEST_API.
 */
export function decideApiVersion(input: NegotiationInput): ApiDecision {
  if (input.override !== undefined) {
    const parsed = parseApiVersion(input.override);
    if (!parsed) throw new UsageError(`DOCKER_API_VERSION takes an Engine API version such as \`${NEWEST_API}\`, not \`${input.override}\``);
    return { kind: 'speak', version: parsed.join('.'), source: 'DOCKER_API_VERSION' };
  }
  if (!input.ping) return { kind: 'ping' };
  const { ping, version } = input;
  const ok = ping.status >= 200 && ping.status < 300;
  const max = [ping.apiVersion, version?.api].find((v) => parseApiVersion(v) !== undefined) ?? (ok && version ? HEADERLESS_API : undefined);
  if (max === undefined) return version ? { kind: 'unknown' } : { kind: 'ask-version' };
  const min = parseApiVersion(version?.min) ? version!.min : undefined;
  const engine = { min, max: parseApiVersion(max)!.join('.') };
  if (compareApi(max, OLDEST_API) < 0) return { kind: 'refuse', reason: 'engine-too-old', engine };
  if (compareApi(max, NEWEST_API) <= 0) return { kind: 'speak', version: engine.max, source: 'negotiated' };
  if (!version) return { kind: 'ask-version' };
  // An engine without MinAPIVersion (it is there since API 1.25) is taken to accept ours; one whose minimum is above
  // ours is refused rather than spoken to in an untested version (API 1.53 drops /system/df's fields clean reads).
  if (min !== undefined && compareApi(min, NEWEST_API) > 0) return { kind: 'refuse', reason: 'engine-too-new', engine };
  return { kind: 'speak', version: NEWEST_API, source: 'negotiated' };
}

/** An engine's 400 for a version outside its range: the version sent, and the bound it broke. */
export interface Refusal {
  readonly sent: string;
  readonly min?: string;
  readonly max?: string;
}

/** Recognises the engine's refusal of a version (moby's versionUnsupportedError, a 400), else undefined. */
export function parseRefusal(status: number, message: string): Refusal | undefined {
  if (status !== 400) return undefined;
  const match = /client version (\S+) is too (old|new)\. (?:Minimum|Maximum) supported API version is (\d+\.\d+)/.exec(message);
  if (!match) return undefined;
  return match[2] === 'old' ? { sent: match[1]!, min: match[3]! } : { sent: match[1]!, max: match[3]! };
}

function rangeText(range: EngineApiRange): string {
  if (range.min && range.max) return `${range.min} to ${range.max}`;
  if (range.max) return `up to ${range.max}`;
  return range.min ? `${range.min} and later` : 'an unknown range';
}

const OURS = `whalekeeper speaks ${OLDEST_API} to ${NEWEST_API}`;

/**
 * The one line of a refused version: what failed, the engine's range, what whalekeeper speaks, and how to change it.
 * `sent` is undefined when no version was sent (the negotiation found none in common).
 */
export function refusedApiMessage(p: {
  host: string;
  engine: EngineApiRange;
  sent?: { version: string; source: ApiSource };
  reason?: 'engine-too-old' | 'engine-too-new';
}): string {
  const accepts = `it accepts Engine API ${rangeText(p.engine)}`;
  if (p.sent === undefined) {
    const fix =
      p.reason === 'engine-too-old'
        ? 'upgrade the engine to Docker 20.10 or later, or set DOCKER_API_VERSION to force an older version (untested)'
        : 'upgrade whalekeeper, or set DOCKER_API_VERSION to force a version it accepts (untested)';
    return `the Docker engine at ${maskUrlSecrets(p.host)} shares no Engine API version with whalekeeper: ${accepts}, ${OURS}; ${fix}`;
  }
  const within = p.engine.min && p.engine.max ? ` within ${p.engine.min} to ${p.engine.max}` : '';
  const fix =
    p.sent.source === 'DOCKER_API_VERSION'
      ? `unset DOCKER_API_VERSION to negotiate, or set it${within || ' to a version the engine accepts'}`
      : `set DOCKER_API_VERSION to a version${within || ' the engine accepts'}`;
  const how = p.sent.source === 'DOCKER_API_VERSION' ? 'set by DOCKER_API_VERSION' : 'negotiated';
  return `the Docker engine at ${maskUrlSecrets(p.host)} refuses Engine API ${p.sent.version} (${how}): ${accepts}, ${OURS}; ${fix}`;
}

/**
 * The query of `POST /build/prune` keeping `bytes` of cache. API 1.48 renamed `keep-storage` to `reserved-space`
 * and deprecated the old name (Engine 29 still reads it as a fallback, older engines know only `keep-storage`): an
 * engine that ignored the name it does not know would prune the whole cache.
 */
export function buildPruneQuery(version: string, bytes: number): string {
  return compareApi(version, '1.48') >= 0 ? `reserved-space=${bytes}` : `keep-storage=${bytes}`;
}

/**
 * The body of `POST /networks/create` for a network the engine must refuse to create twice (the clean lock).
 * Before API 1.44 that refusal needs `CheckDuplicate: true`; since 1.44 a duplicate name always fails (409) and the
 * field is deprecated, so it is no longer sent.
 */
export function uniqueNetworkBody(version: string, fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return compareApi(version, '1.44') >= 0 ? { ...fields } : { ...fields, CheckDuplicate: true };
}
