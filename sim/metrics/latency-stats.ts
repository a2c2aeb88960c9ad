// Percentiles and rounding for the run summary (DESIGN.md, "What a run produces"). Percentiles are
// nearest-rank, so every reported percentile is a latency some query really had; figures are
// rounded to 4 decimals, deterministically, so the summary reads well and compares byte for byte.

export interface LatencyStats {
  count: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

/** Rounds a figure to 4 decimals (never -0), or passes null through. */
export function roundFigure(value: number): number;
export function roundFigure(value: number | null): number | null;
export function roundFigure(value: number | null): number | null {
  if (value === null) return null;
  const rounded = Math.round(value * 1e4) / 1e4;
  return rounded === 0 ? 0 : rounded;
}

/**
 * Nearest-rank quantile of ascending `sorted`: the smallest value with at least a fraction q of the
 * values at or below it. Null for no values.
 */
export function quantileSorted(sorted: Float64Array, q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile ${q} outside (0, 1]`);
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** Count, mean, p50/p95/p99/p99.9 and max of `valuesMs`, sorted in place. */
export function latencyStatsSortingInPlace(valuesMs: Float64Array): LatencyStats {
  valuesMs.sort();
  let sumMs = 0;
  for (let i = 0; i < valuesMs.length; i++) sumMs += valuesMs[i];
  const count = valuesMs.length;
  return {
    count,
    mean: count === 0 ? null : roundFigure(sumMs / count),
    p50: roundFigure(quantileSorted(valuesMs, 0.5)),
    p95: roundFigure(quantileSorted(valuesMs, 0.95)),
    p99: roundFigure(quantileSorted(valuesMs, 0.99)),
    p999: roundFigure(quantileSorted(valuesMs, 0.999)),
    max: count === 0 ? null : roundFigure(valuesMs[count - 1]),
  };
}

/** Values of `valuesMs` at the rows where `keep` is set, as a fresh array. */
export function selectRows(valuesMs: Float64Array, keep: (row: number) => boolean): Float64Array {
  const selected = new Float64Array(valuesMs.length);
  let n = 0;
  for (let row = 0; row < valuesMs.length; row++) if (keep(row)) selected[n++] = valuesMs[row];
  return selected.slice(0, n);
}
