import { describe, expect, it } from 'vitest';
import { looksSecret } from '../../src/core/mask.js';
import { maskDockerArgv } from '../../src/core/mask-docker.js';

describe('looksSecret: names whose values audit masks', () => {
  it.each([
    ['TOKEN', true],
    ['NPM_TOKEN', true],
    ['ELASTIC_PASSWORD', true],
    ['DB_PASSWD', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['API_KEY', true],
    ['apikey', true],
    ['SSH_PRIVATE_KEY', true],
    ['REGISTRY_AUTH', true],
    ['GOOGLE_APPLICATION_CREDENTIALS', true],
    ['splunk-token', true],
    ['ES_JAVA_OPTS', false],
    ['discovery.type', false],
    ['JAVA_HOME', false],
    ['KEYBOARD_LAYOUT', false],
    ['NODE_ENV', false],
    ['CI', false],
  ])('%s → %s', (name, secret) => {
    expect(looksSecret(name)).toBe(secret);
  });
});

describe('maskDockerArgv narrowed to secret-looking names (audit)', () => {
  it.each([
    [['run', '-e', 'ES_JAVA_OPTS=-Xmx1g', '-e', 'TOKEN=s3cret', 'img'], ['run', '-e', 'ES_JAVA_OPTS=-Xmx1g', '-e', 'TOKEN=***', 'img']],
    [['run', '--env=NODE_ENV=test', '--env=DB_PASSWORD=x', 'img'], ['run', '--env=NODE_ENV=test', '--env=DB_PASSWORD=***', 'img']],
    [['run', '-eMODE=fast', '-eAPI_KEY=k', 'img'], ['run', '-eMODE=fast', '-eAPI_KEY=***', 'img']],
    // the fallback reader (a flag docker does not know) applies the same names
    [['run', '--bogus', '-e', 'MODE=fast', '-e', 'NPM_TOKEN=t', '--env=X=1', '--env=AUTH=a', 'img'], ['run', '--bogus', '-e', 'MODE=fast', '-e', 'NPM_TOKEN=***', '--env=X=1', '--env=AUTH=***', 'img']],
    [['run', '--bogus', '-eMODE=fast', '-eSECRET=s', 'img'], ['run', '--bogus', '-eMODE=fast', '-eSECRET=***', 'img']],
  ])('%j', (argv, masked) => {
    expect(maskDockerArgv(argv, looksSecret)).toEqual(masked);
  });
});
