// Real load balancers on loopback for `verify` tests: Debian's nginx and haproxy, each started with its own config,
// pid and log files in a temp dir, listening on 127.0.0.1 at a free port, in front of Node replicas.
import { execa, type ResultPromise } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './http-replica.js';

/** A running load balancer. */
export interface LoadBalancer {
  readonly name: 'nginx' | 'haproxy';
  readonly url: string;
  stop(): Promise<void>;
}

/** Resolves once something accepts connections on 127.0.0.1:port (the balancer is up). */
async function listening(port: number, child: ResultPromise, log: () => Promise<string>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the load balancer exited: ${await log()}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the load balancer did not listen on ${port}: ${await log()}`);
}

/**
 * nginx with a round-robin upstream (its default) and 2 worker processes, each with its own rotation. A backend that
 * refuses a connection is skipped for the next (proxy_next_upstream's default), as nginx does in production.
 * Documented: https://nginx.org/en/docs/http/ngx_http_upstream_module.html
 */
export async function startNginx(backends: readonly number[]): Promise<LoadBalancer> {
  const dir = await mkdtemp(join(tmpdir(), 'wk-verify-nginx-'));
  const port = await freePort();
  const conf = `
worker_processes 2;
user root;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream replicas {
${backends.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=1s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://replicas; }
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), conf);
  // -e: the error log before the config is read (else /var/log/nginx); -p: the prefix; daemon off: a child of the test.
  const child = execa('nginx', ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { reject: false, stdin: 'ignore' });
  await listening(port, child, () => readFile(join(dir, 'error.log'), 'utf8').catch(() => ''));
  return { name: 'nginx', url: `http://127.0.0.1:${port}`, stop: () => stop(child, dir) };
}

/**
 * haproxy in HTTP mode, `balance roundrobin`, 2 threads, no health checks, `retries 0`: a request whose backend
 * refuses the connection is answered 503 at once (with retries, haproxy waits up to `timeout connect`, at most 1 s,
 * before each retry on the same backend).
 * Documented: https://docs.haproxy.org/2.6/configuration.html (balance, retries, option redispatch)
 */
export async function startHaproxy(backends: readonly number[]): Promise<LoadBalancer> {
  const dir = await mkdtemp(join(tmpdir(), 'wk-verify-haproxy-'));
  const port = await freePort();
  const conf = `
global
  pidfile ${dir}/haproxy.pid
  nbthread 2
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s
  retries 0
frontend front
  bind 127.0.0.1:${port}
  default_backend replicas
backend replicas
  balance roundrobin
${backends.map((p, i) => `  server r${i + 1} 127.0.0.1:${p}`).join('\n')}
`;
  await writeFile(join(dir, 'haproxy.cfg'), conf);
  // -db: foreground, a child of the test; -W is not used (no master process to leave behind).
  const child = execa('haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db'], { reject: false, stdin: 'ignore', all: true });
  await listening(port, child, async () => String((await child.catch((e: unknown) => e)) ?? ''));
  return { name: 'haproxy', url: `http://127.0.0.1:${port}`, stop: () => stop(child, dir) };
}

async function stop(child: ResultPromise, dir: string): Promise<void> {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    // nginx's master stops its workers on SIGTERM; give it a moment, then make sure.
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await child;
    clearTimeout(timer);
  }
  await rm(dir, { recursive: true, force: true });
}
