// Two-sample Kolmogorov–Smirnov test, used to show that the planned executor and the literal one give
// the same latency distributions in slow regimes (seed 004 section 4.3). Kept here rather than in
// sim/metrics/ because the executor's tests are its only user so far.

/** The largest distance between the two samples' empirical distribution functions (ties handled). */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) throw new RangeError('both samples must be non-empty');
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * The asymptotic critical value of the statistic at significance alpha for samples of sizes n and m:
 * c(alpha) * sqrt((n + m) / (n m)) with c(alpha) = sqrt(-ln(alpha / 2) / 2). Conservative for
 * discrete data such as latencies in ticks.
 */
export function ksCriticalValue(n: number, m: number, alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  return Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));
}
