// A small reader of shell command lines, enough to find the commands a script runs: words (quotes and escapes
// resolved), `;`, `&&`, `||`, `|`, `&`, newlines, `\`-continuations, comments, commands inside `$(…)` and backquotes
// (inside double quotes too), array assignments `a=(…)`, and here-documents (their bodies are data, read as script
// only when the command they feed is a shell: `sh <<EOF`, `bash -s <<'EOF'`).
// It does not expand anything: a word holding `$VAR` or `$(…)` is kept as written (shell-expand.ts reads it).
// What it cannot parse (a quote, `$(`, `${` or backquote never closed) it reads as the shell would try to, and names
// in `problems` (a here-document never closed is not one: the shell reads it to the end, with a warning).
import type { ParseProblem } from './problems.js';

/** One word of a command, with where it sits in the text read. */
export interface ShellWord {
  /** The word with quotes removed and escapes resolved; `$(…)`, `${…}` and backquotes kept as written. */
  readonly value: string;
  /** For each character of `value`, its index in the text read. */
  readonly origin: readonly number[];
  /** Index of its first character, and one past its last, in the text read. */
  readonly start: number;
  readonly end: number;
  /** The elements of an array assignment (`NAME=(a b)`, `NAME+=(c)`): `value` is then `NAME=` or `NAME+=`. */
  readonly array?: readonly ShellWord[];
}

/** One simple command: its words in order. */
export interface ShellCommand {
  readonly words: readonly ShellWord[];
}

/** Reads every simple command of a script, those inside command substitutions included; what it cannot parse goes to `problems`. */
export function shellCommands(text: string, problems: ParseProblem[] = []): ShellCommand[] {
  const out: ShellCommand[] = [];
  lex(text, 0, text.length, undefined, out, 0, { problems, multiline: undefined });
  return out;
}

/** Programs that read a here-document as a script (`ssh host <<EOF` runs it on that host). */
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'ssh']);

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

/** The index past the command substitution (`$(…)`, a backquoted command) starting at `at`, read no further than `limit`. */
export function substitutionEnd(s: string, at: number, limit: number): number {
  const backquote = s[at] === '`';
  return lex(s, at + (backquote ? 1 : 2), limit, backquote ? '`' : ')', [], 1, { problems: [], multiline: undefined });
}

/** Index of the command's own word: past assignments, keywords and prefix commands with their options. */
export function commandStart(words: readonly ShellWord[]): number {
  let i = 0;
  while (i < words.length) {
    const word = words[i]!.value;
    if (/^[A-Za-z_]\w*=/.test(word) || PREFIX_WORDS.has(word)) i++;
    else if (word === 'timeout') i = skipTimeout(words, i + 1);
    // `case $x in a) docker run …`, `*) docker run …`: past the case's head and a pattern.
    else if (word === 'case' && words[i + 2]?.value === 'in') i += 3;
    else if (/^[^(]*\)$/.test(word) && !/^[A-Za-z_]\w*\+?=/.test(word)) i++;
    else break;
    // The prefix command's own options (`sudo -u ci`, `env -i`, `nice -n 5`), and their values where they take one.
    const prefix = word;
    while (i < words.length && words[i]!.value.startsWith('-') && words[i]!.value !== '-') {
      i += PREFIX_VALUED.get(prefix)?.has(words[i]!.value) ? 2 : 1;
    }
  }
  return i;
}

/** The program a command runs (`sudo -u ci bash` runs `bash`), without its directory. */
export function programOf(words: readonly ShellWord[]): string | undefined {
  const word = words[commandStart(words)]?.value;
  return word?.slice(word.lastIndexOf('/') + 1);
}

/** Whether a command is a shell (or ssh) reading its script from standard input. */
export function isShell(words: readonly ShellWord[]): boolean {
  const program = programOf(words);
  return program !== undefined && SHELLS.has(program);
}

const SEPARATORS = new Set(['\n', ';', '&', '|']);

/** Command substitutions nested deeper than this are read as text (a hostile file must not exhaust the stack). */
const MAX_DEPTH = 64;

/** What reading a script collects: what it cannot parse, and where the first quoted string spanning lines starts. */
interface LexState {
  readonly problems: ParseProblem[];
  multiline: number | undefined;
}

/**
 * Names a quote never closed. Which quote is the stray one the text does not say: the part not parsed starts at the
 * first quoted string spanning lines before it (`echo "building` pairs with the next line's quote), or at the quote.
 */
