import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { parseDuration, parseHeader, parseHeaderEnv, parseVerifySettings, parseVerifyUrl } from '../../../src/core/verify/settings.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['3', 3000],
    ['0s', 0],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text, '--timeout')).toBe(ms));

  it.each(['', '5 minutes', '-1s', 's', '2d', '1e3'])('refuses %j, naming the flag', (text) => {
    expect(() => parseDuration(text, '--interval')).toThrow(/--interval takes a duration/);
  });
});

describe('parseVerifyUrl', () => {
  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/diagnostics'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/diagnostics'],
    ['https://app.example.com', 'https://app.example.com/diagnostics'],
    ['https://app.example.com/actuator/info', 'https://app.example.com/actuator/info'],
    ['http://h/diag?x=1', 'http://h/diag?x=1'],
  ])('%s → %s', (text, url) => expect(parseVerifyUrl(text).url.url).toBe(url));

  it('keeps credentials out of the display form and registers them as secrets', () => {
    const { url, secrets } = parseVerifyUrl('https://deploy:s3cr%40t@app.example.com');
    expect(url.url).toBe('https://deploy:s3cr%40t@app.example.com/diagnostics');
    expect(url.display).toBe('https://app.example.com/diagnostics');
    expect(secrets).toEqual(expect.arrayContaining(['deploy', 's3cr%40t', 's3cr@t']));
  });

  it.each(['not a url', 'ftp://host/x', 'app.example.com'])('refuses %j', (text) => {
    expect(() => parseVerifyUrl(text)).toThrow(UsageError);
  });

  it('never quotes credentials of a URL it refuses', () => {
    expect(() => parseVerifyUrl('ftp://user:hunter2@host')).toThrow(/^(?!.*hunter2)/);
  });
});

describe('headers', () => {
  it.each([
    ['Authorization: Bearer abc', 'Authorization', 'Bearer abc'],
    ['X-Key:v', 'X-Key', 'v'],
    ['X-Empty:', 'X-Empty', ''],
  ])('%j', (text, name, value) => expect(parseHeader(text)).toEqual({ name, value }));

  it.each(['no colon here', ': value', 'Bad Name: v'])('refuses %j without printing the value', (text) => {
    expect(() => parseHeader(text)).toThrow(/--header takes/);
  });

  it('--header-env reads the variable', () => {
    expect(parseHeaderEnv('X-Token=TOKEN', { TOKEN: 'xyz' })).toEqual({ name: 'X-Token', value: 'xyz' });
  });

  it.each([
    ['X-Token=MISSING', /MISSING` is not set/],
    ['X-Token', /takes `Name=ENV_VAR`/],
    ['=TOKEN', /takes `Name=ENV_VAR`/],
  ])('--header-env %j is a usage error', (text, message) => {
    expect(() => parseHeaderEnv(text, { TOKEN: 'xyz' })).toThrow(message);
  });
});

describe('parseVerifySettings', () => {
  it('takes the defaults of the issue', () => {
    const s = parseVerifySettings({ urls: ['http://127.0.0.1:1'] }, { BUILD_NUMBER: '209' });
    expect(s).toMatchObject({
      expect: '209',
      field: ['buildNumber'],
      stable: 2,
      minReplicas: 1,
      timeoutMs: 300_000,
      intervalMs: 2000,
      requestTimeoutMs: 5000,
      allowNewer: false,
      insecure: false,
      allAddresses: false,
    });
  });

  it('--expect wins over BUILD_NUMBER', () => {
    expect(parseVerifySettings({ urls: ['http://h'], expect: 7 }, { BUILD_NUMBER: '209' }).expect).toBe('7');
  });

  it('neither --expect nor BUILD_NUMBER is a usage error (exit 2)', () => {
    const attempt = () => parseVerifySettings({ urls: ['http://h'] }, {});
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(/--expect/);
    try {
      attempt();
    } catch (error) {
      expect((error as UsageError).exitCode).toBe(2);
    }
  });

  it('collects header values and URL credentials as secrets', () => {
    const s = parseVerifySettings(
      { urls: ['http://u:pw1@h'], expect: 1, header: ['X-A: value-a'], headerEnv: ['X-B=B'] },
      { B: 'value-b' },
    );
    expect(s.secrets).toEqual(expect.arrayContaining(['u', 'pw1', 'value-a', 'value-b']));
    expect(s.headers).toEqual([
      { name: 'X-A', value: 'value-a' },
      { name: 'X-B', value: 'value-b' },
    ]);
  });

  it.each([
    [{ stable: 0 }, /--stable/],
    [{ replicas: 0 }, /--replicas/],
    [{ stable: 1.5 }, /--stable/],
    [{ field: 'meta..build' }, /--field/],
    [{ requestTimeout: '0s' }, /--request-timeout/],
    [{ insecure: true, ca: '/x.pem' }, /--insecure and --ca/],
    [{ urls: [] }, /at least one URL/],
    [{ replicas: 2 }, /--replicas 2 asks for more replicas than the 1 URL/],
  ])('refuses %j', (override, message) => {
    expect(() => parseVerifySettings({ urls: ['http://h'], expect: 1, ...override }, {})).toThrow(message);
  });
});
