// Common random numbers for the work of a query (DESIGN.md "Seams": common random numbers; issue 10's
// fair comparisons): every uniform number that decides a segment's work is a pure function of
// (seed, query, segment, draw index), not the next value of a stream consumed as work is submitted.
// Two runs that differ only in a policy (a selector, a placement) see the same arrivals (the arrival
// streams depend on the seed and the class) and so the same query ids, and now the same work for
// every (query, segment), whichever server runs it and in whatever order.
//
// The function is a counter-based hash, chosen for speed (a few integer multiplies per number) over
// cryptographic quality: Chris Wellons' "lowbias32" 32-bit finaliser (x ^= x >>> 16; x *= 0x7feb352d;
// x ^= x >>> 15; x *= 0x846ca68b; x ^= x >>> 16), chained over the words of the key, each word added
// to the running state before a round. A draw index selects one of several independent numbers per
// (query, segment): 0-1 for the cost's 53-bit uniform, 2 for its rounding; later users (reads,
// allocations) take further indexes. Tested for uniformity and for independence between neighbouring
// keys in work-draws.test.ts.

const GOLDEN = 0x9e3779b9;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** Wellons' lowbias32: a bijective 32-bit mixer with low bias. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The uniform numbers of a run's work, keyed by (query, segment, index). */
export class WorkDraws {
  private readonly seedState: number;
  /**
   * The query's part of the key (two of its three rounds), kept for the query asked last: a query's
   * requests and their segments are drawn one after another, so most keys need only the last round.
   */
  private lastQuery = NaN;
  private lastQueryState = 0;

  constructor(seed: number) {
    // Seeds are integers ≥ 0 (scenario schema); both 32-bit halves take part.
    const low = seed >>> 0;
    const high = Math.floor(seed / TWO_POW_32) >>> 0;
    this.seedState = mix32(mix32(low + GOLDEN) + high);
  }

  /** The state of the key (query, segment), from which its draws are taken (computed once per item). */
  key(query: number, segment: number): number {
    if (query !== this.lastQuery) {
      const h = mix32(this.seedState + (query >>> 0));
      this.lastQueryState = mix32(h + Math.floor(query / TWO_POW_32) + GOLDEN);
      this.lastQuery = query;
    }
    return mix32(this.lastQueryState + (segment >>> 0));
  }

  /** The 32 bits of draw `index` of a key. */
  bits(key: number, index: number): number {
    return mix32(key + Math.imul(index + 1, GOLDEN));
  }

  /** A uniform number in [0, 1) with 32 bits, from draw `index` of a key. */
  uniform32(key: number, index: number): number {
    return this.bits(key, index) / TWO_POW_32;
  }

  /** A uniform number in [0, 1) with 53 bits, from draws `index` and `index + 1` of a key. */
  uniform53(key: number, index: number): number {
    return ((this.bits(key, index) >>> 11) * TWO_POW_32 + this.bits(key, index + 1)) / TWO_POW_53;
  }
}
