// clean --every --prometheus: the rounds' tally and the textfile each round writes.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { diskReport } from '../../src/core/disk-status.js';
import { renderRoundMetrics, startTally, tallyRound, type RoundOutcome, type RoundTally } from '../../src/core/metrics/rounds.js';
import { fs } from './fixtures.js';

const round = (result: RoundOutcome['result'], freedBytes = 0, atMs = 1_000_000, removed?: RoundOutcome['removed']): RoundOutcome => ({ result, freedBytes, atMs, removed });
const tally = (...rounds: RoundOutcome[]): RoundTally => rounds.reduce(tallyRound, startTally(500));

describe('tallyRound', () => {
  it.each([
    [['failed', 'failed'], 2],
    [['failed', 'skipped', 'failed'], 2],
    [['failed', 'cleaned', 'failed'], 1],
    [['failed', 'idle'], 0],
    [['skipped', 'skipped'], 0],
  ] as const)('%j: %i failed in a row', (results, consecutive) => {
    expect(tally(...results.map((r) => round(r))).consecutiveFailed).toBe(consecutive);
  });

  it('counts rounds by result, bytes freed in total and in the last round, and when a round last succeeded', () => {
    const t = tally(
      round('cleaned', 500, 1000, { container: 3, image: 1, volume: 0, network: 0 }),
      round('idle', 0, 2000),
      round('cleaned', 300, 3000, { container: 2, image: 0, volume: 1, network: 1 }),
      round('skipped', 0, 4000),
      round('failed', 0, 5000, { container: 1, image: 0, volume: 0, network: 0 }),
    );
    expect(t).toEqual({
      startedMs: 500,
      rounds: { cleaned: 2, idle: 1, skipped: 1, failed: 1 },
      consecutiveFailed: 1,
      freedBytesTotal: 800,
      lastFreedBytes: 0,
      removedTotal: { container: 6, image: 1, volume: 1, network: 1 },
      lastRemoved: { container: 1, image: 0, volume: 0, network: 0 },
      lastRoundMs: 5000,
      lastOkMs: 3000,
    });
  });
});

describe('renderRoundMetrics', () => {
  const engine = { host: 'unix:///var/run/docker.sock', dataRoot: '/var/lib/docker', serverVersion: '20.10.24' };
  const check = async (text: string): Promise<void> => {
    const result = await execa('promtool', ['check', 'metrics'], { input: text, reject: false });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.exitCode).toBe(0);
  };

  it("writes the disk's metrics and the rounds', which promtool accepts", async () => {
    const t = tally(round('cleaned', 2_000_000, 1_700_000_000_000), round('failed', 0, 1_700_000_600_000));
    const text = renderRoundMetrics(t, diskReport({ engine, measure: { ok: true, usage: fs(8000) }, usage: null, warn: undefined, fail: undefined, now: 1_700_000_600_000 }));
    const labels = 'host="unix:///var/run/docker.sock",data_root="/var/lib/docker"';
    expect(text).toContain(`whalekeeper_disk_used_ratio{${labels}} 0.8\n`);
    expect(text).toContain(`# TYPE whalekeeper_clean_rounds_total counter\n`);
    for (const [result, n] of [['cleaned', 1], ['idle', 0], ['skipped', 0], ['failed', 1]] as const) {
      expect(text).toContain(`whalekeeper_clean_rounds_total{${labels},result="${result}"} ${n}\n`);
    }
    expect(text).toContain(`whalekeeper_clean_rounds_failed_consecutive{${labels}} 1\n`);
    expect(text).toContain(`whalekeeper_clean_freed_bytes{${labels}} 0\n`);
    expect(text).toContain(`whalekeeper_clean_freed_bytes_total{${labels}} 2000000\n`);
    expect(text).toContain(`whalekeeper_clean_last_round_timestamp_seconds{${labels}} 1700000600\n`);
    expect(text).toContain(`whalekeeper_clean_started_timestamp_seconds{${labels}} 0\n`);
    expect(text).toContain(`whalekeeper_clean_last_ok_timestamp_seconds{${labels}} 1700000000\n`);
    expect(text).toContain(`# TYPE whalekeeper_clean_removed_total counter\n`);
    expect(text).toContain(`whalekeeper_clean_removed_total{${labels},kind="container"} 0\n`);
    expect(text).toContain(`whalekeeper_clean_last_round_removed{${labels},kind="image"} 0\n`);
    // Without the engine's contents (a round that never reached it), no contents families.
    expect(text).not.toContain('whalekeeper_engine_containers');
    await check(text);
  });

  it('before any round succeeded: last ok is 0, and an unmeasured disk says so', async () => {
    const text = renderRoundMetrics(tally(round('skipped')), diskReport({ engine, measure: { ok: false, reason: 'down' }, usage: null, warn: undefined, fail: undefined, now: 0 }));
    expect(text).toMatch(/whalekeeper_clean_last_ok_timestamp_seconds\{[^}]*\} 0\n/);
    expect(text).toMatch(/whalekeeper_disk_measured\{[^}]*\} 0\n/);
    await check(text);
  });
});
