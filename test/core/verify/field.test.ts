import { describe, expect, it } from 'vitest';
import { classifyAttempt, type HttpAnswer } from '../../../src/core/verify/attempt.js';
import { compareBuild, isJsonContentType, readBuild } from '../../../src/core/verify/field.js';

const JSON_TYPE = 'application/json; charset=utf-8';

describe('isJsonContentType', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    ['application/vnd.spring-boot.actuator.v3+json', true],
    ['application/problem+json', true],
    ['text/html', false],
    ['text/plain', false],
    ['application/jsonp', false],
    ['application/xml', false],
    [undefined, false],
  ])('%s → %s', (type, json) => expect(isJsonContentType(type)).toBe(json));
});

describe('readBuild', () => {
  it.each([
    ['{"buildNumber": 209}', 'buildNumber', '209'],
    ['{"buildNumber": "209"}', 'buildNumber', '209'],
    ['{"BuildNumber": 209}', 'buildNumber', '209'],
    ['{"buildnumber": 209}', 'BuildNumber', '209'],
    ['{"meta": {"BuildNumber": 7}}', 'meta.buildNumber', '7'],
    ['{"Meta": {"build": {"number": "abc1"}}}', 'meta.build.number', 'abc1'],
    ['{"buildNumber": 1, "BUILDNUMBER": 2}', 'BUILDNUMBER', '2'],
  ])('%s at %s reads %s', (body, field, value) => {
    expect(readBuild(JSON_TYPE, body, field.split('.'))).toEqual({ kind: 'value', value });
  });

  it.each([
    ['{"version": 1}', 'buildNumber'],
    ['{"buildNumber": null}', 'buildNumber'],
    ['{"buildNumber": {"n": 1}}', 'buildNumber'],
    ['{"buildNumber": ""}', 'buildNumber'],
    ['[209]', 'buildNumber'],
    ['{"meta": 5}', 'meta.buildNumber'],
  ])('%s at %s is field-missing', (body, field) => {
    expect(readBuild(JSON_TYPE, body, field.split('.')).kind).toBe('field-missing');
  });

  it('an HTML page is never read, even one that contains the field', () => {
    expect(readBuild('text/html', '<html>{"buildNumber": 209}</html>', ['buildNumber']).kind).toBe('not-json');
  });

  it('invalid JSON is not-json', () => {
    expect(readBuild(JSON_TYPE, '{"buildNumber": 2', ['buildNumber'])).toEqual({ kind: 'not-json', reason: 'body is not valid JSON' });
  });
});

describe('compareBuild', () => {
  it.each([
    ['209', '209', 'match'],
    ['209.0', '209', 'match'],
    ['208', '209', 'older'],
    ['2090', '209', 'newer'],
    ['210', '209', 'newer'],
    ['abc', 'abc', 'match'],
    ['abd', 'abc', 'older'],
  ] as const)('%s vs expected %s: %s', (seen, expected, order) => expect(compareBuild(seen, expected)).toBe(order));
});

describe('classifyAttempt', () => {
  const json = (body: string, status = 200): HttpAnswer => ({ kind: 'response', status, contentType: 'application/json', body });
  it.each<[string, HttpAnswer, string, string | undefined]>([
    ['refused', { kind: 'failure', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' }, 'unreachable', undefined],
    ['502', json('{}', 502), 'not-ready', undefined],
    ['503', json('{"buildNumber": 209}', 503), 'not-ready', undefined],
    ['504', json('{}', 504), 'not-ready', undefined],
    ['404', json('{}', 404), 'http-error', undefined],
    ['500', json('{"buildNumber": 209}', 500), 'http-error', undefined],
    ['html', { kind: 'response', status: 200, contentType: 'text/html', body: '<html>login</html>' }, 'not-json', undefined],
    ['missing', json('{"version": "1"}'), 'field-missing', undefined],
    ['older', json('{"buildNumber": 208}'), 'older', '208'],
    ['newer', json('{"buildNumber": 210}'), 'newer', '210'],
    ['match as string', json('{"buildNumber": "209"}'), 'match', '209'],
    ['terminal escapes in the body are escaped', json('{"buildNumber": "208\\u001b[2J\\n"}'), 'older', '208\\x1b[2J'],
  ])('%s', (_name, answer, outcome, build) => {
    const attempt = classifyAttempt(answer, '209', ['buildNumber']);
    expect(attempt.outcome).toBe(outcome);
    expect(attempt.build).toBe(build);
  });
});
