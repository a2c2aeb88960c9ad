// How a measured figure is held against a paper's (issue 10, "agrees / disagrees / undetermined,
// honestly"): the twin's figure is a mean over seeds with its 95 % confidence interval; it agrees when
// the whole interval lies inside the paper's range, disagrees when the whole interval lies outside,
// and is undetermined when the interval straddles a bound of the range (more seeds may decide it) or
// when nothing was measured. One seed gives no interval: the mean is then held as a point, and the
// reason says so.

import type { Estimate } from '../study/confidence.js';

export type Verdict = 'agrees' | 'disagrees' | 'undetermined';

/** A range of the paper's figure; an open end is Infinity or -Infinity. */
export interface PaperRange {
  readonly low: number;
  readonly high: number;
}

export interface Measured {
  readonly mean: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** Seeds with a value. */
  readonly n: number;
}

export interface Judgement {
  readonly verdict: Verdict;
  readonly why: string;
}

export function measured(e: Estimate): Measured {
  if (e.mean === null) return { mean: null, low: null, high: null, n: e.n };
  const half = e.halfWidth ?? 0;
  return { mean: e.mean, low: e.mean - half, high: e.mean + half, n: e.n };
}

/** The range as an interval, e.g. `[50.0 %, 80.0 %]` or `[100.0 %, ∞)`. */
export function rangeText(range: PaperRange, format: (x: number) => string): string {
  const low = Number.isFinite(range.low) ? `[${format(range.low)}` : '(-∞';
  const high = Number.isFinite(range.high) ? `${format(range.high)}]` : '∞)';
  return `${low}, ${high}`;
}

/** The verdict of `value` against the paper's `range`. */
export function judgeAgainstRange(value: Measured, range: PaperRange, format: (x: number) => string = String): Judgement {
  if (value.mean === null || value.low === null || value.high === null) return { verdict: 'undetermined', why: 'nothing was measured' };
  const interval = value.n < 2 ? `${format(value.mean)} (one seed, no interval)` : `the interval [${format(value.low)}, ${format(value.high)}]`;
  const paper = rangeText(range, format);
  if (value.low >= range.low && value.high <= range.high) return { verdict: 'agrees', why: `${interval} lies within ${paper}` };
  if (value.high < range.low || value.low > range.high) return { verdict: 'disagrees', why: `${interval} lies outside ${paper}` };
  return { verdict: 'undetermined', why: `${interval} straddles a bound of ${paper}` };
}
