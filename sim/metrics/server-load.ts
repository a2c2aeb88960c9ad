// Requests per server over sampling intervals, and the ADSS figures read from them (seed 004 section
// 4.3, Table 2: diversion, oscillation, recovery). Only the servers a figure needs are laid out per
// sample, and dispersion uses Welford's update, so a constant rate gives a variation of exactly 0.

import { msToTicks, ticksToMs } from '../scheduler/scheduler.js';
import type { SeriesColumns } from './series-log.js';

/** Intervals ending in the first second are skipped by the oscillation figures: warm-up. */
export const WARMUP_MS = 1000;
/** A faulty server counts as diverted below this fraction of its fair share... */
export const DIVERTED_SHARE_OF_FAIR = 0.1;
/** ... and as recovered at or above this fraction. */
export const RECOVERED_SHARE_OF_FAIR = 0.9;

export interface ServerLoad {
  /** Distinct sample ticks of the series, ascending. */
  readonly sampleTick: Float64Array;
  /** Per series row, the position of its tick in sampleTick. */
  readonly sampleOfRow: Int32Array;
  readonly series: SeriesColumns;
}

export function serverLoad(series: SeriesColumns): ServerLoad {
  const sorted = Float64Array.from(series.tick).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i];
  const sampleTick = sorted.slice(0, distinct);
  const sampleOfRow = new Int32Array(series.tick.length);
  for (let row = 0; row < sampleOfRow.length; row++) {
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sampleTick[mid] < series.tick[row]) lo = mid + 1;
      else hi = mid;
    }
    sampleOfRow[row] = lo;
  }
  return { sampleTick, sampleOfRow, series };
}

/** Requests received by `server` in each sample interval (0 where it has no row). */
function receivedBySample(load: ServerLoad, server: number): Float64Array {
  const received = new Float64Array(load.sampleTick.length);
  const { server: serverOfRow, requestsReceived } = load.series;
  for (let row = 0; row < serverOfRow.length; row++) {
    if (serverOfRow[row] === server) received[load.sampleOfRow[row]] += requestsReceived[row];
  }
  return received;
}

export interface ShareTimings {
  diversionMs: number | null;
  recoveryMs: number | null;
  /** The server's share of its mirror set's requests over the whole fault, as a multiple of fair. */
  shareDuringFault: number | null;
}

/**
 * When the faulty `server`'s share of its mirror set's requests (over the trailing window) fell below
 * 10 % of the fair share and stayed below it until the fault's end (the first sample at or after the
 * fault start from which on every sample up to the end is below; a single dip does not count), and
 * when it was first back at or above 90 % at or after the fault end. Samples in which the mirror set
 * received nothing in the window say nothing and are passed over.
 */
export function shareTimings(
  load: ServerLoad,
  mirrorSet: readonly number[],
  server: number,
  faultStartTick: number,
  faultEndTick: number,
  shareWindowMs: number,
): ShareTimings {
  const samples = load.sampleTick.length;
  const own = receivedBySample(load, server);
  const all = new Float64Array(samples);
  for (const member of mirrorSet) {
    const received = member === server ? own : receivedBySample(load, member);
    for (let i = 0; i < samples; i++) all[i] += received[i];
  }
  const fairShare = 1 / mirrorSet.length;
  const windowTicks = msToTicks(shareWindowMs);
  let diversionMs: number | null = null;
  let recoveryMs: number | null = null;
  let first = 0;
  let ownInWindow = 0;
  let allInWindow = 0;
  let ownDuringFault = 0;
  let allDuringFault = 0;
  for (let i = 0; i < samples; i++) {
    const tick = load.sampleTick[i];
    if (tick > faultStartTick && tick <= faultEndTick) {
      ownDuringFault += own[i];
      allDuringFault += all[i];
    }
    ownInWindow += own[i];
    allInWindow += all[i];
    while (load.sampleTick[first] <= tick - windowTicks) {
      ownInWindow -= own[first];
      allInWindow -= all[first];
      first++;
    }
    if (allInWindow <= 0) continue;
    const share = ownInWindow / allInWindow;
    if (tick >= faultStartTick && tick <= faultEndTick) {
      if (share >= DIVERTED_SHARE_OF_FAIR * fairShare) diversionMs = null;
      else if (diversionMs === null) diversionMs = ticksToMs(tick - faultStartTick);
    }
    if (recoveryMs === null && tick >= faultEndTick && share >= RECOVERED_SHARE_OF_FAIR * fairShare) {
      recoveryMs = ticksToMs(tick - faultEndTick);
    }
  }
  const shareDuringFault = allDuringFault > 0 ? ownDuringFault / allDuringFault / fairShare : null;
  return { diversionMs, recoveryMs, shareDuringFault };
}

/** Running mean and sum of squared deviations (Welford). */
class Dispersion {
  count = 0;
  mean = 0;
  private squares = 0;

  add(value: number): void {
    this.count++;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.squares += delta * (value - this.mean);
  }

  /** Population coefficient of variation, or null when there is nothing or the mean is 0. */
  variation(): number | null {
    if (this.count === 0 || this.mean <= 0) return null;
    return Math.sqrt(this.squares / this.count) / this.mean;
  }
}

const averageOf = (values: (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((sum, v) => sum + v, 0) / present.length;
};

export interface LoadVariation {
  /** Mean over healthy servers of each one's CV over time of requests received per interval. */
  oscillation: number | null;
  /** Mean over intervals of the CV across healthy servers of that interval's requests received. */
  imbalance: number | null;
}

/** Oscillation and imbalance of the requests `healthy` servers received, after the warm-up second. */
export function loadVariation(load: ServerLoad, healthy: readonly number[]): LoadVariation {
  const perServer: (Dispersion | undefined)[] = [];
  for (const server of healthy) perServer[server] = new Dispersion();
  const perSample = Array.from(load.sampleTick, () => new Dispersion());
  const warmupTick = msToTicks(WARMUP_MS);
  const { server: serverOfRow, requestsReceived, tick } = load.series;
  for (let row = 0; row < serverOfRow.length; row++) {
    const dispersion = perServer[serverOfRow[row]];
    if (dispersion === undefined || tick[row] <= warmupTick) continue;
    dispersion.add(requestsReceived[row]);
    perSample[load.sampleOfRow[row]].add(requestsReceived[row]);
  }
  return {
    oscillation: averageOf(healthy.map((server) => perServer[server]!.variation())),
    imbalance: averageOf(perSample.map((dispersion) => dispersion.variation())),
  };
}
