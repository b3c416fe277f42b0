// The docker client as a process: a pass-through spawn for `run`/`build`, and a captured call for small queries.
// node:child_process, not execa, on this path: execa costs ~20 ms of start-up that every `whalekeeper run` would pay.
import { spawn } from 'node:child_process';
import { DockerClientMissingError } from '../core/errors.js';
import { EXIT, signalExitCode } from '../core/exit-codes.js';

/** How a process ended: its exit code, or the signal that killed it. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running pass-through docker process. */
export interface RunningDocker {
  /** Its process id, for the reaper to watch. */
  readonly pid: number;
  readonly exited: Promise<Exit>;
  kill(signal: NodeJS.Signals): void;
}

/** Output of a captured docker call. */
export interface Captured extends Exit {
  readonly stdout: string;
  readonly stderr: string;
}

/** The docker client, narrowed to what whalekeeper does with it. */
export interface DockerCli {
  /** Starts docker with stdin, stdout, stderr (and so the TTY) inherited. Rejects with DockerClientMissingError. */
  passthrough(args: readonly string[]): Promise<RunningDocker>;
  /** Runs docker to completion, capturing its output; `signal` kills it (SIGKILL) and rejects with an AbortError. */
  capture(args: readonly string[], options?: { signal?: AbortSignal }): Promise<Captured>;
}

/** The real docker client `binary`, run with `env`. */
export function createDockerCli(binary: string, env: NodeJS.ProcessEnv): DockerCli {
  return {
    passthrough: (args) =>
      new Promise((resolve, reject) => {
        const child = spawn(binary, args, { stdio: 'inherit', env });
        const exited = new Promise<Exit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
        child.once('error', (error: NodeJS.ErrnoException) => reject(spawnError(binary, error)));
        child.once('spawn', () =>
          resolve({
            pid: child.pid!,
            exited,
            kill: (signal) => {
              if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            },
          }),
        );
      }),
    capture: (args, options = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env, signal: options.signal, killSignal: 'SIGKILL' });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.once('error', (error: NodeJS.ErrnoException) => reject(spawnError(binary, error)));
        child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      }),
  };
}

/** A client that is missing (ENOENT) or not executable (EACCES) is the user's to fix, not a bug: say so. */
function spawnError(binary: string, error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT') return new DockerClientMissingError(binary, 'missing', error);
  if (error.code === 'EACCES') return new DockerClientMissingError(binary, 'not-executable', error);
  return error;
}

/** The exit code of the docker client, as a shell would report it. */
export function exitCodeOf(exit: Exit, signalNumber: (signal: string) => number): number {
  if (exit.code !== null) return exit.code;
  return exit.signal ? signalExitCode(signalNumber(exit.signal)) : EXIT.dockerFailed;
}

