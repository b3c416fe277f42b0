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
  calls: { url: string; pinned: PinnedAddress | undefined; at: number }[];
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
      getDiagnostics: async (url, pinned, timeoutMs) => {
        const key = `${url}|${pinned?.address ?? ''}`;
        const n = (counts.get(key) ?? 0) + 1;
        counts.set(key, n);
        const start = h.clock.now();
        h.calls.push({ url, pinned, at: start });
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
    const { code, report, h } = await runVerify({ urls: ['http://a.test'] }, () => json(209));
    expect(code).toBe(0);
    expect(report.replicas[0]).toMatchObject({ status: 'verified', attempts: 2 });
    expect(h.calls).toHaveLength(2);
  });

  it('keeps polling every --interval until the deadline, never past it by more than a request', async () => {
    const { code, report, h } = await runVerify({ urls: ['http://a.test'] }, () => refused, { latencyMs: 300 });
    expect(code).toBe(3);
    expect(report.replicas[0]!.status).toBe('failed');
    // each round lasts one request timeout (300) then waits the interval (100): the round at 800 ends past the deadline
    expect(h.calls.map((c) => c.at)).toEqual([0, 400, 800]);
    expect(h.clock.now()).toBeLessThanOrEqual(1000 + 300);
  });

  it('with instant answers, the last round starts at the deadline', async () => {
    const { h } = await runVerify({ urls: ['http://a.test'], interval: '300ms' }, () => refused);
    expect(h.calls.map((c) => c.at)).toEqual([0, 300, 600, 900, 1000]);
    expect(h.clock.now()).toBe(1000);
  });

  it('slow DNS and slow answers together still end within one request timeout of the deadline', async () => {
    const resolve = () => [{ address: '10.0.0.1', family: 4 as const }];
    const { code, h } = await runVerify({ urls: ['http://svc.test'], allAddresses: true, timeout: '1s', interval: '500ms' }, () => refused, { latencyMs: 300, dnsMs: 250, resolve });
    expect(code).toBe(3);
    expect(h.clock.now()).toBeLessThanOrEqual(1000 + 300);
    // the request after DNS at the last round only gets what is left of the budget
    expect(Math.min(...h.timeouts)).toBeLessThan(300);
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
    expect(report.summary).toContain(`${B} (build 208)`);
  });

  it('polls replicas of a round concurrently', async () => {
    const { h } = await runVerify({ urls: ['http://a.test', 'http://b.test'], stable: 1 }, () => json(209), { latencyMs: 250 });
    expect(h.calls.map((c) => c.at)).toEqual([0, 0]);
  });

  it('on a signal, reports the state so far and exits 128+n', async () => {
    const { code, report, h } = await runVerify({ urls: ['http://a.test'], junit: 'out.xml' }, (_u, n, _p, harness) => {
      if (n === 2) harness.abort!('SIGTERM');
      return json(208);
    });
    expect(code).toBe(143);
    expect(report.interruptedBy).toBe('SIGTERM');
    expect(report.replicas[0]).toMatchObject({ status: 'pending', attempts: 1, lastBuild: '208' });
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
