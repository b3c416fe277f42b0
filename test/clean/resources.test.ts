// The shipped Prometheus rules and DaemonSet: valid, and consistent with what whalekeeper writes and accepts.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCleanArgs } from '../../src/core/clean-settings.js';
import { diskReport } from '../../src/core/disk-status.js';
import { renderMetrics } from '../../src/core/metrics.js';

const resource = (path: string): string => fileURLToPath(new URL(`../../resources/${path}`, import.meta.url));

describe('resources/io/whalekeeper/prometheus/whalekeeper-alerts.yml', () => {
  const rules = resource('io/whalekeeper/prometheus/whalekeeper-alerts.yml');

  it('passes promtool check rules', async () => {
    const result = await execa('promtool', ['check', 'rules', rules], { reject: false });
    expect(result.stdout).toMatch(/SUCCESS: 5 rules found/);
    expect(result.exitCode).toBe(0);
  });

  it('uses only metrics `disk --prometheus` writes', () => {
    const metrics = renderMetrics(
      diskReport({
        engine: { host: 'h', dataRoot: '/d', serverVersion: '20.10' },
        measure: { ok: true, usage: { path: '/d', totalBytes: 10, usedBytes: 5, availableBytes: 5, usedPercent: 50, inodesTotal: 10, inodesUsed: 1, method: 'statfs' } },
        usage: null, warn: undefined, fail: undefined, now: 0,
      }),
    );
    const used = new Set(readFileSync(rules, 'utf8').match(/whalekeeper_[a-z_]+/g));
    for (const name of used) expect(metrics).toContain(`\n${name}{`);
  });
});

describe('resources/io/whalekeeper/kubernetes/daemonset.yaml', () => {
  const yaml = readFileSync(resource('io/whalekeeper/kubernetes/daemonset.yaml'), 'utf8');

  it('runs a scheduled agent clean that whalekeeper accepts', () => {
    const args = [...yaml.split('args:')[1]!.split('env:')[0]!.matchAll(/^\s+- (\S+)$/gm)].map((m) => m[1]!);
    expect(args[0]).toBe('clean');
    const flags = Object.fromEntries(
      args.slice(1).map((a) => {
        const [key, value] = a.replace(/^--/, '').split('=');
        return [key!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), value ?? true];
      }),
    );
    const settings = parseCleanArgs(flags, undefined);
    expect(settings.policy.scope).toEqual({ kind: 'agent' });
    expect(settings.everyMs).toBe(600_000);
    expect(settings.high).toEqual({ kind: 'percent', percent: 80 });
  });

  it("mounts the node's socket and its data root read-only at the same path", () => {
    expect(yaml).toMatch(/mountPath: \/var\/lib\/docker\n\s+readOnly: true/);
    expect(yaml).toMatch(/path: \/var\/run\/docker.sock/);
  });
});
