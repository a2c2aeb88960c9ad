// The JVM heap model: allocation counted from the executor's counter, collections, and the
// OutOfMemoryError that ends the queries holding the most when live data no longer fits.

import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { asBroker, asClass, asQuery, asServer, type QueryId } from '../../engine/ids.js';
import type { Clock, ServerTask } from '../../engine/ports.js';
import type { SimulatedExecutor } from '../executor/simulated-executor.js';
import { fileBytes, runScenario } from '../run/run-scenario.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { type Collection, type HeapSpec, JvmHeap } from './jvm-heap.js';

const MIB = 2 ** 20;
const SPEC: HeapSpec = {
  maxHeapBytes: 512 * MIB,
  youngGenBytes: 64 * MIB,
  initiatingHeapOccupancyPercent: 45,
  liveFraction: 0.5,
  minorPauseBaseMs: 2,
  survivorCopyBytesPerMs: 2 ** 30 / 1000,
  majorPauseBaseMs: 50,
  oldCompactBytesPerMs: 2 ** 31 / 1000,
  checkIntervalMs: 1,
};

/** An executor as the heap reads it: an allocation counter set by the test, and queries running with their bytes. */
class FakeExecutor {
  allocatedTotal = 0;
  running = new Map<QueryId, number>();
  pauses: number[] = [];
  allocatedBytesTotal = () => this.allocatedTotal;
  allocatedBytesInFlight = () => [...this.running.values()].reduce((a, b) => a + b, 0);
  pauseFor = (ticks: number) => this.pauses.push(ticks);
  forEachRunningItem = (visit: (task: ServerTask, itemKey: number, cpuNs: number, allocatedBytes: number) => void) => {
    for (const [queryId, bytes] of this.running) {
      const task: ServerTask = { queryId, classIndex: asClass(0), broker: asBroker(0), server: asServer(0), slot: 0, segments: [] };
      visit(task, queryId, 0, bytes);
    }
  };
}

function heapOn(executor: FakeExecutor, spec: HeapSpec = SPEC) {
  const collections: Collection[] = [];
  const killed: Array<{ queryId: QueryId; reason: string }> = [];
  const clock = { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} } as unknown as Clock;
  const heap = new JvmHeap(
    spec,
    clock,
    executor as unknown as SimulatedExecutor,
    (collection) => collections.push(collection),
    (queryId, reason) => {
      killed.push({ queryId, reason });
      executor.running.delete(queryId);
    },
  );
  return { heap, collections, killed };
}

describe('the JVM heap model', () => {
  it('counts as allocated only what passes the highest reading of the counter, which a pause may lower for a while', () => {
    const executor = new FakeExecutor();
    const { heap, collections } = heapOn(executor);
    executor.allocatedTotal = 60 * MIB;
    heap.check();
    expect(heap.youngBytes).toBe(60 * MIB);
    // A pause re-plans the running items: the counter drops, then climbs back to where it was.
    executor.allocatedTotal = 20 * MIB;
    heap.check();
    executor.allocatedTotal = 60 * MIB;
    heap.check();
    expect(heap.youngBytes).toBe(60 * MIB);
    expect(collections).toEqual([]);
    executor.allocatedTotal = 65 * MIB;
    heap.check();
    expect(collections.map((c) => c.kind)).toEqual(['minor']);
    expect(heap.youngBytes).toBe(0);
  });

  it('with live data too large for a young generation beside it, ends the queries holding the most, most first, until it fits', () => {
    const executor = new FakeExecutor();
    const { heap, collections, killed } = heapOn(executor);
    // 1 000 MiB in flight, half of it live: 500 MiB live + 64 MiB young > 512 MiB.
    executor.running = new Map([
      [asQuery(7), 300 * MIB],
      [asQuery(3), 300 * MIB],
      [asQuery(9), 250 * MIB],
      [asQuery(1), 150 * MIB],
    ]);
    for (let i = 1; i <= 9; i++) {
      executor.allocatedTotal = i * 64 * MIB;
      heap.check();
    }
    expect(collections.some((c) => c.kind === 'major')).toBe(true);
    // Ties go to the lowest query id; one kill (query 3) brings 350 MiB live: 350 + 64 <= 512.
    expect(killed.map((k) => k.queryId)).toEqual([asQuery(3)]);
    expect(killed[0].reason).toMatch(/^OutOfMemoryError: Java heap space \(500 MiB live after a full collection \+ 64 MiB young generation > 512 MiB heap\)$/);
    expect(heap.outOfMemoryKills).toBe(1);
    expect(heap.oldBytes).toBe(350 * MIB);
    expect(collections.at(-1)).toMatchObject({ kind: 'major', bytes: 350 * MIB });
  });

  it('kills no more than the queries running, even when what is live stays too large', () => {
    const executor = new FakeExecutor();
    const { heap, killed } = heapOn(executor, { ...SPEC, maxHeapBytes: 100 * MIB });
    executor.running = new Map([
      [asQuery(1), 200 * MIB],
      [asQuery(2), 100 * MIB],
    ]);
    executor.allocatedTotal = 64 * MIB;
    heap.check();
    expect(killed.map((k) => k.queryId)).toEqual([asQuery(1), asQuery(2)]);
    expect(heap.oldBytes).toBe(0);
  });
});

describe('an OutOfMemoryError in a run', () => {
  it('ends the queries it hits as killed, each with the error in events.arrow and counted in workloads.arrow, and the run ends', () => {
    // Four 40 MiB segments at once, 90 % of it live: up to 144 MiB live + 64 MiB young > 192 MiB.
    const scenario = parseScenario(
      stringify({
        name: 'oom',
        duration: '2s',
        cluster: { brokers: 1, numReplicaGroups: 1, numInstancesPerReplicaGroup: 1, segments: 4, server: { threads: 4 } },
        workload: {
          classes: [
            {
              name: 'big',
              qps: 20,
              arrival: 'fixed',
              segmentCost: { distribution: 'fixed', median: '20ms' },
              segmentAllocation: { distribution: 'fixed', median: '40MiB' },
            },
          ],
        },
        heap: { enabled: true, maxHeap: '192MiB', youngGen: '64MiB', liveFraction: 0.9 },
      }),
      'oom.yaml',
    );
    const output = runScenario(scenario);
    const { completed, killed, timedOut } = output.summary.outcomes;
    expect(killed).toBeGreaterThan(0);
    expect(completed).toBeGreaterThan(0);
    expect(timedOut).toBe(0);
    const events = tableFromIPC(fileBytes(output.files.find((file) => file.name === 'events.arrow')!));
    const kills = events.toArray().filter((row) => row.kind === 'kill');
    expect(kills).toHaveLength(killed);
    const workloads = tableFromIPC(fileBytes(output.files.find((file) => file.name === 'workloads.arrow')!));
    const killedInWorkloads = workloads.toArray().reduce((sum, row) => sum + Number(row.killed), 0);
    expect(killedInWorkloads).toBe(killed);
    for (const row of kills) expect(row.detail).toMatch(/OutOfMemoryError: Java heap space \(\d+ MiB live after a full collection \+ 64 MiB young generation > 192 MiB heap\)/);
  });
});
