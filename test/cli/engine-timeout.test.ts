// An engine that accepts connections and never answers: ls, disk and clean give up within --engine-timeout with
// exit 3 and one line, and `clean --every` loses one bound per round, not minutes.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, whalekeeper } from '../helpers/cli.js';
import { startHungEngine } from '../helpers/fake-engine.js';

let hung: Awaited<ReturnType<typeof startHungEngine>>;

beforeAll(async () => {
  hung = await startHungEngine();
});

afterAll(async () => {
  await hung?.close();
});

// The test's own timeout (well below the 120 s a request used to wait) is what fails it if a bound is missing.
describe('an engine that accepts and never answers', () => {
  it.each([
    [['ls']],
    [['disk']],
    [['clean', '--agent', '--grace', '0']],
  ])('%j exits 3 with one line naming the bound', async (args) => {
    const before = hung.connections();
    const result = await whalekeeper(['--engine-timeout', '1', ...args], cleanEnv(hung.host));
    expect(result.exitCode).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`cannot reach the Docker engine at ${hung.host} (no answer within 1 s, --engine-timeout)`);
    expect(hung.connections()).toBeGreaterThan(before);
  }, 20_000);

  it('WHALEKEEPER_ENGINE_TIMEOUT sets the bound too', async () => {
    const result = await whalekeeper(['ls'], cleanEnv(hung.host, { WHALEKEEPER_ENGINE_TIMEOUT: '0.5' }));
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('no answer within 0.5 s');
  }, 20_000);

  it('clean --every fails each round after the bound (the loop goes on: no answer for 5 min is needed to end it), and ends on SIGTERM with 0', async () => {
    const child = execa('node', [BIN, '--engine-timeout', '1', 'clean', '--agent', '--every', '1s'], { env: cleanEnv(hung.host), extendEnv: false, reject: false, stdin: 'ignore' });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    for (let i = 0; i < 300 && (stderr.match(/round \d+: failed/g) ?? []).length < 3; i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    const rounds = stderr.trim().split('\n');
    expect(rounds.slice(0, 3)).toEqual([1, 2, 3].map((n) => `whalekeeper: round ${n}: failed (${n} in a row; exits at 3 and 5 min without an answer): cannot reach the Docker engine at ${hung.host} (no answer within 1 s, --engine-timeout); is it running? (--host, DOCKER_HOST, DOCKER_CONTEXT)`));
  }, 30_000);
});
