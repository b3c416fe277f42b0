// Where an expansion ends in a word (`$X`, `${…}`, `$(…)`, backquotes) and what a parameter reference names.
import { substitutionEnd } from './shell-lex.js';

/** The text of the expansion starting at `i` (`$X`, `${…}`, `$(…)`, a backquoted command, `$1`, `$@`), or `$` alone. */
export function expansionAt(s: string, i: number, end: number): string {
  const next = s[i + 1] ?? '';
  // A command substitution ends where the shell reader's does (quotes, here-documents, `case` patterns skipped).
  if (s[i] === '`' || next === '(') return s.slice(i, substitutionEnd(s, i, end));
  if (next === '{') {
    const pair = '}';
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
export function parseReference(raw: string): { name: string; list: boolean; index?: number; op?: string } | undefined {
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
