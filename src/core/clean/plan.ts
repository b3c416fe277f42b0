// The planner: an inventory snapshot + a policy -> a CleanupPlan. Pure data in, pure data out: `--dry-run` renders
// the plan and the real run executes the same object, so what is shown is what is done.
import type { ContainerInfo, FilesystemUsage, ImageInfo, Inventory, NetworkInfo, VolumeInfo } from '../inventory.js';
import { isStopped } from '../inventory.js';
import { isKept, ownerOf, LABELS, type Owner } from '../labels.js';
import { matchesAny } from '../glob.js';
import { compareLru, lastUsedOf, newestContainerByImage, type LastUsed } from '../lru.js';
import { formatThreshold, thresholdBytes, type Threshold } from '../units.js';
import { isLockNetwork } from './lock.js';

/** What a clean covers: one build's objects (only those labelled with `scope`, when given), or the whole engine. */
export type CleanScope = { readonly kind: 'build'; readonly build: string; readonly scope?: string } | { readonly kind: 'agent' };

/** The validated options of `clean`. */
export interface CleanPolicy {
  readonly scope: CleanScope;
  /** Objects younger than this (by creation, or last use for images) are kept: a concurrent build may be about to use them. */
  readonly graceMs: number;
  /** `dangling` (default) or `unused`: which images `--agent` removes by rule. */
  readonly images: 'dangling' | 'unused';
  readonly volumes: boolean;
  readonly networks: boolean;
  /** Prune the build cache down to this many bytes; undefined leaves it alone. */
  readonly buildCacheKeepBytes: number | undefined;
  readonly keepImages: readonly RegExp[];
  readonly target: Threshold | undefined;
}

/** Kinds of objects a plan removes. */
export type ObjectKind = 'container' | 'image' | 'volume' | 'network' | 'build-cache';

/** The rule that selected an action. Part of the JSON interface. */
export type Rule =
  | 'build-scope'
  | 'stopped-container'
  | 'dangling-image'
  | 'unused-image'
  | 'anonymous-volume'
  | 'unused-network'
  | 'build-cache'
  | 'target-lru';

/** One removal. */
export interface PlannedAction {
  readonly kind: ObjectKind;
  readonly id: string;
  readonly name: string;
  /** Bytes it should free (the engine's figure); null when unknown (container sizes are not listed by default). */
  readonly bytes: number | null;
  readonly owner: Owner;
  readonly rule: Rule;
  readonly reason: string;
  /** `rules` actions always run; `target` ones run in order only while the filesystem is above the target. */
  readonly phase: 'rules' | 'target';
  /** For `target` actions: true when the estimate says it is needed to reach the target. */
  readonly expected: boolean;
  /** Actions of one wave may run concurrently; waves run in order (containers, children before parent images, ...). */
  readonly wave: number;
  /** Containers: remove even when running (build scope only). */
  readonly force: boolean;
  /** Containers: remove their anonymous volumes too. */
  readonly removeVolumes: boolean;
  /** Images: tags to remove one by one (no force), so an image that came into use fails with 409 instead of vanishing. */
  readonly tags: readonly string[];
  /** Build cache: bytes to keep. */
  readonly keepBytes?: number;
}

/** An object the plan leaves, and why (docuum's skip lines). */
export interface KeptItem {
  readonly kind: ObjectKind;
  readonly id: string;
  readonly name: string;
  readonly owner: Owner;
  readonly reason: string;
}

/** The filesystem target of `--target`, as planned. */
export interface PlannedTarget {
  readonly threshold: string;
  /** Used bytes at most, once reached; null when the filesystem could not be measured. */
  readonly limitBytes: number | null;
  readonly usedBytes: number | null;
  /** Bytes the rules and expected target actions should free, by the engine's figures. */
  readonly estimatedFreedBytes: number;
}

