// Packs whatever `npm run build` left in dist/ (every file, whatever the bundles are) into the Jenkins library's
// resources: resources/io/whalekeeper/whalekeeper-cli.tgz (a ustar archive, gzipped) and whalekeeper-cli.sha256 (its
// SHA-256, the name of the unpacked CLI in an agent's cache). The steps write it out once per agent with
// libraryResource, so the CLI they run is always the one of the library's own revision. Deterministic: entries
// sorted, owner 0, mtime 0, modes 0644/0755, so a fresh build packs the same archive (test/groovy/library-cli.test.ts
// checks it in CI). Run after `npm run build`:  node scripts/pack-library-cli.mjs
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const out = join(root, 'resources/io/whalekeeper');

/** Every file under `dir`, as paths relative to `base`, sorted. */
function files(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name), base) : [relative(base, join(dir, entry.name))]))
    .sort();
}

/** One ustar header block for a regular file. */
function header(name, size, mode) {
  if (Buffer.byteLength(name) > 100) throw new Error(`pack-library-cli: ${name} is longer than ustar's 100 bytes`);
  const block = Buffer.alloc(512);
  const field = (offset, length, value) => block.write(value, offset, length, 'utf8');
  const octal = (offset, length, value) => field(offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
  field(0, 100, name);
  octal(100, 8, mode);
  octal(108, 8, 0); // uid
  octal(116, 8, 0); // gid
  octal(124, 12, size);
  octal(136, 12, 0); // mtime
  field(148, 8, '        '); // the checksum is computed with this field as spaces
  field(156, 1, '0'); // a regular file
  field(257, 8, 'ustar\u000000');
  const sum = block.reduce((total, byte) => total + byte, 0);
  field(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return block;
}

/** The ustar archive of dist/ (uncompressed): what the CI check compares with a fresh build. */
export function archive() {
  const blocks = [];
  for (const name of files(dist)) {
    const data = readFileSync(join(dist, name));
    const mode = statSync(join(dist, name)).mode & 0o111 ? 0o755 : 0o644;
    blocks.push(header(name, data.length, mode), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tgz = gzipSync(archive(), { level: 9 });
  const sha = createHash('sha256').update(tgz).digest('hex');
  writeFileSync(join(out, 'whalekeeper-cli.tgz'), tgz);
  writeFileSync(join(out, 'whalekeeper-cli.sha256'), `${sha}\n`);
  console.log(`pack-library-cli: ${files(dist).length} files of dist/, ${tgz.length} bytes, sha256 ${sha}`);
}
