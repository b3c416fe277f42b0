// A small reader of shell command lines, enough to find the commands a script runs: words (quotes and escapes
// resolved), `;`, `&&`, `||`, `|`, `&`, newlines, `\`-continuations, comments, and commands inside `$(…)` and backquotes
// (inside double quotes too).
// It does not expand anything: a word holding `$VAR` or `$(…)` is kept as written.

/** One word of a command, with where it sits in the text read. */
export interface ShellWord {
  /** The word with quotes removed and escapes resolved; `$(…)`, `${…}` and backquotes kept as written. */
  readonly value: string;
  /** Index of its first character, and one past its last, in the text read. */
  readonly start: number;
  readonly end: number;
}

/** One simple command: its words in order. */
export interface ShellCommand {
  readonly words: readonly ShellWord[];
}

/** Reads every simple command of a script, those inside command substitutions included. */
export function shellCommands(text: string): ShellCommand[] {
  const out: ShellCommand[] = [];
  lex(text, 0, undefined, out);
  return out;
}

const SEPARATORS = new Set(['\n', ';', '&', '|']);

/** Reads commands from `i` until `closer` (`)` or a backquote) or the end; returns the index after the closer. */
function lex(s: string, from: number, closer: string | undefined, out: ShellCommand[]): number {
  let words: ShellWord[] = [];
  let value: string | undefined;
  let start = 0;
  let i = from;
  const add = (text: string, at: number): void => {
    if (value === undefined) {
      value = '';
      start = at;
    }
    value += text;
  };
  const endWord = (): void => {
    if (value !== undefined) words.push({ value, start, end: i });
    value = undefined;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) out.push({ words });
    words = [];
  };
  while (i < s.length) {
    const c = s[i]!;
    if (closer !== undefined && c === closer) {
      endCommand();
      return i + 1;
    }
    if (c === '\\') {
      const next = s[i + 1];
      if (next === '\n') i += 2;
      else if (next === '\r' && s[i + 2] === '\n') i += 3;
      else {
        add(next ?? '', i);
        i += 2;
      }
      continue;
    }
    if (c === '#' && value === undefined) {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (c === "'") {
      const close = s.indexOf("'", i + 1);
      const end = close === -1 ? s.length : close;
      add(s.slice(i + 1, end), i);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      const at = i;
      let text = '';
      i++;
      while (i < s.length && s[i] !== '"') {
        // A command substitution inside double quotes still runs its commands: read them too.
        if ((s[i] === '$' && s[i + 1] === '(') || s[i] === '`') {
          const sub = i;
          i = lex(s, s[i] === '`' ? i + 1 : i + 2, s[i] === '`' ? '`' : ')', out);
          text += s.slice(sub, i);
          continue;
        }
        if (s[i] === '\\' && i + 1 < s.length) {
          const next = s[i + 1]!;
          if (next !== '\n') text += '"\\$`'.includes(next) ? next : `\\${next}`;
          i += 2;
          continue;
        }
        text += s[i];
        i++;
      }
      add(text, at);
      i++;
      continue;
    }
    if ((c === '$' && s[i + 1] === '(') || c === '`') {
      const at = i;
      i = lex(s, c === '`' ? i + 1 : i + 2, c === '`' ? '`' : ')', out);
      add(s.slice(at, i), at);
      continue;
    }
    if (c === '$' && s[i + 1] === '{') {
      const close = s.indexOf('}', i);
      const end = close === -1 ? s.length : close + 1;
      add(s.slice(i, end), i);
      i = end;
      continue;
    }
    if (SEPARATORS.has(c) || ((c === '(' || c === ')') && value === undefined)) {
      endCommand();
      i++;
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
  return i;
}
