import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRngSource } from '../random/rng-source.js';
import { ArrivalProcess, type RatePiece } from './arrival-process.js';

function arrivalsUntil(process: ArrivalProcess, endMs: number): number[] {
  const times: number[] = [];
  for (let t = process.next(); t <= endMs && Number.isFinite(t); t = process.next()) times.push(t);
  return times;
}

describe('ArrivalProcess', () => {
  it('fixed-rate arrivals are evenly spaced, offset by half an interval', () => {
    const process = new ArrivalProcess('fixed', [{ atMs: 0, qps: 1000 }], new SeededRngSource(1).stream('a'));
    expect(arrivalsUntil(process, 4)).toEqual([0.5, 1.5, 2.5, 3.5]);
  });

  it('follows a piecewise rate, including a silent piece', () => {
    const pieces: RatePiece[] = [
      { atMs: 0, qps: 1000 },
      { atMs: 10, qps: 0 },
      { atMs: 20, qps: 2000 },
    ];
    const times = arrivalsUntil(new ArrivalProcess('fixed', pieces, new SeededRngSource(1).stream('a')), 30);
    expect(times.filter((t) => t < 10)).toHaveLength(10);
    expect(times.filter((t) => t >= 10 && t < 20)).toHaveLength(0);
    expect(times.filter((t) => t >= 20)).toHaveLength(20);
  });

  it('a rate that drops to zero for good ends the arrivals', () => {
    const pieces: RatePiece[] = [
      { atMs: 0, qps: 1000 },
      { atMs: 5, qps: 0 },
    ];
    const process = new ArrivalProcess('poisson', pieces, new SeededRngSource(3).stream('a'));
    const times = arrivalsUntil(process, Infinity);
    expect(times.every((t) => t < 5)).toBe(true);
  });

  it('Poisson arrivals have the configured mean rate in every piece', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 200, max: 3000 }), (seed, qps) => {
        const pieces = [
          { atMs: 0, qps },
          { atMs: 10_000, qps: qps / 2 },
        ];
        const times = arrivalsUntil(new ArrivalProcess('poisson', pieces, new SeededRngSource(seed).stream('a')), 20_000);
        const first = times.filter((t) => t < 10_000).length;
        const second = times.length - first;
        // Ten-second pieces: the counts are within 5 standard deviations of their means.
        expect(Math.abs(first - qps * 10)).toBeLessThan(5 * Math.sqrt(qps * 10));
        expect(Math.abs(second - qps * 5)).toBeLessThan(5 * Math.sqrt(qps * 5));
        for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
      }),
      { numRuns: 20 },
    );
  });
});
