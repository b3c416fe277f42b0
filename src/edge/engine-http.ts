// A small HTTP client for the Docker Engine API over a unix socket or tcp (with the client's TLS files).
// node:http rather than got: the engine speaks plain JSON, and a keep-alive agent is all bulk removal needs.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { isIP, type Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { join } from 'node:path';
import { engineAddress, type EngineTarget } from '../core/engine/target.js';
import { EngineTlsError, EngineUnreachableError, UsageError } from '../core/errors.js';
import { tlsFailure } from '../core/engine/tls-failure.js';

/** An answer: status, parsed JSON body (undefined when empty) and headers (the engine's `api-version` among them). */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/** Sends requests to one engine, paths as given (engine-negotiate.ts adds the API version); `close` frees its sockets. */
export interface EngineHttp {
  /**
   * Sends one request. Connecting, and the first byte of the answer, are bound by the engine timeout; a long
   * operation (a removal, a prune, a wait) passes `timeoutMs`, how long its answer may take once the request is sent.
   */
  request(method: string, path: string, options?: { body?: unknown; timeoutMs?: number; raw?: boolean }): Promise<ApiResponse>;
  close(): void;
}

/** How long an engine may take to accept a connection and begin an answer, unless told (`--engine-timeout`). */
export const DEFAULT_ANSWER_MS = 10_000;

/** The message of an error answer: the engine's `{"message": ...}`, else the status. */
export function apiMessage(response: ApiResponse): string {
  const body = response.body as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : `HTTP ${response.status}`;
}

/**
 * Connects to the engine the settings resolved; throws EngineUnreachableError for transports it cannot speak.
 * `answerMs` bounds connecting and hearing the first byte of each answer (and each later pause inside it).
 */
export function createEngineHttp(target: EngineTarget, maxSockets = 8, answerMs = DEFAULT_ANSWER_MS): EngineHttp {
  let address;
  try {
    address = engineAddress(target.host, target.tls !== undefined);
  } catch (error) {
    throw new EngineUnreachableError(target.host, (error as Error).message);
  }
  if (address.kind === 'other') {
    throw new UsageError(`ls, clean and disk speak the Engine API over unix:// or tcp:// only, not ${address.scheme}://`, {
      hint: `reach this engine through a unix socket or a tcp address (--host); only run and build go through the docker client, which speaks ${address.scheme}://`,
    });
  }
  if (address.kind === 'tcp' && address.path !== '' && address.path !== '/') {
    throw new UsageError(`ls, clean and disk cannot use an engine address with a path (\`${address.path}\`)`, { hint: 'use tcp://HOST:PORT' });
  }
  // TLS (DOCKER_TLS_VERIFY / DOCKER_TLS) is spoken over tcp only: a unix socket has none, and https:// was refused above.
  const tls = address.kind === 'tcp' ? target.tls : undefined;
  const secure = tls !== undefined;
  // node:https is loaded only for an engine reached over TLS: it brings node:tls and most of node:crypto with it.
  const https = secure ? process.getBuiltinModule('node:https') : undefined;
  const agentOptions = { keepAlive: true, maxSockets };
  const tlsOptions = tls !== undefined ? tlsFiles(tls.certPath, tls.verify) : {};
  const agent = https !== undefined ? new https.Agent({ ...agentOptions, ...tlsOptions }) : new HttpAgent(agentOptions);
  const send = https?.request ?? httpRequest;
  // Host and the TLS server name as the docker client sets them (client/request.go, client/client.go): on a unix
  // socket Host is `docker` and the server name means nothing (giving it, empty, spares Node's agent from working it
  // out from the Host header: its first net.isIP('docker') compiles the IPv6 pattern, 6 to 30 ms of every command's
  // start-up); on tcp Host is the address (Node's default, HOST:PORT) and the certificate is checked against the
  // address's host: a name is sent as SNI, an IP address is checked against the certificate's IP addresses. Node's
  // agent would otherwise take the server name from the Host header, and check the engine's certificate for `docker`.
  const where =
    address.kind === 'unix'
      ? { socketPath: address.path, servername: '', headers: { Host: 'docker' } }
      : { host: address.host, port: address.port, servername: isIP(address.host) === 0 ? address.host : '', headers: {} };
  // Why a request failed: a TLS failure in words (which certificate, which file), else the code or the timeout.
  const lost = (error: NodeJS.ErrnoException, cutShort: string | undefined): EngineUnreachableError => {
    const problem = tls !== undefined && cutShort === undefined ? tlsFailure(error.code, error.message, tls.certPath) : undefined;
    if (problem !== undefined) return new EngineTlsError(target.host, problem, error.code ?? 'TLS', { cause: error });
    return new EngineUnreachableError(target.host, cutShort ?? error.code ?? error.message, { cause: error });
  };
  // Liveness checks while a long operation runs go on connections of their own, never queued behind the operations.
  const pingAgent = https !== undefined ? new https.Agent({ ...tlsOptions }) : new HttpAgent();
  const alive = (): Promise<boolean> =>
    new Promise((resolve) => {
      const ping = send({ ...where, agent: pingAgent, method: 'GET', path: '/_ping' }, (res) => {
        res.resume();
        resolve(true);
      });
      const timer = setTimeout(() => ping.destroy(), answerMs);
      ping.on('close', () => clearTimeout(timer));
      ping.on('error', () => resolve(false));
      ping.end();
    });
  return {
    request: (method, path, options = {}) =>
      new Promise<ApiResponse>((resolve, reject) => {
        const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
        const req = send(
          {
            ...where,
            agent,
            method,
            path,
            headers: { ...where.headers, ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }) },
          },
          (res: IncomingMessage) => {
            const chunks: Buffer[] = [];
            timeout.answering(res);
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', (error: NodeJS.ErrnoException) => reject(lost(error, timeout.reason())));
            res.on('end', () => {
              timeout.done();
              if (options.raw) return resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers });
              const text = Buffer.concat(chunks).toString('utf8');
              let body: unknown;
              try {
                body = text === '' ? undefined : JSON.parse(text);
              } catch {
                body = { message: text.trim() };
              }
              resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
            });
          },
        );
        const timeout = boundRequest(req, answerMs, options.timeoutMs, secure, alive);
        req.on('error', (error: NodeJS.ErrnoException) => reject(lost(error, timeout.reason())));
        if (payload !== undefined) req.write(payload);
        req.end();
      }),
    close: () => {
      agent.destroy();
      pingAgent.destroy();
    },
  };
}

