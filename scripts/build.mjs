// Bundles src/main.ts into dist/: one small entry chunk for the hot path (`whalekeeper run`)
// and lazily imported chunks per command, so that start-up pays only for what a command uses.
import { build } from 'esbuild';
import { readFile, rm, chmod } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { whalekeeper: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  banner: {
    // Some bundled CommonJS dependencies (yargs' helpers) call require().
    js: "import { createRequire as __wkRequire } from 'node:module'; const require = __wkRequire(import.meta.url);",
  },
  define: { __WHALEKEEPER_VERSION__: JSON.stringify(pkg.version) },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: false,
});
await chmod(new URL('../dist/whalekeeper.js', import.meta.url), 0o755);
