// Property tests (seed 004 section 4.3; DESIGN.md "The discrete-time scheduler"): with p = 1 the
// planned executor and the literal one give identical completion ticks and identical observations
// for any schedule of submissions, zero-latency follow-ups and pauses; in every mode and regime each
// task's onTaskDone is called exactly once.
//
// With reads (issue 9), the two issue the same reads at the same ticks, each at the tick its item
// starts (never while it waits in the queue), and agree as well.
//
// Follow-ups of one run are all synchronous or all by Delivery event. Mixing the two reorders them
// when tasks complete at the same tick: in fast mode a Delivery event made by one completion runs
// before the next completion event of that tick, in literal mode after the whole step.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Fault, runPool, type Submission } from './executor-test-kit.js';

const work = fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 4 });

const submission: fc.Arbitrary<Submission> = fc.record(
  { tick: fc.integer({ min: 0, max: 60 }), work, followUp: fc.record({ work, how: fc.constant('sync' as const) }) },
  { requiredKeys: ['tick', 'work'] },
);

const followUpsBy = (submissions: Submission[], how: 'sync' | 'delivery'): Submission[] =>
  submissions.map((s) => (s.followUp === undefined ? s : { ...s, followUp: { work: s.followUp.work, how } }));

const how = fc.constantFrom('sync' as const, 'delivery' as const);

const pause: fc.Arbitrary<Fault> = fc.record({
  tick: fc.integer({ min: 0, max: 80 }),
  kind: fc.constant('pause' as const),
  durationTicks: fc.integer({ min: 0, max: 12 }),
});

const slow: fc.Arbitrary<Fault> = fc.record({
  tick: fc.integer({ min: 0, max: 80 }),
  kind: fc.constant('slow' as const),
  p: fc.constantFrom(0.2, 0.5, 0.9, 1),
});

const END_TICK = 2_000;
const PROBES = Array.from({ length: 120 }, (_, tick) => tick);

