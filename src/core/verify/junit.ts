// The report as JUnit XML: one testsuite, one testcase per replica, the attempt timeline in system-out.
import type { ReplicaReport, VerifyReport } from './report.js';
import { answersText } from './state.js';

/** Escapes text for XML content and attributes; drops characters XML 1.0 cannot carry. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/**
 * The failure message of a replica that is not verified: `expected 209, last saw 208`, or, when it answered several
 * builds, each with its count (`expected 209, saw 208 ×3, 209 ×2`): a wrong build is wrong for all it answered.
 */
export function failureMessage(replica: ReplicaReport, expect: string): string {
  const seen =
    replica.answers.length > 1
      ? `saw ${answersText(replica.answers).replace(/^build /, '')}`
      : replica.lastBuild === null
        ? 'never saw a build'
        : `last saw ${replica.lastBuild}`;
  const why =
    replica.status === 'pending'
      ? ' (not verified when stopped)'
      : replica.status === 'failed' && replica.lastBuild !== null
        ? ` (${replica.streak} of ${replica.needed} matching answers in a row)`
        : replica.lastError && replica.lastBuild === null
          ? ` (${replica.lastError})`
          : '';
  return `expected ${expect}, ${seen}${why}`;
}

function timelineText(replica: ReplicaReport): string {
  return replica.timeline
    .map((e) => `+${(e.atMs / 1000).toFixed(3)}s ${e.outcome}${e.build === undefined ? '' : ` ${e.build}`}: ${e.detail}`)
    .join('\n');
}

/** Renders the report as a JUnit document (the dialect Jenkins' `junit` step reads). */
export function renderJunit(report: VerifyReport): string {
  const cases = report.replicas.filter((r) => r.present || r.status === 'wrong');
  const failures = cases.filter((r) => r.status === 'wrong').length;
  const errors = cases.filter((r) => r.status !== 'verified' && r.status !== 'wrong').length;
  const seconds = (report.durationMs / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="whalekeeper verify" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds}">`,
  ];
  for (const replica of cases) {
    // A testcase's time runs from the start to its last attempt (when it was verified, or gave up).
    const last = replica.timeline.at(-1)?.atMs ?? 0;
    lines.push(`  <testcase classname="whalekeeper.verify" name="${xmlEscape(replica.replica)}" time="${(last / 1000).toFixed(3)}">`);
    const message = xmlEscape(failureMessage(replica, report.expect));
    if (replica.status === 'wrong') lines.push(`    <failure message="${message}" type="wrong-build">${message}</failure>`);
    else if (replica.status !== 'verified') lines.push(`    <error message="${message}" type="${replica.lastOutcome ?? 'no-answer'}">${message}</error>`);
    lines.push(`    <system-out>${xmlEscape(timelineText(replica))}</system-out>`);
    lines.push('  </testcase>');
  }
  lines.push('</testsuite>', '');
  return lines.join('\n');
}
