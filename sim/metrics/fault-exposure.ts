// Which queries met a fault (seed 004 section 4.4, "Latency Degradation Prevention"): which arrived
// during a fault window, and which contacted a server while it was impaired. Intervals are merged
// per server and searched by bisection, so the cost per query is logarithmic in the number of pauses.
// Queries are judged one row at a time, in the summary's one pass over the query log, so nothing is
// kept per query.

import { msToTicks } from '../scheduler/scheduler.js';

/** Disjoint half-open intervals [start, end) in ticks, ascending. */
export interface IntervalSet {
  readonly startTick: Float64Array;
  readonly endTick: Float64Array;
}

/** The union of the intervals [startMs, endMs), as disjoint ascending intervals in ticks. */
export function intervalSet(intervals: readonly { startMs: number; endMs: number }[]): IntervalSet {
  const ordered = intervals
    .map(({ startMs, endMs }) => [msToTicks(startMs), msToTicks(endMs)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [start, end] of ordered) {
    const last = ends.length - 1;
    if (last >= 0 && start <= ends[last]) ends[last] = Math.max(ends[last], end);
    else {
      starts.push(start);
      ends.push(end);
    }
  }
  return { startTick: Float64Array.from(starts), endTick: Float64Array.from(ends) };
}

/** Index of the last interval starting before `tick` (strictly), or -1. */
function lastStartingBefore(set: IntervalSet, tick: number): number {
  let lo = 0;
  let hi = set.startTick.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (set.startTick[mid] < tick) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** True when `tick` lies in one of the intervals [start, end). */
export function containsTick(set: IntervalSet, tick: number): boolean {
  const i = lastStartingBefore(set, tick + 1);
  return i >= 0 && tick < set.endTick[i];
}

/** True when the closed span [fromTick, toTick] shares time with an interval [start, end). */
export function overlapsSpan(set: IntervalSet, fromTick: number, toTick: number): boolean {
  const i = lastStartingBefore(set, toTick + (toTick === fromTick ? 1 : 0));
  return i >= 0 && set.endTick[i] > fromTick;
}

/**
 * Whether a query contacted a server while it was impaired, that is whether its span [arrival, end]
 * overlaps an impairment [start, end) of a server it contacted: `servers[from .. to)`, the query's row
 * of a query chunk's flat servers list. A query that ended exactly as an impairment began did not meet
 * it. `impaired[s]` is 1 when server s has impairments.
 */
export function contactedImpaired(
  servers: ArrayLike<number>,
  from: number,
  to: number,
  arrivalTick: number,
  endTick: number,
  impaired: Uint8Array,
  impairedByServer: readonly IntervalSet[],
): boolean {
  for (let k = from; k < to; k++) {
    const server = servers[k];
    if (impaired[server] === 1 && overlapsSpan(impairedByServer[server], arrivalTick, endTick)) return true;
  }
  return false;
}
