// verify's core stays pure: no process, file, socket, DNS or HTTP module is imported from src/core/verify/*.ts.
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const CORE = new URL('../../../src/core/verify/', import.meta.url);
const FORBIDDEN = /from '(node:)?(child_process|fs|fs\/promises|net|http|https|dns|dns\/promises|tls)'|from '(execa|got|http-proxy-agent|https-proxy-agent)'/;

describe('layering', () => {
  it('src/core/verify/*.ts import no side-effecting module', async () => {
    const files = (await readdir(CORE)).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = await readFile(new URL(file, CORE), 'utf8');
      expect(text, file).not.toMatch(FORBIDDEN);
    }
  });
});
