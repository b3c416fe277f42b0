// A file's bytes, audited and fixed as bytes: whatever its encoding (UTF-8, Latin-1, …), each byte is read as one
// character (every byte the shell cares about is ASCII), so an offset is a byte offset and `--fix` inserts ` --rm`
// between bytes, changing none. A UTF-8 byte-order mark is read as blanks (it stays in the file).
import { auditFile, insertions, positions, type FileAudit, type Finding, type Position } from './audit.js';
import type { SourceKind } from './sources.js';

const BOM = [0xef, 0xbb, 0xbf];

/** The bytes as text, one character per byte (Latin-1), with a leading UTF-8 byte-order mark blanked. */
function asText(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return BOM.every((b, i) => bytes[i] === b) ? `   ${text.slice(3)}` : text;
}

/** Line and column (in characters as UTF-8 decodes them, the mark not counted) of byte offsets. */
function bytePositions(bytes: Uint8Array, text: string): Position {
  const byByte = positions(text);
  const decoder = new TextDecoder();
  return (offset) => {
    const { line, column } = byByte(offset);
    // A byte that is not UTF-8 (Latin-1's `é`) decodes to one replacement character: one column each.
    return { line, column: [...decoder.decode(bytes.subarray(offset - column + 1, offset))].length + 1 };
  };
}

/** Every `docker run` without `--rm` in a file's bytes; `insertAt` is a byte offset. */
export function auditBytes(bytes: Uint8Array, kind: SourceKind): Finding[] {
  return auditFileBytes(bytes, kind).findings;
}

/** Every `docker run` without `--rm` in a file's bytes, and the parts read the simple way; `insertAt` is a byte offset. */
export function auditFileBytes(bytes: Uint8Array, kind: SourceKind): FileAudit {
  const text = asText(bytes);
  return auditFile(text, kind, bytePositions(bytes, text));
}

/** The bytes with ` --rm` inserted after each fixable finding's `run`: every other byte is kept as it was. */
export function fixBytes(bytes: Uint8Array, findings: readonly Finding[]): Uint8Array {
  const offsets = insertions(findings).reverse();
  const insert = new TextEncoder().encode(' --rm');
  const out = new Uint8Array(bytes.length + offsets.length * insert.length);
  let from = 0;
  let to = 0;
  for (const offset of offsets) {
    out.set(bytes.subarray(from, offset), to);
    to += offset - from;
    out.set(insert, to);
    to += insert.length;
    from = offset;
  }
  out.set(bytes.subarray(from), to);
  return out;
}
