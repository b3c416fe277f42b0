// `whalekeeper verify`: polls every replica until each answers the expected build, or the deadline; reports per replica.
import { UsageError } from '../core/errors.js';
import type { Output } from '../core/events.js';
import { signalExitCode } from '../core/exit-codes.js';
import { maskSecrets } from '../core/mask.js';
import { classifyAttempt } from '../core/verify/attempt.js';
import { renderJunit } from '../core/verify/junit.js';
import { buildReport, type VerifyReport } from '../core/verify/report.js';
import type { VerifySettings } from '../core/verify/settings.js';
import { decide, finalize, isSettled, newReplica, observe, withPresence, type ReplicaState, type VerifyPolicy } from '../core/verify/state.js';
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
}

/** One replica being polled: where to send the request and what is known. */
interface Replica {
  readonly url: string;
  readonly pinned: PinnedAddress | undefined;
  state: ReplicaState;
}

/** Verifies the deployment; resolves with the exit code (0, 1, 3, or 128+signal) once the reports are written. */
export async function verify(deps: VerifyDeps): Promise<number> {
  const { settings, output } = deps;
  for (const secret of settings.secrets) output.addSecret(secret);
  const policy: VerifyPolicy = { expect: settings.expect, stable: settings.stable, allowNewer: settings.allowNewer, minReplicas: settings.minReplicas };
  const abort = new AbortController();
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
    states = states.map((s) => finalize(s, policy));
    states.forEach((s, i) => {
      if (s.status === before[i]!.status) return;
      const detail = `deadline reached${s.lastError === undefined ? '' : `; last: ${s.lastError}`}`;
      output.emit({ type: 'verify-change', replica: s.id, status: s.status, outcome: s.lastOutcome ?? 'unreachable', detail, streak: s.streak, stable: settings.stable, attempts: s.attempts });
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
      throw new UsageError(`cannot write the JUnit report to \`${file}\` (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
        hint: 'give --junit a path in a folder that exists and is writable',
        cause: error,
      });
    }
  }
}

/** Rounds of concurrent attempts, `interval` apart, until settled, the deadline, or an abort. */
async function poll(deps: VerifyDeps, policy: VerifyPolicy, start: number, signal: AbortSignal): Promise<{ replicas: Map<string, Replica>; timedOut: boolean }> {
  const { settings, clock, output } = deps;
  const deadline = start + settings.timeoutMs;
  // Nothing runs past this: the last round starts by the deadline and every wait in it is cut to fit.
  const hardStop = deadline + settings.requestTimeoutMs;
  const budget = (): number => Math.min(settings.requestTimeoutMs, hardStop - clock.now());
  const replicas = new Map<string, Replica>();
  if (!settings.allAddresses) for (const u of settings.urls) replicas.set(u.display, { url: u.url, pinned: undefined, state: newReplica(u.display) });
  let announced = false;
  let drawn = 0;
  for (;;) {
    const dnsFailures = settings.allAddresses ? await refreshAddresses(deps, replicas, announced, budget()) : new Map<string, string>();
    if (!announced) {
      output.emit({ type: 'verify-start', replicas: [...replicas.keys()], expect: settings.expect, timeoutMs: settings.timeoutMs, stable: settings.stable });
      announced = true;
    }
    const due = [...replicas.values()].filter((r) => r.state.present && r.state.status === 'pending');
    const timeoutMs = budget();
    let changed = false;
    if (timeoutMs <= 0) return { replicas, timedOut: true };
    // Every replica of a round at once; the round lasts as long as its slowest answer (at most one request timeout).
    await Promise.all(
      due.map(async (replica) => {
        const failure = dnsFailures.get(replica.state.id);
        const answer = failure !== undefined
          ? { kind: 'failure' as const, code: 'ENOTFOUND', message: failure }
          : await deps.http.getDiagnostics(replica.url, replica.pinned, timeoutMs, signal);
        if (signal.aborted) return;
        const attempt = classifyAttempt(answer, settings.expect, settings.field);
        const before = replica.state;
        replica.state = observe(before, attempt, Math.round(clock.now() - start), policy);
        if (replica.state.status !== before.status || attempt.outcome !== before.lastOutcome) {
          changed = true;
          if (deps.live) return;
          output.emit({
            type: 'verify-change',
            replica: replica.state.id,
            status: replica.state.status,
            outcome: attempt.outcome,
            detail: attempt.detail,
            streak: replica.state.streak,
            stable: settings.stable,
            attempts: replica.state.attempts,
          });
        }
      }),
    );
    if (deps.live && changed) drawn = drawLive(output, replicas, drawn);
    if (signal.aborted) return { replicas, timedOut: false };
    if (isSettled([...replicas.values()].map((r) => r.state), policy)) return { replicas, timedOut: false };
    const now = clock.now();
    if (now >= deadline) return { replicas, timedOut: true };
    // The last round starts at the deadline at the latest, so it ends within one request timeout of it.
    await clock.sleep(Math.min(settings.intervalMs, deadline - now), signal);
    if (signal.aborted) return { replicas, timedOut: false };
  }
}

/** Draws the live table over the previous one; returns how many lines it took. */
function drawLive(output: Output, replicas: Map<string, Replica>, previous: number): number {
  const rows = [...replicas.values()]
    .filter((r) => r.state.present)
    .map(({ state: s }) => ({ replica: s.id, status: s.status, build: s.lastBuild, outcome: s.lastOutcome, streak: s.streak, attempts: s.attempts }));
  output.emit({ type: 'verify-live', rows, redraw: previous });
  return rows.length + 1;
}

/** --all-addresses: resolves each URL's host again; new addresses become replicas, missing ones are marked gone. */
async function refreshAddresses(deps: VerifyDeps, replicas: Map<string, Replica>, announce: boolean, timeoutMs: number): Promise<Map<string, string>> {
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
      if (!replicas.has(u.display)) replicas.set(u.display, { url: u.url, pinned: undefined, state: newReplica(u.display) });
      seen.add(u.display);
      for (const [id, r] of replicas) if (id.startsWith(`${u.display} (`) && r.state.present) seen.add(id);
      continue;
    }
    resolvedUrls.add(u.display);
    for (const pinned of addresses) {
      const id = `${u.display} (${pinned.address})`;
      seen.add(id);
      if (!replicas.has(id)) {
        replicas.set(id, { url: u.url, pinned, state: newReplica(id) });
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
