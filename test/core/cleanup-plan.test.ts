import { describe, expect, it } from 'vitest';
import { planCleanup, type CleanPolicy } from '../../src/core/clean/plan.js';
import { compileGlob } from '../../src/core/glob.js';
import type { Inventory } from '../../src/core/inventory.js';
import { agentPolicy, container, fs, HOUR, image, inventory, network, NOW, volume } from './fixtures.js';

const ids = (plan: ReturnType<typeof planCleanup>, phase?: 'rules' | 'target'): string[] =>
  plan.actions.filter((a) => phase === undefined || a.phase === phase).map((a) => a.id);
const keptReason = (plan: ReturnType<typeof planCleanup>, id: string): string | undefined => plan.kept.find((k) => k.id === id)?.reason;

describe('planCleanup --agent: containers', () => {
  const cases: { name: string; c: Parameters<typeof container>[1]; removed: boolean; reason?: RegExp }[] = [
    { name: 'exited, older than grace', c: { state: 'exited' }, removed: true },
    { name: 'created, older than grace', c: { state: 'created' }, removed: true },
    { name: 'dead', c: { state: 'dead' }, removed: true },
    { name: 'running', c: { state: 'running' }, removed: false, reason: /running/ },
    { name: 'paused', c: { state: 'paused' }, removed: false, reason: /paused/ },
    { name: 'restarting', c: { state: 'restarting' }, removed: false, reason: /restarting/ },
    { name: 'created within grace (a concurrent build is about to start it)', c: { state: 'created', createdMs: NOW - 10 * 60_000 }, removed: false, reason: /grace/ },
    { name: 'kubelet-managed', c: { labels: { 'io.kubernetes.pod.name': 'p' } }, removed: false, reason: /kubelet/ },
    { name: 'labelled keep', c: { labels: { 'whalekeeper.keep': 'true' } }, removed: false, reason: /whalekeeper.keep/ },
    { name: 'another build, stopped and old', c: { labels: { 'whalekeeper.build': 'other' } }, removed: true },
  ];
  it.each(cases)('$name', ({ c, removed, reason }) => {
    const plan = planCleanup(inventory({ containers: [container('c1', c)] }), agentPolicy(), undefined, NOW);
    expect(ids(plan).includes('c1')).toBe(removed);
    if (reason) expect(keptReason(plan, 'c1')).toMatch(reason);
    if (removed) expect(plan.actions[0]).toMatchObject({ kind: 'container', rule: 'stopped-container', force: false, removeVolumes: false });
  });

  it('ages a never-started container by Created, whatever its finish time', () => {
    const plan = planCleanup(inventory({ containers: [container('c1', { state: 'created', createdMs: NOW - 1000 })] }), agentPolicy({ graceMs: HOUR }), undefined, NOW);
    expect(ids(plan)).toEqual([]);
  });
});

