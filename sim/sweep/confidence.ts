// Mean and confidence interval across a point's replicates: the Student t interval
// mean ± t(1 - (1 - c) / 2, n - 1) · s / sqrt(n), with the t quantile found by bisection on the
// t distribution's CDF (through the regularised incomplete beta function, continued fraction as in
// Numerical Recipes 6.4). One replicate has a mean but no interval.

import { gammaln } from 'simple-statistics';

export interface Interval {
  readonly n: number;
  readonly mean: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

const CONTINUED_FRACTION_STEPS = 300;
const BISECTION_STEPS = 200;

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= CONTINUED_FRACTION_STEPS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The t with P(T <= t) = p, for p in (0.5, 1). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0.5 && p < 1) || !(df > 0)) throw new RangeError(`t quantile of p=${p}, df=${df}`);
  let low = 0;
  let high = 1;
  while (studentTCdf(high, df) < p) high *= 2;
  for (let i = 0; i < BISECTION_STEPS && high - low > 1e-12 * high; i++) {
    const middle = (low + high) / 2;
    if (studentTCdf(middle, df) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** Rounds a figure for the sweep's tables (6 significant digits). */
function round(value: number): number {
  const rounded = Number(value.toPrecision(6));
  return rounded === 0 ? 0 : rounded;
}

/** Mean and `confidence` interval of the values that are not null. */
export function meanInterval(values: readonly (number | null)[], confidence: number): Interval {
  const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
  const n = present.length;
  if (n === 0) return { n, mean: null, low: null, high: null };
  const mean = present.reduce((sum, value) => sum + value, 0) / n;
  if (n === 1) return { n, mean: round(mean), low: null, high: null };
  const variance = present.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * Math.sqrt(variance / n);
  return { n, mean: round(mean), low: round(mean - halfWidth), high: round(mean + halfWidth) };
}