/** The timers of one request, and why it was cut short (undefined: it was not). */
interface RequestTimeout {
  answering(res: IncomingMessage): void;
  done(): void;
  reason(): string | undefined;
}

/**
 * Bounds one request: `answerMs` for connecting (the TLS handshake included) and for the first byte of the answer;
 * then `answerMs` for each pause in the body. A long operation's answer may take `longMs` instead, as long as the
 * engine answers a ping (GET /_ping) within `answerMs` every `answerMs` meanwhile. An engine that accepts
 * connections and never answers is thereby given up on within `answerMs` (twice that during a long operation).
 */
function boundRequest(req: ClientRequest, answerMs: number, longMs: number | undefined, secure: boolean, alive: () => Promise<boolean>): RequestTimeout {
  let timer: NodeJS.Timeout | undefined;
  let watch: NodeJS.Timeout | undefined;
  let settled = false;
  let why: string | undefined;
  const cut = (reason: string): void => {
    why = reason;
    req.destroy(new Error(reason));
  };
  const bound = (ms: number): void => {
    clearTimeout(timer);
    timer = setTimeout(() => cut(`no answer within ${seconds(ms)}${ms === answerMs ? ', --engine-timeout' : ''}`), ms);
  };
  const watchdog = (): void => {
    watch = setTimeout(async () => {
      const ok = await alive();
      if (settled) return;
      if (ok) watchdog();
      else cut(`no answer to a ping within ${seconds(answerMs)} while a long operation ran, --engine-timeout`);
    }, answerMs);
  };
  const long = (ms: number): void => {
    bound(ms);
    watchdog();
  };
  const stop = (): void => {
    settled = true;
    clearTimeout(timer);
    clearTimeout(watch);
  };
  req.on('socket', (socket: Socket) => {
    bound(answerMs);
    if (longMs === undefined) return;
    if (req.reusedSocket) long(longMs);
    else socket.once(secure ? 'secureConnect' : 'connect', () => long(longMs));
  });
  req.on('close', stop);
  return {
    answering: (res) => {
      settled = true;
      clearTimeout(watch);
      bound(answerMs);
      res.on('data', () => bound(answerMs));
    },
    done: stop,
    reason: () => why,
  };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * The CA and client certificate in a DOCKER_CERT_PATH folder, as the docker client reads them: with verification
 * all three are needed (a missing one is an error naming it); with `DOCKER_TLS` alone, those present are used.
 * They are made into one TLS context here, once: a key that does not match its certificate, or a file that is no PEM,
 * is a usage error naming the folder now (Node would otherwise throw it from inside the first request), and no
 * connection parses the files again.
 */
function tlsFiles(certPath: string, verify: boolean): { secureContext: SecureContext; rejectUnauthorized: boolean } {
  const read = (name: string): Buffer | undefined => {
    const path = join(certPath, name);
    if (existsSync(path)) return readFileSync(path);
    if (!verify) return undefined;
    throw new UsageError(`TLS verification is on but \`${path}\` does not exist`, {
      hint: 'point DOCKER_CERT_PATH at the folder holding ca.pem, cert.pem and key.pem',
    });
  };
  const [ca, cert, key] = [read('ca.pem'), read('cert.pem'), read('key.pem')];
  try {
    const secureContext = process.getBuiltinModule('node:tls').createSecureContext({ ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) });
    return { secureContext, rejectUnauthorized: verify };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new UsageError(`the TLS files in \`${certPath}\` cannot be used: ${message.replace(/^error:[0-9A-F]+:/, '')} (${code ?? 'TLS'})`, {
      hint: 'cert.pem and key.pem must be a PEM certificate and its own key, ca.pem the PEM certificate of the CA that signed the engine\'s',
      cause: error,
    });
  }
}