function unclosed(state: LexState, at: number, limit: number, quote: string): void {
  state.problems.push({ from: Math.min(at, state.multiline ?? at), to: limit, reason: `a \`${quote}\` that is never closed` });
}

/** Notes a quoted string from `at` to `end` that spans lines. */
function quoted(state: LexState, s: string, at: number, end: number): void {
  if (state.multiline === undefined && s.slice(at, end).includes('\n')) state.multiline = at;
}

interface HereDoc {
  readonly delimiter: string;
  readonly stripTabs: boolean;
  readonly words: ShellWord[];
}

/** Reads commands from `from` until `closer` (`)`, a backquote) or `limit`; returns the index after the closer. */
function lex(s: string, from: number, limit: number, closer: string | undefined, out: ShellCommand[], depth: number, state: LexState): number {
  let words: ShellWord[] = [];
  let value: string | undefined;
  let origin: number[] = [];
  let start = 0;
  let i = from;
  let pending: HereDoc[] = [];
  // Inside `case … esac`, a `)` ends a pattern, not the `$(` around it (`$(case $1 in a) echo x;; esac)`).
  let cases = 0;
  const add = (text: string, at: number, contiguous = true): void => {
    if (value === undefined) {
      value = '';
      origin = [];
      start = at;
    }
    value += text;
    for (let k = 0; k < text.length; k++) origin.push(contiguous ? at + k : at);
  };
  const endWord = (array?: ShellWord[]): void => {
    if (value !== undefined && words.length === 0 && (value === 'case' || value === 'esac') && s[start] === value[0]) cases = Math.max(0, cases + (value === 'case' ? 1 : -1));
    if (value !== undefined) words.push({ value, origin, start, end: i, ...(array ? { array } : {}) });
    value = undefined;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) out.push({ words });
    words = [];
  };
  while (i < limit) {
    const c = s[i]!;
    // `esac)`: the case ends, and the `)` is the substitution's.
    if (c === ')' && closer === ')' && cases > 0 && value === 'esac' && words.length === 0) cases--;
    if (closer !== undefined && c === closer && !(closer === ')' && cases > 0)) {
      endCommand();
      return i + 1;
    }
    if (c === '\\') {
      const next = s[i + 1];
      if (next === '\n') i += 2;
      else if (next === '\r' && s[i + 2] === '\n') i += 3;
      else {
        add(next ?? '', i + 1);
        i += 2;
      }
      continue;
    }
    if (c === '#' && value === undefined) {
      while (i < limit && s[i] !== '\n') i++;
      continue;
    }
    if (c === "'") {
      const close = s.indexOf("'", i + 1);
      const end = close === -1 || close > limit ? limit : close;
      if (end === limit) unclosed(state, i, limit, "'");
      else quoted(state, s, i, end);
      if (value === undefined) add('', i);
      add(s.slice(i + 1, end), i + 1);
      i = Math.min(end + 1, limit);
      continue;
    }
    if (c === '"') {
      if (value === undefined) add('', i);
      const quoteAt = i;
      i++;
      while (i < limit && s[i] !== '"') {
        // A command substitution inside double quotes still runs its commands: read them too.
        if (depth < MAX_DEPTH && ((s[i] === '$' && s[i + 1] === '(') || s[i] === '`')) {
          const sub = i;
          i = lex(s, s[i] === '`' ? i + 1 : i + 2, limit, s[i] === '`' ? '`' : ')', out, depth + 1, state);
          add(s.slice(sub, i), sub);
          continue;
        }
        if (s[i] === '\\' && i + 1 < limit) {
          const next = s[i + 1]!;
          if (next !== '\n') add('"\\$`'.includes(next) ? next : `\\${next}`, '"\\$`'.includes(next) ? i + 1 : i);
          i += 2;
          continue;
        }
        add(s[i]!, i);
        i++;
      }
      // Past the closing quote (an unclosed one runs to the end).
      if (i >= limit) unclosed(state, quoteAt, limit, '"');
      else quoted(state, s, quoteAt, i);
      i = Math.min(i + 1, limit);
      continue;
    }
    if (depth < MAX_DEPTH && ((c === '$' && s[i + 1] === '(') || c === '`')) {
      const at = i;
      i = lex(s, c === '`' ? i + 1 : i + 2, limit, c === '`' ? '`' : ')', out, depth + 1, state);
      add(s.slice(at, i), at);
      continue;
    }
    if (c === '$' && s[i + 1] === '{') {
      // The `}` that closes it: past nested `${…}`, quotes, and `$(…)` (whose commands run: read them too).
      let close = -1;
      for (let j = i + 2, braces = 0; j < limit && close === -1; j++) {
        const d = s[j]!;
        if (d === '\\') j++;
        else if (d === '"' || d === "'") {
          const q = s.indexOf(d, j + 1);
          j = q === -1 || q >= limit ? limit : q;
        } else if (depth < MAX_DEPTH && ((d === '$' && s[j + 1] === '(') || d === '`')) j = lex(s, d === '`' ? j + 1 : j + 2, limit, d === '`' ? '`' : ')', out, depth + 1, state) - 1;
        else if (d === '{') braces++;
        else if (d === '}' && braces-- === 0) close = j;
      }
      const end = close === -1 ? limit : close + 1;
      if (close === -1) state.problems.push({ from: i, to: limit, reason: 'a `${` that is never closed' });
      add(s.slice(i, end), i);
      i = end;
      continue;
    }
    // `NAME=(a b c)`, `NAME+=(d)`: an array assignment, its elements read as words.
    if (depth < MAX_DEPTH && c === '(' && value !== undefined && /^[A-Za-z_]\w*\+?=$/.test(value)) {
      const inner: ShellCommand[] = [];
      const close = arrayEnd(s, i + 1, limit);
      lex(s, i + 1, close, undefined, inner, depth + 1, state);
      i = Math.min(close + 1, limit);
      // The elements are the words of the array itself, not those of the commands inside its `$(…)`.
      const all = inner.flatMap((command) => command.words);
      endWord(all.filter((w) => !all.some((u) => u !== w && u.start <= w.start && w.end <= u.end && u.end - u.start > w.end - w.start)));
      continue;
    }
    // `<<<`: a here-string, its word on this line (never the start of a here-document).
    if (c === '<' && s[i + 1] === '<' && s[i + 2] === '<') {
      endWord();
      i += 3;
      continue;
    }
    // `<<EOF`, `<<-'EOF'`, `<< "EOF"`: a here-document whose body starts on the next line.
    if (c === '<' && s[i + 1] === '<') {
      const m = /^<<(-?)[ \t]*(?:'([^'\n]*)'|"([^"\n]*)"|\\?([A-Za-z_][\w.-]*))/.exec(s.slice(i, Math.min(limit, i + 200)));
      if (m) {
        endWord();
        pending.push({ delimiter: m[2] ?? m[3] ?? m[4]!, stripTabs: m[1] === '-', words });
        i += m[0].length;
        continue;
      }
    }
    if (SEPARATORS.has(c) || ((c === '(' || c === ')') && value === undefined)) {
      endCommand();
      i++;
      if (c === '\n' && pending.length > 0) {
        for (const doc of pending) i = hereDocument(s, i, limit, doc, out, depth, state);
        pending = [];
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    add(c, i);
    i++;
  }
  endCommand();
  if (closer !== undefined) state.problems.push({ from: Math.max(0, from - (closer === ')' ? 2 : 1)), to: limit, reason: closer === ')' ? 'a `$(` that is never closed' : 'a backquote that is never closed' });
  return i;
}

/** The index of the `)` that closes an array assignment opened before `from` (past the `)` of a `$(…)` inside it). */
function arrayEnd(s: string, from: number, limit: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let i = from; i < limit; i++) {
    const c = s[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '\\') i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && depth-- === 0) return i;
  }
  return limit;
}

/** Past a here-document's body (from the line after its command): read as script when a shell is fed it. */
function hereDocument(s: string, from: number, limit: number, doc: HereDoc, out: ShellCommand[], depth: number, state: LexState): number {
  let i = from;
  while (i < limit) {
    const eol = s.indexOf('\n', i);
    const end = eol === -1 || eol > limit ? limit : eol;
    const line = s.slice(i, end).replace(/\r$/, '');
    if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter) {
      if (isShell(doc.words) && depth < MAX_DEPTH) lex(s, from, i, undefined, out, depth + 1, state);
      return Math.min(end + 1, limit);
    }
    i = end + 1;
  }
  // No closing line: the body runs to the end, as the shell reads it (with a warning).
  if (isShell(doc.words) && depth < MAX_DEPTH) lex(s, from, limit, undefined, out, depth + 1, state);
  return limit;
}
