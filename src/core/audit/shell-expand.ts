// Expands the words of a `docker run` with what the script itself assigns before it: `OPTS="--rm"`, `export OPTS=…`,
// `params=(--rm -v x:y)`, `params+=(…)`. A variable the script does not assign (the environment, a parameter,
// another file), one set at run time (`read`, `for`), a command substitution or a positional parameter stays unknown:
// unknown.ts judges those. A here-document plainly `cat`ed in a command substitution is its literal text.
import { expansionAt, parseReference } from './shell-reference.js';
import type { ShellCommand, ShellWord } from './shell-lex.js';
import { catHereDoc, runtimeNames, type Field } from './unknown.js';

export type { Field } from './unknown.js';

interface Assignment {
  readonly at: number;
  readonly append: boolean;
  /** Set at run time (`read X`, `for X in …`): its value is unknown. */
  readonly runtime?: true;
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

/** Shell keywords that may come before `read` (`while read -r line`). */
const CONDITIONS = new Set([...KEYWORDS, 'while', 'until', 'if', 'elif']);

/** Every assignment of a script: `A=1` alone on its command (not `A=1 cmd`, which is the command's environment). */
export function assignmentsOf(commands: readonly ShellCommand[]): Assignments {
  const out = new Map<string, Assignment[]>();
  for (const { words } of commands) {
    // `read -r X`, `while read -r X`, `for X in …`: X is set at run time.
    let k = 0;
    while (k < words.length - 1 && CONDITIONS.has(words[k]!.value)) k++;
    for (const name of runtimeNames(words.slice(k).map((w) => w.value))) {
      out.set(name, [...(out.get(name) ?? []), { at: words[k]!.start, append: false, runtime: true }]);
    }
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
    if (sets[0]?.runtime) return undefined;
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
      // `$(cat <<'END' … END)`: the here-document's text, as if a variable held it.
      const literal = catHereDoc(raw);
      if (literal !== undefined) {
        const unknownWords = literal.unknown.length > 0 ? { unknown: literal.unknown } : {};
        spread([{ value: literal.value, origin: literal.origin.map((k) => at0 + k), ...unknownWords }], quoted);
        return;
      }
      const ref = parseReference(raw);
      const known = ref?.name === undefined ? undefined : this.value(ref.name, at);
      if (ref === undefined || known === undefined || (ref.op !== undefined && ref.op !== ':-' && ref.op !== '-')) {
        push(raw, at0);
        opaque = ref?.list || raw === '$@' || raw === '$*' ? 'list' : 'scalar';
        unknown.push(raw);
        return;
      }
      if (ref.list) lists++;
      spread(ref.list ? known : ref.index !== undefined ? known.slice(ref.index, ref.index + 1) : known.slice(0, 1), quoted, at0);
    };
    /** A value's elements in place of its expansion: quoted, one field each; unquoted, split on blanks. */
    const spread = (elements: readonly Field[], quoted: boolean, at0 = 0): void => {
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
