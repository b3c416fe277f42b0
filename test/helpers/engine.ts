// Private Docker engines for tests, started by scripts/engine.sh (own data root, socket, exec root; no bridge).
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/engine.sh', import.meta.url));

/** WK_ENGINE_PREFIX lets several checkouts run their tests at once without sharing engines. */
const prefix = process.env.WK_ENGINE_PREFIX ?? '/tmp/wk';

/** A running private engine. */
export interface PrivateEngine {
  readonly host: string;
  readonly dir: string;
  stop(): Promise<void>;
}

/** Starts (or reuses) the private engine `name`; `size` is its data root's filesystem size, e.g. `512M`. */
export async function startEngine(name: string, size = '1G'): Promise<PrivateEngine> {
  const dir = `${prefix}-${name}`;
  const env = { WK_ENGINE_DIR: dir, WK_ENGINE_SIZE: size };
  const { stdout } = await execa('bash', [script, 'start'], { env });
  const host = /DOCKER_HOST=(\S+)/.exec(stdout)?.[1];
  if (!host) throw new Error(`engine.sh start printed no DOCKER_HOST: ${stdout}`);
  return { host, dir, stop: async () => void (await execa('bash', [script, 'stop'], { env })) };
}

/** The busybox image every engine has (built FROM scratch around Debian's static busybox). */
export const TEST_IMAGE = 'whalekeeper-test/busybox:latest';
