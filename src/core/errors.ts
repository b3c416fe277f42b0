// Typed errors, each carrying the exit code it ends the process with. One handler in main.ts maps them.
import { EXIT } from './exit-codes.js';
import { maskUrlSecrets } from './mask.js';

/** Fields every whalekeeper error carries: what failed, why, what to do. */
export interface ErrorStory {
  /** What to do about it, one sentence; shown after the message. */
  hint?: string;
  cause?: unknown;
}

/** The base of every error whalekeeper expects: the top-level handler prints `message` and exits `exitCode`. */
export class WhalekeeperError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, exitCode: number, story: ErrorStory = {}) {
    super(message, story.cause === undefined ? undefined : { cause: story.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = story.hint;
  }
}

/** A flag or value is wrong. Exit 2, or 125 for `run`/`build` where docker's convention rules. */
export class UsageError extends WhalekeeperError {
  constructor(message: string, story: ErrorStory & { exitCode?: number } = {}) {
    super(message, story.exitCode ?? EXIT.usage, story);
  }
}

/**
 * The engine address (`--host`, WHALEKEEPER_HOST, DOCKER_HOST, a context's) is one docker cannot parse. A usage error,
 * exit 2; `run` and `build` map it to 125, docker's code for its own failures, as they do every usage error.
 */
export class EngineHostError extends UsageError {
  /** Where the address came from: `--host`, `DOCKER_HOST`, `context NAME`... */
  readonly source: string;

  constructor(source: string, host: string, reason: string) {
    super(`${source} \`${maskUrlSecrets(host)}\` is not an engine address docker can use (${reason})`, {
      hint: 'use unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://USER@HOST',
    });
    this.source = source;
  }
}

/** `run` refused arguments that would leave a container behind (`--rm=false`, `--restart`). Exit 125. */
export class RunRefusedError extends WhalekeeperError {
  constructor(message: string, story: ErrorStory = {}) {
    super(message, EXIT.dockerFailed, story);
  }
}

/** whalekeeper could not speak to the Docker engine: it did not answer, answered an error, or refused the API version. */
export class EngineError extends WhalekeeperError {
  readonly host: string;

  constructor(host: string, message: string, exitCode: number, story: ErrorStory = {}) {
    super(message, exitCode, story);
    this.host = maskUrlSecrets(host);
  }
}

/** The Docker engine could not be reached (no answer at all); the message names the host tried. */
export class EngineUnreachableError extends EngineError {
  constructor(host: string, reason: string, story: ErrorStory & { exitCode?: number } = {}) {
    // One line, naming the host: it is what a Jenkins console shows when an agent's engine is down.
    super(host, `cannot reach the Docker engine at ${maskUrlSecrets(host)} (${reason}); is it running? (--host, DOCKER_HOST, DOCKER_CONTEXT)`, story.exitCode ?? EXIT.unreachable, story);
  }
}

/**
 * The TLS handshake with the engine failed: it may well be running, so this does not ask; `problem` says which side's
 * certificate failed and names the file. An EngineUnreachableError all the same (exit 3, an engine lost midway).
 */
export class EngineTlsError extends EngineUnreachableError {
  constructor(host: string, problem: string, code: string, story: ErrorStory & { exitCode?: number } = {}) {
    super(host, code, story);
    this.message = `the TLS handshake with the Docker engine at ${maskUrlSecrets(host)} failed: ${problem} (${code})`;
  }
}

/** The engine answered a request with an error: it is reachable, so this never says "cannot reach". Exit 3. */
export class EngineAnswerError extends EngineError {
  constructor(host: string, request: string, status: number, message: string) {
    super(host, `the Docker engine at ${maskUrlSecrets(host)} answered ${request} with ${status}: ${message}`, EXIT.unreachable);
  }
}

/** The engine refuses the Engine API version whalekeeper speaks, or shares none with it. Exit 4. */
export class EngineApiVersionError extends EngineError {
  constructor(host: string, message: string) {
    super(host, message, EXIT.apiVersion);
  }
}

/** The docker client could not be started: exit 127 when missing, 126 when not executable, as a shell reports them. */
export class DockerClientMissingError extends WhalekeeperError {
  constructor(binary: string, reason: 'missing' | 'not-executable', cause?: unknown) {
    super(
      reason === 'missing' ? `the docker client \`${binary}\` was not found` : `the docker client \`${binary}\` cannot be executed`,
      reason === 'missing' ? EXIT.notFound : EXIT.cannotInvoke,
      { hint: 'install the docker client, or point --docker / WHALEKEEPER_DOCKER at it', cause },
    );
  }
}

/** A check the user asked for failed (threshold breached, replica on another build, removals failed). Exit 1. */
export class CheckFailedError extends WhalekeeperError {
  constructor(message: string, story: ErrorStory & { exitCode?: number } = {}) {
    super(message, story.exitCode ?? EXIT.failed, story);
  }
}

/** A file whalekeeper writes (metrics, report, shim) could not be written: one line naming it and why. Exit 74. */
export class FileWriteError extends WhalekeeperError {
  constructor(path: string, reason: string, story: ErrorStory = {}) {
    super(`cannot write \`${path}\`: ${reason}`, EXIT.ioError, story);
  }
}

/** A path whalekeeper was asked to write is not a file it may replace (a directory, a device, a FIFO). Exit 2. */
export class NotAFileError extends UsageError {
  constructor(path: string, kind: string, target?: string) {
    const what = target === undefined ? `is ${kind}` : `is a symbolic link to ${kind} (\`${target}\`)`;
    super(`\`${path}\` ${what}; whalekeeper writes only regular files (or a new path)`, {
      hint: 'give a path to a regular file, or one that does not exist yet',
    });
  }
}
