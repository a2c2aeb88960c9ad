// Read sizes as a mixture of bands, log-uniform within each (seed 001 section 2.2: over half of the
// reads under 10 KB, nine in ten under 1 MB, from Uber's HDFS traces). A draw takes two random numbers.

import type { Rng } from '../../engine/ports.js';

export interface ReadSizeBand {
  readonly weight: number;
  readonly minBytes: number;
  readonly maxBytes: number;
}

export class ReadSizeMixture {
  private readonly cumulative: Float64Array;

  constructor(private readonly bands: readonly ReadSizeBand[]) {
    if (bands.length === 0) throw new RangeError('a read size mixture needs at least one band');
    this.cumulative = new Float64Array(bands.length);
    let total = 0;
    bands.forEach((band, i) => {
      total += band.weight;
      this.cumulative[i] = total;
    });
    for (let i = 0; i < bands.length; i++) this.cumulative[i]! /= total;
  }

  /** A whole number of bytes, at least 1. */
  draw(rng: Rng): number {
    const u = rng.next();
    let i = 0;
    while (i < this.bands.length - 1 && u >= this.cumulative[i]!) i++;
    const band = this.bands[i]!;
    const logMin = Math.log(band.minBytes);
    const bytes = Math.exp(logMin + rng.next() * (Math.log(band.maxBytes) - logMin));
    return Math.max(1, Math.round(bytes));
  }
}
