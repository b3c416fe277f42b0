import { describe, expect, it } from 'vitest';
import { proxyFor } from '../../../src/core/verify/proxy.js';

describe('proxyFor reads the environment as curl does', () => {
  it.each<[string, Record<string, string>, string | undefined]>([
    ['http://app.example.com/d', {}, undefined],
    ['http://app.example.com/d', { http_proxy: 'http://p:3128' }, 'http://p:3128'],
    ['http://app.example.com/d', { HTTP_PROXY: 'http://p:3128' }, undefined],
    ['https://app.example.com/d', { HTTPS_PROXY: 'http://p:3128' }, 'http://p:3128'],
    ['https://app.example.com/d', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, 'http://lower:1'],
    ['https://app.example.com/d', { http_proxy: 'http://p:3128' }, undefined],
    ['https://app.example.com/d', { ALL_PROXY: 'p:3128' }, 'http://p:3128'],
    ['http://app.example.com/d', { http_proxy: 'http://p:1', NO_PROXY: 'example.com' }, undefined],
    ['http://app.example.com/d', { http_proxy: 'http://p:1', no_proxy: '.example.com' }, undefined],
    ['http://app.example.com/d', { http_proxy: 'http://p:1', no_proxy: 'other.com, app.example.com' }, undefined],
    ['http://notexample.com/d', { http_proxy: 'http://p:1', no_proxy: 'example.com' }, 'http://p:1'],
    ['http://127.0.0.1:8080/d', { http_proxy: 'http://p:1', no_proxy: '127.0.0.1' }, undefined],
    ['http://[::1]:8080/d', { http_proxy: 'http://p:1', no_proxy: '::1' }, undefined],
    ['http://anything/d', { http_proxy: 'http://p:1', no_proxy: '*' }, undefined],
    // CIDR ranges, as curl 7.86 and later: they match a host given as an address, never a name
    ['http://10.1.2.3/d', { http_proxy: 'http://p:1', no_proxy: '10.0.0.0/8' }, undefined],
    ['http://11.1.2.3/d', { http_proxy: 'http://p:1', no_proxy: '10.0.0.0/8' }, 'http://p:1'],
    ['http://192.168.5.9/d', { http_proxy: 'http://p:1', NO_PROXY: 'example.com, 192.168.0.0/16' }, undefined],
    ['http://192.169.0.1/d', { http_proxy: 'http://p:1', NO_PROXY: '192.168.0.0/16' }, 'http://p:1'],
    ['http://127.0.0.1/d', { http_proxy: 'http://p:1', no_proxy: '127.0.0.1/32' }, undefined],
    ['http://127.0.0.2/d', { http_proxy: 'http://p:1', no_proxy: '127.0.0.1/32' }, 'http://p:1'],
    ['http://1.2.3.4/d', { http_proxy: 'http://p:1', no_proxy: '0.0.0.0/0' }, undefined],
    ['http://[fd00::1]/d', { http_proxy: 'http://p:1', no_proxy: 'fd00::/8' }, undefined],
    ['http://[fe80::1]/d', { http_proxy: 'http://p:1', no_proxy: 'fd00::/8' }, 'http://p:1'],
    ['http://[::ffff:10.0.0.1]/d', { http_proxy: 'http://p:1', no_proxy: '::ffff:10.0.0.0/104' }, undefined],
    ['http://10.0.0.1/d', { http_proxy: 'http://p:1', no_proxy: 'fd00::/8' }, 'http://p:1'],
    ['http://app.internal/d', { http_proxy: 'http://p:1', no_proxy: '10.0.0.0/8' }, 'http://p:1'],
    ['http://10.0.0.1/d', { http_proxy: 'http://p:1', no_proxy: '10.0.0.0/33' }, 'http://p:1'],
  ])('%s with %j → %s', (url, env, proxy) => expect(proxyFor(new URL(url), env)).toBe(proxy));
});
