// Arrival processes of a query class (seed 004 section 4.3: "new queries arrive according to the
// configured QPS and workload pattern"): fixed-rate or Poisson, with a piecewise-constant rate over
// time. Both draw the next arrival by inverting the cumulative intensity Λ(t): the next arrival after
// t is at Λ⁻¹(Λ(t) + g), with g = 1 for fixed-rate and g ~ Exp(1) for Poisson (time rescaling), which
// is exact for a piecewise-constant rate.

import type { Rng } from '../../engine/ports.js';

export type ArrivalKind = 'poisson' | 'fixed';

/** The rate is `qps` from `atMs` until the next piece starts. */
export interface RatePiece {
  readonly atMs: number;
  readonly qps: number;
}

export class ArrivalProcess {
  private readonly pieces: readonly RatePiece[];
  /** Λ at the start of each piece, in expected arrivals. */
  private readonly intensityAtStart: Float64Array;
  private piece = 0;
  private lastMs: number;

  constructor(
    private readonly kind: ArrivalKind,
    pieces: readonly RatePiece[],
    private readonly rng: Rng,
  ) {
    if (pieces.length === 0) throw new Error('an arrival process needs at least one rate piece');
    this.pieces = pieces[0].atMs > 0 ? [{ atMs: 0, qps: 0 }, ...pieces] : pieces;
    this.intensityAtStart = new Float64Array(this.pieces.length);
    for (let i = 1; i < this.pieces.length; i++) {
      const previous = this.pieces[i - 1];
      this.intensityAtStart[i] = this.intensityAtStart[i - 1] + ((this.pieces[i].atMs - previous.atMs) * previous.qps) / 1000;
    }
    this.lastMs = 0;
    if (kind === 'fixed') this.lastMs = this.advance(0, 0.5);
  }

  /**
   * The time of the next arrival in ms, or Infinity if none comes. Fixed-rate arrivals are offset by
   * half an interval so that the first does not land at time 0 for every class at once.
   */
  next(): number {
    if (this.kind === 'fixed') {
      const at = this.lastMs;
      this.lastMs = this.advance(at, 1);
      return at;
    }
    const gap = -Math.log(1 - this.rng.next());
    this.lastMs = this.advance(this.lastMs, gap);
    return this.lastMs;
  }

  /** The time at which `expected` more arrivals are expected after `fromMs`. */
  private advance(fromMs: number, expected: number): number {
    const pieces = this.pieces;
    let i = this.piece;
    while (i + 1 < pieces.length && pieces[i + 1].atMs <= fromMs) i++;
    let target = this.intensityAt(i, fromMs) + expected;
    for (;;) {
      const isLast = i + 1 === pieces.length;
      const qps = pieces[i].qps;
      const endIntensity = isLast ? Infinity : this.intensityAtStart[i + 1];
      if (target <= endIntensity) {
        if (qps === 0) {
          if (isLast) return Infinity;
        } else {
          this.piece = i;
          return pieces[i].atMs + ((target - this.intensityAtStart[i]) * 1000) / qps;
        }
      }
      if (isLast) return Infinity;
      i++;
    }
  }

  private intensityAt(piece: number, atMs: number): number {
    const p = this.pieces[piece];
    return this.intensityAtStart[piece] + ((atMs - p.atMs) * p.qps) / 1000;
  }
}
