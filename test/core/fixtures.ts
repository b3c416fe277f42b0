// Builders for inventory objects in planner tests: only the fields a case cares about.
import type { ContainerInfo, FilesystemUsage, ImageInfo, Inventory, NetworkInfo, VolumeInfo } from '../../src/core/inventory.js';
import type { CleanPolicy } from '../../src/core/clean/plan.js';

export const NOW = Date.parse('2026-01-01T12:00:00Z');
export const HOUR = 3_600_000;

export function container(id: string, fields: Partial<ContainerInfo> = {}): ContainerInfo {
  return { id, name: id, image: 'img', imageId: 'sha256:img', state: 'exited', createdMs: NOW - 2 * HOUR, labels: {}, sizeBytes: 100, volumes: [], networks: [], ...fields };
}

export function image(id: string, fields: Partial<ImageInfo> = {}): ImageInfo {
  return { id, parentId: '', tags: [], createdMs: NOW - 100 * HOUR, lastTagMs: null, sizeBytes: 1000, uniqueBytes: null, labels: {}, ...fields };
}

export function volume(name: string, fields: Partial<VolumeInfo> = {}): VolumeInfo {
  return { name, driver: 'local', createdMs: NOW - 2 * HOUR, labels: {}, anonymous: true, sizeBytes: 10, ...fields };
}

export function network(id: string, fields: Partial<NetworkInfo> = {}): NetworkInfo {
  return { id, name: id, driver: 'bridge', createdMs: NOW - 2 * HOUR, labels: {}, builtin: false, ...fields };
}

export function inventory(fields: Partial<Inventory> = {}): Inventory {
  return { takenMs: NOW, containers: [], images: [], volumes: [], networks: [], buildCache: undefined, ...fields };
}

export function agentPolicy(fields: Partial<CleanPolicy> = {}): CleanPolicy {
  return { scope: { kind: 'agent' }, graceMs: HOUR, images: 'dangling', volumes: false, networks: true, buildCacheKeepBytes: undefined, keepImages: [], target: undefined, ...fields };
}

export function fs(usedBytes: number, totalBytes = 10_000): FilesystemUsage {
  return { path: '/var/lib/docker', totalBytes, usedBytes, availableBytes: totalBytes - usedBytes, usedPercent: (usedBytes / totalBytes) * 100, inodesTotal: 100, inodesUsed: 10, method: 'statfs' };
}
