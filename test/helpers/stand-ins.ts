// Stand-ins for where whalekeeper runs beside an engine: a tcp endpoint on loopback in front of a private engine's
// unix socket (a DinD sidecar as the pod's other containers reach it), and a mount namespace in which the engine's
// data root is read-only (a pod's read-only volumeMount) or hidden (a remote engine, or a pod without the mount).
import { execa } from 'execa';
import net from 'node:net';
import { BIN, type CliResult } from './cli.js';

/** A plain tcp endpoint on 127.0.0.1 forwarding every connection to `unixHost`'s socket; close() stops it. */
export async function tcpForward(unixHost: string): Promise<{ host: string; port: number; close: () => void }> {
  const socket = unixHost.replace('unix://', '');
  const server = net.createServer((client) => {
    const upstream = net.connect(socket);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { host: `tcp://127.0.0.1:${port}`, port, close: () => server.close() };
}

// Constant scripts: the path and the command come in as arguments, never as shell text.
const VIEWS = {
  'read-only': 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"',
  hidden: 'mount -t tmpfs -o size=1m,mode=0700 whalekeeper-hidden "$1" && shift && exec "$@"',
} as const;

/** Runs the built CLI in a new mount namespace (root only) where `path` is read-only or hidden. */
export async function whalekeeperSeeing(view: keyof typeof VIEWS, path: string, args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  const result = await execa('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', VIEWS[view], 'sh', path, 'node', BIN, ...args], {
    env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode, signal: result.signal, stdout: String(result.stdout), stderr: String(result.stderr) };
}
