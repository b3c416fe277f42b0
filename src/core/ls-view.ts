// `ls`: the inventory as rows with owners, and a summary of counts and bytes per owner.
import type { ContainerInfo, ImageInfo, Inventory, VolumeInfo } from './inventory.js';
import { ownerOf, type Owner } from './labels.js';

/** An owner for people and for grouping: `this build`, `build ID`, `kubelet`, `whalekeeper`, `unmanaged`. */
export function ownerText(owner: Owner): string {
  switch (owner.kind) {
    case 'this-build':
      return `this build (${owner.build})`;
    case 'other-build':
      return `build ${owner.build}`;
    case 'kubelet':
      return owner.pod ? `kubelet (${owner.pod})` : 'kubelet';
    case 'whalekeeper':
      return 'whalekeeper';
    case 'unmanaged':
      return 'unmanaged';
  }
}

/** One listed object. */
export interface LsRow {
  readonly kind: 'container' | 'image' | 'volume';
  readonly id: string;
  /** The name to show: an image's every tag, comma-separated (`<none>` when dangling). */
  readonly name: string;
  /** Every name: a container's or volume's one, an image's every tag (the containerd store lists each). */
  readonly names: readonly string[];
  readonly owner: Owner;
  readonly ownerText: string;
  /** Containers: the engine's state; images: `in use`, `unused` or `dangling`; volumes: `in use` or `unused`. */
  readonly state: string;
  readonly ageMs: number | null;
  readonly sizeBytes: number | null;
}

/** Per owner: how many objects of each kind and how many bytes they hold (known sizes only). */
export interface LsSummaryRow {
  readonly owner: string;
  readonly containers: number;
  readonly images: number;
  readonly volumes: number;
  readonly bytes: number;
}

/** The result of `ls`. Versioned: its JSON form is an interface. */
export interface LsResult {
  readonly version: 1;
  readonly rows: readonly LsRow[];
  readonly summary: readonly LsSummaryRow[];
}

/** Builds the rows and summary for the kinds asked for. */
export function lsView(inventory: Inventory, options: { build: string | undefined; images: boolean; volumes: boolean; now: number }): LsResult {
  const { build, now } = options;
  const rows: LsRow[] = inventory.containers.map((c: ContainerInfo) => row('container', c.id, [c.name], ownerOf(c.labels, build), c.state, now - c.createdMs, c.sizeBytes));
  if (options.images) {
    const used = new Set(inventory.containers.map((c) => c.imageId));
    for (const i of inventory.images as ImageInfo[]) {
      const state = used.has(i.id) ? 'in use' : i.tags.length === 0 ? 'dangling' : 'unused';
      rows.push(row('image', i.id, i.tags, ownerOf(i.labels, build), state, now - i.createdMs, i.uniqueBytes ?? i.sizeBytes));
    }
  }
  if (options.volumes) {
    const used = new Set(inventory.containers.flatMap((c) => c.volumes));
    for (const v of inventory.volumes as VolumeInfo[]) {
      rows.push(row('volume', v.name, [v.name], ownerOf(v.labels, build), used.has(v.name) ? 'in use' : 'unused', v.createdMs === null ? null : now - v.createdMs, v.sizeBytes));
    }
  }
  return { version: 1, rows, summary: summarise(rows) };
}

function row(kind: LsRow['kind'], id: string, names: readonly string[], owner: Owner, state: string, ageMs: number | null, sizeBytes: number | null): LsRow {
  return { kind, id, name: names.length === 0 ? '<none>' : names.join(', '), names, owner, ownerText: ownerText(owner), state, ageMs, sizeBytes };
}

function summarise(rows: readonly LsRow[]): LsSummaryRow[] {
  const byOwner = new Map<string, { containers: number; images: number; volumes: number; bytes: number }>();
  for (const r of rows) {
    const key = r.owner.kind === 'kubelet' ? 'kubelet' : r.ownerText;
    const s = byOwner.get(key) ?? { containers: 0, images: 0, volumes: 0, bytes: 0 };
    if (r.kind === 'container') s.containers += 1;
    else if (r.kind === 'image') s.images += 1;
    else s.volumes += 1;
    s.bytes += r.sizeBytes ?? 0;
    byOwner.set(key, s);
  }
  return [...byOwner].map(([owner, s]) => ({ owner, ...s })).sort((a, b) => b.bytes - a.bytes || a.owner.localeCompare(b.owner));
}
