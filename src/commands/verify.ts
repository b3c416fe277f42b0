// `whalekeeper verify`: polls every replica until each answers the expected build, or the deadline; reports per replica.
import { setMaxListeners } from 'node:events';
import { UsageError, WhalekeeperError } from '../core/errors.js';
import type { Output } from '../core/events.js';
import { signalExitCode } from '../core/exit-codes.js';
import { maskSecrets } from '../core/mask.js';
import { classifyAttempt, type AttemptRoute, type HttpAnswer } from '../core/verify/attempt.js';
import { renderJunit } from '../core/verify/junit.js';
import { liveLines } from '../core/verify/live.js';
import { nextHop } from '../core/verify/redirect.js';
import { buildReport, type VerifyReport } from '../core/verify/report.js';
import type { VerifySettings } from '../core/verify/settings.js';
import { decide, endReason, finalize, isSettled, newReplica, observe, withPresence, type ReplicaKind, type ReplicaState, type VerifyPolicy } from '../core/verify/state.js';
import type { Clock } from '../edge/clock.js';
import type { Http, PinnedAddress } from '../edge/http.js';
import type { Resolver } from '../edge/resolver.js';

/** What `verify` needs from the outside world, passed in by its composition root. */
export interface VerifyDeps {
  readonly settings: VerifySettings;
  readonly output: Output;
  readonly http: Http;
  readonly resolver: Resolver;
  readonly clock: Clock;
  readonly writeFile: (path: string, text: string) => Promise<void>;
  readonly onAbort: (handler: (signal: NodeJS.Signals) => void) => () => void;
  readonly signalNumber: (signal: string) => number;
  /** Draw a live table (stderr is a TTY and output is for people) instead of a line per change. */
  readonly live: boolean;
  /** The terminal's size now (the live table fits it). */
  readonly screen?: (() => { columns: number; rows: number }) | undefined;
}

/** One replica being polled: where to send the request and what is known. */
interface Replica {
  readonly url: string;
  readonly pinned: PinnedAddress | undefined;
  state: ReplicaState;
  /** A pool's outcomes printed so far (a pool's lines are not one per alternation). */
  seen?: Set<string>;
}

/** Requests sent to a pool at once in a round, each on its own connection (a pool needs many answers). */
const POOL_BURST = 10;

/** Verifies the deployment; resolves with the exit code (0, 1, 3, or 128+signal) once the reports are written. */
export async function verify(deps: VerifyDeps): Promise<number> {
  const { settings, output } = deps;
  for (const secret of settings.secrets) output.addSecret(secret);
  const policy: VerifyPolicy = {
    expect: settings.expect,
    stable: settings.stable,
    allowNewer: settings.allowNewer,
    minReplicas: settings.minReplicas,
    poolSize: settings.poolSize,
  };
  const abort = new AbortController();
  // Every request of a round listens on this one signal: hundreds of replicas are not a listener leak.
  setMaxListeners(0, abort.signal);
  let signal: NodeJS.Signals | undefined;
  const unhook = deps.onAbort((received) => {
    signal = received;
    abort.abort();
  });
  const start = deps.clock.now();
  let replicas: Map<string, Replica>;
  let timedOut: boolean;
  try {
    ({ replicas, timedOut } = await poll(deps, policy, start, abort.signal));
  } finally {
    unhook();
  }
  let states = [...replicas.values()].map((r) => r.state);
  // Only the deadline turns "still waiting" into an outcome; a newer build or a signal leaves the others as they were.
  if (timedOut && signal === undefined) {
    const before = states;
    states = states.map((s) => finalize(s));
    states.forEach((s, i) => {
      if (s.status === before[i]!.status) return;
      output.emit({ type: 'verify-end', replica: s.id, status: s.status, reason: `deadline reached; ${endReason(s)}`, attempts: s.attempts });
    });
  }
  const verdict = decide(states, policy);
  const report = buildReport({
    states,
    verdict,
    expect: settings.expect,
    field: settings.field,
    stable: settings.stable,
    durationMs: Math.round(deps.clock.now() - start),
    interruptedBy: signal,
    exitCode: signal === undefined ? undefined : signalExitCode(deps.signalNumber(signal)),
  });
  await writeReports(report, deps);
  return report.exitCode;
}

