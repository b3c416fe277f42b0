// Events → lines for people. Progress goes to stderr (stdout belongs to the container for `run`).
import type { WhalekeeperEvent } from '../core/events.js';
import { isBaseEvent, renderBaseHuman, type Rendered } from './base.js';
import { renderAuditHuman } from './audit.js';
import { renderBuildHuman } from './build.js';
import { renderShimHuman } from './shim.js';
import type { Style } from './style.js';
import { renderVerifyHuman } from './verify.js';
import { renderCleanHuman } from './clean.js';

export type { Line } from './base.js';

/** Renders one event for a person (a report may take several lines), or nothing when the event has no human form. */
export function renderHuman(event: WhalekeeperEvent, style: Style): Rendered {
  if (isBaseEvent(event)) return renderBaseHuman(event, style);
  switch (event.type) {
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
    case 'verify-end':
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
  }
}
