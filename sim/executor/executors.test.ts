// Hand-computed examples for both simulated executors (seed 004 section 4.3): completion ticks,
// spreading over threads, queue depth and busy threads at known ticks, pauses, zero-latency follow-ups.

import { describe, expect, it } from 'vitest';
import { Scheduler } from '../scheduler/scheduler.js';
import { SeededRngSource } from '../random/rng-source.js';
import { runPool, taskOf } from './executor-test-kit.js';
import { PlannedExecutor } from './planned-executor.js';
import { createExecutor } from './simulated-executor.js';
import { SteppedExecutor } from './stepped-executor.js';

const MODES = ['fast', 'literal'] as const;

describe.each(MODES)('executor in %s mode', (mode) => {
  it('is the planned executor in fast mode and the stepped one in literal mode', () => {
    const executor = createExecutor({
      scheduler: new Scheduler(mode),
      rng: new SeededRngSource(1).stream('x'),
      threads: 1,
      workTicks: () => 1,
      sink: { onTaskDone: () => {} },
    });
    expect(executor).toBeInstanceOf(mode === 'fast' ? PlannedExecutor : SteppedExecutor);
  });

  it('runs two tasks one after the other on one thread', () => {
    const run = runPool({ mode, threads: 1, submissions: [{ tick: 0, work: [5] }, { tick: 0, work: [3] }], endTick: 20 });
    expect(run.doneTick).toEqual([5, 8]);
    expect(run.doneCalls).toEqual([1, 1]);
  });

  it('completes a task submitted at tick t with one item of W work at t+W', () => {
    const run = runPool({ mode, threads: 2, submissions: [{ tick: 7, work: [4] }], endTick: 20 });
    expect(run.doneTick).toEqual([11]);
  });

  it('spreads items over threads, FIFO, and reports queue depth and busy threads', () => {
    // Two threads. Task 0 at tick 0: items 4, 2, 3 -> thread A 0..4, thread B 0..2 then 2..5.
    // Task 1 at tick 1: item 1 -> waits for thread A, runs 4..5.
    const run = runPool({
      mode,
      threads: 2,
      submissions: [{ tick: 0, work: [4, 2, 3] }, { tick: 1, work: [1] }],
      probeTicks: [0, 1, 2, 4, 5],
      endTick: 10,
    });
    expect(run.doneTick).toEqual([5, 5]);
    const seen = run.observations.map((o) => [o.tick, o.phase, o.queueDepth, o.busyThreads, o.inFlight]);
    expect(seen).toEqual([
      [0, 'delivery', 1, 2, 1],
      [0, 'sample', 1, 2, 1],
      [1, 'delivery', 2, 2, 2],
      [1, 'sample', 2, 2, 2],
      [2, 'delivery', 1, 2, 2],
      [2, 'sample', 1, 2, 2],
      [4, 'delivery', 0, 2, 2],
      [4, 'sample', 0, 2, 2],
      [5, 'delivery', 0, 0, 2],
      [5, 'sample', 0, 0, 0],
    ]);
  });

  it('shifts completions by the length of a pause in the middle', () => {
    // Task 0 (10 work) runs from 0; the pause stops ticks 3..6, so it completes at 14. Task 1 at 5
    // waits for the thread and runs 14..16.
    const run = runPool({
      mode,
      threads: 1,
      submissions: [{ tick: 0, work: [10] }, { tick: 5, work: [2] }],
      faults: [{ tick: 3, kind: 'pause', durationTicks: 4 }],
      probeTicks: [2, 3, 6, 7],
      endTick: 30,
    });
    expect(run.doneTick).toEqual([14, 16]);
    expect(run.observations.filter((o) => o.phase === 'sample').map((o) => o.paused)).toEqual([false, true, true, false]);
    expect(run.observations.find((o) => o.tick === 6 && o.phase === 'sample')?.busyThreads).toBe(1);
  });

  it('extends overlapping pauses to the latest end', () => {
    // Pauses 3..6 and 5..9 stop ticks 3..9: seven ticks.
    const run = runPool({
      mode,
      threads: 1,
      submissions: [{ tick: 0, work: [10] }],
      faults: [
        { tick: 3, kind: 'pause', durationTicks: 4 },
        { tick: 5, kind: 'pause', durationTicks: 5 },
        { tick: 6, kind: 'pause', durationTicks: 1 },
      ],
      endTick: 30,
    });
    expect(run.doneTick).toEqual([17]);
  });

  it('holds back a completion due at the first paused tick', () => {
    const run = runPool({
      mode,
      threads: 2,
      submissions: [{ tick: 0, work: [5, 5] }, { tick: 6, work: [1] }],
      faults: [{ tick: 5, kind: 'pause', durationTicks: 2 }],
      probeTicks: [5, 6],
      endTick: 30,
    });
    expect(run.doneTick).toEqual([7, 8]);
    expect(run.observations.map((o) => o.queueDepth)).toEqual([0, 0, 1, 1]);
    expect(run.observations.map((o) => o.busyThreads)).toEqual([2, 2, 2, 2]);
  });

  it('starts a zero-latency follow-up submitted after a completion at the next tick', () => {
    const run = runPool({
      mode,
      threads: 1,
      submissions: [
        { tick: 0, work: [3], followUp: { work: [2], how: 'sync' } },
        { tick: 10, work: [3], followUp: { work: [2], how: 'delivery' } },
      ],
      endTick: 30,
    });
    expect(run.doneTick).toEqual([3, 6, 13, 16]); // tasks in submission order, follow-ups included
  });

  it('keeps completion ticks exact through growth of its records after they wrapped around', () => {
    // Two threads; 12 tasks of work 2+2 complete by tick 24, then 300 tasks of 1+1+1 at tick 30
    // run in pairs of items: task k (0-based) completes when its third item does.
    const submissions = [
      ...Array.from({ length: 12 }, () => ({ tick: 0, work: [2, 2] })),
      ...Array.from({ length: 300 }, () => ({ tick: 30, work: [1, 1, 1] })),
    ];
    const run = runPool({ mode, threads: 2, submissions, endTick: 2_000 });
    expect(run.doneTick.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, k) => 2 * (k + 1)));
    expect(run.doneTick.slice(12)).toEqual(Array.from({ length: 300 }, (_, k) => 30 + Math.floor((3 * k + 2) / 2) + 1));
  });

  it('keeps the progress probability and rejects bad arguments', () => {
    const run = runPool({ mode, threads: 1, submissions: [], faults: [{ tick: 0, kind: 'slow', p: 0.4 }], endTick: 1 });
    expect(run.executor.progressProbability()).toBe(0.4);
    expect(() => run.executor.setProgressProbability(0)).toThrow(RangeError);
    expect(() => run.executor.pauseFor(-1)).toThrow(RangeError);
    expect(() => run.executor.submit(taskOf(0, 0))).toThrow(RangeError);
    expect(run.executor.inFlightTasks()).toBe(0);
  });
});

