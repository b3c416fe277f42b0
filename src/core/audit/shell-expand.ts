// Expands the words of a `docker run` with what the script itself assigns before it: `OPTS="--rm"`, `export OPTS=…`,
// `params=(--rm -v x:y)`, `params+=(…)`. A variable the script does not assign (the environment, a parameter,
// another file), a command substitution or a positional parameter stays unknown: the caller calls that "cannot tell".
import type { ShellCommand, ShellWord } from './shell-lex.js';

/** A word after expansion, with the origin of each character in the text read. */
export interface Field {
  readonly value: string;
  readonly origin: readonly number[];
  /** The word was one expansion whose value is unknown: `scalar` (`$X`, `"${X:-}"`) or `list` (`"${a[@]}"`, `"$@"`). */
  readonly opaque?: 'scalar' | 'list';
  /** The unknown expansions in this word, as written (`$OPTS`, `${a[@]}`, `$(…)`). */
  readonly unknown?: readonly string[];
}

interface Assignment {
  readonly at: number;
  readonly append: boolean;
  /** A scalar's value word, or an array's elements. */
  readonly word?: ShellWord;
  readonly elements?: readonly ShellWord[];
}

/** The variables a script assigns, each with its assignments in order. */
export type Assignments = ReadonlyMap<string, readonly Assignment[]>;

/** Commands that assign with their arguments (`export A=1`, `local -a B=(x)`). */
const DECLARERS = new Set(['export', 'local', 'declare', 'typeset', 'readonly']);

/** Shell keywords that may come before an assignment on its line. */
const KEYWORDS = new Set(['do', 'then', 'else', '{', '!']);

/** Every assignment of a script: `A=1` alone on its command (not `A=1 cmd`, which is the command's environment). */
export function assignmentsOf(commands: readonly ShellCommand[]): Assignments {
  const out = new Map<string, Assignment[]>();
  for (const { words } of commands) {
    // `do a+=(x)`, `then OPTS=--rm`: the keyword is no command.
    const from = KEYWORDS.has(words[0]?.value ?? '') ? 1 : 0;
    const declarer = DECLARERS.has(words[from]?.value ?? '');
    const candidates = declarer ? words.slice(from + 1).filter((w) => !w.value.startsWith('-')) : words.slice(from);
    if (!declarer && !candidates.every((w) => /^[A-Za-z_]\w*\+?=/.test(w.value))) continue;
    for (const word of candidates) {
      const m = /^([A-Za-z_]\w*)(\+?)=/.exec(word.value);
      if (!m) continue;
      const list = out.get(m[1]!) ?? [];
      // `args=("${args[@]}" --rm)`, the older spelling of `args+=(--rm)`.
      const self = word.array?.[0] !== undefined && new RegExp(`^\\$\\{${m[1]}\\[[@*]\\]\\}$`).test(word.array[0].value);
      const append = m[2] === '+' || self;
      const cut = m[0].length;
      const rest: ShellWord = { ...word, value: word.value.slice(cut), origin: word.origin.slice(cut), start: word.start + cut };
      list.push({ at: word.start, append, ...(word.array ? { elements: self ? word.array.slice(1) : word.array } : { word: rest }) });
      out.set(m[1]!, list);
    }
  }
  // In the order of the text (a `$(…)`'s commands are read before the command around it).
  for (const list of out.values()) list.sort((a, b) => a.at - b.at);
  return out;
}

/** The longest value a variable is read with, in characters. */
const MAX_VALUE = 65536;

/** What a variable holds where it is used: its elements (one for a scalar), or undefined when unknown. */
type Value = Field[] | undefined;

/** Expands words as the shell would, with the assignments made before `at`. */
export class Expander {
  private readonly active = new Set<string>();
  private readonly memo = new Map<string, Value>();
  private readonly holdsRm = new Map<Assignment, boolean>();

  constructor(
    private readonly text: string,
    private readonly assignments: Assignments,
  ) {}

  /** The fields of the words, in order. */
  fields(words: readonly ShellWord[], at: number): Field[] {
    return words.flatMap((word) => this.expand(word, at));
  }

  /** Whether every assignment of a variable names `--rm` (each read once): then which one is used does not matter. */
  private allHoldRm(list: readonly Assignment[]): boolean {
    return list.every((a) => {
      let holds = this.holdsRm.get(a);
      if (holds === undefined) {
        holds = (a.elements ?? (a.word ? [a.word] : [])).some((w) => this.expand(w, a.at).some((f) => f.value.split(/\s+/).includes('--rm')));
        this.holdsRm.set(a, holds);
      }
      return holds;
    });
  }

