// The planned executors of one scheduler share flat memory (executor-memory.ts): rings of several
// servers growing in turn, and rings given back and taken again, must not mix one server's items or
// tasks with another's. Checked against the literal executors, which keep their own.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRngSource } from '../random/rng-source.js';
import { Phase, Scheduler, type SchedulerMode } from '../scheduler/scheduler.js';
import { ExecutorMemory } from './executor-memory.js';
import { taskOf } from './executor-test-kit.js';
import { createExecutor, type SimulatedExecutor } from './simulated-executor.js';

interface Burst {
  readonly tick: number;
  readonly server: number;
  readonly works: readonly (readonly number[])[];
}

/** "server/task@tick" for each task completed, sorted (servers completing at one tick may report in either order). */
function run(mode: SchedulerMode, servers: number, bursts: readonly Burst[]): string[] {
  const scheduler = new Scheduler(mode);
  const rngs = new SeededRngSource(1);
  const works: (readonly number[])[] = [];
  const done: string[] = [];
  const executors: SimulatedExecutor[] = [];
  for (let s = 0; s < servers; s++) {
    executors.push(
      createExecutor({
        scheduler,
        rng: rngs.stream(`server/${s}`),
        threads: 1 + (s % 3),
        workTicks: (task, i) => works[task.queryId][i],
        sink: { onTaskDone: (task) => done.push(`${s}/${task.queryId}@${scheduler.now}`) },
      }),
    );
  }
  for (const burst of bursts) {
    scheduler.at(burst.tick, Phase.Delivery, () => {
      for (const work of burst.works) {
        works.push(work);
        executors[burst.server].submit(taskOf(works.length - 1, work.length));
      }
    });
  }
  // Past the last burst by all the work there is: every task has completed by then.
  scheduler.runUntil(300 + bursts.flatMap((b) => b.works.flat()).reduce((sum, w) => sum + w, 1));
  return done.sort();
}

const burst = (servers: number): fc.Arbitrary<Burst> =>
  fc.record({
    tick: fc.integer({ min: 0, max: 300 }),
    server: fc.integer({ min: 0, max: servers - 1 }),
    works: fc.array(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 20 }),
  });

describe('planned executors in shared memory', () => {
  it('complete every task as the literal executors do while their rings grow in turn', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }).chain((servers) => fc.tuple(fc.constant(servers), fc.array(burst(servers), { minLength: 1, maxLength: 12 }))), ([servers, bursts]) => {
        const fast = run('fast', servers, bursts);
        expect(fast).toEqual(run('literal', servers, bursts));
        expect(fast).toHaveLength(bursts.reduce((n, b) => n + b.works.length, 0));
      }),
      { numRuns: 40 },
    );
  });

  it('hands a ring given back to the next ring of its size, and zeroed records', () => {
    const memory = new ExecutorMemory(10, 4);
    const first = memory.takeItems(4);
    const second = memory.takeItems(8);
    expect(second).toBe(first + 4);
    memory.giveItems(first, 4);
    expect(memory.takeItems(8)).toBe(second + 8);
    expect(memory.takeItems(4)).toBe(first);
    const tasks = memory.takeTasks(4);
    memory.taskRefs[2 * tasks] = 'task';
    memory.giveTasks(tasks, 4);
    expect(memory.taskRefs[2 * tasks]).toBeNull();
    const record = memory.takeRecord(5000);
    expect(Array.from(memory.records.subarray(record, record + 5000)).every((x) => x === 0)).toBe(true);
  });
});
