// `clean --every --prometheus FILE`: the disk metrics of `disk --prometheus` plus what the rounds did, rewritten
// after every round for node_exporter's textfile collector (a DaemonSet's only way to be seen working).
import type { DiskReport } from '../disk-status.js';
import { contentsFamilies, type EngineContents } from './contents.js';
import { diskFamilies } from './disk.js';
import { renderFamilies, type Family } from './text-format.js';

/**
 * What a round came to:
 * - `cleaned`: its plan ran (possibly empty) and every removal was answered;
 * - `idle`: the disk was below --high, so no plan was made;
 * - `skipped`: another clean held the engine-wide lock, so this one removed nothing (not a fault of this node);
 * - `failed`: the engine could not be spoken to, refused removals, or was lost midway.
 */
export type RoundResult = 'cleaned' | 'idle' | 'skipped' | 'failed';

const RESULTS: readonly RoundResult[] = ['cleaned', 'idle', 'skipped', 'failed'];

/** The kinds of object a round counts as removed (the `kind` label). */
export type RemovedKind = 'container' | 'image' | 'volume' | 'network';

const REMOVED_KINDS: readonly RemovedKind[] = ['container', 'image', 'volume', 'network'];

const noneRemoved = (): Record<RemovedKind, number> => ({ container: 0, image: 0, volume: 0, network: 0 });

/** One round, as the loop saw it. */
export interface RoundOutcome {
  readonly result: RoundResult;
  /** What the filesystem freed (measured before and after), else what the engine reported; 0 when nothing ran. */
  readonly freedBytes: number;
  /** Objects the round removed, by kind (none for a round that made no plan). */
  readonly removed?: Readonly<Record<RemovedKind, number>>;
  readonly atMs: number;
}

/** The rounds so far in this process. */
export interface RoundTally {
  /** When this process started its loop: a value that changes shows a restart (as process_start_time_seconds). */
  readonly startedMs: number;
  readonly rounds: Readonly<Record<RoundResult, number>>;
  /** Failed rounds since the last round that cleaned or was idle; skipped rounds neither reset nor add. */
  readonly consecutiveFailed: number;
  readonly freedBytesTotal: number;
  readonly lastFreedBytes: number;
  readonly removedTotal: Readonly<Record<RemovedKind, number>>;
  readonly lastRemoved: Readonly<Record<RemovedKind, number>>;
  readonly lastRoundMs: number | null;
  /** The last round that cleaned or was idle: how the stale alert tells a loop that only fails or skips. */
  readonly lastOkMs: number | null;
}

/** Before the first round of a loop started at `startedMs`. */
export const startTally = (startedMs: number): RoundTally => ({
  startedMs,
  rounds: { cleaned: 0, idle: 0, skipped: 0, failed: 0 },
  consecutiveFailed: 0,
  freedBytesTotal: 0,
  lastFreedBytes: 0,
  removedTotal: noneRemoved(),
  lastRemoved: noneRemoved(),
  lastRoundMs: null,
  lastOkMs: null,
});

/** Adds one round. */
export function tallyRound(tally: RoundTally, round: RoundOutcome): RoundTally {
  const ok = round.result === 'cleaned' || round.result === 'idle';
  const removed = round.removed ?? noneRemoved();
  return {
    startedMs: tally.startedMs,
    rounds: { ...tally.rounds, [round.result]: tally.rounds[round.result] + 1 },
    consecutiveFailed: round.result === 'failed' ? tally.consecutiveFailed + 1 : ok ? 0 : tally.consecutiveFailed,
    freedBytesTotal: tally.freedBytesTotal + round.freedBytes,
    lastFreedBytes: round.freedBytes,
    removedTotal: Object.fromEntries(REMOVED_KINDS.map((k) => [k, tally.removedTotal[k] + removed[k]])) as Record<RemovedKind, number>,
    lastRemoved: { ...removed },
    lastRoundMs: round.atMs,
    lastOkMs: ok ? round.atMs : tally.lastOkMs,
  };
}

/** The rounds' families; metric names and labels are an interface (the shipped alert rules use them). */
export function roundFamilies(tally: RoundTally, labels: Readonly<Record<string, string>>): Family[] {
  const seconds = (ms: number | null): number => (ms === null ? 0 : Math.floor(ms / 1000));
  return [
    { name: 'whalekeeper_clean_rounds_total', help: 'Rounds of clean --every since the process started, by result (cleaned, idle, skipped, failed).', type: 'counter', samples: RESULTS.map((r) => ({ labels: { ...labels, result: r }, value: tally.rounds[r] })) },
    { name: 'whalekeeper_clean_rounds_failed_consecutive', help: 'Failed rounds in a row (0 after a round that cleaned or was idle).', samples: [{ labels, value: tally.consecutiveFailed }] },
    { name: 'whalekeeper_clean_freed_bytes', help: 'Bytes the last round freed (the filesystem measured before and after; else the engine report).', samples: [{ labels, value: tally.lastFreedBytes }] },
    { name: 'whalekeeper_clean_freed_bytes_total', help: 'Bytes the rounds freed since the process started.', type: 'counter', samples: [{ labels, value: tally.freedBytesTotal }] },
    { name: 'whalekeeper_clean_last_round_removed', help: 'Objects the last round removed, by kind.', samples: REMOVED_KINDS.map((k) => ({ labels: { ...labels, kind: k }, value: tally.lastRemoved[k] })) },
    { name: 'whalekeeper_clean_removed_total', help: 'Objects the rounds removed since the process started, by kind.', type: 'counter', samples: REMOVED_KINDS.map((k) => ({ labels: { ...labels, kind: k }, value: tally.removedTotal[k] })) },
    { name: 'whalekeeper_clean_started_timestamp_seconds', help: 'When this clean --every process started, in seconds since the epoch (a change is a restart).', samples: [{ labels, value: seconds(tally.startedMs) }] },
    { name: 'whalekeeper_clean_last_round_timestamp_seconds', help: 'When the last round ended, in seconds since the epoch.', samples: [{ labels, value: seconds(tally.lastRoundMs) }] },
    { name: 'whalekeeper_clean_last_ok_timestamp_seconds', help: 'When a round last cleaned or was idle (0: none yet), in seconds since the epoch.', samples: [{ labels, value: seconds(tally.lastOkMs) }] },
  ];
}

/** The file a round writes: the disk report's metrics, the rounds', then the engine's contents where they were read. */
export function renderRoundMetrics(tally: RoundTally, disk: DiskReport, contents?: EngineContents): string {
  const labels = { host: disk.engine.host, data_root: disk.engine.dataRoot };
  return renderFamilies([...diskFamilies(disk), ...roundFamilies(tally, labels), ...(contents ? contentsFamilies(contents, labels) : [])]);
}
