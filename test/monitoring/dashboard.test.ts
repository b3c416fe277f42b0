// The shipped Grafana dashboard: typed against @grafana/schema (the dashboard, and each timeseries panel's options
// and field config, with tsc's excess-property checks: a misspelled key fails), and drawn against the thresholds
// the shipped alert rules use. test/monitoring/e2e.test.ts runs every query against a real Prometheus.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alertRules, DASHBOARD, dashboardQueries, type DashboardJson } from '../helpers/monitoring.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const dashboardText = readFileSync(DASHBOARD, 'utf8');
const dashboard = JSON.parse(dashboardText) as DashboardJson;
const work = mkdtempSync(join(tmpdir(), 'wk-dashboard-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TIMESERIES = '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

/** A TypeScript file that holds the dashboard as a literal and asks tsc whether it satisfies the schema's types. */
function checkSource(text: string): string {
  const parsed = JSON.parse(text) as DashboardJson;
  const panels = parsed.panels.map((p, i) =>
    p.type === 'timeseries'
      ? `export const options${i} = ${JSON.stringify(p.options)} satisfies Json<TimeSeriesOptions>;\nexport const custom${i} = ${JSON.stringify(p.fieldConfig.defaults.custom ?? {})} satisfies Json<TimeSeriesFieldConfig>;`
      : `throw new Error('panel ${i}: no schema checked for type ${p.type}');`,
  );
  return [
    "import type { Dashboard } from '@grafana/schema';",
    `import type { FieldConfig as TimeSeriesFieldConfig, Options as TimeSeriesOptions } from '${TIMESERIES}';`,
    // JSON has no enums: a string enum's members are accepted as their values ("absolute" for ThresholdsMode.Absolute).
    'type Json<T> = T extends string ? `${T}` : T extends number | boolean | null | undefined ? T : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;',
    `export const dashboard = ${text.trim()} satisfies Json<Dashboard>;`,
    ...panels,
    '',
  ].join('\n');
}

/** Runs tsc (strict) over the check file in a folder that sees the project's node_modules. */
async function typeCheck(name: string, text: string): Promise<{ exitCode: number | undefined; output: string }> {
  const dir = join(work, name);
  await execa('mkdir', ['-p', dir]);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'check.ts'), checkSource(text));
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const args = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', join(dir, 'check.ts')];
  const result = await execa('node', [tsc, ...args], { reject: false, all: true });
  return { exitCode: result.exitCode, output: result.all };
}

describe('resources/io/whalekeeper/grafana/whalekeeper-dashboard.json', () => {
  it('satisfies @grafana/schema: the dashboard, and each timeseries panel options and field config', async () => {
    const result = await typeCheck('as-shipped', dashboardText);
    expect(result.output).toBe('');
    expect(result.exitCode).toBe(0);
  }, 60_000);

  it('fails the same check with a misspelled key, a wrong enum value or a missing required field', async () => {
    const misspelled = dashboardText.replace('"gridPos"', '"gridPosition"');
    const wrongMode = dashboardText.replace('"mode": "absolute"', '"mode": "absolut"');
    const noLegend = JSON.stringify({ ...dashboard, panels: dashboard.panels.map((p, i) => (i === 0 ? { ...p, options: { tooltip: p.options.tooltip } } : p)) });
    for (const [name, text, error] of [
      ['misspelled', misspelled, /'"gridPosition"' does not exist/],
      ['wrong-mode', wrongMode, /"absolut"/],
      ['no-legend', noLegend, /legend.* is missing/],
    ] as const) {
      const result = await typeCheck(name, text);
      expect(result.exitCode, name).not.toBe(0);
      expect(result.output).toMatch(error);
    }
  }, 120_000);

  it('draws the data root against the thresholds of the shipped disk alerts', () => {
    const rules = alertRules();
    const ratio = (alert: string): number => Number(/> (0\.\d+)$/.exec(rules.find((r) => r.alert === alert)!.expr)![1]);
    const disk = dashboard.panels.find((p) => p.title === 'Data root used, per node')!;
    const steps = disk.fieldConfig.defaults.thresholds!.steps.map((s) => s.value);
    expect(steps).toEqual([null, ratio('DockerDataRootFilling'), ratio('DockerDataRootFull')]);
    expect(steps).toEqual([null, 0.8, 0.85]);
  });

  it('has the panels the issue asks for, each with a query, on a grid without overlaps, all on the selected nodes', () => {
    expect(dashboard.panels.map((p) => p.title)).toEqual([
      'Data root used, per node',
      'Time to full at the current rate',
      'Bytes freed per round',
      'Failed rounds',
      'Stopped containers by owner',
      'Leftover bytes by owner',
      'Alerts firing',
    ]);
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
    const queries = dashboardQueries(dashboard);
    expect(queries.length).toBeGreaterThanOrEqual(dashboard.panels.length);
    for (const q of queries) expect(q.expr, q.panel).toContain('instance=~"$instance"');
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });
});
