// An image with several tags, on each engine: the containerd image store keeps one record per tag (`docker images`
// shows a row for each), the graph driver one image with a list of tags. `ls` lists every tag; `clean` removes the
// image whole (every tag), and the engine's own figures say the bytes went.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, docker, whalekeeper } from '../helpers/cli.js';
import { startEngine, TEST_IMAGE, type PrivateEngine } from '../helpers/engine.js';

let engine: PrivateEngine;
let env: Record<string, string>;
let imageId: string;
const TAGS = ['multi/a:1', 'multi/b:2', 'multi/a:latest'];

/** The bytes of every image, as the engine counts them: `GET /system/df`'s LayersSize (what `docker system df` shows). */
async function engineImageBytes(): Promise<number> {
  const body = await new Promise<string>((resolve, reject) => {
    const req = request({ socketPath: engine.host.replace(/^unix:\/\//, ''), path: '/system/df', method: 'GET' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`GET /system/df answered ${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end();
  });
  return Number((JSON.parse(body) as { LayersSize: number }).LayersSize);
}

beforeAll(async () => {
  engine = await startEngine('image-tags', '512M');
  env = cleanEnv(engine.host);
  // An image of its own 20 MB layer, tagged three times; the container that made it removed.
  const id = await docker(engine.host, ['run', '-d', TEST_IMAGE, 'dd', 'if=/dev/urandom', 'of=/fill', 'bs=1M', 'count=20']);
  await docker(engine.host, ['wait', id]);
  await docker(engine.host, ['commit', id, TAGS[0]!]);
  await docker(engine.host, ['rm', id]);
  for (const tag of TAGS.slice(1)) await docker(engine.host, ['tag', TAGS[0]!, tag]);
  imageId = await docker(engine.host, ['image', 'inspect', '--format', '{{.Id}}', TAGS[0]!]);
}, 180_000);

afterAll(async () => {
  if (process.env.WK_ENGINE_KEEP !== '1') await engine?.stop();
});

describe('an image with three tags', () => {
  it('ls --images lists it once, with every tag', async () => {
    const result = await whalekeeper(['--json', 'ls', '--images'], env);
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    const rows = (JSON.parse(result.stdout) as { rows: { id: string; kind: string; names: string[]; state: string }[] }).rows.filter((r) => r.id === imageId);
    expect(rows).toHaveLength(1);
    expect([...rows[0]!.names].sort()).toEqual([...TAGS].sort());
    expect(rows[0]!.state).toBe('unused');
    const text = await whalekeeper(['ls', '--images'], env);
    for (const tag of TAGS) expect(text.stdout).toContain(tag);
  });

  it('clean --images unused removes it whole, and the engine counts its bytes gone', async () => {
    const before = await engineImageBytes();
    const result = await whalekeeper(['--json', 'clean', '--agent', '--grace', '0', '--images', 'unused', '--keep-image', 'whalekeeper-test/*'], env);
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    const { report } = JSON.parse(result.stdout) as { report: { counts: { image: { removed: number; failed: number } }; engineReclaimedBytes: number } };
    expect(report.counts.image).toMatchObject({ removed: 1, failed: 0 });
    const left = (await docker(engine.host, ['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n').filter(Boolean);
    expect(left).toEqual([TEST_IMAGE]);
    const after = await engineImageBytes();
    // 20 MB of random bytes (no compression helps): at least that much less, by the engine's own account.
    expect(before - after).toBeGreaterThanOrEqual(20 * 1024 * 1024);
    expect(report.engineReclaimedBytes).toBeGreaterThanOrEqual(20 * 1024 * 1024);
  });
});
