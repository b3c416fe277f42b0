// `whalekeeper build` argv → the `docker build` argv: the BUILD_NUMBER build arg, OCI and ownership labels, an
// optional tag by build number; and where the Dockerfile in use is, so that the edge can read it for the check.
import { isAbsolute, join } from 'node:path';
import { resolveBuildNumber } from './build-identity.js';
import { BUILD_FLAG_TABLE } from './docker-build-options.js';
import type { Env } from './engine/target.js';
import { UsageError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { imageLabels, OCI_LABELS } from './labels.js';
import { FlagSyntaxError, parseFlags, type ParsedArgs } from './pflag.js';
import { nonEmpty } from './values.js';

/** The build arg whalekeeper passes, and the one a Dockerfile must declare to see the number. */
export const BUILD_NUMBER_ARG = 'BUILD_NUMBER';

/** What a build is stamped with, resolved from options and the CI environment before anything runs. */
export interface BuildStamp {
  /** The CI build number (`--build-number`, WHALEKEEPER_BUILD_NUMBER, BUILD_NUMBER, ...), if known. */
  readonly buildNumber: string | undefined;
  /** The build identity (`--build`, BUILD_TAG, ...) for the `whalekeeper.build` label, if known. */
  readonly build: string | undefined;
  readonly revision: string | undefined;
  readonly source: string | undefined;
  /** RFC 3339 time for `org.opencontainers.image.created`. */
  readonly created: string;
  /** `--tag-build-number`: every `-t NAME[:TAG]` also gets `-t NAME:<build number>`. */
  readonly tagBuildNumber: boolean;
}

/** Where the Dockerfile in use is: a file to read, or nowhere readable (stdin, a remote context). */
export type DockerfileLocation =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** What whalekeeper will build, decided before anything runs. */
export interface BuildPlan {
  /** The docker client argv, starting with `build`. */
  readonly dockerArgs: readonly string[];
  /** What whalekeeper added, for `--verbose` and the docs: each as the flag and value it put on the command line. */
  readonly added: readonly string[];
  readonly dockerfile: DockerfileLocation;
  /** `--target`: the stage whose ARGs count; undefined for the last stage. */
  readonly target: string | undefined;
  /** True when the build number goes in as a build arg (known, and not passed by the user). */
  readonly passesBuildNumber: boolean;
  /** True when the user passed `--build-arg BUILD_NUMBER[=...]` themselves. */
  readonly userBuildNumberArg: boolean;
}


/** A repository URL without its credentials (`https://user:token@host/x` → `https://host/x`): labels are public. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

/** RFC 3339 (UTC, whole seconds) of a time in ms; SOURCE_DATE_EPOCH wins for reproducible builds. */
export function createdTime(nowMs: number, env: Env): string {
  const epoch = nonEmpty(env.SOURCE_DATE_EPOCH);
  const ms = epoch !== undefined && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : nowMs;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The commit and repository of the build from Jenkins (GIT_COMMIT, GIT_URL), GitHub Actions or GitLab CI. */
export function gitOrigin(env: Env): { revision: string | undefined; source: string | undefined } {
  const github = nonEmpty(env.GITHUB_REPOSITORY) && `${nonEmpty(env.GITHUB_SERVER_URL) ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}`;
  const source = nonEmpty(env.GIT_URL) ?? (github || undefined) ?? nonEmpty(env.CI_PROJECT_URL);
  return {
    revision: nonEmpty(env.GIT_COMMIT) ?? nonEmpty(env.GITHUB_SHA) ?? nonEmpty(env.CI_COMMIT_SHA),
    source: source === undefined ? undefined : withoutCredentials(source),
  };
}

/** Reads `docker build` options (interspersed, as docker does); a flag docker would reject is a usage error (125). */
export function parseBuildArgs(args: readonly string[]): ParsedArgs {
  try {
    return parseFlags(args, BUILD_FLAG_TABLE, { interspersed: true });
  } catch (error) {
    if (error instanceof FlagSyntaxError) {
      throw new UsageError(`docker build: ${error.message}`, { exitCode: EXIT.dockerFailed, hint: 'see `docker build --help`' });
    }
    throw error;
  }
}

/** `NAME[:TAG]` → `NAME` (a registry port's colon is kept: `reg:5000/app:1` → `reg:5000/app`). */
export function repositoryOf(reference: string): string {
  const colon = reference.lastIndexOf(':');
  return colon > reference.lastIndexOf('/') ? reference.slice(0, colon) : reference;
}

/** True for a context docker fetches itself (a Git or HTTP URL) rather than a directory here. */
function isRemoteContext(context: string): boolean {
  return /^(https?:\/\/|git:\/\/|git@|github\.com\/)/.test(context);
}

/** Where the Dockerfile in use is: `-f` relative to the working directory (as the client reads it), else CONTEXT/Dockerfile. */
export function dockerfileLocation(context: string, file: string | undefined, cwd: string): DockerfileLocation {
  if (file === '-') return { kind: 'unreadable', reason: 'the Dockerfile comes from stdin' };
  if (context === '-') return { kind: 'unreadable', reason: 'the context comes from stdin' };
  if (isRemoteContext(context)) return { kind: 'unreadable', reason: 'the context is remote' };
  if (file !== undefined) return { kind: 'file', path: isAbsolute(file) ? file : join(cwd, file) };
  return { kind: 'file', path: join(isAbsolute(context) ? context : join(cwd, context), 'Dockerfile') };
}

/** Plans a `docker build`: adds the build arg, labels and tags before the user's own options, which it never changes. */
export function planBuild(args: readonly string[], stamp: BuildStamp, cwd: string): BuildPlan {
  const parsed = parseBuildArgs(args);
  if (parsed.positionals.length !== 1) {
    throw new UsageError(`docker build: requires 1 argument (the context), got ${parsed.positionals.length}`, {
      exitCode: EXIT.dockerFailed,
      hint: 'usage: whalekeeper build [docker build options] PATH | URL | -',
    });
  }
  const context = args[parsed.positionals[0]!]!;
  const values = (long: string): string[] => parsed.flags.filter((f) => f.long === long).map((f) => f.value);
  const userBuildNumberArg = values('build-arg').some((v) => v === BUILD_NUMBER_ARG || v.startsWith(`${BUILD_NUMBER_ARG}=`));
  const userLabels = new Set(values('label').map((v) => v.split('=')[0]));
  const tags = values('tag');

  const added: string[] = [];
  // The classic builder keeps the container of a failed step (`--rm` acts on success only): never leave one behind.
  if (values('force-rm').length === 0) added.push('--force-rm');
  const passesBuildNumber = stamp.buildNumber !== undefined && !userBuildNumberArg;
  if (passesBuildNumber) added.push('--build-arg', `${BUILD_NUMBER_ARG}=${stamp.buildNumber}`);
  const labels: Array<[string, string | undefined]> = [
    [OCI_LABELS.version, stamp.buildNumber],
    [OCI_LABELS.revision, stamp.revision],
    [OCI_LABELS.created, stamp.created],
    [OCI_LABELS.source, stamp.source],
    ...imageLabels({ build: stamp.build }),
  ];
  for (const [key, value] of labels) {
    if (value !== undefined && !userLabels.has(key)) added.push('--label', `${key}=${value}`);
  }
  if (stamp.tagBuildNumber) added.push(...buildNumberTags(tags, stamp.buildNumber).flatMap((tag) => ['--tag', tag]));

  const files = values('file');
  const targets = values('target');
  return {
    dockerArgs: ['build', ...added, ...args],
    added,
    dockerfile: dockerfileLocation(context, files.at(-1), cwd),
    target: targets.at(-1),
    passesBuildNumber,
    userBuildNumberArg,
  };
}

/** The `NAME:<build number>` tags `--tag-build-number` adds for the user's `-t` names (those not already given). */
function buildNumberTags(tags: readonly string[], buildNumber: string | undefined): string[] {
  if (buildNumber === undefined) {
    throw new UsageError('--tag-build-number: the build number is not known', {
      hint: 'give --build-number N before `build`, or set BUILD_NUMBER',
    });
  }
  if (!/^[\w][\w.-]{0,127}$/.test(buildNumber)) {
    throw new UsageError(`--tag-build-number: \`${buildNumber}\` is not a valid image tag`, {
      hint: 'a tag is up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`',
    });
  }
  if (tags.length === 0) {
    throw new UsageError('--tag-build-number needs a name to tag: give `-t NAME` after `build`', {
      hint: 'e.g. `whalekeeper --tag-build-number build -t base .` tags base:latest and base:<build number>',
    });
  }
  const wanted = [...new Set(tags.map((t) => `${repositoryOf(t)}:${buildNumber}`))];
  return wanted.filter((tag) => !tags.includes(tag));
}

/** Resolves the stamp from the global flags and the CI environment: `--build-number`, then WHALEKEEPER_BUILD_NUMBER, BUILD_NUMBER, ... */
export function resolveBuildStamp(input: {
  buildNumberFlag: string | undefined;
  tagBuildNumber: boolean;
  build: string | undefined;
  env: Env;
  nowMs: number;
}): BuildStamp {
  return {
    buildNumber: resolveBuildNumber(input.buildNumberFlag, input.env),
    build: input.build,
    ...gitOrigin(input.env),
    created: createdTime(input.nowMs, input.env),
    tagBuildNumber: input.tagBuildNumber,
  };
}
