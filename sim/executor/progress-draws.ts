// Exact draws for a slow server's thread progress (seed 004 section 4.3: a thread progresses in a
// tick with probability p). The planned executor draws how many ticks an item takes instead of a coin
// per tick, and, when p changes mid-item, how much work the ticks already spent did.

import type { Rng } from '../../engine/ports.js';

/**
 * Ticks for a thread to do `workTicks` units of work when each tick progresses with probability p:
 * workTicks plus a NegativeBinomial(workTicks, p) number of idle ticks. Exact either way: by
 * inversion of the negative binomial's distribution function (one random number, a short walk up
 * from 0 idle ticks) where that walk is short and its first term far from underflow, else as a sum
 * of geometric idle counts, each by inversion.
 */
export function ticksToDoWork(rng: Rng, workTicks: number, p: number): number {
  if (p === 1) return workTicks;
  const fail = 1 - p;
  const noIdle = p >= MIN_P_FOR_INVERSION ? Math.pow(p, workTicks) : 0;
  if (noIdle > MIN_FIRST_MASS) {
    const u = rng.next();
    let mass = noIdle;
    let cumulative = mass;
    let idle = 0;
    while (u >= cumulative && mass > 0) {
      mass *= (fail * (workTicks + idle)) / (idle + 1);
      idle++;
      cumulative += mass;
    }
    return workTicks + idle;
  }
  const inverseLogFail = 1 / Math.log(fail);
  let ticks = workTicks;
  for (let i = 0; i < workTicks; i++) ticks += Math.floor(Math.log(1 - rng.next()) * inverseLogFail);
  return ticks;
}

/**
 * Ticks for `workTicks` of work at a fixed fraction p of the healthy rate, as C3's simulator fixes an
 * item's service time when it starts (absim server.py: the service time is drawn at the start of
 * service): workTicks / p, rounded down or up at random in proportion to the remainder, so that its
 * mean is exactly workTicks / p.
 */
export function ticksAtRate(rng: Rng, workTicks: number, p: number): number {
  if (p === 1) return workTicks;
  const exact = workTicks / p;
  const whole = Math.floor(exact);
  return exact > whole && rng.next() < exact - whole ? whole + 1 : whole;
}

/**
 * When a slowdown (progress probability p < 1) applies to an item: perTick, seed 004's rule, each
 * busy thread progresses in each tick with probability p, so a change of p reaches running items;
 * atItemStart, C3's simulator's rule, an item's duration is fixed when it starts, at its work / p
 * (rounded in proportion), and a later change of p does not reach it.
 */
export const SLOWDOWN_MODES = ['perTick', 'atItemStart'] as const;
export type SlowdownMode = (typeof SLOWDOWN_MODES)[number];

/** Ticks an item of `workTicks` takes from its start at progress probability p, under the mode. */
export function ticksUnder(mode: SlowdownMode, rng: Rng, workTicks: number, p: number): number {
  return mode === 'perTick' ? ticksToDoWork(rng, workTicks, p) : ticksAtRate(rng, workTicks, p);
}

/** The walk takes about workTicks (1-p)/p steps, cheaper than workTicks logarithms while p >= 1/7. */
const MIN_P_FOR_INVERSION = 1 / 7;
/** Below this the first term of the walk would lose precision to underflow. */
const MIN_FIRST_MASS = 1e-250;

/**
 * Work done in the first `ticksSpent` of `plannedTicks` ticks planned for `workTicks` units of work,
 * given that the last planned tick completes the work: the positions of the other workTicks-1
 * successes among the first plannedTicks-1 ticks are uniform, so the count is
 * Hypergeometric(N = plannedTicks-1, K = workTicks-1, n = ticksSpent).
 */
export function workDoneIn(rng: Rng, plannedTicks: number, workTicks: number, ticksSpent: number): number {
  if (ticksSpent >= plannedTicks) return workTicks;
  return hypergeometric(rng, plannedTicks - 1, workTicks - 1, ticksSpent);
}

/**
 * Successes in n draws without replacement from N items of which K are successes. Exact: draws one at
 * a time, after reducing by the distribution's symmetries to at most min(n, N-n, K, N-K) draws.
 */
export function hypergeometric(rng: Rng, N: number, K: number, n: number): number {
  if (n === 0 || K === 0) return 0;
  if (K === N) return n;
  if (n === N) return K;
  if (2 * n > N) return K - hypergeometric(rng, N, K, N - n);
  if (2 * K > N) return n - hypergeometric(rng, N, N - K, n);
  if (K < n) return hypergeometric(rng, N, n, K);
  let successes = 0;
  let left = N;
  let successesLeft = K;
  for (let i = 0; i < n; i++) {
    if (rng.next() * left < successesLeft) {
      successes++;
      successesLeft--;
    }
    left--;
  }
  return successes;
}
