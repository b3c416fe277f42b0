// "The time of the work a command asks of others": a child process that serves (a replica) or forwards (to the engine)
// each HTTP request and prints, per request, when it arrived and when its answer was complete. The bench sums those
// intervals (overlaps counted once) per invocation and subtracts them from the command's time, as it subtracts
// `docker run`'s time from `whalekeeper run`'s. The child is a process of its own: hyperfine and spawnSync block the
// bench's event loop.
import { spawn } from 'node:child_process';

const CHILD = `
import { createServer, request } from 'node:http';
const { MODE, LISTEN, UPSTREAM, COUNT, BODY } = process.env;
const log = (start) => process.stdout.write('busy ' + start + ' ' + performance.now() + '\\n');
const handler = (req, res) => {
  const start = performance.now();
  if (MODE === 'replica') {
    res.on('finish', () => log(start));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(BODY);
    return;
  }
  const upstream = request({ socketPath: UPSTREAM, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
    answer.on('end', () => log(start));
  });
  upstream.on('error', (error) => { res.writeHead(502); res.end(String(error)); log(start); });
  req.pipe(upstream);
};
const ports = [];
for (let i = 0; i < Number(COUNT ?? 1); i++) {
  const server = createServer(handler);
  await new Promise((resolve) => (MODE === 'replica' ? server.listen(0, '127.0.0.1', resolve) : server.listen(LISTEN, resolve)));
  if (MODE === 'replica') ports.push(server.address().port);
}
process.stdout.write('ready ' + JSON.stringify(ports) + '\\n');
`;

/**
 * Starts the child. `replica`: COUNT servers on 127.0.0.1 answering `body`; `proxy`: a unix socket at `listen`
 * forwarding to the engine's socket `upstream`. Resolves with the replicas' ports (none for a proxy), `take()` (the
 * busy milliseconds since the last take) and `stop()`.
 */
export async function startBusy({ mode, count = 1, body = '', listen, upstream }) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: { ...process.env, MODE: mode, COUNT: String(count), BODY: body, LISTEN: listen ?? '', UPSTREAM: upstream ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffer = '';
  let intervals = [];
  const ports = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('ready ')) resolve(JSON.parse(line.slice(6)));
        else if (line.startsWith('busy ')) intervals.push(line.slice(5).split(' ').map(Number));
      }
    });
    child.once('exit', (code) => reject(new Error(`busy ${mode} exited ${code}`)));
  });
  return {
    ports,
    /** The busy time since the last call, overlapping requests counted once (after letting the child's lines in). */
    async take() {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const sorted = intervals.sort((a, b) => a[0] - b[0]);
      intervals = [];
      let total = 0;
      let end = -Infinity;
      for (const [s, e] of sorted) {
        if (e <= end) continue;
        total += e - Math.max(s, end);
        end = e;
      }
      return total;
    },
    stop: () => child.kill('SIGTERM'),
  };
}