describe('planCleanup --agent: images', () => {
  const used = image('sha256:used', { tags: ['app:1'] });
  const dangling = image('sha256:dang');
  const unused = image('sha256:unused', { tags: ['old:1'] });
  const base: Inventory = inventory({ containers: [container('run', { state: 'running', imageId: 'sha256:used' })], images: [used, dangling, unused] });
  const cases: { name: string; policy: Partial<CleanPolicy>; inv?: Inventory; removed: string[]; kept?: Record<string, RegExp> }[] = [
    { name: 'dangling by default, unused kept', policy: {}, removed: ['sha256:dang'], kept: { 'sha256:used': /used by a container/, 'sha256:unused': /not selected/ } },
    { name: '--images unused', policy: { images: 'unused' }, removed: ['sha256:dang', 'sha256:unused'] },
    { name: '--keep-image glob', policy: { images: 'unused', keepImages: [compileGlob('old')] }, removed: ['sha256:dang'], kept: { 'sha256:unused': /keep-image/ } },
    {
      name: 'image of a stopped container that is removed becomes unused',
      policy: { images: 'unused' },
      inv: inventory({ containers: [container('old', { imageId: 'sha256:unused' })], images: [unused] }),
      removed: ['old', 'sha256:unused'],
    },
    {
      name: 'image of a kept (kubelet) container stays',
      policy: { images: 'unused' },
      inv: inventory({ containers: [container('k', { imageId: 'sha256:unused', labels: { 'io.kubernetes.pod.uid': 'u' } })], images: [unused] }),
      removed: [],
      kept: { 'sha256:unused': /used by a container that stays/ },
    },
    {
      name: 'recently used image stays within grace',
      policy: { images: 'unused' },
      inv: inventory({ images: [image('sha256:fresh', { tags: ['f:1'], lastTagMs: NOW - 60_000 })] }),
      removed: [],
      kept: { 'sha256:fresh': /grace/ },
    },
    {
      name: 'labelled keep',
      policy: { images: 'unused' },
      inv: inventory({ images: [image('sha256:k', { tags: ['k:1'], labels: { 'whalekeeper.keep': 'true' } })] }),
      removed: [],
      kept: { 'sha256:k': /whalekeeper.keep/ },
    },
    {
      name: 'parent of an image in use stays',
      policy: { images: 'unused' },
      inv: inventory({
        containers: [container('r', { state: 'running', imageId: 'sha256:child' })],
        images: [image('sha256:parent', { tags: ['p:1'] }), image('sha256:child', { tags: ['c:1'], parentId: 'sha256:parent' })],
      }),
      removed: [],
      kept: { 'sha256:parent': /parent of an image that stays/ },
    },
  ];
  it.each(cases)('$name', ({ policy, inv, removed, kept }) => {
    const plan = planCleanup(inv ?? base, agentPolicy(policy), undefined, NOW);
    expect(ids(plan).sort()).toEqual([...removed].sort());
    for (const [id, reason] of Object.entries(kept ?? {})) expect(keptReason(plan, id)).toMatch(reason);
  });

  it('removes children before parents (earlier wave)', () => {
    const inv = inventory({
      images: [
        image('sha256:a', { tags: ['a:1'] }),
        image('sha256:b', { tags: ['b:1'], parentId: 'sha256:a' }),
        image('sha256:c', { tags: ['c:1'], parentId: 'sha256:b' }),
      ],
    });
    const plan = planCleanup(inv, agentPolicy({ images: 'unused' }), undefined, NOW);
    const wave = (id: string): number => plan.actions.find((a) => a.id === id)!.wave;
    expect(wave('sha256:c')).toBeLessThan(wave('sha256:b'));
    expect(wave('sha256:b')).toBeLessThan(wave('sha256:a'));
  });
});

describe('planCleanup --agent: volumes and networks', () => {
  it.each([
    { name: 'anonymous unused volume', v: volume('a'.repeat(64)), users: [], removed: true },
    { name: 'named volume', v: volume('data', { anonymous: false }), users: [], removed: false },
    { name: 'volume of a running container', v: volume('b'.repeat(64)), users: ['b'.repeat(64)], removed: false },
    { name: 'keep-labelled volume', v: volume('c'.repeat(64), { labels: { 'whalekeeper.keep': 'true' } }), users: [], removed: false },
  ])('$name', ({ v, users, removed }) => {
    const inv = inventory({ volumes: [v], containers: [container('r', { state: 'running', volumes: users })] });
    const plan = planCleanup(inv, agentPolicy({ volumes: true }), undefined, NOW);
    expect(ids(plan).includes(v.name)).toBe(removed);
  });

  it('leaves volumes alone without --volumes', () => {
    expect(ids(planCleanup(inventory({ volumes: [volume('a'.repeat(64))] }), agentPolicy(), undefined, NOW))).toEqual([]);
  });

  it.each([
    { name: 'unused user network', n: network('n1'), attached: [], removed: true },
    { name: 'built-in', n: network('bridge', { builtin: true }), attached: [], removed: false },
    { name: 'attached to a running container', n: network('n2'), attached: ['n2'], removed: false },
    { name: 'within grace', n: network('n3', { createdMs: NOW - 60_000 }), attached: [], removed: false },
    { name: 'attached to a stopped container that is removed', n: network('n4'), attached: [], removed: true },
  ])('network: $name', ({ n, attached, removed }) => {
    const inv = inventory({ networks: [n], containers: [container('r', { state: 'running', networks: attached }), container('s', { networks: ['n4'] })] });
    expect(ids(planCleanup(inv, agentPolicy(), undefined, NOW)).includes(n.id)).toBe(removed);
  });

  it('neither removes nor lists as kept a clean lock network, its own or another clean\'s, so a dry run (which takes no lock) shows what the real run does', () => {
    const lock = (id: string, labels: Record<string, string>) => network(id, { name: 'whalekeeper-clean-lock', labels });
    const locks = [lock('mine', { 'whalekeeper.keep': 'true', 'whalekeeper.managed': 'true' }), lock('unlabelled', {})];
    const real = planCleanup(inventory({ networks: [...locks, network('n1')] }), agentPolicy(), undefined, NOW);
    const dry = planCleanup(inventory({ networks: [network('n1')] }), agentPolicy(), undefined, NOW);
    expect(real).toEqual(dry);
    expect(ids(real)).toEqual(['n1']);
    const build = agentPolicy({ scope: { kind: 'build', build: 'b1' } });
    expect(planCleanup(inventory({ networks: [lock('l', { 'whalekeeper.build': 'b1' })] }), build, undefined, NOW)).toMatchObject({ actions: [], kept: [] });
  });

  it('prunes the build cache down to the size to keep', () => {
    const inv = inventory({ buildCache: { totalBytes: 5000, reclaimableBytes: 4000, records: 3 } });
    const plan = planCleanup(inv, agentPolicy({ buildCacheKeepBytes: 2000 }), undefined, NOW);
    expect(plan.actions).toMatchObject([{ kind: 'build-cache', bytes: 3000, keepBytes: 2000 }]);
    expect(planCleanup(inv, agentPolicy({ buildCacheKeepBytes: 6000 }), undefined, NOW).actions).toEqual([]);
  });
});

