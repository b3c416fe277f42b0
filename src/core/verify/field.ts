// Reading the build out of a diagnostics answer: JSON bodies only, a dotted path with keys matched regardless of case.

/** What a body yielded: the build as text, or why none could be read. */
export type FieldRead =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'not-json'; readonly reason: string }
  /** No number or string at the path; `keys` are those of the deepest object reached (what the user could ask for). */
  | { readonly kind: 'field-missing'; readonly keys: readonly string[]; readonly at: string };

/** True for `application/json` and `application/*+json` (Spring's actuator type, say); HTML and text never are. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type);
}

/**
 * Splits `--field` into keys. Dots separate keys, and so do the .NET configuration spellings `__` (environment
 * variables) and `:` (configuration keys): `Meta__BuildNumber`, `Meta:BuildNumber` and `Meta.BuildNumber` are one path.
 */
export function parseFieldPath(text: string): string[] | undefined {
  const path = text.split(/\.|__|:/);
  return path.some((part) => part === '') ? undefined : path;
}

/** Walks `path`; reports the value found and the deepest object reached with its path (for "field missing"). */
function walk(document: unknown, path: readonly string[]): { value: unknown; deepest: unknown; at: string[] } {
  let node: unknown = document;
  const at: string[] = [];
  let deepest: unknown = document;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return { value: undefined, deepest, at };
    deepest = node;
    const record = node as Record<string, unknown>;
    const found = Object.hasOwn(record, key) ? key : Object.keys(record).find((k) => k.toLowerCase() === key.toLowerCase());
    if (found === undefined) return { value: undefined, deepest, at };
    node = record[found];
    at.push(found);
  }
  return { value: node, deepest, at: at.slice(0, -1) };
}

/**
 * Rewrites every number literal of a JSON text as a string literal holding its exact digits, so that no build id is
 * read through a floating-point number (a 17-digit timestamp is not exact as a double). Strings are left as they are.
 */
export function numbersAsText(json: string): string {
  // One native scan: a string literal (escapes included) is matched whole and kept; a number literal outside strings
  // is quoted. Only a text JSON.parse accepted comes here (readBuild checks first), so every match is a whole literal.
  return json.replace(JSON_STRING_OR_NUMBER, (literal) => (literal.charCodeAt(0) === 34 ? literal : `"${literal}"`));
}

const JSON_STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** Reads the build from a body: a number or string at `path` (`"209"` and `209` both read as `209`), digits exact. */
export function readBuild(contentType: string | undefined, body: string, path: readonly string[]): FieldRead {
  if (!isJsonContentType(contentType)) {
    return { kind: 'not-json', reason: `content type ${contentType === undefined || contentType === '' ? 'missing' : `\`${contentType.split(';')[0]!.trim()}\``}` };
  }
  let document: unknown;
  try {
    // Validity is JSON.parse's verdict on the body as sent; the values are read from the exact-digits rewrite.
    JSON.parse(body);
    document = JSON.parse(numbersAsText(body));
  } catch {
    return { kind: 'not-json', reason: 'body is not valid JSON' };
  }
  const { value, deepest, at } = walk(document, path);
  if (typeof value === 'string' && value.trim() !== '') return { kind: 'value', value: value.trim() };
  const keys = deepest !== null && typeof deepest === 'object' && !Array.isArray(deepest) ? Object.keys(deepest) : [];
  return { kind: 'field-missing', keys, at: at.join('.') };
}

/** How a build compares with the expected one. */
export type BuildOrder = 'match' | 'older' | 'newer';

/**
 * Compares build ids exactly: two runs of digits compare as integers of any length (leading zeros ignored, so
 * `0209` is 209); anything else compares as text, equal or not (a commit id has no order: another one is `older`).
 * No floating point is involved anywhere.
 */
export function compareBuild(seen: string, expected: string): BuildOrder {
  if (/^\d+$/.test(seen) && /^\d+$/.test(expected)) {
    const a = seen.replace(/^0+(?=\d)/, '');
    const b = expected.replace(/^0+(?=\d)/, '');
    if (a === b) return 'match';
    return a.length !== b.length ? (a.length < b.length ? 'older' : 'newer') : a < b ? 'older' : 'newer';
  }
  return seen === expected ? 'match' : 'older';
}
