// The floor of any Node client for clean's bench: the stopped containers listed (one GET), then each removed (one
// DELETE), ENGINE_CONCURRENCY at a time on keep-alive connections, through node:http: what `whalekeeper clean` sends
// for them, and nothing else (no negotiation, lock, grace period, kept or kubelet containers, disk measured, report).
// CommonJS, as whalekeeper's bundles are.   DOCKER_HOST=unix:///…/docker.sock node clean-floor.cjs CONCURRENCY
'use strict';
const { Agent, request } = require('node:http');

const socketPath = process.env.DOCKER_HOST.replace(/^unix:\/\//, '');
const agent = new Agent({ keepAlive: true, maxSockets: Number(process.argv[2]) });
const call = (method, path) =>
  new Promise((resolve, reject) => {
    const req = request({ socketPath, agent, method, path, headers: { Host: 'docker' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode < 300 || res.statusCode === 404 ? resolve(chunks.length ? JSON.parse(Buffer.concat(chunks)) : undefined) : reject(new Error(`${method} ${path}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });

async function main() {
  const filters = encodeURIComponent(JSON.stringify({ status: ['exited', 'created', 'dead'] }));
  const containers = await call('GET', `/v1.41/containers/json?all=1&filters=${filters}`);
  await Promise.all(containers.map((c) => call('DELETE', `/v1.41/containers/${c.Id}?force=0&v=1`)));
  agent.destroy();
}
main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
