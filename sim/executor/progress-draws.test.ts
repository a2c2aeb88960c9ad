// Checks of the slow-server progress draws (seed 004 section 4.3) against exact moments and mass
// functions, and against literal coin flips per tick.

import { describe, expect, it } from 'vitest';
import { SeededRngSource } from '../random/rng-source.js';
import { hypergeometric, ticksToDoWork, workDoneIn } from './progress-draws.js';

const SAMPLES = 40_000;

function lnFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}
const lnChoose = (n: number, k: number): number => lnFactorial(n) - lnFactorial(k) - lnFactorial(n - k);

/** Largest gap between the empirical and the given mass functions. */
function maxMassGap(draws: readonly number[], mass: (x: number) => number, max: number): number {
  const counts = new Array<number>(max + 1).fill(0);
  for (const x of draws) counts[x]++;
  let gap = 0;
  for (let x = 0; x <= max; x++) gap = Math.max(gap, Math.abs(counts[x] / draws.length - mass(x)));
  return gap;
}

describe('ticksToDoWork', () => {
  it('is the work itself when p = 1, without drawing', () => {
    const rng = { next: (): number => { throw new Error('no draw expected'); } };
    expect(ticksToDoWork(rng, 17, 1)).toBe(17);
  });

  // By inversion, by a sum of geometric draws because p is small, and because p^work underflows.
  it.each([
    [6, 0.3, 200],
    [3, 0.1, 300],
    [1000, 0.5, 2400],
  ])('follows work + NegativeBinomial(work, p) idle ticks for work %i, p %f', (work, p, max) => {
    const rng = new SeededRngSource(work).stream('t');
    const draws = Array.from({ length: SAMPLES }, () => ticksToDoWork(rng, work, p));
    // P(D = d) = C(d-1, work-1) p^work (1-p)^(d-work) for d >= work.
    const mass = (d: number): number =>
      d < work ? 0 : Math.exp(lnChoose(d - 1, work - 1) + work * Math.log(p) + (d - work) * Math.log(1 - p));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(work);
    expect(maxMassGap(draws, mass, max)).toBeLessThan(0.006);
  });
});

describe('hypergeometric', () => {
  // Parameter sets that take each of the symmetry reductions.
  it.each([
    [30, 10, 8],
    [30, 10, 25],
    [30, 25, 8],
    [30, 5, 12],
    [40, 30, 33],
  ])('matches the mass function for N=%i K=%i n=%i', (N, K, n) => {
    const rng = new SeededRngSource(N * 1000 + K * 10 + n).stream('h');
    const draws = Array.from({ length: SAMPLES }, () => hypergeometric(rng, N, K, n));
    const mass = (x: number): number =>
      x < Math.max(0, n + K - N) || x > Math.min(n, K) ? 0 : Math.exp(lnChoose(K, x) + lnChoose(N - K, n - x) - lnChoose(N, n));
    expect(maxMassGap(draws, mass, n)).toBeLessThan(0.008);
  });

  it('handles the degenerate cases without drawing', () => {
    const rng = { next: (): number => { throw new Error('no draw expected'); } };
    expect([hypergeometric(rng, 9, 0, 4), hypergeometric(rng, 9, 9, 4), hypergeometric(rng, 9, 3, 9), hypergeometric(rng, 9, 3, 0)]).toEqual([0, 4, 3, 0]);
  });
});

describe('workDoneIn', () => {
  it('gives the work done after k ticks with the law of literal coin flips, given the item is unfinished', () => {
    const [work, p, k] = [10, 0.4, 15];
    const flips = new SeededRngSource(2).stream('flips');
    const literal: number[] = [];
    while (literal.length < SAMPLES) {
      let done = 0;
      for (let tick = 0; tick < k && done < work; tick++) if (flips.next() < p) done++;
      if (done < work) literal.push(done);
    }
    const rng = new SeededRngSource(3).stream('planned');
    const planned: number[] = [];
    while (planned.length < SAMPLES) {
      const ticks = ticksToDoWork(rng, work, p);
      if (ticks > k) planned.push(workDoneIn(rng, ticks, work, k));
    }
    const counts = new Array<number>(work).fill(0);
    for (const x of literal) counts[x]++;
    expect(maxMassGap(planned, (x) => counts[x] / literal.length, work - 1)).toBeLessThan(0.01);
  });

  it('is all the work once every planned tick is spent', () => {
    const rng = new SeededRngSource(4).stream('w');
    expect(workDoneIn(rng, 12, 5, 12)).toBe(5);
    expect(workDoneIn(rng, 5, 5, 3)).toBe(3);
  });
});
