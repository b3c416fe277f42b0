// The poller of `verify` driven by a virtual clock and scripted replicas: no real time, no sockets.
import { describe, expect, it } from 'vitest';
import { verify, type VerifyDeps } from '../../src/commands/verify.js';
import type { Output, WhalekeeperEvent } from '../../src/core/events.js';
import type { HttpAnswer } from '../../src/core/verify/attempt.js';
import type { VerifyReport } from '../../src/core/verify/report.js';
import { parseVerifySettings, type VerifyRawOptions } from '../../src/core/verify/settings.js';
import type { Clock } from '../../src/edge/clock.js';
import type { PinnedAddress } from '../../src/edge/http.js';

const json = (build: number): HttpAnswer => ({ kind: 'response', status: 200, contentType: 'application/json', body: JSON.stringify({ buildNumber: build }) });
const refused: HttpAnswer = { kind: 'failure', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' };

/** A clock that jumps: sleeping moves time forward at once. */
function virtualClock(): Clock & { set(ms: number): void } {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => void (now += ms),
    set: (ms) => void (now = Math.max(now, ms)),
  };
}

interface Harness {
  events: WhalekeeperEvent[];
  files: Map<string, string>;
  calls: { url: string; pinned: PinnedAddress | undefined; at: number; own: boolean }[];
  clock: ReturnType<typeof virtualClock>;
  timeouts: number[];
  abort?: (signal: NodeJS.Signals) => void;
}

/** Runs verify with scripted answers: `answer(url, attempt n, pinned)`, each taking `latencyMs` of virtual time. */
async function runVerify(
  raw: Partial<VerifyRawOptions> & { urls: string[] },
  answer: (url: string, n: number, pinned: PinnedAddress | undefined, h: Harness) => HttpAnswer,
  extra: { latencyMs?: number; dnsMs?: number; live?: boolean; resolve?: (host: string, round: number) => PinnedAddress[] } = {},
): Promise<{ code: number; report: VerifyReport; h: Harness }> {
  const h: Harness = { events: [], files: new Map(), calls: [], clock: virtualClock(), timeouts: [] };
  const counts = new Map<string, number>();
  let rounds = 0;
  const output: Output = { emit: (e) => void h.events.push(e), addSecret: () => {} };
  const deps: VerifyDeps = {
    settings: parseVerifySettings({ expect: '209', interval: '100ms', timeout: '1s', requestTimeout: '300ms', ...raw }, {}),
    output,
    clock: h.clock,
    http: {
      getDiagnostics: async (url, pinned, timeoutMs, _signal, own = true) => {
        const key = `${url}|${pinned?.address ?? ''}`;
        const n = (counts.get(key) ?? 0) + 1;
        counts.set(key, n);
        const start = h.clock.now();
        h.calls.push({ url, pinned, at: start, own });
        await Promise.resolve();
        h.timeouts.push(timeoutMs);
        h.clock.set(start + Math.min(extra.latencyMs ?? 0, timeoutMs));
        return answer(url, n, pinned, h);
      },
    },
    resolver: {
      resolveAll: async (host, timeoutMs) => {
        h.clock.set(h.clock.now() + Math.min(extra.dnsMs ?? 0, timeoutMs));
        return extra.resolve!(host, rounds++);
      },
    },
    writeFile: async (path, text) => void h.files.set(path, text),
    onAbort: (handler) => {
      h.abort = handler;
      return () => {};
    },
    signalNumber: (s) => (s === 'SIGINT' ? 2 : 15),
    live: extra.live === true,
  };
  const code = await verify(deps);
  const reportEvent = h.events.find((e) => e.type === 'verify-report');
  if (reportEvent?.type !== 'verify-report') throw new Error('no report');
  return { code, report: reportEvent.report, h };
}

const A = 'http://a.test/diagnostics';
const B = 'http://b.test/diagnostics';

