// The scripts a Groovy file hands to `sh`, with the strings followed through the file: `sh 'x'`, `sh(script: x)`,
// `sh cmd` where `def cmd = "…" + opts + '''…'''`, a GString's `${opts}` where `opts` is assigned in the file.
// Groovy escapes are decoded (`\$` is `$`, `\\` at a line's end the shell's continuation); every character keeps the
// offset it came from, so a finding is reported (and fixed) where its `docker run` is written.

/** A text read out of a file, each character with the offset it came from. */
export interface Traced {
  readonly text: string;
  readonly origin: readonly number[];
}

/** A script given to `sh`; `via` when it was held in a variable: its name, where `sh` is, and the `sh` call's span. */
export interface GroovyScript extends Traced {
  readonly via?: { readonly variable: string; readonly at: number; readonly end: number };
}

type Piece = Traced | { readonly expression: string; readonly at: number };

type Token =
  | { readonly kind: 'string'; readonly pieces: readonly Piece[]; readonly start: number; readonly end: number }
  | { readonly kind: 'word' | 'punct' | 'newline'; readonly value: string; readonly start: number; readonly end: number };

/** Groovy string escapes: what the escaped character decodes to (a `\` before a newline removes the newline). */
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', $: '$', n: '\n', t: '\t', r: '\r', '\n': '' };

/** Words that may come before a variable's name in its declaration. */
const DECLARATION = new Set(['def', 'var', 'final', 'static', 'private', 'public', 'protected', 'String', 'GString', 'CharSequence', 'Object']);

/** The file's tokens: strings (decoded, GString `${…}` kept apart), words, punctuation, newlines; comments dropped. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 2;
    } else if (c === "'" || c === '"') {
      const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      const { pieces, end } = readString(text, i + quote.length, quote);
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

/** A string's pieces up to its closing quote: decoded text, and (in double quotes) each `${…}` or `$name`. */
function readString(text: string, from: number, quote: string): { pieces: Piece[]; end: number } {
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
  return { pieces, end: Math.min(text.length, j + quote.length) };
}

/** Index past the statement starting at `from`: a newline or `;` at depth 0, unless the expression goes on. */
function statementEnd(tokens: readonly Token[], from: number): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && '([{'.includes(t.value)) depth++;
    else if (t.kind === 'punct' && ')]}'.includes(t.value)) {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && (t.kind === 'newline' || (t.kind === 'punct' && t.value === ';'))) {
      const previous = tokens[i - 1];
      const next = tokens.slice(i + 1).find((n) => n.kind !== 'newline');
      const continues = (previous?.kind === 'punct' && ['+', ',', ':', '='].includes(previous.value)) || (next?.kind === 'punct' && next.value === '+');
      if (t.kind === 'newline' && continues) continue;
      return i;
    }
  }
  return tokens.length;
}

interface Assignment {
  readonly append: boolean;
  readonly expression: readonly Token[];
}

/** Every `[def|String|…] name = expression` and `name += expression` at the start of a statement. */
function assignments(tokens: readonly Token[]): Map<string, Assignment[]> {
  const out = new Map<string, Assignment[]>();
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    const op = tokens[i + 1]!;
    if (t.kind !== 'word' || op.kind !== 'punct' || (op.value !== '=' && op.value !== '+=')) continue;
    let k = i - 1;
    while (k >= 0 && tokens[k]!.kind === 'word' && DECLARATION.has((tokens[k] as { value: string }).value)) k--;
    const before = tokens[k];
    const atStart = before === undefined || before.kind === 'newline' || (before.kind === 'punct' && [';', '{', '}'].includes(before.value));
    if (!atStart) continue;
    const end = statementEnd(tokens, i + 2);
    const list = out.get(t.value) ?? [];
    list.push({ append: op.value === '+=', expression: tokens.slice(i + 2, end) });
    out.set(t.value, list);
  }
  return out;
}

/** Evaluates string expressions: literals, `+`, variables the file assigns; the rest stays as `${…}` for the shell. */
class Evaluator {
  private readonly active = new Set<string>();
  constructor(private readonly vars: Map<string, Assignment[]>) {}

  /** The alternatives of a variable given to `sh` whole: each assignment, with the appends after it. */
  alternatives(name: string): Token[][][] {
    const list = this.vars.get(name) ?? [];
    const out: Token[][][] = [];
    for (const a of list) {
      if (a.append) out.at(-1)?.push([...a.expression]);
      else out.push([[...a.expression]]);
    }
    return out;
  }

  /** One expression (terms joined by `+`) as text. */
  evaluate(expression: readonly Token[], used: string[]): Traced {
    const terms: Token[][] = [[]];
    let depth = 0;
    for (const t of expression) {
      if (t.kind === 'newline') continue;
      if (t.kind === 'punct' && '([{'.includes(t.value)) depth++;
      if (t.kind === 'punct' && ')]}'.includes(t.value)) depth--;
      if (depth === 0 && t.kind === 'punct' && t.value === '+') terms.push([]);
      else terms.at(-1)!.push(t);
    }
    // `("docker run " + opts)`: the parentheses around a whole expression.
    if (terms.length === 1) {
      const only = terms[0]!;
      const [first, last] = [only[0], only.at(-1)];
      if (first?.kind === 'punct' && first.value === '(' && last?.kind === 'punct' && last.value === ')') return this.evaluate(only.slice(1, -1), used);
    }
    return concat(terms.map((term) => this.term(term, used)));
  }

