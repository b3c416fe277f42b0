// Human lines for ls, clean and disk. Results (plan, report, listing, disk) go to stdout; progress to stderr.
import type { CleanEvent, InventoryEvent } from '../core/clean/events.js';
import type { CleanupPlan, KeptItem } from '../core/clean/plan.js';
import type { CleanReport } from '../core/clean/report.js';
import type { DiskReport } from '../core/disk-status.js';
import type { FilesystemUsage } from '../core/inventory.js';
import type { LsResult } from '../core/ls-view.js';
import { ownerText } from '../core/ls-view.js';
import { formatAge, formatBytes } from '../core/units.js';
import type { Style } from './style.js';
import { table } from './table.js';

const PREFIX = 'whalekeeper: ';

/** A rendered line (the shape of human.ts's Line, declared here so the two modules do not import each other). */
interface Line {
  readonly stream: 'out' | 'err';
  readonly text: string;
}

/** Renders the events of ls, clean and disk for a person. */
export function renderCleanHuman(event: CleanEvent | InventoryEvent, style: Style): Line {
  switch (event.type) {
    case 'clean-plan':
      return { stream: 'out', text: renderPlan(event.plan, style, event.verbose, true) };
    case 'clean-report':
      return { stream: 'out', text: renderReport(event.report, event.plan, style) };
    case 'clean-measure':
      return {
        stream: 'err',
        text: `${PREFIX}${formatBytes(event.usedBytes)} used (${event.usedPercent.toFixed(1)}%), target ${formatBytes(event.limitBytes)}: ${event.reached ? style.ok('reached') : 'removing the next images'}`,
      };
    case 'clean-failed':
      return { stream: 'err', text: `${PREFIX}${style.warn('warning:')} could not remove ${event.action.kind} ${style.code(event.action.name)}: ${event.message}` };
    case 'clean-round':
      return { stream: 'err', text: `${PREFIX}round ${event.round}: ${event.summary}` };
    case 'ls-result':
      return { stream: 'out', text: renderLs(event.result) };
    case 'disk-result':
      return { stream: 'out', text: renderDisk(event.report, style) };
  }
}

