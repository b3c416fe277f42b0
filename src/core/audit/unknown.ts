// The one place that decides what a `docker run` whose words the file does not all hold is: known, unknown, or
// "cannot tell". Unknown are the values a pipeline gets at run time: a command's output (`$(…)`, backquotes,
// `args=($(cmd))`, Make's `$(shell …)`, Groovy's `sh(returnStdout: true)`), `read`, a loop's variable, the script's
// arguments (`$@`), the environment and build parameters (`$OPTS`, `${env.X}`, `${params.X}`). The readers leave each
// as an opaque word (shell-expand.ts); this module judges them. Known is what the file writes: a here-document plainly
// `cat`ed in a command substitution (`opts=($(cat <<'END' … END))`) is its literal text.
import { judge, takesValue, type FindingKind } from './judge.js';

/** A word after expansion, with the origin of each character in the text read. */
export interface Field {
  readonly value: string;
  readonly origin: readonly number[];
  /** The word was one expansion whose value is unknown: `scalar` (`$X`, `"${X:-}"`) or `list` (`"${a[@]}"`, `"$@"`). */
  readonly opaque?: 'scalar' | 'list';
  /** The unknown expansions in this word, as written (`$OPTS`, `${a[@]}`, `$(…)`). */
  readonly unknown?: readonly string[];
}

/** The commands that set a variable at run time (`read -r X`, `for X in …`, `mapfile -t X`), read as its assignments. */
export const RUNTIME_SETTERS: ReadonlyMap<string, { readonly valued: ReadonlySet<string>; readonly array?: string }> = new Map([
  ['read', { valued: new Set(['-d', '-i', '-n', '-N', '-p', '-t', '-u']), array: '-a' }],
  ['mapfile', { valued: new Set(['-d', '-n', '-O', '-s', '-u', '-C', '-c']) }],
  ['readarray', { valued: new Set(['-d', '-n', '-O', '-s', '-u', '-C', '-c']) }],
  ['for', { valued: new Set() }],
  ['select', { valued: new Set() }],
  ['getopts', { valued: new Set() }],
]);

/** The names a run-time setter's words assign: `read -r -a A B` → A, B; `for X in …` → X; `getopts ab: X` → X. */
export function runtimeNames(words: readonly string[]): string[] {
  const setter = RUNTIME_SETTERS.get(words[0] ?? '');
  if (setter === undefined) return [];
  if (words[0] === 'for' || words[0] === 'select') return /^[A-Za-z_]\w*$/.test(words[1] ?? '') ? [words[1]!] : [];
  if (words[0] === 'getopts') return /^[A-Za-z_]\w*$/.test(words[2] ?? '') ? [words[2]!] : [];
  const names: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === setter.array) names.push(words[++i] ?? '');
    else if (setter.valued.has(word)) i++;
    else if (!word.startsWith('-')) names.push(word);
  }
  if (names.length === 0) names.push(words[0] === 'read' ? 'REPLY' : 'MAPFILE');
  return names.filter((n) => /^[A-Za-z_]\w*$/.test(n));
}

/** A command substitution that only `cat`s a here-document: `$(cat <<-'END'` … `END)`. */
const CAT_HERE_DOC = /^\$\(\s*cat\s*<<(-?)[ \t]*(?:'([^'\n]+)'|"([^"\n]+)"|\\?([A-Za-z_][\w.-]*))[ \t]*\r?\n/;

/**
 * The literal text of a command substitution that only `cat`s a here-document, each character with its index in
 * `raw`, and the words of it that are expansions (an unquoted delimiter expands them); undefined for any other.
 */
export function catHereDoc(raw: string): { value: string; origin: number[]; unknown: string[] } | undefined {
  const head = CAT_HERE_DOC.exec(raw);
  if (head === null) return undefined;
  const [, strip, single, double, bare] = head;
  const delimiter = single ?? double ?? bare!;
  let value = '';
  const origin: number[] = [];
  let at = head[0].length;
  while (at < raw.length) {
    const eol = raw.indexOf('\n', at);
    const end = eol === -1 ? raw.length : eol;
    let from = at;
    if (strip === '-') while (raw[from] === '\t') from++;
    const line = raw.slice(from, end).replace(/\r$/, '');
    if (line === delimiter) {
      // Only blanks may follow the delimiter's line before the `)`: else the substitution does more than `cat`.
      if (!/^\s*\)$/.test(raw.slice(end))) return undefined;
      // A command substitution drops the trailing newlines.
      while (value.endsWith('\n')) {
        value = value.slice(0, -1);
        origin.pop();
      }
      const expands = bare !== undefined;
      const unknown = expands ? [...value.matchAll(/[^ \t\n]+/g)].map((m) => m[0]).filter((w) => /^(\$\{[^}]*\}|\$[A-Za-z_]\w*|\$[@*0-9]|\$\(.*\)|`.*`)$/s.test(w)) : [];
      return { value, origin, unknown };
    }
    for (let k = from; k <= end && k < raw.length; k++) {
      value += raw[k]!;
      origin.push(k);
    }
    at = end + 1;
  }
  return undefined;
}

