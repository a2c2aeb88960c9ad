// What `twin compare` says of a real run's conditions: a run on an idle machine with a core per
// thread and narrow tails has nothing the simulator leaves out; a run with more threads than cores,
// or with a tail of overhead or of item times beyond five medians, is told so, with its figures.

import { describe, expect, it } from 'vitest';
import type { RealRunReport } from '../run/run-real-scenario.js';
import { conditionCauses, conditionRows } from './run-conditions-text.js';

function report(overrides: { threads?: number; cores?: number; load?: number; overheadP99Ms?: number; itemP99Ms?: number }): RealRunReport {
  return {
    conditions: { cores: overrides.cores ?? 16, loadAverageStart: overrides.load ?? 1, loadAverageEnd: overrides.load ?? 1, threads: overrides.threads ?? 9, wallMs: 20_000, cpuMs: 10_000, coresUsed: 0.5 },
    measured: {
      rowsPerSegment: 20_000,
      vieweeIds: 100_000,
      requests: 1000,
      overheadMedianMs: 0.4,
      overheadP95Ms: 0.8,
      overheadP99Ms: overrides.overheadP99Ms ?? 1,
      serviceMedianMs: 2,
      serviceP99Ms: 4,
      classes: [{ name: 'dashboard', items: 2000, segmentMedianMs: 1, segmentP99Ms: overrides.itemP99Ms ?? 2 }],
    },
  };
}

describe('conditionCauses', () => {
  it('finds nothing to blame on an idle machine with a core per thread', () => {
    expect(conditionCauses('B', report({}))).toEqual([]);
  });

  it('names waiting for cores, an overhead tail and an item tail, each with its figures', () => {
    const causes = conditionCauses('B', report({ threads: 9, cores: 2, load: 18, overheadP99Ms: 600, itemP99Ms: 8 }));
    expect(causes).toHaveLength(3);
    expect(causes[0]).toContain('B: 9 threads of the run and a load average of 18.0 to 18.0 on 2 cores');
    expect(causes[1]).toContain('p99 of 600.0 ms against a median of 0.40 ms');
    expect(causes[2]).toContain("class dashboard's work items took 1.00 ms at the median and 8.0 ms at p99");
  });

  it('says how long a restarted server took to be back, or that it was not', () => {
    const restarts = [
      { server: 'server-1-0', requestedMs: 10_000, readyMs: 12_345.6 },
      { server: 'server-0-0', requestedMs: 14_000, readyMs: null },
    ];
    const causes = conditionCauses('B', { ...report({}), restarts });
    expect(causes).toHaveLength(2);
    expect(causes[0]).toContain('B: server-1-0 was back 2345.6 ms after its restart began');
    expect(causes[1]).toContain('B: server-0-0 was not back before the run ended');
  });

  it('blames the load alone when the run itself had a core per thread', () => {
    const causes = conditionCauses('A', report({ threads: 9, cores: 16, load: 25 }));
    expect(causes).toHaveLength(1);
    expect(causes[0]).toContain('load average of 25.0');
  });
});

describe('conditionRows', () => {
  it('shows a simulated run as "-" beside a real one', () => {
    const rows = conditionRows([null, report({ cores: 2 })]);
    expect(rows.find((row) => row[0] === 'cores')).toEqual(['cores', '-', '2']);
    expect(rows.find((row) => row[0].startsWith('item p50 / p99, dashboard'))).toEqual(['item p50 / p99, dashboard (ms)', '-', '1.00 / 2.00']);
  });
});
