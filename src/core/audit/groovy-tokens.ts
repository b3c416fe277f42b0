// Groovy read as tokens: strings (escapes decoded, each character with its offset; a GString's `${…}` kept apart),
// words, punctuation and newlines, comments dropped; and where a statement ends. What Groovy would refuse (a `'…'` or
// `"…"` string not closed on its line, a `'''` string or `/*` comment never closed) is read on as Groovy's own parser
// recovers (the string ends with its line) and named in `problems`.
import type { ParseProblem } from './problems.js';

/** A text read out of a file, each character with the offset it came from. */
export interface Traced {
  readonly text: string;
  readonly origin: readonly number[];
}

/** A piece of a string: decoded text, or a GString's `${expression}` (`at`: the offset of its `$`). */
export type Piece = Traced | { readonly expression: string; readonly at: number };

/** One token of a Groovy file, with its offsets. */
export type Token =
  | { readonly kind: 'string'; readonly pieces: readonly Piece[]; readonly start: number; readonly end: number }
  | { readonly kind: 'word' | 'punct' | 'newline'; readonly value: string; readonly start: number; readonly end: number };

/** Groovy string escapes: what the escaped character decodes to (a `\` before a newline removes the newline). */
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', $: '$', n: '\n', t: '\t', r: '\r', '\n': '' };

/** The file's tokens: strings (decoded, GString `${…}` kept apart), words, punctuation, newlines; comments dropped. */
export function tokenize(text: string, problems: ParseProblem[] = []): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) problems.push({ from: i, to: text.length, reason: 'a `/*` comment that is never closed' });
      i = close === -1 ? text.length : close + 2;
    } else if (c === '/' && slashyMayStart(tokens.at(-1)) && !/[\s/*]/.test(text[i + 1] ?? ' ')) {
      // `/it's/`: a slashy string (a regular expression, mostly); its quotes and `$` are no string's.
      const end = slashyEnd(text, i + 1);
      if (end === text.length) problems.push({ from: i, to: text.length, reason: 'a `/` slashy string that is never closed' });
      const chars = text.slice(i + 1, end);
      tokens.push({ kind: 'string', pieces: [{ text: chars, origin: Array.from({ length: chars.length }, (_, k) => i + 1 + k) }], start: i, end: Math.min(text.length, end + 1) });
      i = Math.min(text.length, end + 1);
    } else if (c === "'" || c === '"') {
      const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      const { pieces, end, closed } = readString(text, i + quote.length, quote);
      if (!closed) {
        const reason = quote.length === 3 ? `a \`${quote}\` string that is never closed` : `a \`${quote}\` string that is not closed on its line`;
        problems.push({ from: i, to: end, reason });
      }
      tokens.push({ kind: 'string', pieces, start: i, end });
      i = end;
    } else if (/[A-Za-z_$]/.test(c)) {
      const word = /^[\w$]+/.exec(text.slice(i, i + 200))![0];
      tokens.push({ kind: 'word', value: word, start: i, end: i + word.length });
      i += word.length;
    } else if (c === '\n') {
      tokens.push({ kind: 'newline', value: c, start: i, end: i + 1 });
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else {
      const op = /^(==|\+=|=~|!=|<=|>=|\?:|\?\.|\*\.)/.exec(text.slice(i, i + 2))?.[0] ?? c;
      tokens.push({ kind: 'punct', value: op, start: i, end: i + op.length });
      i += op.length;
    }
  }
  return tokens;
}

/** Tokens after which a `/` starts a slashy string, not a division (`x = /re/`, `=~ /re/`, `(/re/`). */
const BEFORE_SLASHY = new Set(['=', '(', ',', '=~', '~', '!', '&&', '||', '?', ':', '[', '{', ';', 'return', '+']);

/** Whether a `/` after this token starts a slashy string. */
function slashyMayStart(previous: Token | undefined): boolean {
  return previous === undefined || previous.kind === 'newline' || ((previous.kind === 'punct' || previous.kind === 'word') && BEFORE_SLASHY.has(previous.value));
}

/** The index of the `/` closing a slashy string whose text starts at `from` (`\/` is a slash in it). */
function slashyEnd(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    if (text[j] === '\\' && text[j + 1] === '/') j++;
    else if (text[j] === '/') return j;
  }
  return text.length;
}

/**
 * A string's pieces up to its closing quote: decoded text, and (in double quotes) each `${…}` or `$name`. A one-line
 * string (`'…'`, `"…"`) ends at its line's end when not closed there, as Groovy's parser recovers (`closed` false).
 */
function readString(text: string, from: number, quote: string): { pieces: Piece[]; end: number; closed: boolean } {
  const pieces: Piece[] = [];
  let chars = '';
  let origin: number[] = [];
  const flush = (): void => {
    if (chars.length > 0) pieces.push({ text: chars, origin });
    chars = '';
    origin = [];
  };
  const gstring = quote.startsWith('"');
  let j = from;
  while (j < text.length && !text.startsWith(quote, j)) {
    if (quote.length === 1 && text[j] === '\n') {
      flush();
      return { pieces, end: j, closed: false };
    }
    if (text[j] === '\\' && j + 1 < text.length) {
      const escaped = ESCAPES[text[j + 1]!];
      const out = escaped ?? text.slice(j, j + 2);
      for (let k = 0; k < out.length; k++) {
        chars += out[k]!;
        origin.push(j + (escaped === undefined ? k : 0));
      }
      j += 2;
    } else if (gstring && text[j] === '$' && (text[j + 1] === '{' || /[A-Za-z_]/.test(text[j + 1] ?? ''))) {
      flush();
      let end = j + 1;
      if (text[j + 1] === '{') {
        let depth = 0;
        for (; end < text.length; end++) {
          if (text[end] === '{') depth++;
          else if (text[end] === '}' && --depth === 0) break;
        }
        pieces.push({ expression: text.slice(j + 2, end).trim(), at: j });
        j = end + 1;
      } else {
        const name = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/.exec(text.slice(j + 1, j + 200))![0];
        pieces.push({ expression: name, at: j });
        j += 1 + name.length;
      }
    } else {
      chars += text[j]!;
      origin.push(j);
      j++;
    }
  }
  flush();
  return { pieces, end: Math.min(text.length, j + quote.length), closed: j < text.length };
}

/** Index past the statement starting at `from`: a newline or `;` at depth 0, unless the expression goes on. */
export function statementEnd(tokens: readonly Token[], from: number): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && '([{'.includes(t.value)) depth++;
    else if (t.kind === 'punct' && ')]}'.includes(t.value)) {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && (t.kind === 'newline' || (t.kind === 'punct' && t.value === ';'))) {
      const previous = tokens[i - 1];
      let j = i + 1;
      while (tokens[j]?.kind === 'newline') j++;
      const next = tokens[j];
      const continues = (previous?.kind === 'punct' && ['+', ',', ':', '='].includes(previous.value)) || (next?.kind === 'punct' && next.value === '+');
      if (t.kind === 'newline' && continues) continue;
      return i;
    }
  }
  return tokens.length;
}
