// Which proxy a request goes through, read from the environment the way curl reads it.
import type { Env } from '../engine/target.js';

/**
 * The proxy URL for `url`, or undefined for a direct connection. As curl: `http_proxy` (lower case only, since
 * HTTP_PROXY can be set by a CGI request header), `https_proxy` or `HTTPS_PROXY`, then `all_proxy`/`ALL_PROXY`;
 * `no_proxy`/`NO_PROXY` lists hosts (or `*`) whose own name or any subdomain goes direct, and IP ranges in CIDR form.
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

/**
 * True when NO_PROXY names the host, a parent domain of it (a leading dot is optional), is `*`, or (curl 7.86 and
 * later) is an address range in CIDR form (`10.0.0.0/8`, `fd00::/8`) holding the host, when the host is an IP address.
 * As curl, a host name is not resolved to be matched against a range.
 */
export function bypassed(host: string, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const entries = noProxy.split(/[\s,]+/).map((e) => e.trim().toLowerCase()).filter((e) => e !== '');
  const address = parseIp(host);
  return entries.some((entry) => {
    if (entry === '*') return true;
    const name = entry.replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    const slash = name.indexOf('/');
    if (slash !== -1 || parseIp(name) !== undefined) {
      if (address === undefined) return false;
      const range = parseIp(slash === -1 ? name : name.slice(0, slash).replace(/^\[|\]$/g, ''));
      if (range === undefined || range.bits !== address.bits) return false;
      const prefix = slash === -1 ? range.bits : Number(name.slice(slash + 1));
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > range.bits) return false;
      const shift = BigInt(range.bits - prefix);
      return address.value >> shift === range.value >> shift;
    }
    return host === name || host.endsWith(`.${name}`);
  });
}

/** An IPv4 or IPv6 address as a number of 32 or 128 bits, or undefined when the text is not one. */
export function parseIp(text: string): { value: bigint; bits: 32 | 128 } | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4 !== null) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n), bits: 32 };
  }
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return undefined;
  let groups = text;
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two hex groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(groups);
  if (tail !== null) {
    const four = parseIp(tail[1]!);
    if (four === undefined) return undefined;
    groups = `${groups.slice(0, -tail[1]!.length)}${(four.value >> 16n).toString(16)}:${(four.value & 0xffffn).toString(16)}`;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const rest = halves.length === 2 ? (halves[1] === '' ? [] : halves[1]!.split(':')) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return { value: all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
}
