// Presto's soft-affinity split scheduling over local caches (seed 001 sections 6.1.2 and 7,
// CACHE-REFERENCE.md "Presto soft-affinity scheduling"): a file section's preferred workers come from
// hashing it, modulo the sorted worker list or on a consistent-hash ring with virtual nodes; the
// primary runs the split unless busy, then the secondary, else the least busy of a few random workers,
// which reads remotely without populating its cache. A worker that goes offline keeps its seats for
// `offlineTimeoutMs` (lazy data movement): files keep their preferred workers, and a quick restart
// moves no data. Past the timeout it loses its seats until it returns.

import type { Rng } from '../ports.js';

export interface SoftAffinityConfig {
  readonly hashing: 'modular' | 'consistent';
  readonly virtualNodes: number;
  readonly preferredWorkers: number;
  readonly fallbackCandidates: number;
  readonly offlineTimeoutMs: number;
}

export interface SplitPlacement {
  worker: number;
  /** False for the fallback: read remotely, do not populate the cache. */
  preferred: boolean;
}

export class SoftAffinityScheduler {
  private readonly alive: boolean[];
  private readonly downSinceMs: number[];
  private readonly ringHash: Float64Array;
  private readonly ringWorker: Int32Array;
  private seated: number[] = [];
  private readonly isSeated: boolean[];
  /** The seated list holds until this time (the next offline worker's timeout), or a state change. */
  private seatedUntilMs = -Infinity;

  constructor(
    private readonly workers: number,
    private readonly config: SoftAffinityConfig,
    private readonly rng: Rng,
  ) {
    this.alive = Array.from({ length: workers }, () => true);
    this.downSinceMs = Array.from({ length: workers }, () => Infinity);
    this.isSeated = Array.from({ length: workers }, () => false);
    const seats: Array<[number, number]> = [];
    for (let worker = 0; worker < workers; worker++) {
      for (let v = 0; v < config.virtualNodes; v++) seats.push([mix(worker * 65_537 + v * 7 + 1), worker]);
    }
    seats.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.ringHash = Float64Array.from(seats, (seat) => seat[0]);
    this.ringWorker = Int32Array.from(seats, (seat) => seat[1]);
  }

  setAlive(worker: number, alive: boolean, nowMs: number): void {
    this.alive[worker] = alive;
    this.downSinceMs[worker] = alive ? Infinity : nowMs;
    this.seatedUntilMs = -Infinity;
  }

  isAlive(worker: number): boolean {
    return this.alive[worker]!;
  }

  /** Chooses the worker for a split of file section `section`; `busy` and `load` describe workers now. */
  place(section: number, nowMs: number, busy: (worker: number) => boolean, load: (worker: number) => number, out: SplitPlacement): void {
    const preferred = this.preferredWorkers(section, nowMs);
    for (const worker of preferred) {
      if (this.alive[worker] && !busy(worker)) {
        out.worker = worker;
        out.preferred = true;
        return;
      }
    }
    let best = -1;
    for (let i = 0; i < this.config.fallbackCandidates; i++) {
      const candidate = Math.floor(this.rng.next() * this.workers);
      if (this.alive[candidate] && (best < 0 || load(candidate) < load(best))) best = candidate;
    }
    if (best < 0) best = this.alive.findIndex((up) => up);
    out.worker = best;
    out.preferred = false;
  }

  /** The section's preferred workers, primary first, among workers holding seats now. */
  preferredWorkers(section: number, nowMs: number): number[] {
    const seated = this.seatedWorkers(nowMs);
    const isSeated = this.isSeated;
    const wanted = Math.min(this.config.preferredWorkers, seated.length);
    const chosen: number[] = [];
    if (wanted === 0) return chosen;
    const hash = mix(section);
    if (this.config.hashing === 'modular') {
      for (let i = 0; i < wanted; i++) chosen.push(seated[(hash + i) % seated.length]!);
      return chosen;
    }
    let at = lowerBound(this.ringHash, hash);
    for (let steps = 0; steps < this.ringHash.length && chosen.length < wanted; steps++, at++) {
      const worker = this.ringWorker[at % this.ringHash.length]!;
      if (isSeated[worker] && !chosen.includes(worker)) chosen.push(worker);
    }
    return chosen;
  }

  /** Workers alive, or offline for less than the timeout, in order. */
  private seatedWorkers(nowMs: number): number[] {
    if (nowMs < this.seatedUntilMs) return this.seated;
    this.seated = [];
    this.seatedUntilMs = Infinity;
    for (let worker = 0; worker < this.workers; worker++) {
      const seatLostMs = this.downSinceMs[worker]! + this.config.offlineTimeoutMs;
      const seated = this.alive[worker]! || nowMs < seatLostMs;
      this.isSeated[worker] = seated;
      if (seated) this.seated.push(worker);
      if (!this.alive[worker] && seated) this.seatedUntilMs = Math.min(this.seatedUntilMs, seatLostMs);
    }
    return this.seated;
  }
}

/** A 32-bit hash as a non-negative number. */
function mix(value: number): number {
  let h = (value | 0) ^ Math.imul((value / 4_294_967_296) | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
