// The scripts a Groovy file hands to `sh`, with the strings followed through the file: `sh 'x'`, `sh(script: x)`,
// `sh cmd` where `def cmd = "…" + opts + '''…'''`, a GString's `${opts}` where `opts` is assigned in the file.
// Groovy escapes are decoded (`\$` is `$`, `\\` at a line's end the shell's continuation); every character keeps the
// offset it came from, so a finding is reported (and fixed) where its `docker run` is written.
import { statementEnd, tokenize, type Token, type Traced } from './groovy-tokens.js';
import type { ParseProblem } from './problems.js';

export type { Traced } from './groovy-tokens.js';

/** A script given to `sh`; `via` when it was held in a variable: its name, where `sh` is, and the `sh` call's span. */
export interface GroovyScript extends Traced {
  readonly via?: { readonly variable: string; readonly at: number; readonly end: number };
}

/** Words that may come before a variable's name in its declaration. */
const DECLARATION = new Set(['def', 'var', 'final', 'static', 'private', 'public', 'protected', 'String', 'GString', 'CharSequence', 'Object']);

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
  private depth = 0;
  private readonly memo = new Map<string, { value: Traced | undefined; names: string[] }>();
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
    const only = terms.length === 1 ? terms[0]! : undefined;
    const [first, last] = [only?.[0], only?.at(-1)];
    if (only && first?.kind === 'punct' && first.value === '(' && last?.kind === 'punct' && last.value === ')' && this.depth < 64) {
      this.depth++;
      try {
        return this.evaluate(only.slice(1, -1), used);
      } finally {
        this.depth--;
      }
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
    // Each variable is evaluated once (`def a = b + b`, `def b = c + c`, … stays linear).
    let memo = this.memo.get(name);
    if (memo === undefined) {
      const alternatives = this.alternatives(name);
      // Not read: a variable defined through more than 64 others (a hostile chain must not exhaust the stack).
      if (alternatives.length === 0 || this.active.has(name) || this.active.size > 64) return placeholder(name, at);
      this.active.add(name);
      try {
        const names: string[] = [];
        // A value the file does not hold (`sh(returnStdout: true)`, a method call) is the variable itself to the shell.
        const values = alternatives.map((parts) => concat(parts.map((p) => this.evaluate(p, names)))).map((v) => (isPlaceholder(v) ? placeholder(name, at) : v));
        const holdsRm = (v: Traced): boolean => /(^|\s)--rm(\s|$)/.test(v.text);
        // Several values, not each with `--rm`, or one longer than any real script: not read.
        const readable = (values.length === 1 || values.every(holdsRm)) && values[0]!.text.length <= MAX_VALUE;
        memo = { value: readable ? values[0] : undefined, names: [...new Set(names)] };
        this.memo.set(name, memo);
      } finally {
        this.active.delete(name);
      }
    }
    if (memo.value === undefined) return placeholder(name, at);
    for (const one of [name, ...memo.names]) if (!used.includes(one)) used.push(one);
    return memo.value;
  }
}

/** The longest value a Groovy variable is read with, in characters. */
const MAX_VALUE = 1 << 17;

/** `${name}`: what the shell sees for a value the file does not hold; an unknown expansion to the shell reader. */
function placeholder(name: string, at: number): Traced {
  // Only characters the shell reader keeps inside `${…}`: a closure's braces or quotes must not end or open anything.
  const text = `\${${name.replace(/[^\w.?:@*[\]-]/g, '') || 'expression'}}`;
  return { text, origin: Array.from({ length: text.length }, () => at) };
}

/** Whether a value is an expression the file does not hold as a string, and nothing else. */
function isPlaceholder(value: Traced): boolean {
  return value.text === '${expression}' && value.origin.every((o) => o === value.origin[0]);
}

function concat(parts: readonly Traced[]): Traced {
  return { text: parts.map((p) => p.text).join(''), origin: parts.flatMap((p) => [...p.origin]) };
}

