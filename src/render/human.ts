// Events → lines for people. Progress goes to stderr (stdout belongs to the container for `run`).
import type { WhalekeeperEvent } from '../core/events.js';
import { displayArgv } from '../core/mask.js';
import { maskDockerArgv } from '../core/mask-docker.js';
import { renderAuditHuman } from './audit.js';
import { renderBuildHuman } from './build.js';
import { renderShimHuman } from './shim.js';
import type { Style } from './style.js';
import { renderVerifyHuman } from './verify.js';
import { renderCleanHuman } from './clean.js';

/** A rendered line and the stream it belongs on. */
export interface Line {
  readonly stream: 'out' | 'err';
  readonly text: string;
}

const PREFIX = 'whalekeeper: ';

/** Renders one event for a person (a report may take several lines), or nothing when the event has no human form. */
export function renderHuman(event: WhalekeeperEvent, style: Style): Line | readonly Line[] | undefined {
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
    case 'audit-report':
      return renderAuditHuman(event.report, style);
    case 'shim-installed':
    case 'shim-uninstalled':
    case 'shim-function':
      return renderShimHuman(event);
    case 'build-number-undeclared':
      return renderBuildHuman(event, style);
    case 'verify-start':
    case 'verify-change':
    case 'verify-live':
    case 'verify-replicas':
    case 'verify-report':
      return renderVerifyHuman(event, style);
    case 'clean-plan':
    case 'clean-report':
    case 'clean-measure':
    case 'clean-failed':
    case 'clean-round':
    case 'ls-result':
    case 'disk-result':
      return renderCleanHuman(event, style);
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
