// The order `clean --target` evicts unused images in (least recently used first), and what counts as use, on each
// engine. Docker records no last use (moby #4237): whalekeeper infers it from the later of the newest container made from
// the image and the image's last tag time (Metadata.LastTagTime: the graph driver's record, or on the containerd image
// store the newest of the image's tag records), see src/core/lru.ts. The engine lists containers' creation times in
// whole seconds (GET /containers/json `Created`), so the steps whose order is asserted are more than a second apart.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, docker, whalekeeper } from '../helpers/cli.js';
import { engineKind, startEngine, TEST_IMAGE, type PrivateEngine } from '../helpers/engine.js';

interface Action { kind: string; id: string; name: string; rule: string; reason: string; phase: string }
interface Kept { kind: string; name: string; reason: string }

let engine: PrivateEngine;
let env: Record<string, string>;
const APART = 1_100;

/** An image of its own (a one-line layer naming it), committed from a container that is then removed. */
async function commit(tag: string): Promise<void> {
  const id = await docker(engine.host, ['run', '-d', TEST_IMAGE, 'sh', '-c', `echo ${tag} > /tag`]);
  await docker(engine.host, ['wait', id]);
  await docker(engine.host, ['commit', id, tag]);
  await docker(engine.host, ['rm', id]);
}

/** The dry run's plan: the target's LRU actions in rank order, and what it keeps. */
async function planned(): Promise<{ lru: Action[]; kept: Kept[]; actions: Action[] }> {
  const result = await whalekeeper(['--json', 'clean', '--agent', '--grace', '0', '--target', '1%', '--dry-run', '--keep-image', 'whalekeeper-test/*'], env);
  expect([result.exitCode, result.stderr]).toEqual([0, '']);
  const { plan } = JSON.parse(result.stdout) as { plan: { actions: Action[]; kept: Kept[] } };
  const lru = plan.actions.filter((a) => a.rule === 'target-lru');
  const rank = (a: Action) => Number(/LRU rank (\d+)/.exec(a.reason)?.[1]);
  lru.forEach((a, index) => expect(rank(a), a.reason).toBe(index + 1));
  return { lru, kept: plan.kept, actions: plan.actions };
}

beforeAll(async () => {
  engine = await startEngine('image-lru', '512M');
  env = cleanEnv(engine.host);
  // lru/old:1 is tagged first, lru/u:1..3 after it in turn, lru/run:1 last; then a container is created (not started)
  // from lru/old:1, and one from lru/run:1 keeps running.
  for (const tag of ['lru/old:1', 'lru/u:1', 'lru/u:2', 'lru/u:3']) {
    await commit(tag);
    await sleep(APART);
  }
  await commit('lru/run:1');
  await docker(engine.host, ['run', '-d', '--name', 'running', 'lru/run:1', 'sleep', '600']);
  await docker(engine.host, ['create', '--name', 'made-from-old', 'lru/old:1', 'true']);
}, 180_000);

afterAll(async () => {
  if (process.env.WK_ENGINE_KEEP !== '1') await engine?.stop();
});

describe(`the LRU order of clean --target, on engine ${engineKind()}`, () => {
  it('ranks the unused images by last tag, and a stopped container made later counts as a later use', async () => {
    const { lru, actions } = await planned();
    expect(lru.map((a) => a.name)).toEqual(['lru/u:1', 'lru/u:2', 'lru/u:3', 'lru/old:1']);
    expect(lru.map((a) => /\((container|tagged|created)\)/.exec(a.reason)?.[1])).toEqual(['tagged', 'tagged', 'tagged', 'container']);
    // The stopped container goes by the rules first; then nothing uses its image, which becomes a candidate.
    expect(actions.find((a) => a.kind === 'container')).toMatchObject({ name: 'made-from-old', rule: 'stopped-container' });
  });

  it('the image of a running container is never a candidate, and the plan says why it stays', async () => {
    const { actions, kept } = await planned();
    expect(actions.filter((a) => a.name === 'lru/run:1')).toEqual([]);
    expect(kept).toContainEqual(expect.objectContaining({ kind: 'image', name: 'lru/run:1', reason: 'used by a container that stays' }));
    expect(kept).toContainEqual(expect.objectContaining({ kind: 'container', name: 'running', reason: 'running' }));
  });

  it('tagging an image again is a use: it moves to the end of the order', async () => {
    await sleep(APART);
    await docker(engine.host, ['tag', 'lru/u:1', 'lru/u:1-again']);
    const { lru } = await planned();
    expect(lru.map((a) => a.id)).toHaveLength(4);
    expect(lru.map((a) => a.name)).toEqual(['lru/u:2', 'lru/u:3', 'lru/old:1', expect.stringMatching(/^lru\/u:1(-again)?$/)]);
    expect(lru.at(-1)!.reason).toContain('(tagged)');
  });

  it('a tag newer than the image\'s newest container is the later use (a rebuild that yields the same image)', async () => {
    await sleep(APART);
    await docker(engine.host, ['tag', 'lru/old:1', 'lru/old:1-again']);
    const { lru } = await planned();
    expect(lru.map((a) => a.name)).toEqual(['lru/u:2', 'lru/u:3', expect.stringMatching(/^lru\/u:1(-again)?$/), expect.stringMatching(/^lru\/old:1(-again)?$/)]);
    expect(lru.map((a) => /\((container|tagged|created)\)/.exec(a.reason)?.[1])).toEqual(['tagged', 'tagged', 'tagged', 'tagged']);
  });
});