describe('planCleanup --target', () => {
  const lru = inventory({
    containers: [container('old', { createdMs: NOW - 50 * HOUR, imageId: 'sha256:used-long-ago' })],
    images: [
      image('sha256:recent', { tags: ['r:1'], lastTagMs: NOW - 5 * HOUR, sizeBytes: 3000 }),
      image('sha256:oldest', { tags: ['o:1'], createdMs: NOW - 500 * HOUR, sizeBytes: 2000 }),
      image('sha256:used-long-ago', { tags: ['u:1'], createdMs: NOW - 1000 * HOUR, sizeBytes: 1000 }),
    ],
  });

  it('orders unused images least recently used first: container use, then tag time, then creation', () => {
    const plan = planCleanup(lru, agentPolicy({ target: { kind: 'percent', percent: 0 } }), fs(9000), NOW);
    expect(ids(plan, 'target')).toEqual(['sha256:oldest', 'sha256:used-long-ago', 'sha256:recent']);
  });

  it('counts the later of an image\'s newest container and its last tag as its last use', () => {
    const inv = inventory({
      containers: [container('old', { createdMs: NOW - 50 * HOUR, imageId: 'sha256:rebuilt' }), container('new', { createdMs: NOW - 2 * HOUR, imageId: 'sha256:run' })],
      images: [
        // the same image built again an hour ago (re-tagged), a container from it 50 hours ago
        image('sha256:rebuilt', { tags: ['app:latest'], lastTagMs: NOW - HOUR }),
        // tagged 40 hours ago, a container from it 2 hours ago
        image('sha256:run', { tags: ['tool:1'], lastTagMs: NOW - 40 * HOUR }),
        image('sha256:tagged', { tags: ['t:1'], lastTagMs: NOW - 20 * HOUR }),
      ],
    });
    const plan = planCleanup(inv, agentPolicy({ target: { kind: 'percent', percent: 0 } }), fs(9000), NOW);
    expect(ids(plan, 'target')).toEqual(['sha256:tagged', 'sha256:run', 'sha256:rebuilt']);
    const reasons = plan.actions.filter((a) => a.phase === 'target').map((a) => /\((container|tagged|created)\)/.exec(a.reason)?.[1]);
    expect(reasons).toEqual(['tagged', 'container', 'tagged']);
  });

  it('marks as expected only what the estimate needs', () => {
    // 9000 used of 10000, target 60% = 6000: container (100) + oldest (2000) are not enough, used-long-ago makes it.
    const plan = planCleanup(lru, agentPolicy({ target: { kind: 'percent', percent: 60 } }), fs(9000), NOW);
    expect(plan.actions.filter((a) => a.phase === 'target').map((a) => [a.id, a.expected])).toEqual([
      ['sha256:oldest', true],
      ['sha256:used-long-ago', true],
      ['sha256:recent', false],
    ]);
    expect(plan.target).toMatchObject({ limitBytes: 6000, usedBytes: 9000 });
  });

  it('expects nothing when the rules reach the target', () => {
    const plan = planCleanup(lru, agentPolicy({ target: { kind: 'bytes', bytes: 8950 } }), fs(9000), NOW);
    expect(plan.actions.filter((a) => a.expected && a.phase === 'target')).toEqual([]);
  });

  it('keeps the candidates when the filesystem could not be measured', () => {
    const plan = planCleanup(lru, agentPolicy({ target: { kind: 'percent', percent: 10 } }), undefined, NOW);
    expect(ids(plan, 'target')).toEqual([]);
    expect(keptReason(plan, 'sha256:oldest')).toMatch(/measured/);
  });

  it('puts a parent after its children even when the parent was used less recently', () => {
    const inv = inventory({
      images: [
        image('sha256:parent', { tags: ['p:1'], createdMs: NOW - 900 * HOUR }),
        image('sha256:child', { tags: ['c:1'], parentId: 'sha256:parent', createdMs: NOW - 10 * HOUR }),
      ],
    });
    const plan = planCleanup(inv, agentPolicy({ target: { kind: 'percent', percent: 0 } }), fs(9000), NOW);
    expect(ids(plan, 'target')).toEqual(['sha256:child', 'sha256:parent']);
  });
});

