// The accounting sampler (seed 004 section 2.3): it charges each workload what the threads' running
// items used since it last saw them, and loses what an item did after the last sample that saw it.

import { describe, expect, it } from 'vitest';
import { asQuery } from '../ids.js';
import type { RunningItemVisitor, ServerTask } from '../ports.js';
import { ManualClock } from '../routing/test-doubles.js';
import { serverTask } from './workload-test-kit.js';
import { ResourceAccountant } from './resource-accountant.js';

const task = serverTask;

/** Items running from startMs for durationMs, using cpuNs evenly; one thread each. */
function threads(clock: ManualClock, items: { key: number; task: ServerTask; startMs: number; durationMs: number; cpuNs: number }[]) {
  return {
    forEachRunningItem(visit: RunningItemVisitor): void {
      const now = clock.now();
      for (const item of items) {
        if (now < item.startMs || now >= item.startMs + item.durationMs) continue;
        const done = (now - item.startMs) / item.durationMs;
        visit(item.task, item.key, item.cpuNs * done, 1000 * done);
      }
    },
  };
}

describe('ResourceAccountant', () => {
  it('charges deltas per workload and loses the tail of an item after its last sample', () => {
    const clock = new ManualClock();
    const charged = new Map<string, number>();
    const accountant = new ResourceAccountant({
      clock,
      threads: threads(clock, [
        { key: 1, task: task(1, 0), startMs: 0, durationMs: 10, cpuNs: 10e6 },
        { key: 2, task: task(2, 1), startMs: 1, durationMs: 2, cpuNs: 2e6 },
        { key: 3, task: task(3, 1), startMs: 10.5, durationMs: 1, cpuNs: 1e6 },
      ]),
      samplingPeriodMs: 4,
      workloadOf: (t) => (t.classIndex === 0 ? 'a' : 'b'),
      charge: (workload, cpuNs) => charged.set(workload, (charged.get(workload) ?? 0) + cpuNs),
    });
    accountant.start();
    clock.advanceTo(20);
    // Item 1 is seen at 4 and 8 ms (8 ms of its 10 ms); item 2 (1-3 ms) and item 3 (10.5-11.5 ms)
    // start and end between samples and are never seen.
    expect(charged.get('a')).toBeCloseTo(8e6, 0);
    expect(charged.has('b')).toBe(false);
    expect(accountant.measuredByWorkload.get('a')!.cpuNs).toBeCloseTo(8e6, 0);
    expect(accountant.queriesOf('a')).toEqual([1]);
    accountant.forget(asQuery(1));
    expect(accountant.runningQueries()).toEqual([]);
    accountant.stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('at a period shorter than every item it misses only the tail after the last sample', () => {
    const clock = new ManualClock();
    let charged = 0;
    const accountant = new ResourceAccountant({
      clock,
      threads: threads(clock, [{ key: 1, task: task(1, 0), startMs: 0.5, durationMs: 10, cpuNs: 10e6 }]),
      samplingPeriodMs: 1,
      workloadOf: () => 'a',
      charge: (_w, cpuNs) => (charged += cpuNs),
    });
    accountant.start();
    clock.advanceTo(30);
    expect(charged).toBeCloseTo(9.5e6, 0); // seen last at 10 ms: 0.5 ms of 10 lost
  });
});
