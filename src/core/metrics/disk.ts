// `disk --prometheus`: the report as node_exporter textfile-collector metrics (Prometheus text format 0.0.4).
import type { DiskReport } from '../disk-status.js';
import { renderFamilies, type Family } from './text-format.js';

const STATUS_VALUE = { ok: 0, warn: 1, fail: 2, unknown: 3 } as const;

/** The disk report's families. Metric names and labels are an interface (the shipped alert rules use them). */
export function diskFamilies(report: DiskReport): Family[] {
  const base = { host: report.engine.host, data_root: report.engine.dataRoot };
  const fs = report.filesystem;
  const families: Family[] = [
    { name: 'whalekeeper_disk_measured', help: '1 when the data root filesystem could be measured, 0 otherwise.', samples: [{ labels: base, value: fs ? 1 : 0 }] },
    { name: 'whalekeeper_disk_status', help: 'Threshold status: 0 ok, 1 warn, 2 fail, 3 unknown.', samples: [{ labels: base, value: STATUS_VALUE[report.status] }] },
    { name: 'whalekeeper_disk_last_run_timestamp_seconds', help: 'When whalekeeper disk last measured, in seconds since the epoch.', samples: [{ labels: base, value: Math.floor(report.measuredMs / 1000) }] },
  ];
  if (fs) {
    families.push(
      { name: 'whalekeeper_disk_size_bytes', help: 'Size of the filesystem holding the Docker data root.', samples: [{ labels: base, value: fs.totalBytes }] },
      { name: 'whalekeeper_disk_used_bytes', help: 'Used bytes of the filesystem holding the Docker data root.', samples: [{ labels: base, value: fs.usedBytes }] },
      { name: 'whalekeeper_disk_available_bytes', help: 'Bytes available to unprivileged users on that filesystem.', samples: [{ labels: base, value: fs.availableBytes }] },
      { name: 'whalekeeper_disk_used_ratio', help: 'Used fraction of that filesystem as df computes it (used / (used + available)).', samples: [{ labels: base, value: fs.usedPercent / 100 }] },
      { name: 'whalekeeper_disk_inodes', help: 'Inodes of that filesystem.', samples: [{ labels: base, value: fs.inodesTotal }] },
      { name: 'whalekeeper_disk_inodes_used', help: 'Used inodes of that filesystem.', samples: [{ labels: base, value: fs.inodesUsed }] },
    );
    // With --limit the figures above are the data root's bytes against the limit (size = the limit): said here too.
    if (fs.method === 'du') families.push({ name: 'whalekeeper_disk_limit_bytes', help: 'The --limit the data root is measured against (size, used and ratio are then of the limit).', samples: [{ labels: base, value: fs.totalBytes }] });
  }
  if (report.usage) {
    const kinds = Object.entries(report.usage) as [string, { count: number; bytes: number; reclaimableBytes: number }][];
    const kind = (k: string): Record<string, string> => ({ ...base, kind: k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) });
    families.push(
      { name: 'whalekeeper_engine_objects', help: 'Objects the engine holds, by kind.', samples: kinds.map(([k, v]) => ({ labels: kind(k), value: v.count })) },
      { name: 'whalekeeper_engine_bytes', help: 'Bytes the engine reports, by kind (docker system df).', samples: kinds.map(([k, v]) => ({ labels: kind(k), value: v.bytes })) },
      { name: 'whalekeeper_engine_reclaimable_bytes', help: 'Bytes the engine reports as reclaimable, by kind.', samples: kinds.map(([k, v]) => ({ labels: kind(k), value: v.reclaimableBytes })) },
    );
  }
  return families;
}

/** Renders the metrics `disk --prometheus` writes. */
export function renderMetrics(report: DiskReport): string {
  return renderFamilies(diskFamilies(report));
}