describe('verify poller (virtual time)', () => {
  it('verifies after --stable matches, then stops polling that replica', async () => {
    const { code, report, h } = await runVerify({ urls: ['http://a.test'], direct: true }, () => json(209));
    expect(code).toBe(0);
    expect(report.replicas[0]).toMatchObject({ status: 'verified', attempts: 2 });
    expect(h.calls).toHaveLength(2);
  });

  it('keeps polling every --interval until the deadline, never past it by more than a request', async () => {
    const { code, report, h } = await runVerify({ urls: ['http://a.test'], direct: true }, () => refused, { latencyMs: 300 });
    expect(code).toBe(3);
    expect(report.replicas[0]!.status).toBe('failed');
    // each round lasts one request timeout (300) then waits the interval (100): the round at 800 ends past the deadline
    expect(h.calls.map((c) => c.at)).toEqual([0, 400, 800]);
    expect(h.clock.now()).toBeLessThanOrEqual(1000 + 300);
  });

  it('with instant answers, the last round starts at the deadline', async () => {
    const { h } = await runVerify({ urls: ['http://a.test'], direct: true, interval: '300ms' }, () => refused);
    expect(h.calls.map((c) => c.at)).toEqual([0, 300, 600, 900, 1000]);
    expect(h.clock.now()).toBe(1000);
  });

  it('slow DNS and slow answers together still end within one request timeout of the deadline', async () => {
    const resolve = () => [{ address: '10.0.0.1', family: 4 as const }];
    const { code, h } = await runVerify({ urls: ['http://svc.test'], allAddresses: true, timeout: '1s', interval: '500ms' }, () => refused, { latencyMs: 300, dnsMs: 250, resolve });
    expect(code).toBe(3);
    expect(h.clock.now()).toBeLessThanOrEqual(1000 + 300);
    // DNS of the round at the deadline took 250 ms: no request starts after the deadline
    expect(h.calls.every((c) => c.at <= 1000)).toBe(true);
  });

  it('a newer build ends the verification at once, the others left as they were', async () => {
    const { code, report, h } = await runVerify({ urls: ['http://a.test', 'http://b.test'] }, (url) => (url === A ? json(210) : refused));
    expect(code).toBe(1);
    expect(report.replicas.map((r) => r.status)).toEqual(['wrong', 'pending']);
    expect(h.calls).toHaveLength(2);
  });

  it('a stale replica at the deadline is wrong and named', async () => {
    const { code, report } = await runVerify({ urls: ['http://a.test', 'http://b.test'] }, (url) => (url === A ? json(209) : json(208)));
    expect(code).toBe(1);
    expect(report.summary).toContain(`${B} (build 208 ×11)`);
  });

  it('polls replicas of a round concurrently', async () => {
    const { h } = await runVerify({ urls: ['http://a.test', 'http://b.test'], stable: 1 }, () => json(209), { latencyMs: 250 });
    expect(h.calls.map((c) => c.at)).toEqual([0, 0]);
  });

  it('on a signal, reports the state so far and exits 128+n', async () => {
    const { code, report, h } = await runVerify({ urls: ['http://a.test'], direct: true, junit: 'out.xml' }, (_u, n, _p, harness) => {
      if (n === 2) harness.abort!('SIGTERM');
      return json(208);
    });
    expect(code).toBe(143);
    expect(report.interruptedBy).toBe('SIGTERM');
    expect(report.replicas[0]).toMatchObject({ status: 'pending', attempts: 1, lastBuild: '208' });
    // interrupted: nothing is decided from what was not read to the end
    expect(h.events.some((e) => e.type === 'verify-end')).toBe(false);
    expect(h.files.get('out.xml')).toContain('expected 209, last saw 208 (not verified when stopped)');
  });

  it('--all-addresses: each address is a replica, re-resolved each round; gone ones stop counting', async () => {
    const addr = (a: string): PinnedAddress => ({ address: a, family: 4 });
    const resolve = (_host: string, round: number) => (round === 0 ? [addr('10.0.0.1'), addr('10.0.0.2')] : [addr('10.0.0.1'), addr('10.0.0.3')]);
    const { code, report, h } = await runVerify(
      { urls: ['http://svc.test'], allAddresses: true, replicas: 2 },
      (_u, _n, pinned) => (pinned!.address === '10.0.0.2' ? json(208) : json(209)),
      { resolve },
    );
    expect(code).toBe(0);
    expect(report.replicas.map((r) => [r.replica, r.status, r.present])).toEqual([
      ['http://svc.test/diagnostics (10.0.0.1)', 'verified', true],
      ['http://svc.test/diagnostics (10.0.0.2)', 'pending', false],
      ['http://svc.test/diagnostics (10.0.0.3)', 'verified', true],
    ]);
    expect(h.events.some((e) => e.type === 'verify-replicas' && e.added.length === 1 && e.gone.length === 1)).toBe(true);
  });

  it('--all-addresses: too few addresses until the deadline is exit 3', async () => {
    const { code, report } = await runVerify({ urls: ['http://svc.test'], allAddresses: true, replicas: 3 }, () => json(209), {
      resolve: () => [{ address: '10.0.0.1', family: 4 }],
    });
    expect(code).toBe(3);
    expect(report.summary).toContain('only 1 replica(s) found, --replicas asks for 3');
  });

  it('--all-addresses: a name that does not resolve is an unreachable replica', async () => {
    const { code, report } = await runVerify({ urls: ['http://svc.test'], allAddresses: true }, () => json(209), {
      resolve: () => {
        throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
      },
    });
    expect(code).toBe(3);
    expect(report.replicas[0]).toMatchObject({ replica: 'http://svc.test/diagnostics', lastOutcome: 'unreachable', lastError: 'cannot resolve svc.test: ENOTFOUND' });
  });
});

