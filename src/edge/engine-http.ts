// A small HTTP client for the Docker Engine API over a unix socket or tcp (with the client's TLS files).
// node:http rather than got: the engine speaks plain JSON, and a keep-alive agent is all bulk removal needs.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineAddress, type EngineTarget } from '../core/engine-target.js';
import { EngineUnreachableError, UsageError } from '../core/errors.js';

/** An answer: status, parsed JSON body (undefined when empty) and headers (the engine's `api-version` among them). */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/** Sends requests to one engine, paths as given (engine-negotiate.ts adds the API version); `close` frees its sockets. */
export interface EngineHttp {
  request(method: string, path: string, options?: { body?: unknown; timeoutMs?: number; raw?: boolean }): Promise<ApiResponse>;
  close(): void;
}

/** The message of an error answer: the engine's `{"message": ...}`, else the status. */
export function apiMessage(response: ApiResponse): string {
  const body = response.body as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : `HTTP ${response.status}`;
}

/** Connects to the engine the settings resolved; throws EngineUnreachableError for transports it cannot speak. */
export function createEngineHttp(target: EngineTarget, maxSockets = 8): EngineHttp {
  let address;
  try {
    address = engineAddress(target.host, target.tls !== undefined);
  } catch (error) {
    throw new EngineUnreachableError(target.host, (error as Error).message);
  }
  if (address.kind === 'other') throw new EngineUnreachableError(target.host, `${address.scheme}:// is not supported by ls/clean/disk; use unix:// or tcp://`);
  const tls = target.tls !== undefined || target.host.startsWith('https://');
  const agentOptions = { keepAlive: true, maxSockets };
  const agent =
    address.kind === 'unix'
      ? new HttpAgent(agentOptions)
      : tls
        ? new HttpsAgent({
            ...agentOptions,
            ...(target.tls ? tlsFiles(target.tls.certPath, target.tls.verify) : {}),
          })
        : new HttpAgent(agentOptions);
  const send = tls && address.kind === 'tcp' ? httpsRequest : httpRequest;
  const where = address.kind === 'unix' ? { socketPath: address.path } : { host: address.host, port: address.port };
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
            headers: { Host: 'docker', ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }) },
          },
          (res: IncomingMessage) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
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
        req.setTimeout(options.timeoutMs ?? 120_000, () => req.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })));
        req.on('error', (error: NodeJS.ErrnoException) => reject(new EngineUnreachableError(target.host, error.code ?? error.message, { cause: error })));
        if (payload !== undefined) req.write(payload);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

/**
 * The CA and client certificate in a DOCKER_CERT_PATH folder, as the docker client reads them: with verification
 * all three are needed (a missing one is an error naming it); with `DOCKER_TLS` alone, those present are used.
 */
function tlsFiles(certPath: string, verify: boolean): { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean } {
  const read = (name: string): Buffer | undefined => {
    const path = join(certPath, name);
    if (existsSync(path)) return readFileSync(path);
    if (!verify) return undefined;
    throw new UsageError(`TLS verification is on but \`${path}\` does not exist`, {
      hint: 'point DOCKER_CERT_PATH at the folder holding ca.pem, cert.pem and key.pem',
    });
  };
  const [ca, cert, key] = [read('ca.pem'), read('cert.pem'), read('key.pem')];
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), rejectUnauthorized: verify };
}
