// The data root's bytes for --limit: the edge's walk against du on the same tree (hard links once, symlinks as
// themselves, holes not counted), and what it says when the path cannot be read.
import { execa } from 'execa';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDisk } from '../../src/edge/disk.js';

const root = mkdtempSync(join(tmpdir(), 'wk-tree-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Disk.treeBytes', () => {
  it('counts what du counts', async () => {
    for (let d = 0; d < 20; d++) {
      const dir = join(root, 'overlay2', `layer${d}`, 'diff');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'file'), Buffer.alloc(10_000 * (d + 1), d));
      if (d > 0) linkSync(join(root, 'overlay2', 'layer0', 'diff', 'file'), join(dir, 'hardlink'));
      symlinkSync('/nowhere', join(dir, 'symlink'));
    }
    await execa('truncate', ['-s', '1G', join(root, 'sparse')]);
    const tree = await createDisk().treeBytes(root);
    const du = await execa('du', ['-s', '-B1', root]);
    expect(tree).toEqual({ ok: true, bytes: Number(du.stdout.split('\t')[0]), files: expect.any(Number) });
    expect(tree.ok && tree.bytes).toBeLessThan(10_000_000);
  });

  it('says which path it could not read', async () => {
    const missing = join(root, 'missing');
    expect(await createDisk().treeBytes(missing)).toEqual({ ok: false, reason: `cannot read ${missing} here (ENOENT)` });
  });
});