describe('verify poller: end states are a function of what was read', () => {
  it('a replica that answered the old build, then only errors, ends wrong (exit 1), never "failed: match"', async () => {
    const { code, report, h } = await runVerify({ urls: ['http://a.test'], direct: true }, (_u, n) => (n === 1 ? json(208) : n === 2 ? json(209) : refused));
    expect(code).toBe(1);
    expect(report.replicas[0]).toMatchObject({ status: 'wrong', answers: [{ build: '208', count: 1 }, { build: '209', count: 1 }] });
    const end = h.events.find((e) => e.type === 'verify-end');
    expect(end).toMatchObject({ type: 'verify-end', status: 'wrong', reason: 'deadline reached; answered build 208 ×1, 209 ×1' });
  });

  it('one match and then flapping: not verified (exit 3), with how many in a row were needed', async () => {
    const { code, h } = await runVerify({ urls: ['http://a.test'], direct: true }, (_u, n) => (n % 2 === 1 ? json(209) : refused));
    expect(code).toBe(3);
    const end = h.events.find((e) => e.type === 'verify-end');
    expect(end).toMatchObject({ status: 'failed' });
    expect(end?.type === 'verify-end' && end.reason).toMatch(/^deadline reached; [01] of 2 matching answers in a row \(build 209 ×\d+\)/);
  });
});

describe('verify poller: a pool', () => {
  it('one URL is a pool: several requests at once per round, verified after the pool rule\'s run (13 for 3 replicas)', async () => {
    const { code, report, h } = await runVerify({ urls: ['http://lb.test'] }, () => json(209));
    expect(code).toBe(0);
    expect(report.replicas[0]).toMatchObject({ kind: 'pool', status: 'verified', streak: 13, needed: 13, answers: [{ build: '209', count: 13 }] });
    // a burst of 10, then the 3 still needed
    expect(h.calls.map((c) => c.at)).toEqual([...Array<number>(10).fill(0), 100, 100, 100]);
  });

  it('round-robin over 209, 209, 208 is never verified, and is a wrong build at the deadline', async () => {
    let i = 0;
    const { code, report } = await runVerify({ urls: ['http://lb.test'], timeout: '3s' }, () => json([209, 209, 208][i++ % 3]!));
    expect(code).toBe(1);
    expect(report.replicas[0]!.status).toBe('wrong');
    expect(report.summary).toMatch(/^1 replica\(s\) answered another build than 209: http:\/\/lb.test\/diagnostics \(build 209 ×\d+, 208 ×\d+, a pool\)$/);
  });
});

