// Zipf-distributed ranks (seed 001 section 2.2: per-node access skew up to exponent 1.39): rank k of
// n (0 = hottest) has probability ∝ 1 / (k + 1)^s. Drawn through an alias table, one random number per
// draw; exponent 0 is uniform.

import type { Rng } from '../../engine/ports.js';
import { buildAlias } from '../workload/cost-model.js';

/** Largest population a Zipf table is built for (16 M ranks, 192 MiB of tables at most). */
export const MAX_ZIPF_RANKS = 1 << 24;

export class ZipfSampler {
  private readonly keep: Float64Array;
  private readonly alias: Int32Array;

  constructor(
    readonly ranks: number,
    readonly exponent: number,
  ) {
    if (!(Number.isInteger(ranks) && ranks >= 1 && ranks <= MAX_ZIPF_RANKS)) throw new RangeError(`Zipf over ${ranks} ranks: expected 1 to ${MAX_ZIPF_RANKS}`);
    this.keep = new Float64Array(ranks);
    for (let k = 0; k < ranks; k++) this.keep[k] = Math.pow(k + 1, -exponent);
    this.alias = buildAlias(this.keep);
  }

  /** A rank in 0 .. ranks-1. */
  draw(rng: Rng): number {
    return this.rankAt(rng.next());
  }

  /** The rank a uniform number in [0, 1) stands for (a common random number, work-draws.ts). */
  rankAt(u: number): number {
    const scaled = u * this.ranks;
    const bucket = Math.floor(scaled);
    return scaled - bucket < this.keep[bucket]! ? bucket : this.alias[bucket]!;
  }
}
