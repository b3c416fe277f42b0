import { describe, expect, it } from 'vitest';
import { auditBytes, fixBytes } from '../../../src/core/audit/bytes.js';

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));

describe('audit over bytes', () => {
  it('keeps every byte of a Latin-1 file and inserts only ` --rm`', () => {
    const file = bytes('# compil', [0xe9], '\necho "', [0xe9, 0xe8], '" && docker run img\n');
    const findings = auditBytes(file, 'shell');
    expect(findings).toMatchObject([{ line: 2, column: 14, kind: 'no-rm' }]);
    expect(Buffer.from(fixBytes(file, findings))).toEqual(Buffer.from(bytes('# compil', [0xe9], '\necho "', [0xe9, 0xe8], '" && docker run --rm img\n')));
  });

  it('reads a UTF-8 byte-order mark as nothing: a first-line finding is found at column 1, and the mark stays', () => {
    const file = bytes([0xef, 0xbb, 0xbf], 'docker run img\n');
    const findings = auditBytes(file, 'shell');
    expect(findings).toMatchObject([{ line: 1, column: 1 }]);
    expect(Buffer.from(fixBytes(file, findings))).toEqual(Buffer.from(bytes([0xef, 0xbb, 0xbf], 'docker run --rm img\n')));
  });

  it('counts columns in characters of UTF-8 text', () => {
    expect(auditBytes(bytes('echo "über" && docker run img'), 'shell')).toMatchObject([{ column: 16 }]);
  });

  it('inserts at several offsets, CRLF lines kept', () => {
    const file = bytes('docker run a\r\ndocker run b\r\n');
    expect(Buffer.from(fixBytes(file, auditBytes(file, 'shell'))).toString()).toBe('docker run --rm a\r\ndocker run --rm b\r\n');
  });
});