  private term(term: readonly Token[], used: string[]): Traced {
    const only = term.length === 1 ? term[0]! : undefined;
    if (only?.kind === 'string') return concat(only.pieces.map((p) => ('text' in p ? p : this.variable(p.expression, p.at, used))));
    if (only?.kind === 'word') return this.variable(only.value, only.start, used);
    const start = term[0]?.start ?? 0;
    const dotted = term.every((t) => t.kind === 'word' || (t.kind === 'punct' && (t.value === '.' || t.value === '?.')));
    return placeholder(dotted ? term.map((t) => (t.kind === 'string' ? '' : t.value)).join('') : 'expression', start);
  }

  /** A variable's value where the file assigns it once (or each time with `--rm`); else `${name}` for the shell. */
  private variable(name: string, at: number, used: string[]): Traced {
    const alternatives = this.alternatives(name);
    if (alternatives.length === 0 || this.active.has(name)) return placeholder(name, at);
    this.active.add(name);
    const mark = used.length;
    used.push(name);
    try {
      const values = alternatives.map((parts) => concat(parts.map((p) => this.evaluate(p, used))));
      const holdsRm = (v: Traced): boolean => /(^|\s)--rm(\s|$)/.test(v.text);
      if (values.length > 1 && !values.every(holdsRm)) {
        used.splice(mark);
        return placeholder(name, at);
      }
      return values[0]!;
    } finally {
      this.active.delete(name);
    }
  }
}

/** `${name}`: what the shell sees for a value the file does not hold; an unknown expansion to the shell reader. */
function placeholder(name: string, at: number): Traced {
  // Only characters the shell reader keeps inside `${…}`: a closure's braces or quotes must not end or open anything.
  const text = `\${${name.replace(/[^\w.?:@*[\]-]/g, '') || 'expression'}}`;
  return { text, origin: Array.from({ length: text.length }, () => at) };
}

function concat(parts: readonly Traced[]): Traced {
  return { text: parts.map((p) => p.text).join(''), origin: parts.flatMap((p) => [...p.origin]) };
}

/** The script argument of the `sh` call at `at`: `script:` or the first positional argument; and where the call ends. */
function shArgument(tokens: readonly Token[], at: number): { expression: Token[]; end: number } | undefined {
  const open = tokens[at + 1];
  const parenthesized = open?.kind === 'punct' && open.value === '(';
  const from = parenthesized ? at + 2 : at + 1;
  // `sh(…)` ends at its `)`; `sh label: 'x', script: …` at the end of the statement.
  const end = statementEnd(tokens, from);
  const args: Token[][] = [[]];
  let depth = 0;
  for (let i = from; i < end; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && '([{'.includes(t.value)) depth++;
    if (t.kind === 'punct' && ')]}'.includes(t.value)) depth--;
    if (depth === 0 && t.kind === 'punct' && t.value === ',') args.push([]);
    else if (t.kind !== 'newline') args.at(-1)!.push(t);
  }
  const named = (arg: Token[]): string | undefined => (arg[0]?.kind === 'word' && arg[1]?.kind === 'punct' && arg[1].value === ':' ? arg[0].value : undefined);
  const script = args.find((a) => named(a) === 'script')?.slice(2) ?? args.find((a) => a.length > 0 && named(a) === undefined);
  if (script === undefined || script.length === 0) return undefined;
  // A closure or a map is no script.
  if (script[0]!.kind === 'punct' && (script[0] as { value: string }).value === '{') return undefined;
  return { expression: script, end: (tokens[end] ?? tokens.at(-1))?.end ?? 0 };
}

/** The scripts a Groovy file gives to `sh`, each string followed through the variables the file assigns. */
export function groovyScripts(text: string): GroovyScript[] {
  const tokens = tokenize(text);
  const evaluator = new Evaluator(assignments(tokens));
  const out: GroovyScript[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'word' || t.value !== 'sh') return;
    const previous = tokens[i - 1];
    if (previous?.kind === 'punct' && (previous.value === '.' || previous.value === '?.')) return;
    const next = tokens[i + 1];
    if (next === undefined || next.kind === 'newline' || (next.kind === 'punct' && next.value !== '(')) return;
    const argument = shArgument(tokens, i);
    if (argument === undefined) return;
    const only = argument.expression.length === 1 ? argument.expression[0]! : undefined;
    // `sh cmd`, `sh(script: cmd)`: each assignment of `cmd` is a script that may run.
    const alternatives = only?.kind === 'word' ? evaluator.alternatives(only.value) : [];
    if (only?.kind === 'word' && alternatives.length > 1) {
      for (const parts of alternatives) {
        const used: string[] = [];
        const value = concat(parts.map((p) => evaluator.evaluate(p, used)));
        out.push({ ...value, via: { variable: only.value, at: t.start, end: argument.end } });
      }
      return;
    }
    const used: string[] = [];
    const value = evaluator.evaluate(argument.expression, used);
    out.push({ ...value, ...(used.length > 0 ? { via: { variable: used[0]!, at: t.start, end: argument.end } } : {}) });
  });
  return out;
}
