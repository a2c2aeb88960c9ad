// The heap killer's rules (seed 004 section 2.5; Pinot's query watcher): it picks the query with the
// most allocated bytes, never one below the minimum footprint under Pinot's rules, kills every query
// at the top level, and kills over the CPU-time limit.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asQuery } from '../ids.js';
import { ManualClock } from '../routing/test-doubles.js';
import { decideKills, HeapWatcher, PINOT_KILL_RULES, SEED004_KILL_RULES, type KillDecision, type QueryUsage } from './query-killer.js';

const MAX = 1000;
const usages = fc.uniqueArray(fc.integer({ min: 0, max: 50 }), { maxLength: 12 }).chain((ids) =>
  fc.tuple(...ids.map((id) => fc.record({ cpuNs: fc.integer({ min: 0, max: 100 }), allocatedBytes: fc.integer({ min: 0, max: 100 }) }).map((u) => ({ queryId: asQuery(id), workload: 'w', ...u })))),
);

describe('decideKills', () => {
  it('at the kill-one level picks the query with the most bytes (Pinot: only above 2.5 % of the heap), at the top level all', () => {
    fc.assert(
      fc.property(usages, fc.integer({ min: 0, max: MAX }), fc.constantFrom(SEED004_KILL_RULES, PINOT_KILL_RULES), (queries, used, rules) => {
        const kills = decideKills({ rules, cpuTimeLimitNs: Infinity }, used, MAX, queries as QueryUsage[]);
        const ratio = used / MAX;
        const all = rules.kind === 'seed004' ? rules.killAllRatio : rules.panicRatio;
        const one = rules.kind === 'seed004' ? rules.killMostExpensiveRatio : rules.criticalRatio;
        const minBytes = rules.kind === 'pinot' ? rules.minMemoryFootprintToKillRatio * MAX : 0;
        if (ratio >= all) {
          expect(kills.length).toBe(queries.length);
          return;
        }
        if (ratio < one) {
          expect(kills).toEqual([]);
          return;
        }
        const most = Math.max(-1, ...queries.map((q) => q.allocatedBytes));
        if (most > minBytes) {
          expect(kills.length).toBe(1);
          expect(kills[0].allocatedBytes).toBe(most);
        } else expect(kills).toEqual([]);
        for (const k of kills) expect(k.allocatedBytes).toBeGreaterThan(minBytes);
      }),
    );
  });

  it('kills every query over the CPU-time limit, whatever the heap', () => {
    const queries: QueryUsage[] = [
      { queryId: asQuery(1), workload: 'w', cpuNs: 5e6, allocatedBytes: 0 },
      { queryId: asQuery(2), workload: 'w', cpuNs: 2e6, allocatedBytes: 0 },
    ];
    const kills = decideKills({ rules: PINOT_KILL_RULES, cpuTimeLimitNs: 3e6 }, 0, MAX, queries);
    expect(kills.map((k) => k.queryId)).toEqual([1]);
    expect(kills[0].reason).toContain('CPU time 5.0 ms > limit 3.0 ms');
  });
});

describe('HeapWatcher', () => {
  it('counts what it killed as freed until the next collection, and speeds up at the alarming level', () => {
    const clock = new ManualClock();
    let used = 970;
    let collections = 0;
    const running: QueryUsage[] = [
      { queryId: asQuery(1), workload: 'w', cpuNs: 0, allocatedBytes: 100 },
      { queryId: asQuery(2), workload: 'w', cpuNs: 0, allocatedBytes: 60 },
    ];
    const killed: KillDecision[] = [];
    const cycles: number[] = [];
    const watcher = new HeapWatcher({
      clock,
      heap: { usedBytes: () => used, maxBytes: () => MAX, collections: () => collections },
      limits: { rules: PINOT_KILL_RULES, cpuTimeLimitNs: Infinity },
      periodMs: 30,
      alarmingSpeedup: 3,
      runningQueries: () => {
        cycles.push(clock.now());
        return running.filter((q) => !killed.some((k) => k.queryId === q.queryId));
      },
      kill: (d) => killed.push(d),
    });
    watcher.start();
    clock.advanceTo(30);
    expect(killed.map((k) => k.queryId)).toEqual([1]);
    clock.advanceTo(60);
    expect(killed.length).toBe(1); // 970 - 100 = 870 < 960: the kill already freed enough
    collections = 1;
    used = 965;
    clock.advanceTo(80);
    expect(killed.map((k) => k.queryId)).toEqual([1, 2]);
    used = 100;
    clock.advanceTo(200);
    expect(cycles.slice(0, 3)).toEqual([30, 40, 50]);
    expect(cycles.at(-1)! - cycles.at(-2)!).toBe(30);
    watcher.stop();
    expect(clock.pendingTimers()).toBe(0);
  });
});
