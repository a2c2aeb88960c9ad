// Cancelling a query's work items (DESIGN.md "Seams", work items that do work): both executors drop
// its queued and running items at once, the items behind them move up, the cancelled task is never
// reported done, and what its items used until the cancel comes back. Fast and literal mode agree.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPool, type PoolSetup } from './executor-test-kit.js';

const setup = (mode: 'fast' | 'literal'): PoolSetup => ({
  mode,
  threads: 2,
  submissions: [
    { tick: 0, work: [10, 10] },
    { tick: 0, work: [20, 5, 5] },
    { tick: 1, work: [8] },
    { tick: 2, work: [4, 4] },
  ],
  faults: [
    { tick: 5, kind: 'cancel', task: 1 },
    { tick: 6, kind: 'pause', durationTicks: 3 },
    { tick: 12, kind: 'cancel', task: 3 },
    { tick: 30, kind: 'cancel', task: 0 },
  ],
  probeTicks: [5, 13],
  endTick: 100,
});

describe('executor cancel', () => {
  it('drops a task\'s items, moves the queue up, and agrees between fast and literal mode', () => {
    const fast = runPool(setup('fast'));
    const literal = runPool(setup('literal'));
    expect(fast.doneTick).toEqual(literal.doneTick);
    expect(fast.doneCalls).toEqual([1, 0, 1, 0]);
    expect(fast.observations).toEqual(literal.observations);
    // Task 0 runs ticks 0..9 on both threads, paused 6..8: done at 13. Task 1 never ran (queued
    // behind task 0's items). Task 2 starts at 13, task 3 was cancelled at 12 while queued.
    expect(fast.doneTick).toEqual([13, -1, 21, -1]);
    expect([...fast.cancelledCpuNs.entries()]).toEqual([
      [1, 0],
      [3, 0],
    ]);
    expect([...literal.cancelledCpuNs.entries()]).toEqual([...fast.cancelledCpuNs.entries()]);
    expect(fast.executor.inFlightTasks()).toBe(0);
  });

  it('returns the share of a running item done when it is cancelled', () => {
    for (const mode of ['fast', 'literal'] as const) {
      const run = runPool({ mode, threads: 1, submissions: [{ tick: 0, work: [10] }], faults: [{ tick: 4, kind: 'cancel', task: 0 }], endTick: 50 });
      expect(run.doneCalls).toEqual([0]);
      expect(run.cancelledCpuNs.get(0)).toBeCloseTo(4e5, 6);
      expect(run.executor.busyThreads()).toBe(0);
    }
  });
});

describe('executor cancel, any schedule', () => {
  it('fast and literal mode agree on completions and on what the pool reports, with cancels and pauses', () => {
    const submission = fc.record({
      tick: fc.integer({ min: 0, max: 40 }),
      work: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }),
    });
    fc.assert(
      fc.property(
        fc.array(submission, { minLength: 1, maxLength: 10 }),
        fc.array(fc.record({ tick: fc.integer({ min: 0, max: 60 }), task: fc.integer({ min: 0, max: 9 }) }), { maxLength: 5 }),
        fc.array(fc.record({ tick: fc.integer({ min: 0, max: 60 }), durationTicks: fc.integer({ min: 1, max: 6 }) }), { maxLength: 2 }),
        fc.integer({ min: 1, max: 3 }),
        (submissions, cancels, pauses, threads) => {
          const sorted = [...submissions].sort((a, b) => a.tick - b.tick);
          const faults = [
            ...cancels.map((c) => ({ tick: c.tick, kind: 'cancel' as const, task: c.task })),
            ...pauses.map((p) => ({ tick: p.tick, kind: 'pause' as const, durationTicks: p.durationTicks })),
          ];
          const run = (mode: 'fast' | 'literal') =>
            runPool({ mode, threads, submissions: sorted, faults, probeTicks: [5, 15, 25, 35, 45, 55, 65], endTick: 400 });
          const fast = run('fast');
          const literal = run('literal');
          expect(fast.doneTick).toEqual(literal.doneTick);
          expect(fast.observations).toEqual(literal.observations);
          expect(fast.executor.inFlightTasks()).toBe(0);
          expect([...fast.cancelledCpuNs.keys()].sort()).toEqual([...literal.cancelledCpuNs.keys()].sort());
        },
      ),
      {
        numRuns: 200,
        // Found a cancelled item ending exactly at the cancel tick that a pause then moved, so it
        // counted as running.
        examples: [
          [
            [
              { tick: 0, work: [1] },
              { tick: 12, work: [7] },
              { tick: 12, work: [3, 4] },
            ],
            [{ tick: 21, task: 2 }],
            [
              { tick: 21, durationTicks: 5 },
              { tick: 12, durationTicks: 2 },
            ],
            2,
          ],
        ],
      },
    );
  });
});
