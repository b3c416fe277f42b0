// The floor of a Node client for verify's bench: one GET per URL, all at once, each on a new connection, the body's
// buildNumber compared; nothing else (no deadline, no retries, no report). `node:http` alone, or through got with the
// options verify gives it (src/edge/http.ts). The bench bundles this file as whalekeeper's bundles are made (esbuild,
// CommonJS, one file; got left out of the node:http one), so the floors and verify load their code the same way.
//   node verify-floor.cjs http|got URLS_FILE EXPECTED   exit 0 when every replica answered EXPECTED
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';

const [mode, file, expected] = process.argv.slice(2);
const urls = readFileSync(file, 'utf8').trim().split('\n');
const headers = { 'user-agent': 'floor', accept: 'application/json', 'cache-control': 'no-cache' };
const agent = new Agent({ keepAlive: false });

/** One GET: resolves with the body when the answer is JSON, or undefined. */
const viaHttp = (url) =>
  new Promise((resolve) => {
    const req = request(url, { agent, headers, timeout: 30_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(/json/.test(res.headers['content-type'] ?? '') ? Buffer.concat(chunks).toString() : undefined));
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
const viaGot = (client) => (url) =>
  new Promise((resolve) => {
    const stream = client.stream(url, { timeout: { request: 30_000 } });
    let json = false;
    const chunks = [];
    stream.once('response', (res) => (json = /json/.test(res.headers['content-type'] ?? '')));
    stream.on('data', (c) => chunks.push(c));
    stream.once('end', () => {
      resolve(json ? Buffer.concat(chunks).toString() : undefined);
      stream.destroy();
    });
    stream.once('error', () => resolve(undefined));
  });

async function main() {
  let get = viaHttp;
  if (mode === 'got') {
    const { default: got } = await import('got');
    get = viaGot(got.extend({ headers, agent: { http: agent }, retry: { limit: 0 }, throwHttpErrors: false, followRedirect: false, decompress: false, cache: false }));
  }
  const bodies = await Promise.all(urls.map(get));
  const matching = bodies.filter((b) => b !== undefined && String(JSON.parse(b).buildNumber) === expected).length;
  process.exit(matching === urls.length ? 0 : 1);
}
void main();
