// Fair comparisons (issue 10): two cells of a sweep that differ only in the selector see the same
// arrivals and the same per-segment work, because work is drawn from numbers keyed by (seed, query,
// segment) (sim/workload/work-draws.ts), not from a stream consumed as queries are routed. The
// selectors route differently (the test would be empty otherwise), yet every query arrives at the
// same time in the same class and uses the same CPU time on its servers. No fault: a slow server's
// stalled ticks count as CPU time, which would differ with the routing by design.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { runSweep } from './run-sweep.js';
import { readSweepCells } from './sweep-cells.js';
import { loadSweepFile } from './sweep-file.js';
import { planSweep } from './sweep-plan.js';
import { sweepFixture } from './sweep-test-kit.js';

const dir = sweepFixture({});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, 'selectors.sweep.yaml'),
  'scenario: tiny.yaml\nset:\n  faults: []\nparameters:\n  routing.selector: [round-robin, hybrid, random]\nseeds: [3]\n',
);

const column = (table: Table, name: string) => Array.from(table.getChild(name)!.toArray() as ArrayLike<number>);

describe('common random numbers across a sweep', () => {
  it('gives cells that differ only in the selector identical arrivals and per-query work', async () => {
    const out = join(dir, 'out');
    await runSweep(planSweep(loadSweepFile(join(dir, 'selectors.sweep.yaml'))), { out, workers: 2, resume: false, keepRuns: true });
    const cells = readSweepCells(out).finished;
    expect(cells.map((c) => c.values['routing.selector'])).toEqual(['round-robin', 'hybrid', 'random']);
    const tables = cells.map((c) => tableFromIPC(readFileSync(join(out, 'cells', c.cell.id, 'queries.arrow'))));
    const [first, ...others] = tables;
    expect(first.numRows).toBeGreaterThan(400);
    const routes = (table: Table) => JSON.stringify([...table.getChild('servers')!].map((list) => [...(list as Iterable<number>)]));
    for (const other of others) {
      expect(routes(other)).not.toBe(routes(first));
      for (const name of ['queryId', 'arrivalMs', 'cpuMs', 'allocatedBytes']) expect(column(other, name)).toEqual(column(first, name));
      expect([...other.getChild('class')!]).toEqual([...first.getChild('class')!]);
    }
  });
});