/** Emits the report and writes the JUnit file (masked: it is written here, not by the renderer). */
async function writeReports(report: VerifyReport, deps: VerifyDeps): Promise<void> {
  deps.output.emit({ type: 'verify-report', report });
  const file = deps.settings.junitFile;
  if (file !== undefined) {
    try {
      await deps.writeFile(file, maskSecrets(renderJunit(report), deps.settings.secrets));
    } catch (error) {
      // The writer's own errors already say what and why (exit 74, or 2 for a path that is not a file).
      if (error instanceof WhalekeeperError) throw error;
      throw new UsageError(`cannot write the JUnit report to \`${file}\` (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
        hint: 'give --junit a path in a folder that exists and is writable',
        cause: error,
      });
    }
  }
}

/**
 * One attempt: the GET and the redirects it follows, all within `until` (one request timeout from its start, and
 * never past the hard stop). got's own timeout restarts at each hop, so each hop gets only what is left.
 */
async function attempt(deps: VerifyDeps, replica: Replica, until: number, signal: AbortSignal): Promise<{ answer: HttpAnswer; route: AttemptRoute }> {
  const { clock, http, settings } = deps;
  let url = replica.url;
  let own = true;
  let route: AttemptRoute = {};
  for (let hop = 0; ; hop++) {
    const left = until - clock.now();
    if (left <= 0) return { answer: { kind: 'failure', code: 'ETIMEDOUT', message: `no answer within ${settings.requestTimeoutMs} ms, redirects included` }, route };
    const answer = await http.getDiagnostics(url, own ? replica.pinned : undefined, left, signal, own);
    if (answer.kind !== 'response') return { answer, route };
    const next = nextHop(replica.url, url, answer.status, answer.location, hop, settings.followCrossHost);
    if (next.kind === 'done') return { answer, route };
    if (next.kind === 'refuse') return { answer, route: { ...route, refused: next.origin } };
    if (next.kind === 'too-many') return { answer, route: { ...route, tooMany: true } };
    url = next.url;
    own = next.sameOrigin;
    route = next.sameOrigin ? { ...route, via: undefined } : { ...route, via: new URL(next.url).origin };
  }
}

/** Rounds of concurrent attempts, `interval` apart, until settled, the deadline, or an abort. */
async function poll(deps: VerifyDeps, policy: VerifyPolicy, start: number, signal: AbortSignal): Promise<{ replicas: Map<string, Replica>; timedOut: boolean }> {
  const { settings, clock, output } = deps;
  const deadline = start + settings.timeoutMs;
  // Nothing runs past this: the last round starts by the deadline and every wait in it is cut to fit.
  const hardStop = deadline + settings.requestTimeoutMs;
  const budget = (): number => Math.min(settings.requestTimeoutMs, hardStop - clock.now());
  const kind: ReplicaKind = settings.pool ? 'pool' : 'replica';
  const replicas = new Map<string, Replica>();
  if (!settings.allAddresses) for (const u of settings.urls) replicas.set(u.display, { url: u.url, pinned: undefined, state: newReplica(u.display, kind, policy) });
  let announced = false;
  let drawn = 0;
  for (;;) {
    const dnsFailures = settings.allAddresses ? await refreshAddresses(deps, replicas, announced, budget(), policy) : new Map<string, string>();
    if (!announced) {
      output.emit({ type: 'verify-start', replicas: [...replicas.keys()], expect: settings.expect, timeoutMs: settings.timeoutMs, stable: settings.stable, pool: settings.pool });
      announced = true;
    }
    const due = [...replicas.values()].filter((r) => r.state.present && r.state.status === 'pending');
    const now = clock.now();
    // No attempt starts after the deadline; each ends within one request timeout of its start, redirects included.
    if (now > deadline || budget() <= 0) return { replicas, timedOut: true };
    const until = Math.min(now + settings.requestTimeoutMs, hardStop);
    let changed = false;
    const matches = (answer: HttpAnswer): boolean => {
      const outcome = classifyAttempt(answer, settings.expect, settings.field).outcome;
      return outcome === 'match' || (outcome === 'newer' && settings.allowNewer);
    };
    const record = (replica: Replica, answer: HttpAnswer, route: AttemptRoute): void => {
      const classified = classifyAttempt(answer, settings.expect, settings.field, settings.secrets, route);
      const before = replica.state;
      replica.state = observe(before, classified, Math.round(clock.now() - start), policy);
      if (replica.state === before) return;
      // A pool alternates between builds by nature: a line when its state changes or an outcome is new to it, not
      // two lines a round for as long as it stays mixed.
      const news = replica.state.kind === 'pool' ? !(replica.seen ??= new Set()).has(classified.outcome) : classified.outcome !== before.lastOutcome;
      replica.seen?.add(classified.outcome);
      if (replica.state.status !== before.status || news) {
        changed = true;
        if (deps.live) return;
        const s = replica.state;
        output.emit({ type: 'verify-change', replica: s.id, status: s.status, outcome: classified.outcome, detail: classified.detail, streak: s.streak, stable: s.needed, attempts: s.attempts });
        if (s.status === 'wrong') output.emit({ type: 'verify-end', replica: s.id, status: s.status, reason: endReason(s), attempts: s.attempts });
      }
    };
    // Every replica of a round at once; the round lasts as long as its slowest answer (at most one request timeout).
    // A pool gets several requests at once, each on its own connection, as many as it still needs (up to POOL_BURST).
    await Promise.all(
      due.map(async (replica) => {
        const failure = dnsFailures.get(replica.state.id);
        if (failure !== undefined) return record(replica, { kind: 'failure', code: 'ENOTFOUND', message: failure }, {});
        if (replica.state.kind !== 'pool') {
          const { answer, route } = await attempt(deps, replica, until, signal);
          if (!signal.aborted) record(replica, answer, route);
          return;
        }
        const burst = Math.max(1, Math.min(POOL_BURST, replica.state.needed - replica.state.streak));
        const answers = await Promise.all(Array.from({ length: burst }, () => attempt(deps, replica, until, signal)));
        if (signal.aborted) return;
        // Answers of one burst have no order of their own (they raced): the matching ones are counted first, so that
        // any other answer in the burst ends the run. A run is never made of the lucky tail of a mixed burst.
        const classified = answers.map((a) => ({ ...a, match: matches(a.answer) }));
        for (const a of [...classified.filter((c) => c.match), ...classified.filter((c) => !c.match)]) record(replica, a.answer, a.route);
      }),
    );
    if (deps.live && changed) drawn = drawLive(deps, replicas, drawn);
    if (signal.aborted) return { replicas, timedOut: false };
    if (isSettled([...replicas.values()].map((r) => r.state), policy)) return { replicas, timedOut: false };
    const after = clock.now();
    if (after >= deadline) return { replicas, timedOut: true };
    // The last round starts at the deadline at the latest, so it ends within one request timeout of it.
    await clock.sleep(Math.min(settings.intervalMs, deadline - after), signal);
    if (signal.aborted) return { replicas, timedOut: false };
  }
}

/** Draws the live table over the previous one, laid out to fit the terminal; returns how many lines it took. */
function drawLive(deps: VerifyDeps, replicas: Map<string, Replica>, previous: number): number {
  const rows = [...replicas.values()]
    .filter((r) => r.state.present)
    .map(({ state: s }) => ({ replica: s.id, status: s.status, build: s.lastBuild, outcome: s.lastOutcome, streak: s.streak, needed: s.needed, attempts: s.attempts }));
  const screen = deps.screen?.() ?? { columns: 80, rows: 24 };
  const event = { type: 'verify-live' as const, rows, redraw: previous, columns: screen.columns, height: screen.rows };
  deps.output.emit(event);
  return liveLines(event);
}

/** --all-addresses: resolves each URL's host again; new addresses become replicas, missing ones are marked gone. */
async function refreshAddresses(deps: VerifyDeps, replicas: Map<string, Replica>, announce: boolean, timeoutMs: number, policy: VerifyPolicy): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  const seen = new Set<string>();
  const added: string[] = [];
  const resolvedUrls = new Set<string>();
  // Every name at once, each within the same budget: the round's DNS never costs more than one request timeout.
  const lookups = await Promise.allSettled(
    deps.settings.urls.map(async (u) => {
      const host = new URL(u.url).hostname;
      const addresses = await deps.resolver.resolveAll(host, timeoutMs);
      if (addresses.length === 0) throw new Error(`no address for ${host}`);
      return addresses;
    }),
  );
  for (const [index, u] of deps.settings.urls.entries()) {
    const host = new URL(u.url).hostname;
    const lookup = lookups[index]!;
    let addresses: PinnedAddress[];
    try {
      if (lookup.status === 'rejected') throw lookup.reason;
      addresses = lookup.value;
    } catch (error) {
      // The name itself stands in as a replica while it does not resolve; its address replicas keep their state.
      failures.set(u.display, `cannot resolve ${host}: ${(error as { code?: string }).code ?? (error as Error).message}`);
      if (!replicas.has(u.display)) replicas.set(u.display, { url: u.url, pinned: undefined, state: newReplica(u.display, 'replica', policy) });
      seen.add(u.display);
      for (const [id, r] of replicas) if (id.startsWith(`${u.display} (`) && r.state.present) seen.add(id);
      continue;
    }
    resolvedUrls.add(u.display);
    for (const pinned of addresses) {
      const id = `${u.display} (${pinned.address})`;
      seen.add(id);
      if (!replicas.has(id)) {
        replicas.set(id, { url: u.url, pinned, state: newReplica(id, 'replica', policy) });
        added.push(id);
      }
    }
  }
  const gone: string[] = [];
  for (const [id, replica] of replicas) {
    const present = seen.has(id);
    if (replica.state.present && !present && !resolvedUrls.has(id)) gone.push(id);
    replica.state = withPresence(replica.state, present);
  }
  if (announce && !deps.live && (added.length > 0 || gone.length > 0)) deps.output.emit({ type: 'verify-replicas', added, gone });
  return failures;
}
