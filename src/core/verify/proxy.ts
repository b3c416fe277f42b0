// Which proxy a request goes through, read from the environment the way curl reads it.
import type { Env } from '../engine-target.js';

/**
 * The proxy URL for `url`, or undefined for a direct connection. As curl: `http_proxy` (lower case only, since
 * HTTP_PROXY can be set by a CGI request header), `https_proxy` or `HTTPS_PROXY`, then `all_proxy`/`ALL_PROXY`;
 * `no_proxy`/`NO_PROXY` lists hosts (or `*`) whose own name or any subdomain goes direct.
 */
export function proxyFor(url: URL, env: Env): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (bypassed(host, env.no_proxy ?? env.NO_PROXY)) return undefined;
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const candidates = scheme === 'http' ? [env.http_proxy] : [env.https_proxy, env.HTTPS_PROXY];
  const proxy = [...candidates, env.all_proxy, env.ALL_PROXY].find((v) => v !== undefined && v.trim() !== '');
  if (proxy === undefined) return undefined;
  // curl takes a proxy given without a scheme as an HTTP proxy.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy.trim()) ? proxy.trim() : `http://${proxy.trim()}`;
}

/** True when NO_PROXY names the host, a parent domain of it (a leading dot is optional), or is `*`. */
export function bypassed(host: string, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const entries = noProxy.split(/[\s,]+/).map((e) => e.trim().toLowerCase()).filter((e) => e !== '');
  return entries.some((entry) => {
    if (entry === '*') return true;
    const name = entry.replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    return host === name || host.endsWith(`.${name}`);
  });
}