  /**
   * A variable's value: assigned once (and appended to), or assigned several times, each value naming `--rm`.
   * An element whose own value is unknown stays in it, opaque (`args+=(-e "$v")`: `-e` and an unknown value).
   */
  private value(name: string, at: number): Value {
    const all = this.assignments.get(name) ?? [];
    let count = 0;
    for (let hi = all.length; count < hi; ) {
      const mid = (count + hi) >> 1;
      if (all[mid]!.at < at) count = mid + 1;
      else hi = mid;
    }
    const list = all.slice(0, count);
    // Not read: a variable defined through more than 64 others (a hostile chain must not exhaust the stack), or
    // assigned more than 256 times before its use (no script's options are; reading them would cost their square).
    if (count === 0 || count > 256 || this.active.has(name) || this.active.size > 64) return undefined;
    // The same assignments give the same value: computed once (`A="$B $B"`, `B="$C $C"`, … stays linear).
    const key = `${name}#${list.length}`;
    if (this.memo.has(key)) return this.memo.get(key);
    this.active.add(name);
    try {
      const value = this.compute(list, at);
      // A value longer than any real option list is not read (variables doubling each other grow exponentially).
      const known = value !== undefined && value.reduce((n, f) => n + f.value.length, 0) <= MAX_VALUE ? value : undefined;
      this.memo.set(key, known);
      return known;
    } finally {
      this.active.delete(name);
    }
  }

  /** The value of assignments: the one assignment, or the first of several that each name `--rm`; appends added. */
  private compute(list: readonly Assignment[], at: number): Value {
    const sets = list.filter((a) => !a.append);
    if (sets.length > 1 && !this.allHoldRm(sets)) return undefined;
    const base = sets[0] === undefined ? 0 : list.indexOf(sets[0]);
    const out: Field[] = [];
    for (const a of list.slice(base).filter((b) => b.append || b === sets[0])) {
      if (a.elements) out.push(...a.elements.flatMap((element) => this.expand(element, a.at)));
      else if (a.word) {
        const whole = this.joined(a.word, a.at);
        const last = out.at(-1);
        if (!a.append || last === undefined) out.push(whole);
        else {
          const unknown = [...(last.unknown ?? []), ...(whole.unknown ?? [])];
          out[out.length - 1] = { value: last.value + whole.value, origin: [...last.origin, ...whole.origin], ...(unknown.length > 0 ? { unknown } : {}) };
        }
      }
    }
    return out;
  }

  /** An assignment's value word, expanded without field splitting: opaque when it is one unknown expansion. */
  private joined(word: ShellWord, at: number): Field {
    const fields = this.expand(word, at, true);
    if (fields.length === 1) return fields[0]!;
    const unknown = fields.flatMap((f) => f.unknown ?? []);
    return { value: fields.map((f) => f.value).join(' '), origin: fields.flatMap((f) => [...f.origin]), ...(unknown.length > 0 ? { unknown } : {}) };
  }

