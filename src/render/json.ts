// Events → JSON lines for machines (`--json`). Field names here are an interface: change them only with a version bump.
import type { WhalekeeperEvent } from '../core/events.js';
import { renderAuditJson } from './audit.js';
import { renderBaseJson, type Line } from './base.js';
import { renderShimJson } from './shim.js';
import { renderVerifyJson } from './verify.js';

/** Renders one event as one JSON line on stderr; results (documents) are written by their commands on stdout. */
export function renderJson(event: WhalekeeperEvent): Line {
  // A command's result is its one document on stdout.
  if (event.type === 'audit-report') return renderAuditJson(event.report);
  if (event.type === 'shim-installed' || event.type === 'shim-uninstalled' || event.type === 'shim-function') return renderShimJson(event);
  if (event.type === 'verify-report') return renderVerifyJson(event);
  // Results are the one document on stdout; their shapes are versioned.
  if (event.type === 'clean-plan') return { stream: 'out', text: JSON.stringify({ version: 1, dryRun: true, plan: event.plan }) };
  if (event.type === 'clean-report') return { stream: 'out', text: JSON.stringify({ version: 1, dryRun: false, report: event.report, plan: event.plan }) };
  if (event.type === 'ls-result') return { stream: 'out', text: JSON.stringify(event.result) };
  if (event.type === 'disk-result') return { stream: 'out', text: JSON.stringify(event.report) };
  return renderBaseJson(event);
}
