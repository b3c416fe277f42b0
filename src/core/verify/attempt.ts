// One attempt's answer (or failure) → its outcome. The edge reports what happened; this decides what it means.
import { compareBuild, readBuild } from './field.js';
import { escapeControl, maskSecrets } from '../mask.js';

/** What the HTTP edge saw for one GET: a response, or a transport failure (DNS, refused, reset, timed out). */
export type HttpAnswer =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly contentType: string | undefined;
      readonly body: string;
      /** Set when the body passed the edge's limit and was not read to its end: never a diagnostics document. */
      readonly tooLarge?: number;
      /** A redirect's Location header (3xx only), for the caller to follow or not. */
      readonly location?: string | undefined;
    }
  | { readonly kind: 'failure'; readonly code: string; readonly message: string };

/** How an attempt's redirects went: the origins it was sent to that are not the replica's own. */
export interface AttemptRoute {
  /** The other origin the answer came from (followed with --follow-redirects-cross-host), if any. */
  readonly via?: string | undefined;
  /** A redirect to another origin that was not followed. */
  readonly refused?: string | undefined;
  /** Redirects beyond the limit. */
  readonly tooMany?: boolean | undefined;
}

/** The outcomes an attempt can have. The names are an interface (JSON report, JUnit, docs). */
export type AttemptOutcome =
  | 'unreachable'
  | 'not-ready'
  | 'http-error'
  | 'not-json'
  | 'field-missing'
  | 'older'
  | 'newer'
  | 'match';

/** One classified attempt: its outcome, the build read (if any) and a short, printable detail. */
export interface Attempt {
  readonly outcome: AttemptOutcome;
  readonly build: string | undefined;
  readonly detail: string;
}

/** Statuses that mean "not serving yet" during a rollout: the proxy has no backend, or the service says Unhealthy. */
const NOT_READY = new Set([502, 503, 504]);

/** How long a build or a key may be on screen. */
const MAX_SHOWN = 100;

/**
 * Classifies one answer against the expected build. `secrets` are masked in what the replica sent back (its build,
 * the keys of its body) BEFORE anything is cut short, so that no cut can leave a partial secret that masking misses.
 */
export function classifyAttempt(answer: HttpAnswer, expected: string, field: readonly string[], secrets: readonly string[] = [], route: AttemptRoute = {}): Attempt {
  const attempt = classify(answer, expected, field, secrets, route);
  return route.via === undefined ? attempt : { ...attempt, detail: `${attempt.detail} (answered by ${route.via}, redirected to)` };
}

function classify(answer: HttpAnswer, expected: string, field: readonly string[], secrets: readonly string[], route: AttemptRoute): Attempt {
  if (answer.kind === 'failure') return { outcome: 'unreachable', build: undefined, detail: answer.message || answer.code };
  if (route.refused !== undefined) {
    return {
      outcome: 'http-error',
      build: undefined,
      detail: `HTTP ${answer.status} redirect to another origin, ${route.refused}: not followed, a replica is verified by its own answer (--follow-redirects-cross-host)`,
    };
  }
  if (route.tooMany === true) return { outcome: 'http-error', build: undefined, detail: `HTTP ${answer.status}: more than 5 redirects` };
  if (NOT_READY.has(answer.status)) return { outcome: 'not-ready', build: undefined, detail: `HTTP ${answer.status}` };
  if (answer.status < 200 || answer.status > 299) return { outcome: 'http-error', build: undefined, detail: `HTTP ${answer.status}` };
  if (answer.tooLarge !== undefined) {
    return { outcome: 'not-json', build: undefined, detail: `body larger than ${answer.tooLarge} bytes (not a diagnostics document)` };
  }
  const read = readBuild(answer.contentType, answer.body, field);
  if (read.kind === 'not-json') return { outcome: 'not-json', build: undefined, detail: read.reason };
  if (read.kind === 'field-missing') {
    const keys = read.keys.slice(0, 20).map((k) => `\`${shown(k, secrets, 40)}\``);
    const more = read.keys.length > 20 ? `, … (${read.keys.length} in all)` : '';
    const where = read.at === '' ? 'the body has' : `\`${shown(read.at, secrets, 80)}\` has`;
    const has = read.keys.length === 0 ? `${where} no keys` : `${where} ${keys.join(', ')}${more}`;
    return { outcome: 'field-missing', build: undefined, detail: `no \`${field.join('.')}\` in the body; ${has}` };
  }
  const order = compareBuild(read.value, expected);
  // The build comes from a replica's body: masked and escaped here, once, so no table, line or report can carry it raw.
  const build = shown(read.value, secrets, MAX_SHOWN);
  const detail = order === 'match' ? `build ${build}` : `build ${build}, expected ${expected}`;
  return { outcome: order, build, detail };
}

/** A value from a replica as it may be shown: secrets masked first, then control characters escaped, then cut. */
function shown(text: string, secrets: readonly string[], max: number): string {
  const safe = escapeControl(maskSecrets(text, secrets));
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}
