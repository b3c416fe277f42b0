// A Makefile's recipes as the shell gets them: recipe prefixes (tab, `@`, `-`, `+`) blanked, `$$` read as `$`, and
// `$(NAME)` / `${NAME}` replaced by the value the Makefile assigns NAME (`=`, `:=`, `::=`, `?=`, `+=` appended), when
// it assigns it once, or each time with `--rm`. Other references (`$(shell …)`, `$@`, a variable from the environment)
// are left as written: to the shell reader they are expansions it cannot know. Lines that are no recipe are blanked
// (a rule's `target: ; recipe` keeps its recipe): they are make's, not the shell's.
import type { Traced } from './groovy-tokens.js';

interface MakeAssignment {
  readonly append: boolean;
  readonly value: string;
  readonly at: number;
}

/** Each variable's assignments at the top level of the Makefile (a value continued with `\` is not read). */
function makeVariables(text: string): Map<string, MakeAssignment[] | 'unknown'> {
  const out = new Map<string, MakeAssignment[] | 'unknown'>();
  let offset = 0;
  for (const line of text.split('\n')) {
    const m = /^((?:(?:export|override)\s+)*)([A-Za-z_][\w.-]*)(\s*)(::?:?=|\?=|\+=|=|!=)(\s*)(.*?)\s*$/.exec(line.replace(/\r$/, ''));
    if (m && !line.startsWith('\t')) {
      const [, lead, name, gap, op, space, raw] = m;
      const value = raw!.replace(/(^|[^\\])#.*$/, '$1').trimEnd();
      const list = out.get(name!);
      if (op === '!=' || value.endsWith('\\') || list === 'unknown') out.set(name!, 'unknown');
      else {
        const at = offset + lead!.length + name!.length + gap!.length + op!.length + space!.length;
        out.set(name!, [...(list ?? []), { append: op === '+=', value, at }]);
      }
    }
    offset += line.length + 1;
  }
  return out;
}

/** The recipes of a Makefile, with every other line kept as it is (offsets kept where nothing is replaced). */
export function makeScript(text: string): Traced {
  const vars = makeVariables(text);
  const chars: string[] = [];
  const origin: number[] = [];
  const emit = (c: string, at: number): void => {
    chars.push(c);
    origin.push(at);
  };
  /** The value of a variable, or undefined when the Makefile does not fix it. */
  const valueOf = (name: string): MakeAssignment[] | undefined => {
    const list = vars.get(name);
    if (list === undefined || list === 'unknown') return undefined;
    const sets = list.filter((a) => !a.append);
    if (sets.length > 1 && !sets.every((a) => /(^|\s)--rm(\s|$)/.test(a.value))) return undefined;
    return list.slice(sets[0] === undefined ? 0 : list.indexOf(sets[0])).filter((a) => a.append || a === sets[0]);
  };
  const copy = (s: string, from: number, depth: number): void => {
    for (let i = 0; i < s.length; i++) {
      // `$$` is one `$` to the shell, inside its word (`-e A=$$o` is one word).
      if (s[i] === '$' && s[i + 1] === '$') {
        emit('$', from + i + 1);
        i++;
        continue;
      }
      const ref = s[i] === '$' ? /^\$(?:\(([A-Za-z_][\w.-]*)\)|\{([A-Za-z_][\w.-]*)\})/.exec(s.slice(i, i + 200)) : null;
      // Variables doubling each other stop being replaced past 10 levels or a megabyte.
      const parts = ref && depth < 10 && chars.length < 1 << 20 ? valueOf(ref[1] ?? ref[2]!) : undefined;
      if (ref && parts) {
        parts.forEach((part, n) => {
          if (n > 0) emit(' ', part.at);
          copy(part.value, part.at, depth + 1);
        });
        i += ref[0].length - 1;
        continue;
      }
      emit(s[i]!, from + i);
    }
  };
  let offset = 0;
  let continued = false;
  for (const line of text.split('\n')) {
    // A recipe line, or the line after one ending in `\`; else a rule's recipe after `;` (`test: ; docker run …`).
    // A line going on from the one before loses only its tab: `@`, `-`, `+` there are the shell's (`\t  --rm`).
    const recipe: string | undefined = continued ? (line.startsWith('\t') ? '\t' : '') : /^\t[ \t@+-]*/.exec(line)?.[0];
    const inline: string | undefined = recipe === undefined ? /^[^\s#=:][^#=:]*::?(?!=)[^#=;]*;[ \t@+-]*/.exec(line)?.[0] : undefined;
    const prefix = recipe ?? inline ?? line;
    for (let k = 0; k < prefix.length; k++) emit(' ', offset + k);
    if (prefix.length < line.length) copy(line.slice(prefix.length), offset + prefix.length, 0);
    continued = (recipe !== undefined || inline !== undefined) && /\\\r?$/.test(line);
    emit('\n', offset + line.length);
    offset += line.length + 1;
  }
  chars.pop();
  origin.pop();
  return { text: chars.join(''), origin };
}

/**
 * The recipe lines of a Makefile's script, each a script of its own as make runs them (one shell per line, a line
 * ending in `\` going on), or the whole script when the Makefile says `.ONESHELL:`.
 */
export function makeLines(script: Traced, text: string): Traced[] {
  if (/^\.ONESHELL\s*:/m.test(text)) return [script];
  const out: Traced[] = [];
  let from = 0;
  for (let i = 0; i <= script.text.length; i++) {
    if (i < script.text.length && (script.text[i] !== '\n' || script.text[i - 1] === '\\')) continue;
    if (script.text.slice(from, i).trim() !== '') out.push({ text: script.text.slice(from, i), origin: script.origin.slice(from, i) });
    from = i + 1;
  }
  return out;
}
