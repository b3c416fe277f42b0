// verify: one round over 200 replicas on loopback (`--stable 1`), against a hand-written sequential curl loop.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPLICAS = 200;

/** 200 replicas answering {"buildNumber": 209}, in a child process (hyperfine blocks this one's event loop). */
const SERVERS = `
import { createServer } from 'node:http';
const ports = [];
for (let i = 0; i < ${REPLICAS}; i++) {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"buildNumber": 209}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  ports.push(server.address().port);
}
process.stdout.write(JSON.stringify(ports) + '\\n');
`;

/** The peer: what one would write by hand, one curl per replica in turn, checking the body. */
const CURL_LOOP = `#!/usr/bin/env bash
# usage: curl-loop.sh URLS_FILE EXPECTED
failed=0
while IFS= read -r url; do
  body=$(curl -s --max-time 5 -H 'Cache-Control: no-cache' "$url") || { failed=1; continue; }
  [[ $body =~ \\"buildNumber\\":\\ *\\"?$2\\"?[,}\\ ] ]] || failed=1
done < "$1"
exit $failed
`;

export default async function verifyBench(ctx) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SERVERS], { stdio: ['ignore', 'pipe', 'inherit'] });
  const dir = mkdtempSync(join(tmpdir(), 'wk-bench-verify-'));
  try {
    const ports = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('\n')) resolve(JSON.parse(out));
      });
      child.once('exit', (code) => reject(new Error(`replica servers exited ${code}`)));
    });
    const urls = ports.map((p) => `http://127.0.0.1:${p}/diagnostics`);
    writeFileSync(join(dir, 'urls'), `${urls.join('\n')}\n`);
    writeFileSync(join(dir, 'curl-loop.sh'), CURL_LOOP);
    ctx.log(`verify: ${urls.length} replicas up`);
    const subject = ['node', ctx.bin, 'verify', '--stable', '1', '--expect', '209', '--timeout', '30s', ...urls].join(' ');
    const peer = `bash ${join(dir, 'curl-loop.sh')} ${join(dir, 'urls')} 209`;
    const [subjectMs, peerMs] = ctx.hyperfine([subject, peer], { runs: 10, warmup: 2 });
    return [
      {
        measure: `verify: one round over ${REPLICAS} replicas on loopback (--stable 1, node start included)`,
        subjectMs,
        peer: `sequential curl loop (${REPLICAS} × curl)`,
        peerMs,
        target: 'well under 1 s',
      },
    ];
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