  /** One word's fields. The raw text is read again: quotes decide field splitting and `"${a[@]}"`. */
  private expand(word: ShellWord, at: number, noSplit = false): Field[] {
    if (word.array) return [{ value: word.value, origin: word.origin }];
    const s = this.text;
    const fields: Field[] = [];
    // The field being built: its text, origins, unknown expansions, and (to tell an opaque field) its pieces.
    let value: string | undefined;
    let origin: number[] = [];
    let unknown: string[] = [];
    let pieces = 0;
    let opaque: 'scalar' | 'list' | undefined;
    let lists = 0;
    const open = (): void => {
      if (value === undefined) {
        value = '';
        origin = [];
      }
    };
    const push = (text: string, from: readonly number[] | number): void => {
      open();
      pieces++;
      value += text;
      for (let k = 0; k < text.length; k++) origin.push(typeof from === 'number' ? from + k : from[k]!);
    };
    const close = (): void => {
      if (value !== undefined) {
        const only = pieces === 1 && opaque !== undefined ? { opaque } : {};
        fields.push({ value, origin, ...(unknown.length > 0 ? { unknown } : {}), ...only });
      }
      value = undefined;
      unknown = [];
      pieces = 0;
      opaque = undefined;
    };
    const element = (field: Field): void => {
      push(field.value, field.origin);
      unknown.push(...(field.unknown ?? []));
      if (field.opaque) opaque = field.opaque;
    };
    const expansion = (raw: string, at0: number, quoted: boolean): void => {
      const ref = parseReference(raw);
      const known = ref?.name === undefined ? undefined : this.value(ref.name, at);
      if (ref === undefined || known === undefined || (ref.op !== undefined && ref.op !== ':-' && ref.op !== '-')) {
        push(raw, at0);
        opaque = ref?.list || raw === '$@' || raw === '$*' ? 'list' : 'scalar';
        unknown.push(raw);
        return;
      }
      if (ref.list) lists++;
      const elements = ref.list ? known : ref.index !== undefined ? known.slice(ref.index, ref.index + 1) : known.slice(0, 1);
      elements.forEach((one, n) => {
        if (n > 0 && !noSplit) close();
        if (n > 0 && noSplit) push(' ', at0);
        // Quoted, or an opaque element: one field; unquoted: split on blanks, the pieces at the edges joining the
        // words around it.
        if (quoted || noSplit || one.opaque) {
          element(one);
          return;
        }
        const parts = [...one.value.matchAll(/[^ \t\n]+/g)];
        if (/^[ \t\n]/.test(one.value)) close();
        parts.forEach((m, k) => {
          if (k > 0) close();
          // A word of the value that is one of its unknown expansions (`OPTS="$EXTRA -t"`) stays unknown.
          const opaqueWord = one.unknown?.includes(m[0]) ? { opaque: /\[[@*]\]\}$|^\$[@*]$/.test(m[0]) ? ('list' as const) : ('scalar' as const) } : {};
          element({ value: m[0], origin: one.origin.slice(m.index, m.index + m[0].length), ...(one.unknown ? { unknown: one.unknown } : {}), ...opaqueWord });
        });
        if (parts.length > 0 && /[ \t\n]$/.test(one.value)) close();
      });
    };
    let i = word.start;
    const end = Math.min(word.end, s.length);
    while (i < end) {
      const c = s[i]!;
      if (c === "'") {
        const stop = Math.min(end, s.indexOf("'", i + 1) === -1 ? end : s.indexOf("'", i + 1));
        push(s.slice(i + 1, stop), i + 1);
        i = stop + 1;
      } else if (c === '"') {
        // `""` is an empty word; `"${a[@]}"` of an empty array is no word at all.
        const listsBefore = lists;
        const quoteAt = i;
        i++;
        while (i < end && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < end && '"\\$`'.includes(s[i + 1]!)) {
            push(s[i + 1]!, i + 1);
            i += 2;
          } else if (s[i] === '$' || s[i] === '`') {
            const raw = expansionAt(s, i, end);
            if (raw.length === 1) push('$', i);
            else expansion(raw, i, true);
            i += raw.length;
          } else {
            push(s[i]!, i);
            i++;
          }
        }
        if (value === undefined && lists === listsBefore) push('', quoteAt);
        i++;
      } else if (c === '\\') {
        if (s[i + 1] !== '\n') push(s[i + 1] ?? '', i + 1);
        i += 2;
      } else if (c === '$' || c === '`') {
        const raw = expansionAt(s, i, end);
        if (raw.length === 1) push('$', i);
        else expansion(raw, i, noSplit);
        i += raw.length;
      } else {
        push(c, i);
        i++;
      }
    }
    close();
    return fields;
  }
}

/** The text of the expansion starting at `i` (`$X`, `${…}`, `$(…)`, a backquoted command, `$1`, `$@`), or `$` alone. */
function expansionAt(s: string, i: number, end: number): string {
  if (s[i] === '`') {
    const close = s.indexOf('`', i + 1);
    return s.slice(i, close === -1 || close >= end ? end : close + 1);
  }
  const next = s[i + 1] ?? '';
  if (next === '{' || next === '(') {
    const pair = next === '{' ? '}' : ')';
    let depth = 0;
    for (let j = i + 1; j < end; j++) {
      if (s[j] === next) depth++;
      else if (s[j] === pair && --depth === 0) return s.slice(i, j + 1);
    }
    return s.slice(i, end);
  }
  const name = /^[A-Za-z_]\w*|^[0-9@*#?$!-]/.exec(s.slice(i + 1, end));
  return name ? `$${name[0]}` : '$';
}

/** A parameter reference: `$X`, `${X}`, `${X[@]}`, `${X[2]}`, `${X:-default}`; undefined for `$(…)` and the like. */
function parseReference(raw: string): { name: string; list: boolean; index?: number; op?: string } | undefined {
  const simple = /^\$([A-Za-z_]\w*)$/.exec(raw);
  if (simple) return { name: simple[1]!, list: false };
  const braced = /^\$\{([A-Za-z_]\w*)(?:\[(@|\*|\d+)\])?(?:(:?[-+=?]|##?|%%?|\/\/?|:)(.*))?\}$/s.exec(raw);
  if (!braced) return undefined;
  const [, name, index, op] = braced;
  return {
    name: name!,
    list: index === '@' || index === '*',
    ...(index !== undefined && /^\d+$/.test(index) ? { index: Number(index) } : {}),
    ...(op !== undefined ? { op } : {}),
  };
}