/** The plan. Versioned: its JSON form is an interface. */
export interface CleanupPlan {
  readonly version: 1;
  readonly scope: CleanScope;
  readonly takenMs: number;
  readonly graceMs: number;
  readonly actions: readonly PlannedAction[];
  readonly kept: readonly KeptItem[];
  readonly target: PlannedTarget | undefined;
}

const WAVE = { containers: 0, images: 1, volumes: 100, networks: 101, buildCache: 102, target: 200 } as const;

interface Ctx {
  readonly policy: CleanPolicy;
  readonly now: number;
  readonly actions: PlannedAction[];
  readonly kept: KeptItem[];
}

function action(kind: ObjectKind, fields: Partial<PlannedAction> & Pick<PlannedAction, 'id' | 'name' | 'owner' | 'rule' | 'reason' | 'wave'>): PlannedAction {
  return { kind, bytes: null, phase: 'rules', expected: true, force: false, removeVolumes: false, tags: [], ...fields };
}

function keep(ctx: Ctx, kind: ObjectKind, id: string, name: string, owner: Owner, reason: string): void {
  ctx.kept.push({ kind, id, name, owner, reason });
}

function minutes(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms / 60_000)}m`;
}

/** Builds the plan. Invariant: no action removes a running container (but in build scope), a kept object, or an image a staying container uses. */
export function planCleanup(inventory: Inventory, policy: CleanPolicy, disk: FilesystemUsage | undefined, now: number): CleanupPlan {
  const ctx: Ctx = { policy, now, actions: [], kept: [] };
  const build = policy.scope.kind === 'build' ? policy.scope.build : undefined;
  // A scoped clean sees only the objects of its scope: the rest of the build is not its business.
  const scope = policy.scope.kind === 'build' ? policy.scope.scope : undefined;
  const inScope = (o: { readonly labels: Readonly<Record<string, string>> }) => scope === undefined || o.labels[LABELS.scope] === scope;
  const removed = planContainers(ctx, inventory.containers.filter(inScope), build);
  const staying = inventory.containers.filter((c) => !removed.has(c.id));
  // A clean lock is neither cleaned nor listed as kept: whether the inventory holds one depends on when it was read
  // (an agent clean takes its own while reading; a dry run takes none), and a dry run must show what the real run does.
  const networks = inventory.networks.filter((n) => !isLockNetwork(n));
  if (policy.scope.kind === 'build') {
    planBuildNetworks(ctx, networks.filter(inScope), staying, policy.scope.build);
    return { version: 1, scope: policy.scope, takenMs: inventory.takenMs, graceMs: policy.graceMs, actions: ctx.actions, kept: ctx.kept, target: undefined };
  }
  const candidates = planImages(ctx, inventory, staying);
  if (policy.volumes) planVolumes(ctx, inventory.volumes, staying);
  if (policy.networks) planNetworks(ctx, networks, staying);
  if (policy.buildCacheKeepBytes !== undefined && inventory.buildCache && inventory.buildCache.totalBytes > policy.buildCacheKeepBytes) {
    ctx.actions.push(
      action('build-cache', {
        id: 'build-cache',
        name: 'build cache',
        owner: { kind: 'unmanaged' },
        rule: 'build-cache',
        reason: `build cache ${inventory.buildCache.totalBytes} bytes, keep ${policy.buildCacheKeepBytes}`,
        bytes: Math.min(inventory.buildCache.reclaimableBytes, inventory.buildCache.totalBytes - policy.buildCacheKeepBytes),
        keepBytes: policy.buildCacheKeepBytes,
        wave: WAVE.buildCache,
      }),
    );
  }
  const target = policy.target ? planTarget(ctx, policy.target, candidates, disk) : undefined;
  if (!policy.target) for (const c of candidates) keep(ctx, 'image', c.image.id, imageName(c.image), ownerOf(c.image.labels, undefined), 'unused; not selected (add --images unused or --target)');
  return { version: 1, scope: policy.scope, takenMs: inventory.takenMs, graceMs: policy.graceMs, actions: ctx.actions, kept: ctx.kept, target };
}

/** Schedules containers; returns the ids it removes. */
function planContainers(ctx: Ctx, containers: readonly ContainerInfo[], build: string | undefined): Set<string> {
  const removed = new Set<string>();
  for (const c of containers) {
    const owner = ownerOf(c.labels, build);
    const reason = build === undefined ? agentContainerVerdict(ctx, c, owner) : buildContainerVerdict(c, owner, build);
    if (reason === undefined) continue;
    if (reason.remove) {
      removed.add(c.id);
      ctx.actions.push(
        action('container', {
          id: c.id,
          name: c.name,
          owner,
          bytes: c.sizeBytes,
          rule: build === undefined ? 'stopped-container' : 'build-scope',
          reason: reason.text,
          force: build !== undefined,
          removeVolumes: build !== undefined,
          wave: WAVE.containers,
        }),
      );
    } else keep(ctx, 'container', c.id, c.name, owner, reason.text);
  }
  return removed;
}

type Verdict = { remove: boolean; text: string } | undefined;

function buildContainerVerdict(c: ContainerInfo, owner: Owner, build: string): Verdict {
  if (owner.kind !== 'this-build') return undefined;
  if (isKept(c.labels)) return { remove: false, text: `labelled ${LABELS.keep}=true` };
  return { remove: true, text: `labelled ${LABELS.build}=${build}, ${c.state}` };
}

function agentContainerVerdict(ctx: Ctx, c: ContainerInfo, owner: Owner): Verdict {
  if (!isStopped(c.state)) return { remove: false, text: `${c.state}` };
  if (owner.kind === 'kubelet') return { remove: false, text: 'managed by the kubelet (io.kubernetes.* labels)' };
  if (isKept(c.labels)) return { remove: false, text: `labelled ${LABELS.keep}=true` };
  const age = ctx.now - c.createdMs;
  if (age < ctx.policy.graceMs) return { remove: false, text: `created ${minutes(age)} ago, within the grace period (${minutes(ctx.policy.graceMs)})` };
  return { remove: true, text: `${c.state}, created ${minutes(age)} ago` };
}

function imageName(image: ImageInfo): string {
  return image.tags[0] ?? image.id.replace(/^sha256:/, '').slice(0, 12);
}

interface Candidate {
  readonly image: ImageInfo;
  readonly lastUsed: LastUsed;
  readonly bytes: number;
}

/** An image's removal: what every image action says (which image, its owner, bytes, when last used), plus its rule's. */
function imageAction(
  ctx: Ctx,
  c: Candidate,
  rule: PlannedAction['rule'],
  state: string,
  fields: Partial<PlannedAction> & Pick<PlannedAction, 'wave'>,
  reasonSuffix = '',
): PlannedAction {
  return action('image', {
    id: c.image.id,
    name: imageName(c.image),
    owner: ownerOf(c.image.labels, undefined),
    bytes: c.bytes,
    rule,
    reason: `${state}, last used ${minutes(ctx.now - c.lastUsed.ms)} ago (${c.lastUsed.source})${reasonSuffix}`,
    tags: c.image.tags,
    ...fields,
  });
}

/** Schedules dangling (and, with --images unused, unused) images; returns the unused ones left for --target. */
function planImages(ctx: Ctx, inventory: Inventory, staying: readonly ContainerInfo[]): Candidate[] {
  const { policy, now } = ctx;
  const used = new Set(staying.map((c) => c.imageId));
  const byId = new Map(inventory.images.map((i) => [i.id, i]));
  const newest = newestContainerByImage(inventory.containers);
  const protectedReason = new Map<string, string>();
  for (const image of inventory.images) {
    const reason = used.has(image.id)
      ? 'used by a container that stays'
      : isKept(image.labels)
        ? `labelled ${LABELS.keep}=true`
        : image.tags.some((t) => matchesAny(t, policy.keepImages))
          ? 'matches --keep-image'
          : undefined;
    if (reason !== undefined) protectedReason.set(image.id, reason);
  }
  // A parent of a protected image stays too: the engine refuses to remove it (409), and its child needs it.
  for (const [id, reason] of [...protectedReason]) {
    let parent = byId.get(id)?.parentId;
    while (parent && !protectedReason.has(parent)) {
      protectedReason.set(parent, `parent of an image that stays (${reason})`);
      parent = byId.get(parent)?.parentId;
    }
  }
  const rules: Candidate[] = [];
  const leftovers: Candidate[] = [];
  for (const image of inventory.images) {
    const owner = ownerOf(image.labels, undefined);
    const reason = protectedReason.get(image.id);
    if (reason !== undefined) {
      keep(ctx, 'image', image.id, imageName(image), owner, reason);
      continue;
    }
    const lastUsed = lastUsedOf(image, newest);
    const age = now - lastUsed.ms;
    if (age < policy.graceMs) {
      keep(ctx, 'image', image.id, imageName(image), owner, `last used ${minutes(age)} ago (${lastUsed.source}), within the grace period`);
      continue;
    }
    const candidate = { image, lastUsed, bytes: image.uniqueBytes ?? image.sizeBytes };
    if (image.tags.length === 0 || policy.images === 'unused') rules.push(candidate);
    else leftovers.push(candidate);
  }
  const ordered = withDepth(rules, byId).sort((a, b) => b.depth - a.depth);
  const maxDepth = Math.max(0, ...ordered.map((c) => c.depth));
  for (const c of ordered) {
    const dangling = c.image.tags.length === 0;
    ctx.actions.push(
      imageAction(ctx, c, dangling ? 'dangling-image' : 'unused-image', dangling ? 'dangling' : 'unused', {
        wave: WAVE.images + (maxDepth - c.depth),
      }),
    );
  }
  return leftovers;
}

/** Each candidate with its depth among the candidates: how many of its ancestors are candidates too. */
function withDepth<T extends Candidate>(candidates: readonly T[], byId: ReadonlyMap<string, ImageInfo>): (T & { depth: number })[] {
  const ids = new Set(candidates.map((c) => c.image.id));
  return candidates.map((c) => {
    let depth = 0;
    let parent = c.image.parentId;
    const seen = new Set<string>();
    while (parent && !seen.has(parent)) {
      seen.add(parent);
      if (ids.has(parent)) depth += 1;
      parent = byId.get(parent)?.parentId ?? '';
    }
    return { ...c, depth };
  });
}

/** Orders the unused images least recently used first (a parent counts as used when its newest child was) and marks those the estimate needs. */
function planTarget(ctx: Ctx, threshold: Threshold, candidates: readonly Candidate[], disk: FilesystemUsage | undefined): PlannedTarget {
  const rulesBytes = ctx.actions.reduce((sum, a) => sum + (a.bytes ?? 0), 0);
  if (!disk) {
    for (const c of candidates) keep(ctx, 'image', c.image.id, imageName(c.image), ownerOf(c.image.labels, undefined), 'unused; --target needs a measured filesystem');
    return { threshold: formatThreshold(threshold), limitBytes: null, usedBytes: null, estimatedFreedBytes: rulesBytes };
  }
  const limit = thresholdBytes(threshold, disk.usedBytes + disk.availableBytes);
  const byParent = new Map<string, Candidate[]>();
  for (const c of candidates) byParent.set(c.image.parentId, [...(byParent.get(c.image.parentId) ?? []), c]);
  const effective = new Map<string, number>();
  const effectiveOf = (c: Candidate, depth = 0): number => {
    const known = effective.get(c.image.id);
    if (known !== undefined) return known;
    const children = depth > 64 ? [] : (byParent.get(c.image.id) ?? []);
    const value = Math.max(c.lastUsed.ms, ...children.map((child) => effectiveOf(child, depth + 1)));
    effective.set(c.image.id, value);
    return value;
  };
  const byId = new Map(candidates.map((c) => [c.image.id, c.image]));
  const ordered = withDepth(candidates, byId)
    .map((c) => ({ ...c, entry: { id: c.image.id, lastUsedMs: effectiveOf(c), depth: c.depth, bytes: c.bytes } }))
    .sort((a, b) => compareLru(a.entry, b.entry));
  let estimate = rulesBytes;
  const need = disk.usedBytes - limit;
  ordered.forEach((c, index) => {
    const expected = estimate < need;
    if (expected) estimate += c.bytes;
    ctx.actions.push(
      imageAction(ctx, c, 'target-lru', 'unused', { phase: 'target', expected, wave: WAVE.target + index }, `; LRU rank ${index + 1}`),
    );
  });
  return { threshold: formatThreshold(threshold), limitBytes: limit, usedBytes: disk.usedBytes, estimatedFreedBytes: estimate };
}

function volumeUsers(staying: readonly ContainerInfo[]): Set<string> {
  return new Set(staying.flatMap((c) => c.volumes));
}

/** Why a volume or network stays whatever its kind: labelled to keep, the kubelet's, or younger than the grace. */
function sharedKeepReason(ctx: Ctx, labels: Readonly<Record<string, string>> | null | undefined, owner: Owner, createdMs: number | null): string | undefined {
  if (isKept(labels)) return `labelled ${LABELS.keep}=true`;
  if (owner.kind === 'kubelet') return 'managed by the kubelet';
  const age = createdMs === null ? Number.POSITIVE_INFINITY : ctx.now - createdMs;
  return age < ctx.policy.graceMs ? 'within the grace period' : undefined;
}

function planVolumes(ctx: Ctx, volumes: readonly VolumeInfo[], staying: readonly ContainerInfo[]): void {
  const used = volumeUsers(staying);
  for (const v of volumes) {
    const owner = ownerOf(v.labels, undefined);
    const reason = !v.anonymous
      ? 'named volume (only anonymous volumes are removed)'
      : used.has(v.name)
        ? 'used by a container that stays'
        : sharedKeepReason(ctx, v.labels, owner, v.createdMs);
    if (reason !== undefined) keep(ctx, 'volume', v.name, v.name, owner, reason);
    else ctx.actions.push(action('volume', { id: v.name, name: v.name, owner, bytes: v.sizeBytes, rule: 'anonymous-volume', reason: 'anonymous, no container uses it', wave: WAVE.volumes }));
  }
}

function networkUsers(staying: readonly ContainerInfo[]): Set<string> {
  return new Set(staying.flatMap((c) => c.networks));
}

function planNetworks(ctx: Ctx, networks: readonly NetworkInfo[], staying: readonly ContainerInfo[]): void {
  const used = networkUsers(staying);
  for (const n of networks) {
    const owner = ownerOf(n.labels, undefined);
    const reason = n.builtin
      ? 'built-in network'
      : used.has(n.id)
        ? 'a container that stays is attached'
        : sharedKeepReason(ctx, n.labels, owner, n.createdMs);
    if (reason !== undefined) keep(ctx, 'network', n.id, n.name, owner, reason);
    else ctx.actions.push(action('network', { id: n.id, name: n.name, owner, rule: 'unused-network', reason: 'no container attached', wave: WAVE.networks }));
  }
}

function planBuildNetworks(ctx: Ctx, networks: readonly NetworkInfo[], staying: readonly ContainerInfo[], build: string): void {
  const used = networkUsers(staying);
  for (const n of networks) {
    const owner = ownerOf(n.labels, build);
    if (owner.kind !== 'this-build' || n.builtin) continue;
    if (isKept(n.labels)) keep(ctx, 'network', n.id, n.name, owner, `labelled ${LABELS.keep}=true`);
    else if (used.has(n.id)) keep(ctx, 'network', n.id, n.name, owner, 'a container of another build is attached');
    else ctx.actions.push(action('network', { id: n.id, name: n.name, owner, rule: 'build-scope', reason: `labelled ${LABELS.build}=${build}`, wave: WAVE.networks }));
  }
}
