// The HTTP edge of `verify`: one GET of a replica's diagnostics, on a new connection each time, never throwing.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import got, { type Agents } from 'got';
import type { Env } from '../core/engine/target.js';
import type { HttpAnswer } from '../core/verify/attempt.js';
import type { VerifyHeader } from '../core/verify/settings.js';
import { proxyFor } from '../core/verify/proxy.js';
import type { IncomingMessage } from 'node:http';

/** An address to connect to instead of resolving the URL's host (--all-addresses); Host and TLS name stay the URL's. */
export interface PinnedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** What `verify` asks of HTTP: one hop. Redirects are followed by the caller, which owns the deadline. */
export interface Http {
  /**
   * GETs `url` (at `pinned` if given) within `timeoutMs`, connecting and the body included; reports the answer (a
   * redirect with its Location) or the failure, never rejects. `ownHeaders` false leaves out the user's headers (a hop
   * to another origin).
   */
  getDiagnostics(url: string, pinned: PinnedAddress | undefined, timeoutMs: number, signal: AbortSignal, ownHeaders?: boolean): Promise<HttpAnswer>;
}

/** How requests are made: the headers (secret values) and TLS trust. */
export interface HttpOptions {
  readonly headers: readonly VerifyHeader[];
  /** PEM text of --ca, trusted instead of the system's CAs. */
  readonly ca: string | undefined;
  readonly insecure: boolean;
  /** The environment the proxy variables are read from. */
  readonly env: Env;
  readonly userAgent: string;
}

/** Bodies larger than this are cut off: a diagnostics answer is small, a mistaken URL might not be. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Creates the got-based Http. Agents never keep a connection alive: a load balancer routes per connection. */
export function createHttp(options: HttpOptions): Http {
  const direct: Agents = { http: new HttpAgent({ keepAlive: false }), https: new HttpsAgent({ keepAlive: false }) };
  const viaProxy = new Map<string, Promise<Agents>>();
  const agentsFor = async (url: URL, pinned: PinnedAddress | undefined): Promise<Agents> => {
    // A pinned address must be reached itself, so it never goes through a proxy.
    const proxy = pinned === undefined ? proxyFor(url, options.env) : undefined;
    if (proxy === undefined) return direct;
    let agents = viaProxy.get(proxy);
    if (agents === undefined) {
      agents = proxyAgents(proxy);
      viaProxy.set(proxy, agents);
    }
    return agents;
  };
  const bare: Record<string, string> = { 'user-agent': options.userAgent, accept: 'application/json, */*;q=0.1', 'cache-control': 'no-cache' };
  const headers: Record<string, string> = { ...bare };
  for (const header of options.headers) headers[header.name.toLowerCase()] = header.value;

  return {
    async getDiagnostics(url, pinned, timeoutMs, signal, ownHeaders = true) {
      const target = new URL(url);
      // got's timeout.request bounds this one hop, connecting and the body included; the caller gives what is left.
      const budget = Math.max(1, Math.round(timeoutMs));
      // got's stream API: its promise API wraps the same request in more layers (about a quarter of verify's CPU time
      // per request over 1,000 loopback replicas), and the body must be counted as it comes anyway.
      let agent: Agents;
      try {
        agent = await agentsFor(target, pinned);
      } catch (error) {
        return failure(error);
      }
      return new Promise<HttpAnswer>((resolve) => {
        let stream: ReturnType<typeof got.stream>;
        try {
          stream = got.stream(target, {
            headers: ownHeaders ? headers : bare,
            agent,
            timeout: { request: budget },
            retry: { limit: 0 },
            throwHttpErrors: false,
            // One hop: the caller decides whether a redirect is followed (same origin) and within which budget.
            followRedirect: false,
            https: { rejectUnauthorized: !options.insecure, ...(options.ca === undefined ? {} : { certificateAuthority: options.ca }) },
            ...(pinned === undefined ? {} : { dnsLookup: pinnedLookup(pinned) }),
            signal,
            cache: false,
          });
        } catch (error) {
          resolve(failure(error));
          return;
        }
        let status = 0;
        let contentType: string | undefined;
        let location: string | undefined;
        const chunks: Buffer[] = [];
        let size = 0;
        stream.once('response', (response: IncomingMessage) => {
          status = response.statusCode ?? 0;
          contentType = response.headers['content-type'];
          if (status >= 300 && status < 400) location = response.headers.location;
        });
        // The body is read only up to MAX_BODY_BYTES: a replica streaming megabytes cannot fill verify's memory.
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
          else {
            stream.destroy();
            resolve({ kind: 'response', status, contentType, body: '', tooLarge: MAX_BODY_BYTES });
          }
        });
        stream.once('end', () => {
          resolve({ kind: 'response', status, contentType, body: Buffer.concat(chunks).toString('utf8'), location });
          // got lets go of the request (its listener on the run's shared abort signal, its timers) only when the stream
          // is destroyed, not when it ends: without this, every finished request of a round (socket, response and all)
          // stays reachable from that signal until verify exits.
          stream.destroy();
        });
        stream.once('error', (error: unknown) => resolve(failure(error)));
      });
    },
  };
}

/** A failed request as `verify` reports it: got's error code (or ERROR) and the first line of its message. */
function failure(error: unknown): HttpAnswer {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'ERROR';
  const message = typeof e.message === 'string' ? e.message.split('\n')[0]! : String(error);
  return { kind: 'failure', code, message };
}

/** Proxy agents, loaded only when a proxy is configured (they cost start-up time). As curl: an http URL goes to the
 * proxy as an absolute-form GET, an https URL through a CONNECT tunnel (TLS to the replica still verified). */
async function proxyAgents(proxy: string): Promise<Agents> {
  const [{ HttpProxyAgent }, { HttpsProxyAgent }] = await Promise.all([import('http-proxy-agent'), import('https-proxy-agent')]);
  return { http: new HttpProxyAgent(proxy, { keepAlive: false }), https: new HttpsProxyAgent(proxy, { keepAlive: false }) };
}

/** A lookup that answers the pinned address whatever the name, so Host and the TLS server name stay the URL's. */
function pinnedLookup(pinned: PinnedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (typeof options === 'object' && options?.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  }) as unknown as LookupFunction;
}
