import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { caCertificates, parseDuration, parseHeader, parseHeaderEnv, parseVerifySettings, parseVerifyUrl, type VerifyRawOptions } from '../../../src/core/verify/settings.js';
import { echoForms } from '../../../src/core/verify/secrets.js';

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
    const { url, credentials } = parseVerifyUrl('https://deploy:s3cr%40t@app.example.com');
    expect(url.url).toBe('https://deploy:s3cr%40t@app.example.com/diagnostics');
    expect(url.display).toBe('https://app.example.com/diagnostics');
    expect(credentials).toEqual({ username: 'deploy', password: 's3cr%40t' });
    const { secrets } = parseVerifySettings({ urls: ['https://deploy:s3cr%40t@app.example.com'], expect: '1' }, {});
    expect(secrets).toEqual(expect.arrayContaining(['deploy', 's3cr%40t', 's3cr@t', 'deploy:s3cr@t', Buffer.from('deploy:s3cr@t').toString('base64')]));
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
    expect(s.secrets).toEqual(expect.arrayContaining(['pw1', 'u:pw1', 'value-a', 'value-b']));
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
    [{ replicas: 2, direct: true }, /--replicas 2 asks for more replicas than the 1 URL/],
    [{ direct: true, allAddresses: true }, /--direct and --all-addresses/],
    [{ field: 'Meta__' }, /--field/],
    [{ field: 'Meta:' }, /--field/],
  ])('refuses %j', (override, message) => {
    expect(() => parseVerifySettings({ urls: ['http://h'], expect: 1, ...override }, {})).toThrow(message);
  });
});

describe('pools and direct replicas', () => {
  it.each<[string, Partial<VerifyRawOptions>, boolean, number, number | undefined]>([
    ['one URL is a pool (a load balancer)', { urls: ['http://lb'] }, true, 1, undefined],
    ['one URL with --replicas 20 is a pool of 20', { urls: ['http://lb'], replicas: 20 }, true, 1, 20],
    ['--direct: one URL is one replica', { urls: ['http://app-1'], direct: true }, false, 1, undefined],
    ['a list of URLs are direct replicas', { urls: ['http://a', 'http://b'], replicas: 2 }, false, 2, undefined],
    ['--all-addresses: each address is a direct replica', { urls: ['http://svc'], allAddresses: true, replicas: 3 }, false, 3, undefined],
  ])('%s', (_name, raw, pool, minReplicas, poolSize) => {
    const s = parseVerifySettings({ urls: [], expect: '209', ...raw }, {});
    expect({ pool: s.pool, minReplicas: s.minReplicas, poolSize: s.poolSize }).toEqual({ pool, minReplicas, poolSize });
  });
});

describe('--field', () => {
  it.each([
    ['buildNumber', ['buildNumber']],
    ['Meta.BuildNumber', ['Meta', 'BuildNumber']],
    ['Meta__BuildNumber', ['Meta', 'BuildNumber']],
    ['Meta:BuildNumber', ['Meta', 'BuildNumber']],
    ['App__Meta:Build.Number', ['App', 'Meta', 'Build', 'Number']],
  ])('%s → %j', (text, path) => expect(parseVerifySettings({ urls: ['http://h'], expect: 1, field: text }, {}).field).toEqual(path));
});

describe('what a replica can echo is a secret', () => {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  it.each<[string, string[], { username: string; password: string }[], string[], string[]]>([
    ['a header value and its base64', ['s3cret-token'], [], ['s3cret-token', b64('s3cret-token')], []],
    ['each part of a bearer token, and its base64', ['Bearer abc123xyz'], [], ['Bearer abc123xyz', 'abc123xyz', 'Bearer', b64('abc123xyz')], []],
    ['a part shorter than 6 characters is not a secret of its own', ['Key ab1 longpart'], [], ['longpart'], ['ab1', 'Key']],
    ['URL credentials as Basic sends them', [], [{ username: 'user', password: 'pa55word' }], ['user', 'pa55word', 'user:pa55word', 'dXNlcjpwYTU1d29yZA==', 'dXNlcjpwYTU1d29yZA'], []],
    ['percent-encoded credentials, decoded', [], [{ username: 'deploy', password: 's3cr%40t' }], ['s3cr@t', b64('deploy:s3cr@t')], []],
  ])('%s', (_name, values, credentials, present, absent) => {
    const forms = echoForms(values, credentials);
    expect(forms).toEqual(expect.arrayContaining(present));
    for (const a of absent) expect(forms).not.toContain(a);
  });

  it('longest first, so that a secret holding another is masked whole', () => {
    const forms = echoForms(['Bearer abc123xyz'], []);
    expect(forms.indexOf('Bearer abc123xyz')).toBeLessThan(forms.indexOf('abc123xyz'));
  });
});

describe('--ca', () => {
  const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZ\n-----END CERTIFICATE-----\n';
  it('finds the certificate blocks', () => expect(caCertificates(PEM + PEM, 'ca.pem')).toHaveLength(2));
  it.each([
    ['an empty file', ''],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'],
    ['DER bytes', '0\u0082\u0003\u0000'],
  ])('%s is a usage error', (_name, text) => expect(() => caCertificates(text, 'ca.pem')).toThrow(UsageError));
});
