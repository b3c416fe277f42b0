// Speaks to one engine in the Engine API version core/engine/api.ts decides: negotiated once per client (the first
// request waits for it, the rest reuse it), every path then prefixed with it, and a refused version told apart.
import { decideApiVersion, parseRefusal, refusedApiMessage, type ApiSource, type EngineApiRange, type NegotiationInput } from '../core/engine/api.js';
import type { EngineTarget } from '../core/engine/target.js';
import { EngineAnswerError, EngineApiVersionError } from '../core/errors.js';
import { apiMessage, type ApiResponse, type EngineHttp } from './engine-http.js';

/** An EngineHttp that negotiates; `apiVersion` is the version it speaks (for requests whose shape depends on it). */
export interface NegotiatingHttp extends EngineHttp {
  apiVersion(): Promise<string>;
}

/** The error message of an answer, raw (a Buffer) or parsed. */
function messageOf(response: ApiResponse): string {
  if (!Buffer.isBuffer(response.body)) return apiMessage(response);
  const text = response.body.toString('utf8');
  try {
    return apiMessage({ ...response, body: JSON.parse(text) });
  } catch {
    return text.trim() || `HTTP ${response.status}`;
  }
}

function header(response: ApiResponse, name: string): string | undefined {
  const value = response.headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Wraps `http` (unversioned paths) for `target`. Costs: nothing with DOCKER_API_VERSION; else `GET /_ping`, plus
 * `GET /version` only when the engine's newest version is above whalekeeper's (or `_ping` says none).
 */
export function negotiating(http: EngineHttp, target: EngineTarget): NegotiatingHttp {
  let chosen: Promise<{ version: string; source: ApiSource }> | undefined;
  let range: Promise<EngineApiRange> | undefined;
  const readVersion = async (): Promise<{ api?: string; min?: string }> => {
    const response = await http.request('GET', '/version');
    const body = response.body as { ApiVersion?: unknown; MinAPIVersion?: unknown } | undefined;
    if (response.status !== 200 || typeof body !== 'object' || body === null) return {};
    return { api: typeof body.ApiVersion === 'string' ? body.ApiVersion : undefined, min: typeof body.MinAPIVersion === 'string' ? body.MinAPIVersion : undefined };
  };
  const negotiate = async (): Promise<{ version: string; source: ApiSource }> => {
    let input: NegotiationInput = { override: target.apiVersion };
    let pinged: ApiResponse | undefined;
    for (;;) {
      const decision = decideApiVersion(input);
      switch (decision.kind) {
        case 'speak':
          return decision;
        case 'refuse':
          throw new EngineApiVersionError(target.host, refusedApiMessage({ host: target.host, engine: decision.engine, reason: decision.reason }));
        case 'unknown':
          throw new EngineAnswerError(target.host, 'GET /_ping', pinged!.status, messageOf(pinged!));
        case 'ping':
          pinged = await http.request('GET', '/_ping', { raw: true });
          input = { ...input, ping: { status: pinged.status, apiVersion: header(pinged, 'api-version') } };
          break;
        case 'ask-version':
          input = { ...input, version: await readVersion() };
          break;
      }
    }
  };
  const choose = (): Promise<{ version: string; source: ApiSource }> => {
    chosen ??= negotiate();
    // A failed negotiation (engine down) is tried again by the next request rather than remembered.
    chosen.catch(() => (chosen = undefined));
    return chosen;
  };
  /** The engine's range for the message of a refusal: what the 400 said, completed by `GET /version` once. */
  const refusedRange = async (response: ApiResponse, bound: { min?: string; max?: string }): Promise<EngineApiRange> => {
    const known = { min: bound.min, max: bound.max ?? header(response, 'api-version') };
    if (known.min && known.max) return known;
    range ??= readVersion().then((v) => ({ min: known.min ?? v.min, max: known.max ?? v.api }), () => known);
    return range;
  };
  return {
    apiVersion: async () => (await choose()).version,
    request: async (method, path, options) => {
      const { version, source } = await choose();
      const response = await http.request(method, `/v${version}${path}`, options);
      const refusal = parseRefusal(response.status, response.status === 400 ? messageOf(response) : '');
      if (refusal === undefined) return response;
      const engine = await refusedRange(response, refusal);
      throw new EngineApiVersionError(target.host, refusedApiMessage({ host: target.host, engine, sent: { version, source } }));
    },
    close: () => http.close(),
  };
}
