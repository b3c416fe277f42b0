// Bundles whalekeeper into dist/, every file CommonJS (the ES module loader alone costs ~10 ms of start-up) and
// self-contained (nothing is read from node_modules at run time):
//   whalekeeper.js          the entry: splits the global options, answers --version, loads one of the bundles below
//   commands/<name>.js      one per src/cli/bundles/<name>.ts: that command's whole path, its options read by the fast
//                           parser from the command's yargs definition, without loading yargs
//   whalekeeper-cli.js      the full CLI (yargs): help, and whatever argv a command's fast parser leaves to yargs
//   package.json            { "type": "commonjs" }
import { build } from 'esbuild';
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { lazyModules } from './build-plugins.mjs';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
const commands = (await readdir(new URL('src/cli/bundles/', root))).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
await rm(new URL('dist', root), { recursive: true, force: true });

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Intl.ListFormat is made on first use (scripts/lazy-list-format.mjs): got's type checker makes two at load time.
  define: { __WHALEKEEPER_VERSION__: JSON.stringify(pkg.version), 'Intl.ListFormat': 'LazyListFormat' },
  inject: ['scripts/lazy-list-format.mjs'],
  legalComments: 'none',
  logLevel: 'warning',
  splitting: false,
  outdir: 'dist',
  // import() becomes require(): the bundles are compiled through vm.Script (src/cli/load-bundle.ts), where a dynamic
  // import has no loader; and a built-in module loaded lazily (node:crypto for docker contexts) is required as well.
  supported: { 'dynamic-import': false },
  plugins: [lazyModules],
};
await Promise.all([
  build({ ...common, entryPoints: { whalekeeper: 'src/main.ts' }, define: { ...common.define, __WHALEKEEPER_BUNDLED_COMMANDS__: JSON.stringify(commands) } }),
  build({ ...common, entryPoints: Object.fromEntries(commands.map((c) => [`commands/${c}`, `src/cli/bundles/${c}.ts`])) }),
  build({
    ...common,
    entryPoints: { 'whalekeeper-cli': 'src/cli/entry.ts' },
    // yargs (an ES module) asks import.meta.url where it is; in CommonJS that is this file.
    define: { ...common.define, 'import.meta.url': '__wkImportMetaUrl' },
    banner: { js: "var __wkImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
]);
await writeFile(new URL('dist/package.json', root), '{ "type": "commonjs" }\n');
await chmod(new URL('dist/whalekeeper.js', root), 0o755);
