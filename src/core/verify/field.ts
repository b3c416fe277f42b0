// Reading the build out of a diagnostics answer: JSON bodies only, a dotted path with keys matched regardless of case.

/** What a body yielded: the build as text, or why none could be read. */
export type FieldRead =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'not-json'; readonly reason: string }
  | { readonly kind: 'field-missing' };

/** True for `application/json` and `application/*+json` (Spring's actuator type, say); HTML and text never are. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type);
}

/** The value at `path` in `document`, each key matched without regard to case (an exact match wins). */
export function valueAt(document: unknown, path: readonly string[]): unknown {
  let node: unknown = document;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    const record = node as Record<string, unknown>;
    if (Object.hasOwn(record, key)) {
      node = record[key];
      continue;
    }
    const lower = key.toLowerCase();
    const found = Object.keys(record).find((k) => k.toLowerCase() === lower);
    if (found === undefined) return undefined;
    node = record[found];
  }
  return node;
}

/** Reads the build from a body: a number or string at `path` (`"209"` and `209` both read as `209`). */
export function readBuild(contentType: string | undefined, body: string, path: readonly string[]): FieldRead {
  if (!isJsonContentType(contentType)) {
    return { kind: 'not-json', reason: `content type ${contentType === undefined || contentType === '' ? 'missing' : `\`${contentType.split(';')[0]!.trim()}\``}` };
  }
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return { kind: 'not-json', reason: 'body is not valid JSON' };
  }
  const value = valueAt(document, path);
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'value', value: String(value) };
  if (typeof value === 'string' && value.trim() !== '') return { kind: 'value', value: value.trim() };
  return { kind: 'field-missing' };
}

/** How a build compares with the expected one: numbers by value, anything else equal or not. */
export function compareBuild(seen: string, expected: string): 'match' | 'older' | 'newer' {
  const a = numeric(seen);
  const b = numeric(expected);
  if (a !== undefined && b !== undefined) return a === b ? 'match' : a < b ? 'older' : 'newer';
  // Builds that are not numbers (a commit id) have no order: any other value counts as not deployed yet.
  return seen === expected ? 'match' : 'older';
}

function numeric(text: string): number | undefined {
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}
