// Runs the built CLI (dist/whalekeeper.js) and the docker client against a private engine.
import { execa, type Options } from 'execa';
import { fileURLToPath } from 'node:url';

/** The built entry point: CLI tests exercise exactly what users run. */
export const BIN = fileURLToPath(new URL('../../dist/whalekeeper.js', import.meta.url));

/** An environment with nothing of the machine's CI or docker settings, pointed at `host`. */
export function cleanEnv(host: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', DOCKER_HOST: host };
  return { ...env, ...extra };
}

/** What a finished CLI process left. */
export interface CliResult {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `whalekeeper ARGS` and returns its exit code and output; never throws on a non-zero exit. */
export async function whalekeeper(args: readonly string[], env: Record<string, string>, options: Options = {}): Promise<CliResult> {
  const result = await execa('node', [BIN, ...args], { env, extendEnv: false, reject: false, stdin: 'ignore', ...options });
  return { exitCode: result.exitCode, signal: result.signal, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Runs the docker client against `host`; throws on failure. */
export async function docker(host: string, args: readonly string[]): Promise<string> {
  const { stdout } = await execa('docker', [...args], { env: { DOCKER_HOST: host }, stdin: 'ignore' });
  return stdout.trim();
}

/** Ids of every container on the engine (running or not) matching an optional filter. */
export async function containerIds(host: string, filter?: string): Promise<string[]> {
  const out = await docker(host, ['ps', '-aq', '--no-trunc', ...(filter ? ['--filter', filter] : [])]);
  return out === '' ? [] : out.split('\n');
}
