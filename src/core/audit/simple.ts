// The simple way: the lines of a part its reader could not parse, read as a grep for `docker run` sees them. Each
// `docker` word starts a command read to its line's end (a line ending in `\` goes on), and a `docker run` there is
// judged by the same option reading as everywhere else; nothing the file assigns is followed.
import { dockerRunArgsStart, type FindingKind } from './judge.js';
import { judgeFields } from './unknown.js';
import { Expander } from './shell-expand.js';
import { shellCommands } from './shell-lex.js';

/** A `docker run` read the simple way: offsets in the file, and its verdict. */
export interface SimpleRun {
  readonly dockerAt: number;
  readonly insertAt: number | undefined;
  readonly kind: FindingKind;
  readonly args: readonly string[];
  readonly unknown: readonly string[];
}

/** A line that is a comment in every language audit reads (`#`, `//`, `/*`, ` * `). */
const COMMENT = /^\s*(#|\/\/|\/\*|\*(\s|\/|$))/;

/** `docker` as a program's name, maybe with its directory (`/usr/bin/docker`), not part of a longer word. */
const DOCKER = /(?<![\w.$-])(?:[\w.-]*\/)*docker(?![\w.-])/g;

/**
 * Every `docker run` without `--rm` (or that it cannot tell about) on the lines holding offsets `from` to `to`, but
 * those whose `docker` (the offset of its `d`) the reader did read, in `seen`.
 */
export function readSimply(text: string, from: number, to: number, seen: ReadonlySet<number>): SimpleRun[] {
  const runs: SimpleRun[] = [];
  let start = text.lastIndexOf('\n', from - 1) + 1;
  while (start <= to && start < text.length) {
    const eol = text.indexOf('\n', start);
    const end = eol === -1 ? text.length : eol;
    const line = text.slice(start, end);
    if (!COMMENT.test(line)) {
      for (const match of line.matchAll(DOCKER)) {
        const at = start + match.index;
        if (seen.has(at + match[0].length - 'docker'.length)) continue;
        // In a string (`sh 'docker run …' returnStdout`), the command ends at the string's closing quote.
        const quote = text[at - 1] === "'" || text[at - 1] === '"' ? text.indexOf(text[at - 1]!, at) : -1;
        const run = judgeAt(text, at, quote !== -1 && quote < end ? quote : commandEnd(text, end));
        if (run !== undefined) runs.push(run);
      }
    }
    start = end + 1;
  }
  return runs;
}

/** The end of the command on a line ending at `end`: past each following line while a line ends in `\`. */
function commandEnd(text: string, end: number): number {
  let stop = end;
  while (stop < text.length && /\\\r?$/.test(text.slice(Math.max(0, stop - 2), stop))) {
    const next = text.indexOf('\n', stop + 1);
    stop = next === -1 ? text.length : next;
  }
  return stop;
}

/** The `docker run` whose `docker` is at `at`, read up to `end`, judged; undefined when it is none or has `--rm`. */
function judgeAt(text: string, at: number, end: number): SimpleRun | undefined {
  const chunk = text.slice(at, end);
  const command = shellCommands(chunk).find((c) => c.words[0]?.start === 0);
  if (command === undefined) return undefined;
  const { words } = command;
  const found = dockerRunArgsStart(words);
  if (found === undefined || found.docker !== 0) return undefined;
  const args = words.slice(found.run + 1);
  const { kind, unknown } = judgeFields(new Expander(chunk, new Map()).fields(args, 0));
  if (kind === undefined) return undefined;
  const run = words[found.run]!;
  return { dockerAt: at, insertAt: kind === 'no-rm' ? at + run.origin.at(-1)! + 1 : undefined, kind, args: args.map((w) => w.value), unknown };
}