/** An expansion named like an image (`$IMAGE`, `${DOCKER_IMG}`, `$TAG`, `${params.IMAGE}`) is taken for the image. */
const IMAGE_NAME = /image|img|tag|repo/i;

/** …unless its name says it holds options (`$IMAGE_OPTS`, `${TAG_ARGS}`). */
const OPTIONS_NAME = /opts|options|args|flags|params$/i;

/** The name of a plain variable reference (`$X`, `${X}`, `${params.X}`: `X`), undefined for `$(…)` and the like. */
function referenceName(raw: string): string | undefined {
  const m = /^\$(?:([A-Za-z_]\w*)|\{(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)(?:\[[^\]]*\])?(?::?[-=?+][^}]*)?\})$/.exec(raw);
  return m?.[1] ?? m?.[2];
}

/** Whether an opaque word is named like an image, and not like options. */
function namedLikeImage(field: Field): boolean {
  const name = field.unknown?.length === 1 ? referenceName(field.unknown[0]!) : undefined;
  return name !== undefined && IMAGE_NAME.test(name) && !OPTIONS_NAME.test(name);
}

/** Whether a word from `from` on could be the image: a literal word that is no option, or another expansion. */
function imageFollows(fields: readonly Field[], from: number): boolean {
  for (let i = from; i < fields.length; i++) {
    const value = fields[i]!.value;
    if (fields[i]!.opaque !== undefined || value === '--' || !value.startsWith('-') || value === '-') return true;
    if (takesValue(value)) i++;
  }
  return false;
}

/** A literal word turning `--rm` on (`--rm`, `--rm=true`). */
const RM_ON = /^--rm(=(1|t|T|true|TRUE|True))?$/;

/**
 * Judges expanded words, some of them unknown (opaque). The rule, everywhere a value is unknown:
 * - an unknown word never ends docker's options, unless docker could take it for the image: a single expansion named
 *   like an image (`$IMAGE`), or the last word that can be one (`docker run --name x $IMAGE`);
 * - so the image is certain when it is a literal word, and a `--rm` written before it counts, whatever the unknown
 *   words before it hold (`docker run "${opts[@]}" --rm --name x app:1` is fine);
 * - without `--rm` among the known options, unknown words before the image make it "cannot tell", naming them;
 * - an unknown taken for the image with a `--rm` after it is "cannot tell" too (the `--rm` is docker's only if the
 *   unknown holds no image): `for tag in …; do docker run $tag --rm; done`.
 */
export function judgeFields(fields: readonly Field[]): { kind: FindingKind | undefined; unknown: string[] } {
  if (!fields.some((f) => f.opaque)) return { kind: judge(fields.map((f) => f.value)), unknown: [] };
  const literal: string[] = [];
  const before: string[] = [];
  let image: Field | undefined;
  let imageAt = fields.length;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const next = fields[i + 1];
    if (field.opaque) {
      if (field.opaque === 'scalar' && (namedLikeImage(field) || !imageFollows(fields, i + 1))) {
        image = field;
        imageAt = i;
        break;
      }
      before.push(...(field.unknown ?? []));
      continue;
    }
    if (field.value === '--' || field.value === '-' || !field.value.startsWith('-')) {
      imageAt = i;
      break;
    }
    literal.push(field.value);
    if (takesValue(field.value) && next !== undefined) {
      literal.push(next.value);
      i++;
    }
  }
  const kind = judge([...literal, 'image']);
  if (kind === undefined) return { kind, unknown: [] };
  if (before.length > 0) return { kind: 'cannot-tell', unknown: before };
  const rmAfter = fields.slice(imageAt + 1).some((f) => !f.opaque && RM_ON.test(f.value));
  if (image !== undefined && rmAfter) return { kind: 'cannot-tell', unknown: [...(image.unknown ?? [])] };
  return { kind, unknown: [] };
}
