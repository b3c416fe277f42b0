// `audit`: every `docker run` / `docker container run` a pipeline runs without `--rm`, and the edit that adds it.
// What counts as `--rm` is decided by the same option reader as `whalekeeper run` (`--rm=false` is a finding).
import { shellSegments, type ShellSegment, type SourceKind } from './sources.js';
import { parseBool } from '../pflag.js';
import { parseRunArgs, RUN_FLAG_TABLE } from '../run-args.js';
import { shellCommands, type ShellWord } from './shell-lex.js';

/** Why a `docker run` is reported. */
export type FindingKind = 'no-rm' | 'rm-false';

/** One `docker run` without `--rm`. `line`/`column` are 1-based, of the `docker` word. */
export interface Finding {
  readonly line: number;
  readonly column: number;
  readonly kind: FindingKind;
  readonly message: string;
  /** The words after `run`, as read (render them masked: they may hold `-e NAME=secret`). */
  readonly args: readonly string[];
  /** Offset in the file right after `run`, where `--fix` inserts ` --rm`; undefined when inserting would not help. */
  readonly insertAt: number | undefined;
}

/** Words that may come before the command itself (`sudo docker run`, `then docker run`, `FOO=1 docker run`; `timeout` below). */
const PREFIX_WORDS = new Set(['sudo', 'exec', 'time', 'command', 'nohup', 'nice', 'env', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', 'xargs']);

/** Options of prefix commands that take a separate value. */
const PREFIX_VALUED: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['exec', new Set(['-a'])],
  ['xargs', new Set(['-n', '-I', '-P', '-L', '-d', '-s', '-E', '-a'])],
  ['sudo', new Set(['-u', '-g', '-U', '-C', '-D', '-R', '-T', '-h', '-p', '-r', '-t'])],
  ['env', new Set(['-u', '-C', '-S', '--unset', '--chdir', '--split-string'])],
  ['nice', new Set(['-n'])],
  ['nohup', new Set()],
]);

/** Past `timeout`'s options (`-s KILL`, `-k 5`, `--foreground`) and its duration. */
function skipTimeout(words: readonly ShellWord[], from: number): number {
  let i = from;
  while (i < words.length && words[i]!.value.startsWith('-')) i += ['-s', '-k', '--signal', '--kill-after'].includes(words[i]!.value) ? 2 : 1;
  return i + 1;
}

/** docker's global options that take a value (`docker --context x run`), long and short. */
const DOCKER_GLOBAL_VALUED = new Set(['--config', '--context', '--host', '--log-level', '--tlscacert', '--tlscert', '--tlskey', '-c', '-H', '-l']);

/** Index of the word after `docker [global options] run` / `docker … container run`, or undefined when it is not one. */
export function dockerRunArgsStart(words: readonly ShellWord[]): { docker: number; run: number } | undefined {
  let i = 0;
  while (i < words.length) {
    const word = words[i]!.value;
    if (/^[A-Za-z_]\w*=/.test(word) || PREFIX_WORDS.has(word)) i++;
    else if (word === 'timeout') i = skipTimeout(words, i + 1);
    else break;
    // The prefix command's own options (`sudo -u ci`, `env -i`, `nice -n 5`), and their values where they take one.
    const prefix = word;
    while (i < words.length && words[i]!.value.startsWith('-') && words[i]!.value !== '-') {
      i += PREFIX_VALUED.get(prefix)?.has(words[i]!.value) ? 2 : 1;
    }
  }
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
    const long = arg.startsWith('--') ? RUN_FLAG_TABLE.byLong(arg.slice(2)) : arg.length === 2 ? RUN_FLAG_TABLE.byShort(arg[1]!) : undefined;
    if (long !== undefined && !long.boolean && !arg.includes('=')) i++;
  }
  return options;
}

/** Judges the options of one `docker run`: fine with `--rm`, else the finding's kind. */
function judge(args: readonly string[]): FindingKind | undefined {
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

const MESSAGES: Readonly<Record<FindingKind, string>> = {
  'no-rm': '`docker run` without `--rm`: the container stays on the agent after it exits',
  'rm-false': '`docker run` with `--rm` set false: the container stays on the agent after it exits',
};

/** Finds every `docker run` without `--rm` in a file's text. */
export function auditText(text: string, kind: SourceKind): Finding[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const position = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const findings: Finding[] = [];
  for (const segment of shellSegments(text, kind)) findings.push(...auditSegment(segment, position));
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

function auditSegment(segment: ShellSegment, position: (offset: number) => { line: number; column: number }): Finding[] {
  const findings: Finding[] = [];
  for (const { words } of shellCommands(segment.text)) {
    const at = dockerRunArgsStart(words);
    if (at === undefined) continue;
    const kind = judge(words.slice(at.run + 1).map((w) => w.value));
    if (kind === undefined) continue;
    const runWord = words[at.run]!;
    findings.push({
      ...position(segment.origin[words[at.docker]!.start]!),
      kind,
      message: MESSAGES[kind],
      args: words.slice(at.run + 1).map((w) => w.value),
      insertAt: kind === 'no-rm' ? segment.origin[runWord.end - 1]! + 1 : undefined,
    });
  }
  return findings;
}

/** The text with ` --rm` inserted right after each fixable finding's `run`, and nothing else changed. */
export function fixText(text: string, findings: readonly Finding[]): string {
  const offsets = [...new Set(findings.map((f) => f.insertAt).filter((o): o is number => o !== undefined))].sort((a, b) => b - a);
  let out = text;
  for (const offset of offsets) out = `${out.slice(0, offset)} --rm${out.slice(offset)}`;
  return out;
}
