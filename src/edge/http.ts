// The HTTP edge of `verify`: one GET of a replica's diagnostics, on a new connection each time, never throwing.
import { Agent as HttpAgent } from 'node:http';
import type { LookupFunction } from 'node:net';
import type { PeerCertificate } from 'node:tls';
import got, { type Agents, type Got } from 'got';
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
  // node:https (and node:tls, most of node:crypto behind it) is loaded for the first https URL only.
  const direct: { http?: Agents; https?: Agents } = {};
  const directFor = (url: URL): Agents =>
    url.protocol === 'https:'
      ? (direct.https ??= { https: new (process.getBuiltinModule('node:https').Agent)({ keepAlive: false }) })
      : (direct.http ??= { http: new HttpAgent({ keepAlive: false }) });
  const viaProxy = new Map<string, Promise<Agents>>();
  const agentsFor = async (url: URL, pinned: PinnedAddress | undefined): Promise<Agents> => {
    // A pinned address must be reached itself, so it never goes through a proxy.
    const proxy = pinned === undefined ? proxyFor(url, options.env) : undefined;
    if (proxy === undefined) return directFor(url);
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
  // What every request shares is merged into got's options once per client, not once per request: got normalises and
  // validates each option it is given (about a fifth of verify's CPU time per request over 200 loopback replicas).
  const clients = new Map<Agents, { own?: Got; bare?: Got }>();
  const clientFor = (agent: Agents, own: boolean): Got => {
    const byHeaders = clients.get(agent) ?? {};
    clients.set(agent, byHeaders);
    const key = own ? 'own' : 'bare';
    let client = byHeaders[key];
    if (client === undefined) {
      client = got.extend({
        headers: own ? headers : bare,
        agent,
        retry: { limit: 0 },
        throwHttpErrors: false,
        // One hop: the caller decides whether a redirect is followed (same origin) and within which budget.
        followRedirect: false,
        // A diagnostics body is small: no Accept-Encoding asked for, none decoded.
        decompress: false,
        https: {
          rejectUnauthorized: !options.insecure,
          // got's default, given here so that got does not load node:tls for an http URL (scripts/build.mjs).
          checkServerIdentity: (host: string, cert: PeerCertificate) => process.getBuiltinModule('node:tls').checkServerIdentity(host, cert),
          ...(options.ca === undefined ? {} : { certificateAuthority: options.ca }),
        },
        cache: false,
      });
      byHeaders[key] = client;
    }
    return client;
  };
  const inFlight = new InFlight();

  return {
    async getDiagnostics(url, pinned, timeoutMs, signal, ownHeaders = true) {
      const target = new URL(url);
      // got's timeout.request bounds this one hop, connecting and the body included; the caller gives what is left.
      const budget = Math.max(1, Math.round(timeoutMs));
      if (signal.aborted) return aborted();
      let agent: Agents;
      try {
        agent = await agentsFor(target, pinned);
      } catch (error) {
        return failure(error);
      }
      const client = clientFor(agent, ownHeaders);
      // got's stream API: its promise API wraps the same request in more layers (about a quarter of verify's CPU time
      // per request over 1,000 loopback replicas), and the body must be counted as it comes anyway.
      return new Promise<HttpAnswer>((resolve) => {
        let stream: ReturnType<Got['stream']>;
        try {
          stream = client.stream(target, { timeout: { request: budget }, ...(pinned === undefined ? {} : { dnsLookup: pinnedLookup(pinned) }) });
        } catch (error) {
          resolve(failure(error));
          return;
        }
        let status = 0;
        let contentType: string | undefined;
        let location: string | undefined;
        const chunks: Buffer[] = [];
        let size = 0;
        const settle = (answer: HttpAnswer): void => {
          inFlight.remove(signal, stream);
          resolve(answer);
        };
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
            settle({ kind: 'response', status, contentType, body: '', tooLarge: MAX_BODY_BYTES });
          }
        });
        stream.once('end', () => {
          settle({ kind: 'response', status, contentType, body: Buffer.concat(chunks).toString('utf8'), location });
          // got lets go of the request (its timers, its socket) only when the stream is destroyed, not when it ends.
          stream.destroy();
        });
        stream.once('error', (error: unknown) => settle(failure(error)));
        stream.once('close', () => settle(aborted()));
        inFlight.add(signal, stream);
      });
    },
  };
}

/**
 * The requests under way per abort signal, and one listener on each signal while any is under way. Each request does
 * not listen on the signal itself (got's `signal` option): a round of N replicas shares one signal, and removing one
 * listener of N from an EventTarget is a search, so a round cost N² (21 ms of CPU over 200 replicas in a profile).
 */
class InFlight {
  readonly #streams = new Map<AbortSignal, { streams: Set<{ destroy(error?: Error): void }>; abort: () => void }>();

  add(signal: AbortSignal, stream: { destroy(error?: Error): void }): void {
    let entry = this.#streams.get(signal);
    if (entry === undefined) {
      const streams = new Set<{ destroy(error?: Error): void }>();
      const abort = (): void => {
        this.#streams.delete(signal);
        for (const s of streams) s.destroy();
      };
      entry = { streams, abort };
      this.#streams.set(signal, entry);
      signal.addEventListener('abort', abort, { once: true });
    }
    entry.streams.add(stream);
  }

  remove(signal: AbortSignal, stream: { destroy(error?: Error): void }): void {
    const entry = this.#streams.get(signal);
    if (entry === undefined || !entry.streams.delete(stream) || entry.streams.size > 0) return;
    this.#streams.delete(signal);
    signal.removeEventListener('abort', entry.abort);
  }
}

/** A request ended by the run's abort signal (the caller discards it: the run is over). */
function aborted(): HttpAnswer {
  return { kind: 'failure', code: 'ERR_ABORTED', message: 'This operation was aborted' };
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