describe('verify poller: redirects and the deadline', () => {
  const redirect = (location: string): HttpAnswer => ({ kind: 'response', status: 302, contentType: 'text/html', body: '', location });

  it('a chain of slow redirects: the whole attempt stays within one request timeout, and nothing runs past the hard stop', async () => {
    // every hop takes 200 ms of a 300 ms request timeout: the second hop gets only what is left (100 ms)
    const { code, h } = await runVerify({ urls: ['http://a.test'], direct: true, timeout: '1s', requestTimeout: '300ms' }, (url) => {
      const hop = Number(/\/r(\d)$/.exec(url)?.[1] ?? '0');
      return hop < 5 ? redirect(`/r${hop + 1}`) : json(209);
    }, { latencyMs: 200 });
    expect(code).toBe(3);
    expect(h.timeouts.filter((_t, i) => h.calls[i]!.url.endsWith('/diagnostics'))).toEqual(Array<number>(h.timeouts.filter((_t, i) => h.calls[i]!.url.endsWith('/diagnostics')).length).fill(300));
    expect(h.timeouts.filter((_t, i) => h.calls[i]!.url.endsWith('/r1')).every((t) => t === 100)).toBe(true);
    // no hop beyond the first redirect: the budget was spent
    expect(h.calls.some((c) => c.url.endsWith('/r2'))).toBe(false);
    expect(h.clock.now()).toBeLessThanOrEqual(1000 + 300);
    expect(h.calls.every((c) => c.at <= 1000 + 300)).toBe(true);
  });

  it('a redirect to another origin is not credited to the replica', async () => {
    const { code, report } = await runVerify({ urls: ['http://a.test'], direct: true }, (url) => (url.startsWith('http://a.test') ? redirect('http://other.test/diagnostics') : json(209)));
    expect(code).toBe(3);
    expect(report.replicas[0]).toMatchObject({ lastOutcome: 'http-error', answers: [] });
    expect(report.replicas[0]!.lastError).toContain('redirect to another origin, http://other.test: not followed');
  });

  it('--follow-redirects-cross-host follows it, and says so in each attempt', async () => {
    const { code, report, h } = await runVerify(
      { urls: ['http://a.test'], direct: true, followRedirectsCrossHost: true },
      (url) => (url.startsWith('http://a.test') ? redirect('http://other.test/diagnostics') : json(209)),
    );
    expect(code).toBe(0);
    expect(report.replicas[0]!.timeline.map((e) => e.detail)).toEqual(Array<string>(2).fill('build 209 (answered by http://other.test, redirected to)'));
    expect(h.calls.filter((c) => c.url.startsWith('http://other.test')).every((c) => c.own === false)).toBe(true);
  });

  it('a same-origin redirect is followed and keeps the user\'s headers', async () => {
    const { code, h } = await runVerify({ urls: ['http://a.test'], direct: true }, (url) => (url.includes('/v2/') ? json(209) : redirect('/v2/diagnostics')));
    expect(code).toBe(0);
    expect(h.calls.every((c) => c.own)).toBe(true);
  });

  it('more than 5 redirects is an HTTP error', async () => {
    const { report } = await runVerify({ urls: ['http://a.test'], direct: true, timeout: '100ms' }, (url) => redirect(`${url}x`));
    expect(report.replicas[0]!.lastError).toBe('HTTP 302: more than 5 redirects');
  });
});

describe('verify poller on a TTY', () => {
  it('draws the live table after each round that changed something, instead of change lines', async () => {
    const { h } = await runVerify({ urls: ['http://a.test', 'http://b.test'] }, (url, n) => (url === A || n > 1 ? json(209) : refused), { live: true });
    const live = h.events.filter((e) => e.type === 'verify-live');
    expect(h.events.some((e) => e.type === 'verify-change')).toBe(false);
    expect(live.map((e) => e.type === 'verify-live' && e.redraw)).toEqual([0, 3, 3]);
    const last = live.at(-1);
    expect(last?.type === 'verify-live' && last.rows.map((r) => r.status)).toEqual(['verified', 'verified']);
  });
});
