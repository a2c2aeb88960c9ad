// Distributions of what a segment work item uses besides its thread time (issue 8, "cost of a
// query"): CPU time and bytes allocated per segment, each lognormal (median and p99), exponential
// (median) or fixed. A value is drawn by inverting the distribution at one uniform number, so the
// draws can come from the keyed streams of work-draws.ts (common random numbers).

export type UsageDistribution = 'lognormal' | 'exponential' | 'fixed';

export interface UsageSpec {
  readonly distribution: UsageDistribution;
  /** In the quantity's unit (ns, bytes). */
  readonly median: number;
  /** Required by the lognormal (above the median). */
  readonly p99?: number;
}

/** Standard normal quantile at 0.99. */
const Z_P99 = 2.3263478740408408;

export class UsageSampler {
  private readonly sigma: number;

  constructor(private readonly spec: UsageSpec) {
    if (!(spec.median >= 0 && Number.isFinite(spec.median))) throw new RangeError(`median must be finite and >= 0, got ${spec.median}`);
    if (spec.distribution === 'lognormal') {
      if (spec.p99 === undefined || !(spec.p99 > spec.median) || !(spec.median > 0)) {
        throw new RangeError(`a lognormal needs 0 < median < p99, got ${spec.median} and ${spec.p99}`);
      }
      this.sigma = Math.log(spec.p99 / spec.median) / Z_P99;
    } else this.sigma = 0;
  }

  /** The value at uniform u in [0, 1). */
  valueAt(u: number): number {
    const spec = this.spec;
    if (spec.distribution === 'fixed') return spec.median;
    if (spec.distribution === 'exponential') return (-spec.median / Math.LN2) * Math.log(1 - u);
    return spec.median * Math.exp(this.sigma * normalQuantile(u));
  }
}

/**
 * The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9),
 * clamped to (-8.3, 8.3) at u = 0.
 */
export function normalQuantile(u: number): number {
  const p = Math.min(Math.max(u, 1e-16), 1 - 1e-16);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
