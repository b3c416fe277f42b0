// `audit`: every `docker run` / `docker container run` a pipeline runs without `--rm`, and the edit that adds it.
// Scripts come from sources.ts, commands from shell-lex.ts, their verdict from judge.ts. A part a reader could not
// parse is read again the simple way (simple.ts), and named.
import type { ParseProblem } from './problems.js';
import { readSimply } from './simple.js';
import { shellSegments, type ShellSegment, type SourceKind } from './sources.js';
import { dockerRunArgsStart, type FindingKind } from './judge.js';
import { judgeFields } from './unknown.js';
import { Expander, assignmentsOf } from './shell-expand.js';
import { isShell, programOf, shellCommands, type ShellWord } from './shell-lex.js';

export type { FindingKind } from './judge.js';

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
  /** Read the simple way, line by line, in a part the reader could not parse. */
  readonly simple?: true;
}

/** A part of a file its reader could not parse, read the simple way: its first and last line (1-based), and why. */
export interface Unparsed {
  readonly line: number;
  readonly endLine: number;
  readonly reason: string;
}

/** What audit read in one file: its findings, and the parts it could only read the simple way. */
export interface FileAudit {
  readonly findings: Finding[];
  readonly unparsed: Unparsed[];
}

const MESSAGES: Readonly<Record<FindingKind, string>> = {
  'no-rm': '`docker run` without `--rm`: the container stays on the agent after it exits',
  'rm-false': '`docker run` with `--rm` set false: the container stays on the agent after it exits',
  'cannot-tell': 'cannot tell whether this `docker run` has `--rm`',
};

/** The message of a finding: its kind, what the file does not hold, and where a script held in a variable runs. */
function messageOf(kind: FindingKind, unknown: readonly string[], via: Via | undefined, simple = false): string {
  const from = unknown.length > 0 ? `: ${[...new Set(unknown)].map((u) => `\`${u}\``).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not known from this file` : '';
  const where = simple ? ' (read the simple way: this part could not be parsed)' : via ? ` (the script in \`${via.variable}\`, given to \`sh\` on line ${via.line})` : '';
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
  return auditFile(text, kind, position).findings;
}

/**
 * Every `docker run` without `--rm` (and those it cannot tell) in a file's text, and the parts its readers could not
 * parse: those are read again the simple way, so a `docker run` a grep sees there is never missed.
 */
export function auditFile(text: string, kind: SourceKind, position: Position = positions(text)): FileAudit {
  const found = new Map<string, Finding>();
  const lineOf = (offset: number): number => position(offset).line;
  const problems: ParseProblem[] = [];
  // The offset of each `docker` the readers read as a command: the simple way reads only the others.
  const seen = new Set<number>();
  const add = (finding: Finding): void => {
    // A script read twice (a `$(…)` inside `sh -c "…"`, one variable given to two `sh`) is reported once.
    const key = `${finding.line}:${finding.column}`;
    if (!found.has(key)) found.set(key, finding);
  };
  for (const segment of shellSegments(text, kind, problems)) {
    for (const finding of auditSegment(segment, position, lineOf, { seen, problems })) add(finding);
  }
  const unparsed = new Map<string, Unparsed>();
  for (const problem of problems) {
    const line = lineOf(problem.from);
    const endLine = lineOf(Math.max(problem.from, problem.to - 1));
    const key = `${line}:${endLine}:${problem.reason}`;
    if (unparsed.has(key)) continue;
    unparsed.set(key, { line, endLine, reason: problem.reason });
    for (const run of readSimply(text, problem.from, Math.max(problem.from, problem.to - 1), seen)) {
      seen.add(run.dockerAt);
      add({
        ...position(run.dockerAt),
        kind: run.kind,
        message: messageOf(run.kind, run.unknown, undefined, true),
        args: run.args,
        insertAt: run.insertAt,
        ...(run.unknown.length > 0 ? { unknown: [...new Set(run.unknown)] } : {}),
        simple: true,
      });
    }
  }
  return {
    findings: [...found.values()].sort((a, b) => a.line - b.line || a.column - b.column),
    unparsed: [...unparsed.values()].sort((a, b) => a.line - b.line || a.endLine - b.endLine),
  };
}

/** What reading segments collects beside findings: each `docker` read as a command, and what could not be parsed (file offsets). */
interface Collected {
  readonly seen: Set<number>;
  readonly problems: ParseProblem[];
}

/** The script of `sh -c '…'` / `bash -ec "…"`: the word after the option group holding `c`. */
function inlineScript(words: readonly ShellWord[]): ShellWord | undefined {
  if (!isShell(words) || programOf(words) === 'ssh') return undefined;
  const at = words.findIndex((w) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w.value));
  return at === -1 ? undefined : words[at + 1];
}

function auditSegment(segment: ShellSegment, position: Position, lineOf: (offset: number) => number, collected: Collected, depth = 0): Finding[] {
  const findings: Finding[] = [];
  const local: ParseProblem[] = [];
  const commands = shellCommands(segment.text, local);
  const last = segment.origin.length - 1;
  for (const p of local) {
    if (last < 0) break;
    const from = segment.origin[Math.min(p.from, last)]!;
    collected.problems.push({ from, to: Math.max(from, segment.origin[Math.min(Math.max(p.to - 1, p.from), last)]!) + 1, reason: p.reason });
  }
  const expander = new Expander(segment.text, assignmentsOf(commands));
  for (const { words } of commands) {
    const script = inlineScript(words);
    // `sh -c "sh -c …"` nested past 16 levels is not read (a hostile file must not exhaust the stack).
    if (script !== undefined && depth < 16) {
      const inner = { text: script.value, origin: script.origin.map((o) => segment.origin[o]!), ...(segment.via ? { via: segment.via } : {}) };
      findings.push(...auditSegment(inner, position, lineOf, collected, depth + 1));
    }
    const at = dockerRunArgsStart(words);
    if (at === undefined) continue;
    const dockerWord = words[at.docker]!;
    const letters = dockerWord.origin[dockerWord.value.length - 'docker'.length];
    if (letters !== undefined) collected.seen.add(segment.origin[letters]!);
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
