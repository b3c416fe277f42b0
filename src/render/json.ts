// Events → JSON lines for machines (`--json`). Field names here are an interface: change them only with a version bump.
import type { WhalekeeperEvent } from '../core/events.js';
import { maskDockerArgv } from '../core/mask-docker.js';
import type { Line } from './human.js';
import { renderVerifyJson } from './verify.js';

/** Renders one event as one JSON line on stderr; results (documents) are written by their commands on stdout. */
export function renderJson(event: WhalekeeperEvent): Line {
  if (event.type === 'verify-report') return renderVerifyJson(event);
  const body = event.type === 'docker-command' ? { ...event, argv: maskDockerArgv(event.argv) } : event;
  return { stream: 'err', text: JSON.stringify(body) };
}
