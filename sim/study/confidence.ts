// Figures over seeds (issue 6: every figure of the ADSS study from at least five seeds with a 95 %
// confidence interval): the mean and the half-width of Student's t interval, t at 0.975 with n - 1
// degrees of freedom. Seeds whose figure is null (nothing to measure) are left out and counted.

/** Two-sided 95 % Student t quantiles for 1 .. 30 degrees of freedom; 1.96 beyond. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101,
  2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export interface Estimate {
  /** Seeds with a value. */
  readonly n: number;
  /** Seeds without one (null). */
  readonly missing: number;
  readonly mean: number | null;
  /** Half-width of the 95 % confidence interval of the mean; null below two values. */
  readonly halfWidth: number | null;
}

export function estimate(values: readonly (number | null)[]): Estimate {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = present.length;
  const missing = values.length - n;
  if (n === 0) return { n, missing, mean: null, halfWidth: null };
  const mean = present.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, missing, mean, halfWidth: null };
  const variance = present.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const t = n - 1 <= T_975.length ? T_975[n - 2] : 1.96;
  return { n, missing, mean, halfWidth: (t * Math.sqrt(variance)) / Math.sqrt(n) };
}

/** "0.45 ± 0.03", with `digits` decimals; "–" when there is no value. */
export function formatEstimate(e: Estimate, digits = 2, scale = 1, unit = ''): string {
  if (e.mean === null) return '–';
  const mean = (e.mean * scale).toFixed(digits);
  const ci = e.halfWidth === null ? '' : ` ± ${(e.halfWidth * scale).toFixed(digits)}`;
  return `${mean}${ci}${unit}`;
}
