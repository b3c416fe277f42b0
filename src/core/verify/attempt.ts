// One attempt's answer (or failure) → its outcome. The edge reports what happened; this decides what it means.
import { compareBuild, readBuild } from './field.js';
import { escapeControl } from '../mask.js';

/** What the HTTP edge saw for one GET: a response, or a transport failure (DNS, refused, reset, timed out). */
export type HttpAnswer =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly contentType: string | undefined;
      readonly body: string;
      /** Set when the body passed the edge's limit and was not read to its end: never a diagnostics document. */
      readonly tooLarge?: number;
    }
  | { readonly kind: 'failure'; readonly code: string; readonly message: string };

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

/** Classifies one answer against the expected build. */
export function classifyAttempt(answer: HttpAnswer, expected: string, field: readonly string[]): Attempt {
  if (answer.kind === 'failure') return { outcome: 'unreachable', build: undefined, detail: answer.message || answer.code };
  if (NOT_READY.has(answer.status)) return { outcome: 'not-ready', build: undefined, detail: `HTTP ${answer.status}` };
  if (answer.status < 200 || answer.status > 299) return { outcome: 'http-error', build: undefined, detail: `HTTP ${answer.status}` };
  if (answer.tooLarge !== undefined) {
    return { outcome: 'not-json', build: undefined, detail: `body larger than ${answer.tooLarge} bytes (not a diagnostics document)` };
  }
  const read = readBuild(answer.contentType, answer.body, field);
  if (read.kind === 'not-json') return { outcome: 'not-json', build: undefined, detail: read.reason };
  if (read.kind === 'field-missing') return { outcome: 'field-missing', build: undefined, detail: `no \`${field.join('.')}\` in the body` };
  const order = compareBuild(read.value, expected);
  // The build comes from a replica's body: escaped here, once, so no table, line or report can carry its escapes.
  const build = escapeControl(read.value).slice(0, 100);
  const detail = order === 'match' ? `build ${build}` : `build ${build}, expected ${expected}`;
  return { outcome: order, build, detail };
}
