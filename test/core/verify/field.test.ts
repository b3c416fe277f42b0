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
    // numbers are read as their exact digits, never through a double
    ['{"buildNumber": 20261125103000123}', 'buildNumber', '20261125103000123'],
    ['{"buildNumber": 1234567890123456789012345}', 'buildNumber', '1234567890123456789012345'],
    ['{"buildNumber": 0209}'.replace('0209', '209'), 'buildNumber', '209'],
    ['{"n": "a \\" 5", "buildNumber": 7}', 'buildNumber', '7'],
    ['{"buildNumber": -1.5e3}', 'buildNumber', '-1.5e3'],
    // digits inside strings (escaped quotes and backslashes too) stay text; numbers in arrays and after them are read
    ['{"k\\\\": "\\\\", "s": "x\\"1\\"2", "a": [1, 2.5, "3"], "build": {"number": 12345678901234567890}}', 'build.number', '12345678901234567890'],
    ['{"s": "10", "buildNumber": "10"}', 'buildNumber', '10'],
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

  it('field missing names the keys the body does have', () => {
    expect(readBuild(JSON_TYPE, '{"version": 1, "Meta": {"Build": 209, "Commit": "abc"}}', ['Meta', 'BuildNumber'])).toEqual({ kind: 'field-missing', keys: ['Build', 'Commit'], at: 'Meta' });
    expect(readBuild(JSON_TYPE, '{"version": 1, "build": {"n": 1}}', ['buildNumber'])).toEqual({ kind: 'field-missing', keys: ['version', 'build'], at: '' });
  });

  it('invalid JSON is not-json, also where the rewrite of numbers would parse', () => {
    expect(readBuild(JSON_TYPE, '{"buildNumber": 0209}', ['buildNumber']).kind).toBe('not-json');
    expect(readBuild(JSON_TYPE, '{"buildNumber": 2.}', ['buildNumber']).kind).toBe('not-json');
  });

  it('invalid JSON is not-json', () => {
    expect(readBuild(JSON_TYPE, '{"buildNumber": 2', ['buildNumber'])).toEqual({ kind: 'not-json', reason: 'body is not valid JSON' });
  });
});

describe('compareBuild', () => {
  it.each([
    ['209', '209', 'match'],
    ['0209', '209', 'match'],
    ['209', '000209', 'match'],
    ['0', '000', 'match'],
    // 17 digits (a timestamp build id): beyond a double's exact integers
    ['20261125103000123', '20261125103000124', 'older'],
    ['20261125103000125', '20261125103000124', 'newer'],
    ['20261125103000124', '20261125103000124', 'match'],
    // 25 digits
    ['1234567890123456789012345', '1234567890123456789012346', 'older'],
    ['9999999999999999999999999', '1000000000000000000000000', 'newer'],
    ['01234567890123456789012345', '1234567890123456789012345', 'match'],
    ['99', '100', 'older'],
    // no floating point: anything not all digits is text, equal or not
    ['209.0', '209', 'older'],
    ['2.09e2', '209', 'older'],
    ['-209', '209', 'older'],
    ['v209', '209', 'older'],
    ['209', 'v209', 'older'],
    ['a1b2c3', 'a1b2c3', 'match'],
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

describe('classifyAttempt with timestamp build ids', () => {
  it.each([
    ['{"buildNumber": "20261125103000123"}', 'older'],
    ['{"buildNumber": 20261125103000123}', 'older'],
    ['{"buildNumber": 20261125103000124}', 'match'],
    ['{"buildNumber": 20261125103000125}', 'newer'],
  ])('%s for --expect 20261125103000124: %s', (body, outcome) => {
    const attempt = classifyAttempt({ kind: 'response', status: 200, contentType: 'application/json', body }, '20261125103000124', ['buildNumber']);
    expect(attempt.outcome).toBe(outcome);
  });
});

describe('classifyAttempt masks what a replica echoes back', () => {
  const echo = (build: string): HttpAnswer => ({ kind: 'response', status: 200, contentType: 'application/json', body: JSON.stringify({ buildNumber: build }) });
  it.each([
    ['the whole secret', 'Basic dXNlcjpwYTU1d29yZA==', 'Basic ***'],
    ['a long echo cut short is masked before the cut', `${'x'.repeat(90)}dXNlcjpwYTU1d29yZA==`, `${'x'.repeat(90)}***`],
  ])('%s', (_name, build, shown) => {
    const attempt = classifyAttempt(echo(build), '209', ['buildNumber'], ['dXNlcjpwYTU1d29yZA==']);
    expect(attempt.build).toBe(shown);
    expect(attempt.detail).not.toContain('dXNlcjpwYTU1d29yZA');
  });

  it('keys named after a secret are masked in "field missing"', () => {
    const attempt = classifyAttempt(
      { kind: 'response', status: 200, contentType: 'application/json', body: '{"tok-abcdef123": 1}' },
      '209',
      ['buildNumber'],
      ['tok-abcdef123'],
    );
    expect(attempt.detail).toBe('no `buildNumber` in the body; the body has `***`');
  });
});

describe('classifyAttempt of redirects', () => {
  const redirect: HttpAnswer = { kind: 'response', status: 302, contentType: 'text/html', body: '', location: 'http://other:1/' };
  it('a redirect to another origin that was not followed is an HTTP error, never a build', () => {
    const attempt = classifyAttempt(redirect, '209', ['buildNumber'], [], { refused: 'http://other:1' });
    expect(attempt.outcome).toBe('http-error');
    expect(attempt.detail).toContain('http://other:1: not followed');
  });
  it('an answer through a followed cross-origin redirect says where it came from', () => {
    const attempt = classifyAttempt({ kind: 'response', status: 200, contentType: 'application/json', body: '{"buildNumber": 209}' }, '209', ['buildNumber'], [], { via: 'http://other:1' });
    expect(attempt.outcome).toBe('match');
    expect(attempt.detail).toBe('build 209 (answered by http://other:1, redirected to)');
  });
});