/** The index of the `)` closing the parenthesis opened before `from` (or the end of the tokens). */
function closingParen(tokens: readonly Token[], from: number): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    if ('([{'.includes(t.value)) depth++;
    else if (')]}'.includes(t.value) && depth-- === 0) return i;
  }
  return tokens.length;
}

/** Words Groovy allows right after a value (`'x' in list`, `'1' as Integer`). */
const AFTER_VALUE = new Set(['in', 'as', 'instanceof']);

/** The first token of `tokens[from..end)` that follows a value with no operator between (`'x' returnStdout: true`). */
function juxtaposed(tokens: readonly Token[], from: number, end: number): Token | undefined {
  // Newlines inside the call's parentheses separate nothing (`script: 'x'` and `returnStdout: true` on two lines).
  const significant = tokens.slice(from, end).filter((t) => t.kind !== 'newline');
  for (let i = 1; i < significant.length; i++) {
    const [before, t] = [significant[i - 1]!, significant[i]!];
    const value = before.kind === 'string' || (before.kind === 'word' && /^(true|false|null|\d[\w.]*)$/.test(before.value)) || (before.kind === 'punct' && (before.value === ')' || before.value === ']'));
    const next = t.kind === 'string' || (t.kind === 'word' && !AFTER_VALUE.has(t.value));
    if (value && next) return t;
  }
  return undefined;
}

/** The script argument of the `sh` call at `at`: `script:` or the first positional argument; and where the call ends. */
function shArgument(tokens: readonly Token[], at: number, problems: ParseProblem[]): { expression: Token[]; end: number } | undefined {
  const open = tokens[at + 1];
  const parenthesized = open?.kind === 'punct' && open.value === '(';
  const from = parenthesized ? at + 2 : at + 1;
  // `sh(…)` ends at its `)` (newlines inside are nothing); `sh label: 'x', script: …` at the end of the statement.
  const end = parenthesized ? closingParen(tokens, from) : statementEnd(tokens, from);
  // `sh(script: 'docker run …' returnStdout: true)`: Groovy refuses it; the call is read again the simple way.
  const stray = parenthesized && end === tokens.length ? undefined : juxtaposed(tokens, from, end);
  if (parenthesized && end === tokens.length) problems.push({ from: tokens[at]!.start, to: tokens.at(-1)!.end, reason: 'an `sh(` whose `)` never comes' });
  if (stray !== undefined) {
    const what = stray.kind === 'word' ? `\`${stray.value}\`` : 'a string';
    problems.push({ from: tokens[at]!.start, to: (tokens[end] ?? tokens.at(-1))!.end, reason: `${what} where a \`,\` or \`)\` was expected` });
  }
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
export function groovyScripts(text: string, problems: ParseProblem[] = []): GroovyScript[] {
  const tokens = tokenize(text, problems);
  const evaluator = new Evaluator(assignments(tokens));
  const out: GroovyScript[] = [];
  const several = new Set<string>();
  tokens.forEach((t, i) => {
    if (t.kind !== 'word' || t.value !== 'sh') return;
    const previous = tokens[i - 1];
    if (previous?.kind === 'punct' && (previous.value === '.' || previous.value === '?.')) return;
    const next = tokens[i + 1];
    if (next === undefined || next.kind === 'newline' || (next.kind === 'punct' && next.value !== '(')) return;
    const argument = shArgument(tokens, i, problems);
    if (argument === undefined) return;
    const only = argument.expression.length === 1 ? argument.expression[0]! : undefined;
    // `sh cmd`, `sh(script: cmd)`: each assignment of `cmd` is a script that may run (read at its first `sh`: a
    // later one would report the same lines).
    if (only?.kind === 'word' && several.has(only.value)) return;
    const alternatives = only?.kind === 'word' ? evaluator.alternatives(only.value) : [];
    if (only?.kind === 'word' && alternatives.length > 1) {
      several.add(only.value);
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
