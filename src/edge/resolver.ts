// Name resolution for `verify --all-addresses`: every A and AAAA address of a host, asked again each round.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { PinnedAddress } from './http.js';

/** Resolves a host name to all its addresses (getaddrinfo, as curl: /etc/hosts and DNS). */
export interface Resolver {
  /** Every address of `hostname`; rejects when it has none or `timeoutMs` passes first. */
  resolveAll(hostname: string, timeoutMs: number): Promise<PinnedAddress[]>;
}

/** The system resolver. An IP literal resolves to itself. */
export function createResolver(): Resolver {
  return {
    async resolveAll(hostname, timeoutMs) {
      const bare = hostname.replace(/^\[|\]$/g, '');
      const literal = isIP(bare);
      if (literal !== 0) return [{ address: bare, family: literal as 4 | 6 }];
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEOUT' })), timeoutMs);
      });
      // getaddrinfo cannot be cancelled; the race only stops waiting for it.
      const found = await Promise.race([lookup(bare, { all: true, verbatim: true }), timedOut]).finally(() => clearTimeout(timer));
      const unique = new Map(found.map((a) => [a.address, { address: a.address, family: a.family === 6 ? 6 : 4 } as PinnedAddress]));
      return [...unique.values()];
    },
  };
}
