// The renderers `run` needs: its own events and the common ones. Kept apart from the other commands' renderers so
// that the hot path of `whalekeeper run` loads none of them.
import type { CommonEvent, RunEvent, WhalekeeperEvent } from '../core/events.js';
import { displayArgv } from '../core/mask.js';
import { maskDockerArgv } from '../core/mask-docker.js';
import type { Style } from './style.js';

/** A rendered line and the stream it belongs on. */
export interface Line {
  readonly stream: 'out' | 'err';
  readonly text: string;
}

/** What a human renderer returns: a line, several (a report), or nothing when the event has no human form. */
export type Rendered = Line | readonly Line[] | undefined;

/** The prefix of every progress line on stderr. */
export const PREFIX = 'whalekeeper: ';

/** The events every command may emit, and those of `run`. */
export type BaseEvent = RunEvent | CommonEvent;

/** True for an event the base renderers know. */
export function isBaseEvent(event: { readonly type: string }): event is BaseEvent {
  return ['docker-command', 'abort', 'abort-done', 'info', 'warning', 'error'].includes(event.type);
}

/** Renders a run or common event for a person. */
export function renderBaseHuman(event: BaseEvent, style: Style): Rendered {
  switch (event.type) {
    case 'docker-command':
      return { stream: 'err', text: `${PREFIX}${style.dim(`$ docker ${displayArgv(maskDockerArgv(event.argv))}`)}` };
    case 'abort':
      return {
        stream: 'err',
        text: `${PREFIX}${event.signal} received: stopping ${event.containers} container(s) (${event.graceSeconds}s to exit, then killed) and removing them`,
      };
    case 'abort-done':
      return { stream: 'err', text: `${PREFIX}${event.signal}: removed ${event.removed} container(s); exiting` };
    case 'info':
      return { stream: 'err', text: `${PREFIX}${event.message}` };
    case 'warning':
      return { stream: 'err', text: `${PREFIX}${style.warn('warning:')} ${event.message}` };
    case 'error': {
      const lines = [`${PREFIX}${style.error('error:')} ${event.message}`];
      if (event.hint) lines.push(`${PREFIX}${style.dim(`hint: ${event.hint}`)}`);
      if (event.detail) lines.push(event.detail);
      return { stream: 'err', text: lines.join('\n') };
    }
  }
}

/** Renders a progress event as one JSON line on stderr (a docker argv masked). */
export function renderBaseJson(event: WhalekeeperEvent): Line {
  const body = event.type === 'docker-command' ? { ...event, argv: maskDockerArgv(event.argv) } : event;
  return { stream: 'err', text: JSON.stringify(body) };
}

/** The renderers of one kind of output, handed to createOutput. */
export interface Renderers {
  human(event: WhalekeeperEvent, style: Style): Rendered;
  json(event: WhalekeeperEvent): Line;
}

/**
 * Renderers for `run` and error reports: they know only run's events and the common ones. Another command's event
 * never reaches them; should one, it is shown as JSON rather than lost.
 */
export const BASE_RENDERERS: Renderers = {
  human: (event, style) => (isBaseEvent(event) ? renderBaseHuman(event, style) : renderBaseJson(event)),
  json: renderBaseJson,
};
