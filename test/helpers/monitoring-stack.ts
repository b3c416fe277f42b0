// node_exporter, Prometheus and Alertmanager (Debian's packages) on free loopback ports, for the end-to-end test and
// the demo: node_exporter reads a textfile folder, Prometheus scrapes it every second and evaluates a rule file,
// Alertmanager receives. Each runs from a temporary folder of its own; stop() ends the three and removes the folder.
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './http-replica.js';
import { SERVERS } from './monitoring.js';

/** The three servers' addresses (http://127.0.0.1:PORT) and how to stop them. */
export interface MonitoringStack {
  readonly nodeExporter: string;
  readonly prometheus: string;
  readonly alertmanager: string;
  /** What the servers printed (for a failure's message). */
  log(): string;
  stop(): Promise<void>;
}

/** An alert as Alertmanager's API v2 lists it. */
export interface ManagedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed' };
}

/** GETs JSON from a loopback server. */
export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Waits (bounded: 200 tries, 100 ms apart) until `url` answers 200. */
async function ready(url: string, child: ResultPromise, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode}):\n${log()}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer in 20 s:\n${log()}`);
}

/** Starts the three: node_exporter on `textfileDir`, Prometheus with `rules` (YAML text), Alertmanager. */
export async function startMonitoring(textfileDir: string, rules: string): Promise<MonitoringStack> {
  const dir = mkdtempSync(join(tmpdir(), 'wk-monitoring-'));
  const [ne, prom, am] = [await freePort(), await freePort(), await freePort()];
  const children: ResultPromise[] = [];
  let output = '';
  const spawn = (name: string, file: string, args: string[]): ResultPromise => {
    const child = execa(file, args, { cwd: dir, reject: false, stdin: 'ignore', all: true, env: { HOME: dir, PATH: process.env.PATH ?? '' }, extendEnv: false });
    child.all!.on('data', (chunk: Buffer) => (output += `${name}: ${chunk.toString()}`));
    children.push(child);
    return child;
  };
  const log = (): string => output.split('\n').slice(-40).join('\n');
  const stop = async (): Promise<void> => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Alertmanager: one receiver that notifies nobody (the test reads Alertmanager's own API); no cluster listener.
    writeFileSync(join(dir, 'alertmanager.yml'), stringify({ route: { receiver: 'nobody', group_wait: '1s', group_interval: '1s' }, receivers: [{ name: 'nobody' }] }));
    const alertmanager = spawn('alertmanager', SERVERS.alertmanager, [
      `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'am')}`, `--web.listen-address=127.0.0.1:${am}`, '--cluster.listen-address=',
    ]);
    // node_exporter with the textfile collector only (the others would read this machine, not the test's figures).
    const nodeExporter = spawn('node_exporter', SERVERS.nodeExporter, [
      `--web.listen-address=127.0.0.1:${ne}`, '--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${textfileDir}`,
    ]);
    writeFileSync(join(dir, 'rules.yml'), rules);
    writeFileSync(
      join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [join(dir, 'rules.yml')],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${am}`] }] }] },
        scrape_configs: [{ job_name: 'node', static_configs: [{ targets: [`127.0.0.1:${ne}`] }] }],
      }),
    );
    const prometheus = spawn('prometheus', SERVERS.prometheus, [
      `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${prom}`,
      // Firing alerts re-sent every second (default 1 m), so Alertmanager hears within a second or two.
      '--rules.alert.resend-delay=1s',
    ]);
    const urls = { nodeExporter: `http://127.0.0.1:${ne}`, prometheus: `http://127.0.0.1:${prom}`, alertmanager: `http://127.0.0.1:${am}` };
    await Promise.all([
      ready(`${urls.alertmanager}/-/ready`, alertmanager, log),
      ready(`${urls.nodeExporter}/metrics`, nodeExporter, log),
      ready(`${urls.prometheus}/-/ready`, prometheus, log),
    ]);
    return { ...urls, log, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