describe('planned and literal executors', () => {
  it('give identical completion ticks and observations when p = 1, pauses included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(submission, { maxLength: 25 }),
        fc.array(pause, { maxLength: 4 }),
        how,
        (threads, submissions, faults, followUpHow) => {
          const setup = {
            threads,
            submissions: followUpsBy(submissions, followUpHow),
            faults,
            probeTicks: PROBES,
            endTick: END_TICK,
          };
          const fast = runPool({ ...setup, mode: 'fast' });
          const literal = runPool({ ...setup, mode: 'literal' });
          expect(fast.doneTick).toEqual(literal.doneTick);
          expect(fast.observations).toEqual(literal.observations);
          expect(fast.doneCalls.every((calls) => calls === 1)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('issue the same reads at the same ticks and give identical completions when items read before their work, p = 1', () => {
    // Items with work (an item without work that reads is projected as not holding a thread before
    // the literal step takes it: stepped-executor.ts projectedTakes).
    const busyWork = fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ tick: fc.integer({ min: 0, max: 60 }), work: busyWork }), { maxLength: 25 }),
        fc.array(pause, { maxLength: 4 }),
        fc.integer({ min: 1, max: 7 }),
        (threads, submissions, faults, modulus) => {
          const reads = (task: number, item: number) => (task * 7 + item * 3) % modulus;
          const setup = { threads, submissions, faults, reads, probeTicks: PROBES, endTick: END_TICK };
          const fast = runPool({ ...setup, mode: 'fast' });
          const literal = runPool({ ...setup, mode: 'literal' });
          expect(fast.readsIssued).toEqual(literal.readsIssued);
          expect(fast.doneTick).toEqual(literal.doneTick);
          expect(fast.observations).toEqual(literal.observations);
          // Every item read once.
          expect(fast.readsIssued.length).toBe(submissions.reduce((n, s) => n + s.work.length, 0));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('issue an item\'s reads when it starts, not while it waits behind others', () => {
    // One thread; three tasks at tick 0, each reading 2 ticks: the second starts when the first
    // ends (2 + 10), the third when the second ends (12 + 2 + 5).
    for (const mode of ['fast', 'literal'] as const) {
      const run = runPool({ mode, threads: 1, submissions: [{ tick: 0, work: [10] }, { tick: 0, work: [5] }, { tick: 0, work: [3] }], reads: () => 2, endTick: 100 });
      expect(run.readsIssued).toEqual(['0/0@0', '1/0@12', '2/0@19']);
      expect(run.readsIssuedAtTick).toEqual([0, 12, 19]);
      expect(run.doneTick).toEqual([12, 19, 24]);
    }
  });

  it('issue every read at the tick its item starts, whatever the pauses, slowdowns and cancels', () => {
    const cancel: fc.Arbitrary<Fault> = fc.record({ tick: fc.integer({ min: 0, max: 80 }), kind: fc.constant('cancel' as const), task: fc.integer({ min: 0, max: 10 }) });
    fc.assert(
      fc.property(
        fc.constantFrom('fast' as const, 'literal' as const),
        fc.integer({ min: 1, max: 4 }),
        fc.array(submission, { maxLength: 25 }),
        fc.array(fc.oneof(pause, slow, cancel), { maxLength: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer(),
        (mode, threads, submissions, faults, modulus, seed) => {
          const reads = (task: number, item: number) => (task + 2 * item) % modulus;
          const run = runPool({ mode, threads, submissions: followUpsBy(submissions, 'sync'), faults, reads, seed, endTick: 20_000 });
          const startTicks = run.readsIssued.map((read) => Number(read.split('@')[1]));
          expect(run.readsIssuedAtTick).toEqual(startTicks);
          expect(run.doneCalls.every((calls) => calls <= 1)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('waits for reads without slowing them: a slow server stretches the work, not the reads', () => {
    const run = (mode: 'fast' | 'literal', reads: number) =>
      runPool({ mode, threads: 1, submissions: [{ tick: 0, work: [0] }, { tick: 0, work: [5] }], faults: [{ tick: 0, kind: 'slow', p: 0.5 }], reads: () => reads, endTick: 1_000 });
    for (const mode of ['fast', 'literal'] as const) {
      const noWork = run(mode, 4);
      // The first item has reads only: it holds the thread 4 ticks whatever p is.
      expect(noWork.doneTick[0]).toBe(4);
      expect(noWork.doneTick[1]).toBeGreaterThanOrEqual(4 + 4 + 5);
    }
  });

  it('call onTaskDone exactly once per task in both modes, slow regimes included', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('fast' as const, 'literal' as const),
        fc.integer({ min: 1, max: 4 }),
        fc.array(submission, { maxLength: 25 }),
        fc.array(fc.oneof(pause, slow), { maxLength: 6 }),
        how,
        fc.integer(),
        fc.integer({ min: 0, max: 4 }),
        (mode, threads, submissions, faults, followUpHow, seed, readModulus) => {
          const reads = readModulus === 0 ? undefined : (task: number, item: number) => (task + item) % readModulus;
          const setup = { threads, submissions: followUpsBy(submissions, followUpHow), faults, seed, ...(reads === undefined ? {} : { reads }) };
          const run = runPool({ ...setup, mode, probeTicks: PROBES, endTick: 20_000 });
          expect(run.doneCalls.every((calls) => calls === 1)).toBe(true);
          expect(run.executor.inFlightTasks()).toBe(0);
          // A task whose items have no work may finish in the tick it was submitted.
          for (let i = 0; i < run.doneTick.length; i++) expect(run.doneTick[i]).toBeGreaterThanOrEqual(run.submitTick[i]);
          for (const o of run.observations) {
            expect(o.busyThreads).toBeGreaterThanOrEqual(0);
            expect(o.busyThreads).toBeLessThanOrEqual(threads);
            expect(o.queueDepth).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
