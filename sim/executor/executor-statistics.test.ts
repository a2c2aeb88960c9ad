// Slow regimes (seed 004 section 4.3: a slow server's threads progress in a tick with probability p):
// the planned executor and the literal one must agree in distribution. Both run the same submissions
// and faults with different progress streams; their latency distributions are compared by mean and by
// a two-sample Kolmogorov–Smirnov test at the 0.1 % level.

import { describe, expect, it } from 'vitest';
import type { Rng } from '../../engine/ports.js';
import { SeededRngSource } from '../random/rng-source.js';
import { type Fault, runPool, type Submission } from './executor-test-kit.js';
import { ksCriticalValue, ksStatistic } from './ks-test.js';

const ALPHA = 0.001;

function latencies(run: { doneTick: number[]; submitTick: number[] }): number[] {
  return run.doneTick.map((done, i) => done - run.submitTick[i]);
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

function workOf(rng: Rng): number[] {
  const items = 1 + Math.floor(rng.next() * 4);
  return Array.from({ length: items }, () => 5 + Math.floor(rng.next() * 36));
}

function compare(submissions: Submission[], faults: Fault[], threads: number, endTick: number): void {
  const fast = latencies(runPool({ mode: 'fast', threads, submissions, faults, seed: 11, endTick }));
  const literal = latencies(runPool({ mode: 'literal', threads, submissions, faults, seed: 12, endTick }));
  expect(fast.every((l) => l > 0) && literal.every((l) => l > 0)).toBe(true);
  expect(Math.abs(mean(fast) / mean(literal) - 1)).toBeLessThan(0.03);
  expect(ksStatistic(fast, literal)).toBeLessThan(ksCriticalValue(fast.length, literal.length, ALPHA));
}

describe('planned and literal executors in slow regimes', () => {
  it('agree on latencies under steady load with regime changes and pauses', () => {
    // 3000 tasks at about half load on 4 threads; healthy, then p = 0.5, then p = 0.8, with a 3 ms
    // pause every 500 ms.
    const rng = new SeededRngSource(7).stream('schedule');
    const submissions: Submission[] = [];
    let tick = 0;
    for (let i = 0; i < 3000; i++) {
      tick += 1 + Math.floor(-Math.log(1 - rng.next()) * 50);
      submissions.push({ tick, work: workOf(rng) });
    }
    const faults: Fault[] = [
      { tick: Math.floor(tick / 3), kind: 'slow', p: 0.5 },
      { tick: Math.floor((2 * tick) / 3), kind: 'slow', p: 0.8 },
    ];
    for (let t = 2_500; t < tick; t += 5_000) faults.push({ tick: t, kind: 'pause', durationTicks: 30 });
    compare(submissions, faults, 4, tick + 100_000);
  });

  it('agree on latencies when p changes while items run and wait', () => {
    // 1500 independent episodes on 2 threads: three tasks at once, p switches mid-flight between 0.3
    // and 0.8 (both directions), then a short pause.
    const rng = new SeededRngSource(8).stream('schedule');
    const submissions: Submission[] = [];
    const faults: Fault[] = [];
    for (let e = 0; e < 1500; e++) {
      const start = e * 1_000;
      const [before, after] = e % 2 === 0 ? [0.3, 0.8] : [0.8, 0.3];
      faults.push({ tick: start, kind: 'slow', p: before });
      for (let i = 0; i < 3; i++) submissions.push({ tick: start, work: workOf(rng) });
      faults.push({ tick: start + 15 + (e % 7), kind: 'slow', p: after });
      faults.push({ tick: start + 40, kind: 'pause', durationTicks: 5 });
    }
    compare(submissions, faults, 2, 1_500 * 1_000 + 10_000);
  });
});
