// The live table of `whalekeeper verify` on a real terminal: tmux at 80×24, with 200 replicas and with long URLs.
// It must fit: no line wraps, and nothing is pushed into the scrollback while it redraws in place.
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { answerBuild, startReplica, type ReplicaServer } from '../helpers/http-replica.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

/** A tmux server of its own (its own socket), one 80×24 session running `argv` directly (no shell). */
async function tmuxRun(argv: readonly string[], env: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'wk-verify-tmux-'));
  const socket = join(dir, 'sock');
  const tmux = (...args: string[]) => execa('tmux', ['-S', socket, '-f', '/dev/null', ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color' }, extendEnv: false, stdin: 'ignore' });
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  await tmux('new-session', '-d', '-x', '80', '-y', '24', '-s', 'wk', ...envArgs, ...argv);
  await tmux('set-option', '-t', 'wk', 'remain-on-exit', 'on');
  cleanups.push(async () => {
    await tmux('kill-server').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  return {
    dir,
    /** The screen (wrapped lines joined, so a wrapped line shows as longer than 80) and the scrollback's size. */
    async sample() {
      const history = Number((await tmux('display-message', '-p', '-t', 'wk', '#{history_size} #{pane_dead}')).stdout.split(' ')[0]);
      const screen = (await tmux('capture-pane', '-p', '-J', '-t', 'wk')).stdout;
      return { history, screen };
    },
    interrupt: () => tmux('send-keys', '-t', 'wk', 'C-c'),
    async dead() {
      return (await tmux('display-message', '-p', '-t', 'wk', '#{pane_dead}')).stdout.trim() === '1';
    },
  };
}

/** Runs verify in tmux on the replicas' URLs until it has drawn for a while, sampling the screen; then SIGINT. */
async function liveRun(urls: readonly string[], until: (screen: string) => boolean) {
  const dir = await mkdtemp(join(tmpdir(), 'wk-verify-out-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'report.txt');
  // stdout (the final report) goes to a file; stderr, the live table, is the terminal
  const script = ['sh', '-c', 'exec node "$@" > "$WK_OUT"', 'sh', BIN, 'verify', '--expect', '209', '--interval', '50ms', '--timeout', '60s', ...urls];
  const t = await tmuxRun(script, { WK_OUT: out, HOME: process.env.HOME ?? '/root' });
  const samples: { history: number; screen: string }[] = [];
  for (let i = 0; i < 300; i++) {
    samples.push(await t.sample());
    if (until(samples.at(-1)!.screen) && samples.length >= 5) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await t.interrupt();
  for (let i = 0; i < 100 && !(await t.dead()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return { samples, report: await readFile(out, 'utf8') };
}

describe('the live table at 80×24 (tmux)', () => {
  it('200 replicas: a summary by state and the rows not verified yet, redrawn in place, nothing wraps or scrolls', async () => {
    // one server plays 200 replicas (one path each); the last 3 stay on the old build
    const server: ReplicaServer = await startReplica((_n, req, res) => answerBuild(res, /\/r(19[89]|200)$/.test(req.url ?? '') ? 208 : 209));
    cleanups.push(() => server.close());
    const urls = Array.from({ length: 200 }, (_v, i) => `${server.url}/r${i + 1}`);
    const { samples, report } = await liveRun(urls, (screen) => screen.includes('197 verified'));
    const last = samples.at(-1)!.screen;
    // no warning (a listener leak on the abort signal, say) on the terminal
    expect(last).not.toMatch(/warning/i);
    expect(last).toContain('200 replicas: 197 verified, 3 pending, 0 wrong, 0 not verified\nREPLICA');
    for (const n of [198, 199, 200]) expect(last).toContain(`${server.url}/r${n}`);
    for (const { history, screen } of samples) {
      expect(history).toBe(0);
      for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    }
    // interrupted: the final report is still written, with every replica
    expect(report).toContain('interrupted by SIGINT');
    expect(report.split('\n').filter((l) => l.startsWith(server.url))).toHaveLength(200);
  });

  it('long URLs: the replica column is shortened in the middle, nothing wraps', async () => {
    const server = await startReplica((_n, req, res) => answerBuild(res, req.url?.endsWith('old') ? 208 : 209));
    cleanups.push(() => server.close());
    const long = `${server.url}/${'a-very-long-path-segment/'.repeat(4)}`;
    const urls = [`${long}new-1`, `${long}new-2`, `${long}old`];
    const { samples } = await liveRun(urls, (screen) => (screen.match(/verified/g) ?? []).length >= 2);
    const last = samples.at(-1)!.screen;
    for (const tail of ['segment/new-1', 'segment/new-2', 'segment/old']) expect(last).toMatch(new RegExp(`^…[a-z/-]*${tail}\\s+(verified|pending)`, 'm'));
    for (const { history, screen } of samples) {
      expect(history).toBe(0);
      for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    }
  });
});
