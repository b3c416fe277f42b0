// What is on the engine by owner and state: the sums, and the families promtool accepts.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { diskReport } from '../../src/core/disk-status.js';
import { CONTAINER_STATES, contentsFamilies, engineContents, IMAGE_STATES, OWNERS } from '../../src/core/metrics/contents.js';
import { renderRoundMetrics, startTally } from '../../src/core/metrics/rounds.js';
import { container, fs, image, inventory } from './fixtures.js';

const build = { 'whalekeeper.managed': 'true', 'whalekeeper.build': 'app#7' };
const other = { 'whalekeeper.managed': 'true', 'whalekeeper.build': 'app#6' };
const kubelet = { 'io.kubernetes.pod.name': 'agent-1' };

const snapshot = inventory({
  containers: [
    container('a', { labels: build, state: 'running', sizeBytes: 10, imageId: 'sha256:used' }),
    container('b', { labels: other, state: 'exited', sizeBytes: 20 }),
    container('c', { labels: other, state: 'exited', sizeBytes: null }),
    container('d', { labels: kubelet, state: 'running', sizeBytes: 5 }),
    container('e', { state: 'exited', sizeBytes: 300 }),
    container('f', { state: 'created', sizeBytes: 0 }),
    container('g', { labels: { 'whalekeeper.managed': 'true' }, state: 'dead', sizeBytes: 7 }),
  ],
  images: [
    image('sha256:used', { tags: ['app:7'], labels: build, sizeBytes: 1000, uniqueBytes: 400 }),
    image('sha256:old', { tags: ['app:6'], labels: other, sizeBytes: 900, uniqueBytes: null }),
    image('sha256:none', { tags: [], sizeBytes: 50, uniqueBytes: 50 }),
  ],
});

describe('engineContents', () => {
  const contents = engineContents(snapshot, 'app#7');

  it.each([
    ['this_build', 'running', 1, 10],
    ['other_build', 'exited', 2, 20],
    ['kubelet', 'running', 1, 5],
    ['unmanaged', 'exited', 1, 300],
    ['unmanaged', 'created', 1, 0],
    ['whalekeeper', 'dead', 1, 7],
    ['unmanaged', 'running', 0, 0],
  ] as const)('containers %s %s: %i, %i bytes (unknown sizes count 0)', (owner, state, count, bytes) => {
    expect(contents.containers[owner][state]).toEqual({ count, bytes });
  });

  it.each([
    ['this_build', 'in_use', 1, 400],
    ['other_build', 'unused', 1, 900],
    ['unmanaged', 'dangling', 1, 50],
    ['kubelet', 'unused', 0, 0],
  ] as const)('images %s %s: %i, %i bytes (unique bytes where known, else the full size)', (owner, state, count, bytes) => {
    expect(contents.images[owner][state]).toEqual({ count, bytes });
  });

  it('without a build (an agent clean), a build label is another build', () => {
    const agent = engineContents(snapshot, undefined);
    expect(agent.containers.this_build.running.count).toBe(0);
    expect(agent.containers.other_build.running.count).toBe(1);
  });
});

describe('contentsFamilies', () => {
  it('writes every owner and state, so a series does not vanish when it empties', () => {
    const families = contentsFamilies(engineContents(inventory(), undefined), { host: 'h' });
    expect(families.map((f) => [f.name, f.samples.length])).toEqual([
      ['whalekeeper_engine_containers', OWNERS.length * CONTAINER_STATES.length],
      ['whalekeeper_engine_container_bytes', OWNERS.length * CONTAINER_STATES.length],
      ['whalekeeper_engine_images', OWNERS.length * IMAGE_STATES.length],
      ['whalekeeper_engine_image_bytes', OWNERS.length * IMAGE_STATES.length],
    ]);
    expect(families.flatMap((f) => f.samples.map((s) => s.value))).toEqual(expect.arrayContaining([0]));
  });

  it('in the round textfile, which promtool check metrics accepts', async () => {
    const engine = { host: 'unix:///var/run/docker.sock', dataRoot: '/var/lib/docker', serverVersion: '28.5.1' };
    const text = renderRoundMetrics(startTally(0), diskReport({ engine, measure: { ok: true, usage: fs(5000) }, usage: null, warn: undefined, fail: undefined, now: 0 }), engineContents(snapshot, undefined));
    expect(text).toContain('whalekeeper_engine_containers{host="unix:///var/run/docker.sock",data_root="/var/lib/docker",owner="unmanaged",state="exited"} 1\n');
    expect(text).toContain('whalekeeper_engine_image_bytes{host="unix:///var/run/docker.sock",data_root="/var/lib/docker",owner="other_build",state="in_use"} 400\n');
    const result = await execa('promtool', ['check', 'metrics'], { input: text, reject: false });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.exitCode).toBe(0);
  });
});