function short(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** Names as shown: anonymous volumes' 64-hex names shortened like ids. */
function display(name: string): string {
  return /^[0-9a-f]{64}$/.test(name) ? name.slice(0, 12) : name;
}

function scopeText(plan: CleanupPlan): string {
  return plan.scope.kind === 'build' ? `build ${plan.scope.build}${plan.scope.scope === undefined ? '' : ` scope ${plan.scope.scope}`}` : `agent (grace ${formatAge(plan.graceMs)})`;
}

/** The plan: each action with its rule, bytes and reason; kept items grouped by reason (each one with --verbose). */
export function renderPlan(plan: CleanupPlan, style: Style, verbose: boolean, dryRun: boolean): string {
  const rules = plan.actions.filter((a) => a.phase === 'rules');
  const target = plan.actions.filter((a) => a.phase === 'target');
  const bytes = plan.actions.filter((a) => a.expected).reduce((s, a) => s + (a.bytes ?? 0), 0);
  const lines = [
    `${dryRun ? 'Dry run, nothing removed. ' : ''}Plan for ${scopeText(plan)}: ${rules.length + target.filter((a) => a.expected).length} to remove (${formatBytes(bytes)} by the engine's figures), ${plan.kept.length} kept`,
  ];
  if (rules.length > 0) {
    lines.push(table([['KIND', 'ID', 'NAME', 'OWNER', 'BYTES', 'RULE', 'REASON'], ...rules.map((a) => [a.kind, short(a.id), display(a.name), ownerText(a.owner), formatBytes(a.bytes), a.rule, a.reason])], '  '));
  }
  if (plan.target) {
    const t = plan.target;
    lines.push(
      t.limitBytes === null
        ? `--target ${t.threshold}: the filesystem could not be measured, no images selected by it`
        : `--target ${t.threshold} (at most ${formatBytes(t.limitBytes)} used, now ${formatBytes(t.usedBytes)}): unused images, least recently used first; * = expected to be needed, the rest only if still above`,
    );
    if (target.length > 0) {
      lines.push(table([['', 'ID', 'NAME', 'OWNER', 'BYTES', 'REASON'], ...target.map((a) => [a.expected ? '*' : '', short(a.id), a.name, ownerText(a.owner), formatBytes(a.bytes), a.reason])], '  '));
    }
  }
  if (plan.kept.length > 0) lines.push(style.dim(`Kept:\n${renderKept(plan.kept, verbose)}`));
  return lines.join('\n');
}

function renderKept(kept: readonly KeptItem[], verbose: boolean): string {
  if (verbose) return table(kept.map((k) => [k.kind, short(k.id), k.name, ownerText(k.owner), k.reason]), '  ');
  const groups = new Map<string, KeptItem[]>();
  for (const k of kept) {
    const key = `${k.kind}: ${k.reason.replace(/created \d+[sm] ago, /, '').replace(/last used \d+[sm] ago/, 'recently used')}`;
    groups.set(key, [...(groups.get(key) ?? []), k]);
  }
  return [...groups]
    .map(([reason, items]) => `  ${items.length} ${reason} (${items.slice(0, 3).map((i) => `\`${i.name}\``).join(', ')}${items.length > 3 ? ', ...' : ''})`)
    .join('\n');
}

/** The report: counts per kind, filesystem before/after beside the engine's figure, target, duration. */
export function renderReport(report: CleanReport, plan: CleanupPlan, style: Style): string {
  const kinds = Object.entries(report.counts).filter(([, c]) => c.removed + c.vanished + c.inUse + c.failed + c.notNeeded > 0);
  const lines = [`Cleaned ${plan.scope.kind === 'build' ? `build ${plan.scope.build}${plan.scope.scope === undefined ? '' : ` scope ${plan.scope.scope}`}` : 'the engine'} in ${(report.durationMs / 1000).toFixed(1)}s`];
  if (report.skipped) lines.push(`  skipped: ${report.skipped}`);
  else if (kinds.length === 0) lines.push('  nothing to remove');
  else {
    lines.push(
      table(
        [['KIND', 'REMOVED', 'VANISHED', 'IN USE', 'FAILED', 'NOT NEEDED'], ...kinds.map(([k, c]) => [k, String(c.removed), String(c.vanished), String(c.inUse), String(c.failed), String(c.notNeeded)])],
        '  ',
      ),
    );
  }
  const fs = report.filesystem;
  lines.push(
    fs
      ? `Filesystem ${fs.before.path}: ${formatBytes(fs.before.usedBytes)} -> ${formatBytes(fs.after.usedBytes)} used (${fs.before.usedPercent.toFixed(1)}% -> ${fs.after.usedPercent.toFixed(1)}%), freed ${formatBytes(fs.freedBytes)}; the engine reports ${formatBytes(report.engineReclaimedBytes)}`
      : `Filesystem not measured; the engine reports ${formatBytes(report.engineReclaimedBytes)} freed`,
  );
  if (report.target) {
    const t = report.target;
    const over = t.usedBytes !== null && t.limitBytes !== null ? ` (${formatBytes(t.usedBytes)} used, ${formatBytes(t.usedBytes - t.limitBytes)} above it)` : '';
    const reached = t.reached === null ? 'not measurable' : t.reached ? style.ok('reached') : `${style.warn('not reached')}${over}: ${t.why}`;
    lines.push(`Target ${t.threshold}: ${reached}`);
    if (t.reached === false && !report.interrupted && plan.kept.length > 0) lines.push(style.dim(`Remaining, kept:\n${renderKept(plan.kept, false)}`));
  }
  if (report.interrupted) {
    lines.push(`${style.error('stopped:')} ${report.interrupted.reason}; ${report.interrupted.notDone} planned removal(s) not done, the counts above are what was done before`);
  }
  for (const f of report.failures) lines.push(`${style.error('failed:')} ${f.kind} ${style.code(f.name)}: ${f.message}`);
  return lines.join('\n');
}

/** `ls`: one table, then the summary per owner. */
export function renderLs(result: LsResult): string {
  const rows = result.rows.map((r) => [r.kind, short(r.id), display(r.name), r.ownerText, r.state, r.ageMs === null ? '-' : formatAge(r.ageMs), formatBytes(r.sizeBytes)]);
  const summary = result.summary.map((s) => [s.owner, String(s.containers), String(s.images), String(s.volumes), formatBytes(s.bytes)]);
  return [
    rows.length === 0 ? 'Nothing on this engine.' : table([['KIND', 'ID', 'NAME', 'OWNER', 'STATE', 'AGE', 'SIZE'], ...rows]),
    '',
    table([['OWNER', 'CONTAINERS', 'IMAGES', 'VOLUMES', 'BYTES'], ...summary]),
  ].join('\n');
}

function statfsLine(fs: FilesystemUsage): string {
  return `${formatBytes(fs.usedBytes)} of ${formatBytes(fs.totalBytes)} used (${fs.usedPercent.toFixed(1)}%), ${formatBytes(fs.availableBytes)} available; inodes ${fs.inodesUsed} of ${fs.inodesTotal} used`;
}

/** `disk`: the filesystem (each, when the engine's data is on several), the engine's breakdown, the status. */
export function renderDisk(report: DiskReport, style: Style): string {
  const fs = report.filesystem;
  const lines =
    report.filesystems.length > 0
      ? [
          ...report.filesystems.map((f) => `${f.holds === 'data root' ? 'Data root' : 'Containerd root (images)'} ${f.usage.path}: ${statfsLine(f.usage)}`),
          `Held against the thresholds: ${fs?.path ?? '-'}, the fullest`,
        ]
      : [
          fs && fs.method === 'du'
            ? `Data root ${report.engine.dataRoot}: ${formatBytes(fs.usedBytes)} of its ${formatBytes(fs.totalBytes)} limit used (${fs.usedPercent.toFixed(1)}%), ${formatBytes(fs.availableBytes)} left; filesystem inodes ${fs.inodesUsed} of ${fs.inodesTotal} used`
            : fs
            ? `Data root ${report.engine.dataRoot}: ${statfsLine(fs)}`
            : `Data root ${report.engine.dataRoot}: ${style.warn('not measured')}: ${report.unmeasured}`,
        ];
  if (report.usage) {
    const u = report.usage;
    lines.push(
      table([
        ['TYPE', 'COUNT', 'SIZE', 'RECLAIMABLE'],
        ['images', String(u.images.count), formatBytes(u.images.bytes), formatBytes(u.images.reclaimableBytes)],
        ['containers', String(u.containers.count), formatBytes(u.containers.bytes), formatBytes(u.containers.reclaimableBytes)],
        ['volumes', String(u.volumes.count), formatBytes(u.volumes.bytes), formatBytes(u.volumes.reclaimableBytes)],
        ['build cache', String(u.buildCache.count), formatBytes(u.buildCache.bytes), formatBytes(u.buildCache.reclaimableBytes)],
      ], '  '),
    );
  }
  const status = report.status === 'ok' ? style.ok('ok') : report.status === 'warn' ? style.warn('warn') : style.error(report.status);
  lines.push(`Status: ${status}${report.warn ? ` (warn above ${report.warn})` : ''}${report.fail ? ` (fail above ${report.fail})` : ''}`);
  return lines.join('\n');
}
