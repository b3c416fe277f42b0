import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { diskExitCode, diskReport, diskStatus } from '../../src/core/disk-status.js';
import { renderMetrics } from '../../src/core/metrics/disk.js';
import type { DiskMeasure } from '../../src/core/inventory.js';
import { fs } from './fixtures.js';

const measured = (used: number): DiskMeasure => ({ ok: true, usage: fs(used) });
const unmeasured: DiskMeasure = { ok: false, reason: 'remote' };
const engine = { host: 'unix:///var/run/docker.sock', dataRoot: '/var/lib/docker', serverVersion: '20.10.24' };
const usage = {
  images: { count: 3, bytes: 3000, reclaimableBytes: 1000 },
  containers: { count: 2, bytes: 200, reclaimableBytes: 100 },
  volumes: { count: 1, bytes: 10, reclaimableBytes: 0 },
  buildCache: { count: 0, bytes: 0, reclaimableBytes: 0 },
};

describe('disk status', () => {
  it.each([
    [measured(5000), 'ok'],
    [measured(8500), 'warn'],
    [measured(9500), 'fail'],
    [unmeasured, 'unknown'],
  ] as const)('%j with --warn 80% --fail 90% is %s', (m, status) => {
    expect(diskStatus(m, { kind: 'percent', percent: 80 }, { kind: 'percent', percent: 90 })).toBe(status);
  });

  it.each([
    [measured(9500), true, 1],
    [measured(8500), true, 0],
    [unmeasured, true, 5],
    [unmeasured, false, 0],
  ] as const)('exit code for %j (fail given: %s) is %i', (m, withFail, code) => {
    const report = diskReport({ engine, measure: m, usage: null, warn: undefined, fail: withFail ? { kind: 'percent', percent: 90 } : undefined, now: 0 });
    expect(diskExitCode(report)).toBe(code);
  });
});

describe('Prometheus metrics', () => {
  const check = async (text: string): Promise<void> => {
    const result = await execa('promtool', ['check', 'metrics'], { input: text, reject: false });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.exitCode).toBe(0);
  };

  it('passes promtool check metrics, with the filesystem and the breakdown', async () => {
    const text = renderMetrics(diskReport({ engine, measure: measured(8000), usage, warn: undefined, fail: undefined, now: 1_700_000_000_000 }));
    expect(text).toContain('whalekeeper_disk_used_ratio{host="unix:///var/run/docker.sock",data_root="/var/lib/docker"} 0.8');
    expect(text).toContain('whalekeeper_engine_bytes{host="unix:///var/run/docker.sock",data_root="/var/lib/docker",kind="build_cache"} 0');
    expect(text).not.toContain('whalekeeper_disk_limit_bytes');
    await check(text);
  });

  it('against --limit: the limit as its own gauge, the size and ratio of the limit', async () => {
    const limited: DiskMeasure = { ok: true, usage: { ...fs(750, 1000), method: 'du' } };
    const text = renderMetrics(diskReport({ engine, measure: limited, usage: null, warn: undefined, fail: undefined, now: 0 }));
    expect(text).toContain('whalekeeper_disk_limit_bytes{host="unix:///var/run/docker.sock",data_root="/var/lib/docker"} 1000\n');
    expect(text).toContain('whalekeeper_disk_used_ratio{host="unix:///var/run/docker.sock",data_root="/var/lib/docker"} 0.75\n');
    await check(text);
  });

  it('says when nothing could be measured, and escapes label values', async () => {
    const text = renderMetrics(diskReport({ engine: { ...engine, dataRoot: 'C:\\docker "x"\n' }, measure: unmeasured, usage: null, warn: undefined, fail: undefined, now: 0 }));
    expect(text).toContain('whalekeeper_disk_measured{host="unix:///var/run/docker.sock",data_root="C:\\\\docker \\"x\\"\\n"} 0');
    expect(text).not.toContain('whalekeeper_disk_used_bytes');
    await check(text);
  });
});