describe('planCleanup --build', () => {
  const inv = inventory({
    containers: [
      container('x-run', { state: 'running', labels: { 'whalekeeper.build': 'X' } }),
      container('x-new', { state: 'created', createdMs: NOW - 1000, labels: { 'whalekeeper.build': 'X' } }),
      container('x-keep', { labels: { 'whalekeeper.build': 'X', 'whalekeeper.keep': 'true' } }),
      container('y-run', { state: 'running', labels: { 'whalekeeper.build': 'Y' }, networks: ['net-y'] }),
      container('none'),
    ],
    networks: [network('net-x', { labels: { 'whalekeeper.build': 'X' } }), network('net-y', { labels: { 'whalekeeper.build': 'Y' } })],
    images: [image('sha256:dang')],
  });
  const plan = planCleanup(inv, agentPolicy({ scope: { kind: 'build', build: 'X' } }), undefined, NOW);

  it("removes the build's containers in any state, forced with their anonymous volumes, and its networks", () => {
    expect(ids(plan)).toEqual(['x-run', 'x-new', 'net-x']);
    expect(plan.actions[0]).toMatchObject({ force: true, removeVolumes: true, rule: 'build-scope' });
  });

  it('touches nothing of another build, nothing unlabelled, and honours the keep label', () => {
    expect(ids(plan)).not.toContain('y-run');
    expect(ids(plan)).not.toContain('none');
    expect(ids(plan)).not.toContain('sha256:dang');
    expect(keptReason(plan, 'x-keep')).toMatch(/keep/);
  });
});

describe('planCleanup --build with --scope (one withDockerCleanup block of a build)', () => {
  const inv = inventory({
    containers: [
      container('a-1', { state: 'running', labels: { 'whalekeeper.build': 'X', 'whalekeeper.scope': 'A' } }),
      container('a-keep', { labels: { 'whalekeeper.build': 'X', 'whalekeeper.scope': 'A', 'whalekeeper.keep': 'true' } }),
      container('b-1', { state: 'running', labels: { 'whalekeeper.build': 'X', 'whalekeeper.scope': 'B' } }),
      container('x-unscoped', { state: 'running', labels: { 'whalekeeper.build': 'X' } }),
      container('y-a', { state: 'running', labels: { 'whalekeeper.build': 'Y', 'whalekeeper.scope': 'A' } }),
    ],
    networks: [
      network('net-a', { labels: { 'whalekeeper.build': 'X', 'whalekeeper.scope': 'A' } }),
      network('net-x', { labels: { 'whalekeeper.build': 'X' } }),
    ],
  });

  it.each([
    ['scope A', { kind: 'build', build: 'X', scope: 'A' } as const, ['a-1', 'net-a']],
    ['scope B', { kind: 'build', build: 'X', scope: 'B' } as const, ['b-1']],
    ['scope C (nothing of it)', { kind: 'build', build: 'X', scope: 'C' } as const, []],
    ['no scope: the whole build, every scope', { kind: 'build', build: 'X' } as const, ['a-1', 'b-1', 'x-unscoped', 'net-a', 'net-x']],
  ])('%s removes exactly its own objects', (_name, scope, expected) => {
    expect(ids(planCleanup(inv, agentPolicy({ scope }), undefined, NOW))).toEqual(expected);
  });

  it('a scoped clean still honours the keep label and never reaches another build with the same scope name', () => {
    const plan = planCleanup(inv, agentPolicy({ scope: { kind: 'build', build: 'X', scope: 'A' } }), undefined, NOW);
    expect(keptReason(plan, 'a-keep')).toMatch(/keep/);
    expect(ids(plan)).not.toContain('y-a');
  });
});
