// The shipped monitoring resources as the tests read them: the alert rules and the Grafana dashboard's queries.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify } from 'yaml';

/** The shipped alert rules file. */
export const RULES = fileURLToPath(new URL('../../resources/io/whalekeeper/prometheus/whalekeeper-alerts.yml', import.meta.url));
/** The shipped Grafana dashboard. */
export const DASHBOARD = fileURLToPath(new URL('../../resources/io/whalekeeper/grafana/whalekeeper-dashboard.json', import.meta.url));

/** One alerting rule, as the file has it. */
export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The rule file's groups. */
export interface RuleFile {
  groups: { name: string; rules: AlertRule[] }[];
}

/** Every alerting rule of the shipped file. */
export function alertRules(text = readFileSync(RULES, 'utf8')): AlertRule[] {
  return (parseYaml(text) as RuleFile).groups.flatMap((g) => g.rules);
}

/** Just enough of a dashboard to read its panels and queries (test/monitoring/dashboard.test.ts types all of it). */
export interface DashboardJson {
  panels: {
    id: number;
    type: string;
    title: string;
    gridPos: { x: number; y: number; w: number; h: number };
    options: { legend?: unknown; tooltip?: unknown };
    fieldConfig: { defaults: { custom?: Record<string, unknown>; thresholds?: { steps: { value: number | null }[] } } };
    targets: { refId: string; expr: string }[];
  }[];
  templating: { list: { name: string; allValue?: string }[] };
}

/** Every panel's queries, with the `$instance` variable as Grafana sends it with All selected (its allValue). */
export function dashboardQueries(dashboard: DashboardJson): { panel: string; refId: string; expr: string; sent: string }[] {
  const all = dashboard.templating.list.find((v) => v.name === 'instance')!.allValue!;
  return dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, refId: t.refId, expr: t.expr, sent: t.expr.replaceAll('$instance', all) })));
}

/** Where Debian's packages put the three servers. */
export const SERVERS = { nodeExporter: '/usr/bin/prometheus-node-exporter', prometheus: '/usr/bin/prometheus', alertmanager: '/usr/bin/prometheus-alertmanager' } as const;

/**
 * A rule file (the shipped one unless `text` is given) with its waits shortened for a test that lasts seconds: every
 * `for:` becomes `forDuration`, and the alerts named in `secondsFor` compare with that many seconds (`> N`).
 */
export function shortenedRules(forDuration: string, secondsFor: Readonly<Record<string, number>>, text = readFileSync(RULES, 'utf8')): string {
  const file = parseYaml(text) as RuleFile;
  for (const rule of file.groups.flatMap((g) => g.rules)) {
    if (rule.for !== undefined) rule.for = forDuration;
    const seconds = secondsFor[rule.alert];
    if (seconds !== undefined) rule.expr = rule.expr.replace(/> \d+$/, `> ${seconds}`);
  }
  return stringify(file);
}
