// The pool rule: how many matching answers in a row a URL that stands for several replicas must give.
//
// A pool (a load balancer, a Service, an ingress) answers from any of its replicas. If a share p of them still runs
// another build, k answers on new connections all miss it with probability (1 − p)^k. A pool is verified when the run
// of matching answers is long enough that a pool still serving another build on a share p would have shown it with
// probability ≥ 99 % over the WHOLE verification: run number r (each break of the run starts a new one) needs
// (1 − p)^k ≤ 1 % × 6 / (π² r²), and these bounds add up to at most 1 % however many runs there are (Σ 1/r² = π²/6).
// p is 1/N for a pool of N replicas (`--replicas`, else 3), or the share of other builds seen so far if lower.

/** The chance, at most, that a pool still serving another build is verified anyway. */
export const POOL_RISK = 0.01;

/** The pool size assumed when `--replicas` does not say: one stale replica of 3 is a share of 1/3. */
export const DEFAULT_POOL_SIZE = 3;

/** Matching answers in a row that run number `run` (1-based) needs when a share `share` may still be stale. */
export function matchesNeeded(share: number, run: number): number {
  if (share >= 1) return 1;
  if (share <= 0) return Number.POSITIVE_INFINITY;
  const risk = (POOL_RISK * 6) / (Math.PI ** 2 * Math.max(1, run) ** 2);
  return Math.max(1, Math.ceil(Math.log(risk) / Math.log(1 - share)));
}

/**
 * The share of a pool that may still run another build: one replica of `poolSize`, or the share of other builds among
 * the readable answers so far when that is lower (a pool larger than stated).
 */
export function staleShare(poolSize: number, others: number, readable: number): number {
  const assumed = 1 / Math.max(1, poolSize);
  return others > 0 && readable > 0 ? Math.min(assumed, others / readable) : assumed;
}
