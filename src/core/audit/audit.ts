// `audit`: every `docker run` / `docker container run` a pipeline runs without `--rm`, and the edit that adds it.
// What counts as `--rm` is decided by the same option reader as `whalekeeper run` (`--rm=false` is a finding).
import { shellSegments, type ShellSegment, type SourceKind } from './sources.js';
import { parseBool } from '../pflag.js';
import { parseRunArgs, RUN_FLAG_TABLE } from '../run-args.js';
import { Expander, assignmentsOf, type Field } from './shell-expand.js';
import { isShell, programOf, shellCommands, type ShellWord } from './shell-lex.js';

/** Why a `docker run` is reported: no `--rm`, `--rm=false`, or words from outside the file that may hold `--rm`. */
export type FindingKind = 'no-rm' | 'rm-false' | 'cannot-tell';

/** Where a script held in a variable reaches `sh`. */
export interface Via {
  readonly variable: string;
  readonly line: number;
}

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
  /** The variable the script was held in, and the line of the `sh` it reached. */
  readonly via?: Via;
  /** For `cannot-tell`: the expansions whose values the file does not hold. */
  readonly unknown?: readonly string[];
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

/** Whether a `docker run` option takes the next word as its value (`-v x`, not `-v=x`, not `-d`). */
function takesValue(arg: string): boolean {
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

/** An expansion named like an image (`$IMAGE`, `${DOCKER_IMG}`, `$TAG`) is taken for the image. */
const IMAGE_NAME = /image|img|tag|repo/i;

/** Whether a word from `from` on could be the image: a literal word that is no option, or another expansion. */
function imageFollows(fields: readonly Field[], from: number): boolean {
  for (let i = from; i < fields.length; i++) {
    const value = fields[i]!.value;
    if (fields[i]!.opaque !== undefined || value === '--' || !value.startsWith('-') || value === '-') return true;
    if (takesValue(value)) i++;
  }
  return false;
}

/**
 * Judges expanded words, some of them unknown. An unknown word never ends docker's options unless docker could take
 * it for the image: the last word that can be the image, or one named like an image (`$IMAGE`), is the image.
 */
function judgeFields(fields: readonly Field[]): { kind: FindingKind | undefined; unknown: string[] } {
  if (!fields.some((f) => f.opaque)) return { kind: judge(fields.map((f) => f.value)), unknown: [] };
  const literal: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const next = fields[i + 1];
    if (field.opaque) {
      const image = field.opaque === 'scalar' && (IMAGE_NAME.test(field.unknown?.join(' ') ?? '') || !imageFollows(fields, i + 1));
      if (image) break;
      unknown.push(...(field.unknown ?? []));
      continue;
    }
    if (field.value === '--' || field.value === '-' || !field.value.startsWith('-')) break;
    literal.push(field.value);
    if (takesValue(field.value) && next !== undefined) {
      literal.push(next.value);
      i++;
    }
  }
  const kind = judge([...literal, 'image']);
  return { kind: kind !== undefined && unknown.length > 0 ? 'cannot-tell' : kind, unknown };
}

const MESSAGES: Readonly<Record<FindingKind, string>> = {
  'no-rm': '`docker run` without `--rm`: the container stays on the agent after it exits',
  'rm-false': '`docker run` with `--rm` set false: the container stays on the agent after it exits',
  'cannot-tell': 'cannot tell whether this `docker run` has `--rm`',
};

/** The message of a finding: its kind, what the file does not hold, and where a script held in a variable runs. */
function messageOf(kind: FindingKind, unknown: readonly string[], via: Via | undefined): string {
  const from = unknown.length > 0 ? `: ${[...new Set(unknown)].map((u) => `\`${u}\``).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not known from this file` : '';
  const where = via ? ` (the script in \`${via.variable}\`, given to \`sh\` on line ${via.line})` : '';
  if (kind === 'cannot-tell') return `${MESSAGES[kind]}${from}${where}`;
  const [head, tail] = MESSAGES[kind].split(': ');
  return `${head}${where}: ${tail}`;
}

/** Positions in a text: 1-based line and column of an offset. */
export type Position = (offset: number) => { line: number; column: number };

/** Line and column of offsets in a text (columns count its units: characters of a string, bytes of a file). */
export function positions(text: string): Position {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
}

/** Finds every `docker run` without `--rm` (and those it cannot tell) in a file's text. */
export function auditText(text: string, kind: SourceKind, position: Position = positions(text)): Finding[] {
  const found = new Map<string, Finding>();
  const lineOf = (offset: number): number => position(offset).line;
  for (const segment of shellSegments(text, kind)) {
    for (const finding of auditSegment(segment, position, lineOf)) {
      // A script read twice (a `$(…)` inside `sh -c "…"`, one variable given to two `sh`) is reported once.
      const key = `${finding.line}:${finding.column}`;
      if (!found.has(key)) found.set(key, finding);
    }
  }
  return [...found.values()].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The script of `sh -c '…'` / `bash -ec "…"`: the word after the option group holding `c`. */
function inlineScript(words: readonly ShellWord[]): ShellWord | undefined {
  if (!isShell(words) || programOf(words) === 'ssh') return undefined;
  const at = words.findIndex((w) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w.value));
  return at === -1 ? undefined : words[at + 1];
}

function auditSegment(segment: ShellSegment, position: Position, lineOf: (offset: number) => number): Finding[] {
  const findings: Finding[] = [];
  const commands = shellCommands(segment.text);
  const expander = new Expander(segment.text, assignmentsOf(commands));
  for (const { words } of commands) {
    const script = inlineScript(words);
    if (script !== undefined) {
      const inner = { text: script.value, origin: script.origin.map((o) => segment.origin[o]!), ...(segment.via ? { via: segment.via } : {}) };
      findings.push(...auditSegment(inner, position, lineOf));
    }
    const at = dockerRunArgsStart(words);
    if (at === undefined) continue;
    const args = words.slice(at.run + 1);
    const { kind, unknown } = judgeFields(expander.fields(args, words[at.docker]!.start));
    if (kind === undefined) continue;
    const runWord = words[at.run]!;
    const dockerAt = segment.origin[words[at.docker]!.origin[0]!]!;
    // Named only when the `docker run` is written outside the `sh` call (in the variable's assignment).
    const held = segment.via !== undefined && (dockerAt < segment.via.at || dockerAt >= segment.via.end);
    const via = held ? { variable: segment.via!.variable, line: lineOf(segment.via!.at) } : undefined;
    findings.push({
      ...position(dockerAt),
      kind,
      message: messageOf(kind, unknown, via),
      args: args.map((w) => w.value),
      insertAt: kind === 'no-rm' ? segment.origin[runWord.origin.at(-1)!]! + 1 : undefined,
      ...(via ? { via } : {}),
      ...(unknown.length > 0 ? { unknown: [...new Set(unknown)] } : {}),
    });
  }
  return findings;
}

/** The text with ` --rm` inserted right after each fixable finding's `run`, and nothing else changed. */
export function fixText(text: string, findings: readonly Finding[]): string {
  const offsets = insertions(findings);
  let out = text;
  for (const offset of offsets) out = `${out.slice(0, offset)} --rm${out.slice(offset)}`;
  return out;
}

/** The offsets where `--fix` inserts, last first (so earlier offsets stay valid). */
export function insertions(findings: readonly Finding[]): number[] {
  return [...new Set(findings.map((f) => f.insertAt).filter((o): o is number => o !== undefined))].sort((a, b) => b - a);
}
