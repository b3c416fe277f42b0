// Reading one command: is it a `docker run`, and do its options (expanded where the file allows) turn `--rm` on?
// What counts as `--rm` is decided by the same option reader as `whalekeeper run` (`--rm=false` is a finding).
// Words whose values the file does not hold are judged in unknown.ts.
import { parseBool } from '../pflag.js';
import { parseRunArgs, RUN_FLAG_TABLE } from '../run-args.js';
import { commandStart, type ShellWord } from './shell-lex.js';

/** Why a `docker run` is reported: no `--rm`, `--rm=false`, or words from outside the file that may hold `--rm`. */
export type FindingKind = 'no-rm' | 'rm-false' | 'cannot-tell';

/** docker's global options that take a value (`docker --context x run`), long and short. */
const DOCKER_GLOBAL_VALUED = new Set(['--config', '--context', '--host', '--log-level', '--tlscacert', '--tlscert', '--tlskey', '-c', '-H', '-l']);

/** Index of the word after `docker [global options] run` / `docker … container run`, or undefined when it is not one. */
export function dockerRunArgsStart(words: readonly ShellWord[]): { docker: number; run: number } | undefined {
  let i = commandStart(words);
  const first = words[i]?.value;
  if (first !== 'docker' && !first?.endsWith('/docker')) return undefined;
  const docker = i;
  i++;
  while (i < words.length && words[i]!.value.startsWith('-')) {
    const option = words[i]!.value;
    i += DOCKER_GLOBAL_VALUED.has(option) ? 2 : 1;
  }
  if (words[i]?.value === 'container') i++;
  return words[i]?.value === 'run' ? { docker, run: i } : undefined;
}

/** Whether a `docker run` option takes the next word as its value (`-v x`, not `-v=x`, not `-d`). */
export function takesValue(arg: string): boolean {
  const flag = arg.startsWith('--') ? RUN_FLAG_TABLE.byLong(arg.slice(2)) : arg.length === 2 ? RUN_FLAG_TABLE.byShort(arg[1]!) : undefined;
  return flag !== undefined && !flag.boolean && !arg.includes('=');
}

/**
 * The options before the image, read leniently: a flag docker run knows skips its value as the reader would; an
 * unknown one is taken to have none. Used only when the strict reader refused the arguments.
 */
function leadingOptions(args: readonly string[]): string[] {
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--' || !arg.startsWith('-') || arg === '-') break;
    options.push(arg);
    if (takesValue(arg)) i++;
  }
  return options;
}

/** Judges the options of one `docker run` (all known): fine with `--rm`, else the finding's kind. */
export function judge(args: readonly string[]): FindingKind | undefined {
  try {
    const rm = parseRunArgs(args).flags.filter((f) => f.long === 'rm');
    const last = rm.at(-1);
    if (last === undefined) return 'no-rm';
    return parseBool(last.value) === true ? undefined : 'rm-false';
  } catch {
    // Options the reader cannot take (a flag this docker does not know): a literal `--rm` still counts, but only
    // among the leading options: after the image it is an argument of the container's command.
    return leadingOptions(args).some((a) => a === '--rm' || a === '--rm=true') ? undefined : 'no-rm';
  }
}
