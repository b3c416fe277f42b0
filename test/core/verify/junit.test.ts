import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { failureMessage, renderJunit, xmlEscape } from '../../../src/core/verify/junit.js';
import type { ReplicaReport, VerifyReport } from '../../../src/core/verify/report.js';

const replica = (over: Partial<ReplicaReport>): ReplicaReport => ({
  replica: 'r',
  kind: 'replica',
  status: 'verified',
  present: true,
  lastBuild: '209',
  lastOutcome: 'match',
  attempts: 2,
  answers: [{ build: '209', count: 2 }],
  streak: 2,
  needed: 2,
  lastError: null,
  timeline: [],
  ...over,
});

describe('JUnit', () => {
  it.each([
    ['a<b>&"\'', 'a&lt;b&gt;&amp;&quot;&apos;'],
    ['bell\u0007', 'bell'],
    ['line\nbreak', 'line\nbreak'],
  ])('escapes %j', (text, escaped) => expect(xmlEscape(text)).toBe(escaped));

  it.each<[Partial<ReplicaReport>, string]>([
    [{ status: 'wrong', lastBuild: '208' }, 'expected 209, last saw 208'],
    [{ status: 'failed', lastBuild: null, lastError: 'connect ECONNREFUSED' }, 'expected 209, never saw a build (connect ECONNREFUSED)'],
    [{ status: 'pending', lastBuild: '209' }, 'expected 209, last saw 209 (not verified when stopped)'],
    [{ status: 'wrong', lastBuild: '209', answers: [{ build: '209', count: 2 }, { build: '208', count: 3 }] }, 'expected 209, saw 208 ×3, 209 ×2'],
    [{ status: 'failed', lastBuild: '209', streak: 1, needed: 13, answers: [{ build: '209', count: 5 }] }, 'expected 209, last saw 209 (1 of 13 matching answers in a row)'],
  ])('failure message of %j', (over, message) => expect(failureMessage(replica(over), '209')).toBe(message));

  it('renders a suite that parses back, a testcase per replica', () => {
    const report: VerifyReport = {
      version: 1,
      expect: '209',
      field: 'buildNumber',
      stable: 2,
      exitCode: 1,
      summary: 's',
      interruptedBy: null,
      durationMs: 1500,
      replicas: [
        replica({ replica: 'http://a/<x>', timeline: [{ atMs: 5, outcome: 'match', build: '209', detail: 'build 209 & <ok>' }] }),
        replica({ replica: 'http://b/', status: 'wrong', lastBuild: '208', lastOutcome: 'older' }),
        replica({ replica: 'http://c/', status: 'failed', lastBuild: null, lastOutcome: 'unreachable', lastError: 'refused' }),
      ],
    };
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(renderJunit(report));
    const suite = parsed.testsuite;
    expect(suite).toMatchObject({ tests: '3', failures: '1', errors: '1' });
    expect(suite.testcase[0].name).toBe('http://a/<x>');
    expect(suite.testcase[0].time).toBe('0.005');
    expect(suite.time).toBe('1.500');
    expect(suite.testcase[0]['system-out']).toBe('+0.005s match 209: build 209 & <ok>');
    expect(suite.testcase[1].failure.message).toBe('expected 209, last saw 208');
    expect(suite.testcase[2].error.type).toBe('unreachable');
  });
});
