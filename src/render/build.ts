// Renders the events of `whalekeeper build` for people.
import type { BuildEvent } from '../core/build-events.js';
import { escapeControl } from '../core/mask.js';
import type { Style } from './style.js';

const PREFIX = 'whalekeeper: ';

/** One warning, with the Dockerfile lines to add indented below it. */
export function renderBuildHuman(event: BuildEvent, style: Style): { readonly stream: 'err'; readonly text: string } {
  const file = `\`${escapeControl(event.dockerfile)}\``;
  const stage = event.target === undefined ? 'its last stage' : `stage \`${escapeControl(event.target)}\``;
  const what =
    event.declaration === 'global-only'
      ? `${file} declares \`ARG BUILD_NUMBER\` only before its first FROM, so ${stage} does not see it`
      : event.declaration === 'no-such-stage'
        ? `${file} has no stage named \`${escapeControl(event.target ?? '')}\` to check for \`ARG BUILD_NUMBER\``
        : `${file} declares no \`ARG BUILD_NUMBER\` in ${stage}`;
  const number = event.buildNumber === undefined ? 'the build number' : `the build number (${escapeControl(event.buildNumber)})`;
  const lines = [
    `${PREFIX}${style.warn('warning:')} ${what}: ${number} will not reach the application. Add after the FROM of the stage:`,
    ...event.lines.map((line) => `${PREFIX}    ${line}`),
  ];
  return { stream: 'err', text: lines.join('\n') };
}
