// What is on the engine by owner and state, as metric families: "unmanaged stopped containers keep growing" is a query.
import type { ContainerState, Inventory } from '../inventory.js';
import { ownerOf, type Owner } from '../labels.js';
import type { Family } from './text-format.js';

/** The `owner` label's values; `this_build` only where a build-scoped clean names the build. */
export const OWNERS = ['this_build', 'other_build', 'whalekeeper', 'kubelet', 'unmanaged'] as const;
/** One of OWNERS. */
export type OwnerLabel = (typeof OWNERS)[number];

/** A container's `state` label: the engine's own states. */
export const CONTAINER_STATES: readonly ContainerState[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

/** An image's `state` label: used by a container (any state), tagged but unused, or dangling (no tag). */
export const IMAGE_STATES = ['in_use', 'unused', 'dangling'] as const;
/** One of IMAGE_STATES. */
export type ImageState = (typeof IMAGE_STATES)[number];

/** Count and bytes of one owner and state. */
interface Cell {
  count: number;
  bytes: number;
}

/** The engine's containers and images by owner and state, every combination present (zero when empty). */
export interface EngineContents {
  readonly containers: Readonly<Record<OwnerLabel, Readonly<Record<ContainerState, Cell>>>>;
  readonly images: Readonly<Record<OwnerLabel, Readonly<Record<ImageState, Cell>>>>;
}

const ownerLabel = (owner: Owner): OwnerLabel => owner.kind.replace('-', '_') as OwnerLabel;

function grid<S extends string>(states: readonly S[]): Record<OwnerLabel, Record<S, Cell>> {
  return Object.fromEntries(OWNERS.map((o) => [o, Object.fromEntries(states.map((s) => [s, { count: 0, bytes: 0 }]))])) as Record<OwnerLabel, Record<S, Cell>>;
}

/**
 * Sums an inventory by owner (its labels, relative to `build`) and state. Container bytes are writable layers;
 * image bytes are what only that image holds (size minus layers shared with others, where the engine said), so a
 * sum over images never counts a shared layer twice. Unknown sizes count 0.
 */
export function engineContents(inventory: Pick<Inventory, 'containers' | 'images'>, build: string | undefined): EngineContents {
  const containers = grid(CONTAINER_STATES);
  for (const c of inventory.containers) {
    const cell = containers[ownerLabel(ownerOf(c.labels, build))][c.state];
    cell.count += 1;
    cell.bytes += c.sizeBytes ?? 0;
  }
  const used = new Set(inventory.containers.map((c) => c.imageId));
  const images = grid(IMAGE_STATES);
  for (const i of inventory.images) {
    const state: ImageState = used.has(i.id) ? 'in_use' : i.tags.length === 0 ? 'dangling' : 'unused';
    const cell = images[ownerLabel(ownerOf(i.labels, build))][state];
    cell.count += 1;
    cell.bytes += i.uniqueBytes ?? i.sizeBytes;
  }
  return { containers, images };
}

/** The contents' four families, labelled `labels` plus owner and state. */
export function contentsFamilies(contents: EngineContents, labels: Readonly<Record<string, string>>): Family[] {
  const samples = <S extends string>(table: Readonly<Record<OwnerLabel, Readonly<Record<S, Cell>>>>, states: readonly S[], pick: (c: Cell) => number) =>
    OWNERS.flatMap((owner) => states.map((state) => ({ labels: { ...labels, owner, state }, value: pick(table[owner][state]) })));
  return [
    { name: 'whalekeeper_engine_containers', help: 'Containers on the engine by owner (labels) and state.', samples: samples(contents.containers, CONTAINER_STATES, (c) => c.count) },
    { name: 'whalekeeper_engine_container_bytes', help: "Bytes of those containers' writable layers by owner and state.", samples: samples(contents.containers, CONTAINER_STATES, (c) => c.bytes) },
    { name: 'whalekeeper_engine_images', help: 'Images on the engine by owner (labels) and state (in_use, unused, dangling).', samples: samples(contents.images, IMAGE_STATES, (c) => c.count) },
    { name: 'whalekeeper_engine_image_bytes', help: 'Bytes only those images hold (layers shared with other images left out) by owner and state.', samples: samples(contents.images, IMAGE_STATES, (c) => c.bytes) },
  ];
}
