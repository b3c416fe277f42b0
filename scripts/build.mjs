// Bundles whalekeeper into dist/: whalekeeper.js holds `run`'s whole hot path in one file; whalekeeper-cli.mjs (and its
// chunks, one per command) holds everything else and is imported only by the other commands.
import { build } from 'esbuild';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  define: { __WHALEKEEPER_VERSION__: JSON.stringify(pkg.version) },
  legalComments: 'none',
  logLevel: 'warning',
};
// 1. The entry, with `run`'s whole path in one CommonJS file: one module to load for every container of every build,
//    without the ES module loader's start-up cost (measured: ~10 ms). dist/package.json makes dist/*.js CommonJS.
await build({ ...common, format: 'cjs', entryPoints: { whalekeeper: 'src/main.ts' }, outdir: 'dist', splitting: false });
await writeFile(new URL('../dist/package.json', import.meta.url), '{ "type": "commonjs" }\n');
// 2. The full CLI, imported by the entry for every other command; each command's code is a chunk of its own.
await build({
  ...common,
  entryPoints: { 'whalekeeper-cli': 'src/cli/entry.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  banner: {
    // Some bundled CommonJS dependencies (yargs' helpers) call require().
    js: "import { createRequire as __wkRequire } from 'node:module'; const require = __wkRequire(import.meta.url);",
  },
});
await chmod(new URL('../dist/whalekeeper.js', import.meta.url), 0o755);
