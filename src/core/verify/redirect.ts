// Which redirects an attempt follows: within the replica's own origin, at most 5; another origin only when asked.

/** Statuses whose Location is followed. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Hops an attempt follows at most, as curl's and browsers' usual limits (got's default is 10). */
const MAX_REDIRECTS = 5;

/** What to do with an answer that may be a redirect. */
export type NextHop =
  | { readonly kind: 'done' }
  | { readonly kind: 'follow'; readonly url: string; readonly sameOrigin: boolean }
  | { readonly kind: 'refuse'; readonly origin: string }
  | { readonly kind: 'too-many' };

/**
 * The next hop after an answer of `status` with `location` on hop number `hop` (0 for the replica's own URL). A
 * replica is verified by its own answer: a redirect to another origin is followed only with `followCrossHost`.
 * Credentials of the replica's URL go along within its origin only.
 */
export function nextHop(replicaUrl: string, currentUrl: string, status: number, location: string | undefined, hop: number, followCrossHost: boolean): NextHop {
  if (!REDIRECTS.has(status) || location === undefined || location === '') return { kind: 'done' };
  let next: URL;
  try {
    next = new URL(location, currentUrl);
  } catch {
    return { kind: 'done' };
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return { kind: 'done' };
  if (hop >= MAX_REDIRECTS) return { kind: 'too-many' };
  const own = new URL(replicaUrl);
  const sameOrigin = next.origin === own.origin;
  if (!sameOrigin && !followCrossHost) return { kind: 'refuse', origin: next.origin };
  next.hash = '';
  if (sameOrigin && next.username === '' && next.password === '') {
    next.username = own.username;
    next.password = own.password;
  }
  return { kind: 'follow', url: next.href, sameOrigin };
}
