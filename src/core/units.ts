// Parsing of the sizes, durations and thresholds `clean` and `disk` take, before any work is done.
import { UsageError } from './errors.js';

/** A level on the data root's filesystem: used bytes, or percent of its size. */
export type Threshold = { readonly kind: 'bytes'; readonly bytes: number } | { readonly kind: 'percent'; readonly percent: number };

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1, b: 1,
  k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
  // As Kubernetes writes quantities (an emptyDir's `sizeLimit: 50Gi`).
  ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30, ti: 2 ** 40,
};

/** Parses `20GB`, `512MiB`, `1.5g`, `0` into bytes (decimal units as docker prints them; *iB binary). */
export function parseSize(raw: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new UsageError(`${flag} takes a size such as 20GB or 512MiB, not \`${raw}\``);
  return Math.round(Number(match[1]) * unit);
}

/** The variable a pod template sets so every `disk` and `clean --agent` in it measures against its sizeLimit. */
export const DISK_LIMIT_ENV = 'WHALEKEEPER_DISK_LIMIT';

/** `--limit`, else WHALEKEEPER_DISK_LIMIT, else none. */
export function resolveLimit(flag: unknown, envValue: string | undefined): number | undefined {
  if (typeof flag === 'string') return parseLimit(flag, '--limit');
  return envValue === undefined || envValue.trim() === '' ? undefined : parseLimit(envValue, DISK_LIMIT_ENV);
}

/** `--limit`: a size above zero (the emptyDir's sizeLimit the data root is measured against). */
export function parseLimit(raw: string, flag: string): number {
  const bytes = parseSize(raw, flag);
  if (bytes <= 0) throw new UsageError(`${flag} takes a size above zero such as 50GiB, not \`${raw}\``);
  return bytes;
}

/** Parses `85%` as a percentage, anything else as a size. */
export function parseThreshold(raw: string, flag: string): Threshold {
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(raw);
  if (percent) {
    const value = Number(percent[1]);
    if (value > 100) throw new UsageError(`${flag} takes a percentage up to 100%, not \`${raw}\``);
    return { kind: 'percent', percent: value };
  }
  try {
    return { kind: 'bytes', bytes: parseSize(raw, flag) };
  } catch {
    throw new UsageError(`${flag} takes a percentage (50%) or a size (20GB), not \`${raw}\``);
  }
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** What a command's durations accept beyond `500ms`, `45s`, `90m`, `1h30m`: days, and a bare number as seconds. */
export interface DurationGrammar {
  readonly days: boolean;
  readonly bareSeconds: boolean;
}

/** Parses `500ms`, `45s`, `90m`, `1h30m`, `2d` (if `days`), `3` (if `bareSeconds`, else only `0`) into milliseconds. */
export function parseDuration(raw: string, flag: string, grammar: DurationGrammar = { days: true, bareSeconds: false }): number {
  const text = raw.trim();
  if (/^\d+(?:\.\d+)?$/.test(text) && (grammar.bareSeconds || Number(text) === 0)) return Math.round(Number(text) * 1000);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text || (!grammar.days && parts.some((p) => p[2] === 'd'))) {
    throw new UsageError(`${flag} takes a duration such as 500ms, 30s, 5m or 1h30m, not \`${raw}\``);
  }
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNITS[p[2]!]!, 0));
}

/** The used bytes a threshold stands for on a filesystem of `totalBytes`. */
export function thresholdBytes(threshold: Threshold, totalBytes: number): number {
  return threshold.kind === 'bytes' ? threshold.bytes : Math.floor((threshold.percent / 100) * totalBytes);
}

/** A threshold as the user wrote it, for messages. */
export function formatThreshold(threshold: Threshold): string {
  return threshold.kind === 'percent' ? `${threshold.percent}%` : formatBytes(threshold.bytes);
}

/** Bytes for people, in docker's decimal units: `1.2GB`, `340MB`, `0B`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '-';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const sign = bytes < 0 ? '-' : '';
  return `${sign}${unit === 0 || value >= 100 ? value.toFixed(0) : value.toFixed(1)}${units[unit]}`;
}

/** A duration for people: `45s`, `12m`, `3h`, `5d`. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