describe.each(MODES)('slowdown applied at item start in %s mode (C3 simulator rule)', (mode) => {
  it('fixes an item\'s duration when it starts: a later slowdown does not reach it, later items take work / p', () => {
    // One thread; p = 0.5 from tick 5. Item A (10) started at 0 keeps its end, 10; item B (10)
    // starts at 10 and takes exactly 20 ticks; per tick, A would have been slowed too.
    const slowAt5 = [{ tick: 5, kind: 'slow' as const, p: 0.5 }];
    const submissions = [{ tick: 0, work: [10] }, { tick: 0, work: [10] }];
    const atStart = runPool({ mode, threads: 1, submissions, faults: slowAt5, slowdown: 'atItemStart', endTick: 200 });
    expect(atStart.doneTick).toEqual([10, 30]);
    const perTick = runPool({ mode, threads: 1, submissions, faults: slowAt5, endTick: 200, seed: 4 });
    expect(perTick.doneTick[0]).toBeGreaterThan(10);
  });

  it('rounds work / p up or down in proportion, keeping its mean', () => {
    // 400 items of 3 ticks at p = 0.4: 7.5 ticks each on average, so 7 or 8, about half each.
    const submissions = Array.from({ length: 400 }, () => ({ tick: 0, work: [3] }));
    const run = runPool({ mode, threads: 1, submissions, faults: [{ tick: 0, kind: 'slow', p: 0.4 }], slowdown: 'atItemStart', endTick: 10_000 });
    const durations = run.doneTick.map((done, i) => done - (i === 0 ? 0 : run.doneTick[i - 1]));
    expect(new Set(durations)).toEqual(new Set([7, 8]));
    const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
    // Standard error 0.5 / sqrt(400) = 0.025.
    expect(Math.abs(mean - 7.5)).toBeLessThan(0.1);
  });
});
