/**
 * How many pods a service needs for a request rate, with the units made explicit.
 *
 * The guide's `pods = ceil(Q·T/1000/P·buffer)` mixes units: Q·T/1000 (requests per
 * second × seconds) is the number of requests in flight (Little's law), and dividing
 * a count by P in requests per second leaves seconds, not pods. Two consistent forms:
 * - P is what one pod sustains in requests per second (at latency T):
 *   pods = ceil(Q / P × buffer); the latency is already inside P.
 * - C is how many requests one pod serves at the same time:
 *   pods = ceil(Q × T/1000 / C × buffer), which is the guide's expression with P read as C.
 */

/** The demand side of a capacity plan. */
export interface DemandInput {
  /** Peak requests per second for the whole service. */
  qps: number;
  /** Mean request latency in milliseconds; needed with perPodConcurrency. */
  latencyMs?: number;
  /** Requests per second one pod sustains (exactly one of this and perPodConcurrency). */
  perPodRps?: number;
  /** Requests one pod serves concurrently. */
  perPodConcurrency?: number;
  /** Headroom factor, ≥ 1 (1.3 = 30 % spare). */
  buffer: number;
}

/** The result: pods, requests in flight (when the latency is known) and the formula with the numbers filled in. */
export interface Demand {
  pods: number;
  /** Q × T / 1000 (Little's law), when latencyMs is given. */
  inFlight?: number;
  formula: string;
}

/** ceil that ignores floating-point dust: 1000 × 1.3 / 50 is 26, not 26.000000000000004 → 27. */
export function ceilClean(x: number): number {
  return Math.ceil(x - 1e-9 * Math.max(1, Math.abs(x)));
}

/**
 * Pods needed for the demand. Throws (a bug: the CLI validates first) unless exactly
 * one of perPodRps and perPodConcurrency is given, with latencyMs for the latter.
 */
export function podsNeeded(d: DemandInput): Demand {
  const inFlight = d.latencyMs === undefined ? undefined : (d.qps * d.latencyMs) / 1000;
  if (d.perPodRps !== undefined && d.perPodConcurrency === undefined) {
    return {
      pods: ceilClean((d.qps / d.perPodRps) * d.buffer),
      ...(inFlight !== undefined ? { inFlight } : {}),
      formula: `ceil(${d.qps} req/s / ${d.perPodRps} req/s per pod × ${d.buffer})`,
    };
  }
  if (d.perPodConcurrency !== undefined && d.perPodRps === undefined && inFlight !== undefined) {
    return {
      pods: ceilClean((inFlight / d.perPodConcurrency) * d.buffer),
      inFlight,
      formula: `ceil(${d.qps} req/s × ${d.latencyMs} ms / 1000 / ${d.perPodConcurrency} concurrent per pod × ${d.buffer})`,
    };
  }
  throw new Error('bug: podsNeeded needs exactly one of perPodRps and perPodConcurrency (with latencyMs)');
}
