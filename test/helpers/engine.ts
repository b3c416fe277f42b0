// Private Docker engines for tests, started by scripts/engine.sh (own data root, socket, exec root; no bridge).
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { EngineKind } from '../setup/engines.js';
import { makeTlsMaterial, type TlsMaterial } from './tls-certs.js';

const script = fileURLToPath(new URL('../../scripts/engine.sh', import.meta.url));

/** WK_ENGINE_PREFIX lets several checkouts run their tests at once without sharing engines. */
const prefix = process.env.WK_ENGINE_PREFIX ?? '/tmp/wk';

/** A running private engine. */
export interface PrivateEngine {
  readonly host: string;
  readonly dir: string;
  readonly kind: EngineKind;
  stop(): Promise<void>;
}

/** The engine kind of the running test's project (vitest.config.ts): what the suite's engines are by default. */
export function engineKind(): EngineKind {
  return inject('engineKind') ?? '20.10';
}

/** True for the engines with the containerd image store. */
export function isContainerdStore(kind: EngineKind = engineKind()): boolean {
  return kind !== '20.10';
}

/** A folder tag per kind, so that an engine of each kind can run at once under one name. */
const KIND_TAG: Record<EngineKind, string> = { '20.10': '', '28': '28', '28-system-containerd': '28s' };

/** A private engine that also listens on tcp://127.0.0.1:PORT with --tlsverify. */
export interface TlsEngine extends PrivateEngine {
  /** tcp://127.0.0.1:PORT, TLS only, verifying client certificates against `tls.server`'s CA. */
  readonly tlsHost: string;
  readonly tls: TlsMaterial;
}

/** Starts (or reuses) the private engine `name`; `size` is its data root's filesystem size, e.g. `512M`. */
export async function startEngine(name: string, size = '1G', kind: EngineKind = engineKind()): Promise<PrivateEngine> {
  const { host, dir, stop } = await runScript(name, size, kind, {});
  return { host, dir, kind, stop };
}

/**
 * Starts the private engine `name` listening on its unix socket AND on a free loopback tcp port with TLS (its
 * certificates made by openssl now, in a temporary folder that `stop` removes with the engine).
 */
export async function startTlsEngine(name: string, size = '1G', kind: EngineKind = engineKind()): Promise<TlsEngine> {
  const root = await mkdtemp(join(tmpdir(), 'wk-tls-'));
  try {
    const tls = await makeTlsMaterial(root);
    // The port is free when chosen, not reserved: should another process take it before dockerd binds it, dockerd
    // does not start, and another free port is tried.
    let started: Awaited<ReturnType<typeof runScript>> | undefined;
    for (let attempt = 1; started === undefined; attempt++) {
      try {
        started = await runScript(name, size, kind, { WK_ENGINE_TLS_DIR: tls.server, WK_ENGINE_TLS_PORT: String(await freePort()) });
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    if (!started.tlsHost) throw new Error('engine.sh start printed no DOCKER_TLS_HOST');
    return {
      host: started.host, dir: started.dir, kind, tlsHost: started.tlsHost, tls,
      stop: async () => {
        await started.stop();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/** The folder of the private engine `name` of `kind` (WK_ENGINE_DIR), for a script that starts the engine itself. */
export function engineDir(name: string, kind: EngineKind = engineKind()): string {
  return `${prefix}${KIND_TAG[kind]}-${name}`;
}

/** Stops the engine in `dir` (scripts/engine.sh stop: unmounted and deleted); nothing when none runs there. */
export async function stopEngineDir(dir: string, kind: EngineKind = engineKind()): Promise<void> {
  await execa('bash', [script, 'stop'], { env: { WK_ENGINE_DIR: dir, WK_ENGINE_KIND: kind } });
}

async function runScript(name: string, size: string, kind: EngineKind, extra: Record<string, string>): Promise<PrivateEngine & { tlsHost?: string }> {
  const dir = engineDir(name, kind);
  const env = { WK_ENGINE_DIR: dir, WK_ENGINE_SIZE: size, WK_ENGINE_KIND: kind, ...extra };
  const { stdout } = await execa('bash', [script, 'start'], { env });
  const host = /^DOCKER_HOST=(\S+)/m.exec(stdout)?.[1];
  if (!host) throw new Error(`engine.sh start printed no DOCKER_HOST: ${stdout}`);
  const tlsHost = /^DOCKER_TLS_HOST=(\S+)/m.exec(stdout)?.[1];
  return { host, dir, kind, ...(tlsHost ? { tlsHost } : {}), stop: () => stopEngineDir(dir, kind) };
}

/** A loopback port free now (the kernel's choice for port 0), for a listener started right after. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The busybox image every engine has (built FROM scratch around Debian's static busybox). */
export const TEST_IMAGE = 'whalekeeper-test/busybox:latest';
