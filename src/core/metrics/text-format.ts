// The Prometheus text exposition format 0.0.4, as node_exporter's textfile collector reads it.

/** Escapes a label value: backslash, double quote and newline. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** One metric family: its samples share a name, a HELP line and a TYPE. */
export interface Family {
  readonly name: string;
  readonly help: string;
  /** Default gauge; counters only go up within one process's life (a restart starts them again, as rate() expects). */
  readonly type?: 'gauge' | 'counter';
  readonly samples: readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number }[];
}

function renderFamily(family: Family): string {
  const lines = [`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type ?? 'gauge'}`];
  for (const s of family.samples) {
    const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
    lines.push(`${family.name}${labels ? `{${labels}}` : ''} ${Number.isFinite(s.value) ? s.value : 0}`);
  }
  return lines.join('\n');
}

/** Renders families as one file's text (ending with a newline). */
export function renderFamilies(families: readonly Family[]): string {
  return `${families.map(renderFamily).join('\n')}\n`;
}
