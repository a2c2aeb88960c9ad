// Per-tenant token buckets in front of an executor (seed 003 section 4.5): a workload's tasks go on
// while its bucket holds tokens, wait in order while it is empty and go on as it refills; every task
// deducts exactly its CPU time in the end; a killed query's waiting tasks are dropped.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asQuery } from '../ids.js';
import type { CancelledTask, RunningItemVisitor, SegmentExecutor, ServerTask } from '../ports.js';
import { ManualClock } from '../routing/test-doubles.js';
import { serverTask } from './workload-test-kit.js';
import { TokenBucket } from './token-bucket.js';
import { TokenBucketGate } from './token-bucket-gate.js';

const task = serverTask;

/** An executor that only records what it was given. */
class RecordingExecutor implements SegmentExecutor {
  readonly submitted: ServerTask[] = [];
  submit(t: ServerTask): void {
    this.submitted.push(t);
  }
  queueDepth(): number {
    return 0;
  }
  busyThreads(): number {
    return 0;
  }
  forEachRunningItem(_visit: RunningItemVisitor): void {}
  cancel(): CancelledTask[] {
    return [];
  }
}

function gate(capacityMs: number, refillMsPerSecond: number) {
  const clock = new ManualClock();
  const inner = new RecordingExecutor();
  const bucket = new TokenBucket(clock, capacityMs, refillMsPerSecond);
  // Class 0 is workload "w" (with a bucket), class 1 workload "free" (without).
  const g = new TokenBucketGate(inner, clock, new Map([['w', bucket]]), (t) => (t.classIndex === 0 ? 'w' : 'free'));
  return { clock, inner, bucket, gate: g };
}

describe('TokenBucketGate', () => {
  it('lets tasks through while tokens last, then queues them in order until the bucket refills', () => {
    const { clock, inner, gate: g } = gate(10, 100);
    g.submit(task(1, 0));
    g.onTaskEnded(task(1, 0), { cpuNs: 30e6, allocatedBytes: 0 });
    // 10 - 30 = -20 ms of tokens: the next two wait; a workload without a bucket does not.
    g.submit(task(2, 0));
    g.submit(task(3, 0));
    g.submit(task(4, 1));
    expect(inner.submitted.map((t) => t.queryId)).toEqual([1, 4]);
    expect(g.queueDepth()).toBe(2);
    clock.advanceTo(150);
    // 20 ms owed at 100 ms/s: positive again after 200 ms.
    expect(inner.submitted.map((t) => t.queryId)).toEqual([1, 4]);
    clock.advanceTo(201);
    // Task 2 goes on, charged the mean so far (30 ms) in advance: the bucket is empty again, 3 waits.
    expect(inner.submitted.map((t) => t.queryId)).toEqual([1, 4, 2]);
    expect(g.waitingTasks()).toBe(1);
    expect(g.cancel(asQuery(3)).map((c) => [c.task.queryId, c.usage.cpuNs])).toEqual([[3, 0]]);
    expect(g.waitingTasks()).toBe(0);
    expect(g.queueDepth()).toBe(0);
  });

  it('in the end every task deducts exactly its CPU time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 30 }), (cpuMs) => {
        const { clock, inner, bucket, gate: g } = gate(1e9, 1e-6);
        cpuMs.forEach((_, i) => g.submit(task(i, 0)));
        expect(inner.submitted.length).toBe(cpuMs.length);
        cpuMs.forEach((ms, i) => g.onTaskEnded(task(i, 0), { cpuNs: ms * 1e6, allocatedBytes: 0 }));
        clock.advanceTo(0);
        expect(bucket.level()).toBeCloseTo(1e9 - cpuMs.reduce((a, b) => a + b, 0), 3);
      }),
    );
  });
});
