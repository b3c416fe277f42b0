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
  ])('%s with %j → %s', (url, env, proxy) => expect(proxyFor(new URL(url), env)).toBe(proxy));
});
