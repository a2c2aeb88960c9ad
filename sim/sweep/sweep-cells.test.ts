// A restricted sweep keeps the ids of the full sweep's cells (so either finds the other's finished
// cells), and a finished sweep's cells read back with their parameters by path and their summaries.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSweep } from './run-sweep.js';
import { readSweepCells, restrictSweep } from './sweep-cells.js';
import { loadSweepFile, parseSweepFile } from './sweep-file.js';
import { planSweep } from './sweep-plan.js';
import { sweepFixture } from './sweep-test-kit.js';

const dir = sweepFixture();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a restricted sweep', () => {
  it('is a subset of the full sweep, cell for cell the same ids', () => {
    const sweep = loadSweepFile(join(dir, 'tiny.sweep.yaml'));
    const full = planSweep(sweep);
    const part = planSweep(restrictSweep(sweep, { seeds: [2], values: { 'routing.selector': ['hybrid'] } }));
    expect(part.cells).toHaveLength(3);
    const fullIds = new Set(full.cells.map((c) => c.id));
    expect(part.cells.every((c) => fullIds.has(c.id))).toBe(true);
    expect(part.cells.map((c) => [c.values, c.seed])).toEqual([
      [['hybrid', 100], 2],
      [['hybrid', 200], 2],
      [['hybrid', 300], 2],
    ]);
  });

  it('restricts listed scenarios by name, and refuses to restrict a range', () => {
    const sweep = parseSweepFile('scenario: [tiny.yaml]\nparameters:\n  workload.classes.0.qps: { from: 100, to: 300, step: 100 }\n', join(dir, 't.sweep.yaml'));
    expect(planSweep(restrictSweep(sweep, { values: { scenario: ['other.yaml'] } })).cells).toHaveLength(0);
    expect(() => restrictSweep(sweep, { values: { 'workload.classes.0.qps': [100] } })).toThrow(/not a list of values/);
  });

  it('reads the finished cells back with their parameters by path and their summaries', async () => {
    const sweep = parseSweepFile('scenario: tiny.yaml\nparameters:\n  routing.selector: [round-robin, hybrid]\n', join(dir, 'two.sweep.yaml'));
    await runSweep(planSweep(restrictSweep(sweep, { values: { 'routing.selector': ['hybrid'] } })), { out: join(dir, 'read'), workers: 1, resume: false, keepRuns: false });
    const read = readSweepCells(join(dir, 'read'));
    expect(read.finished).toHaveLength(1);
    expect(read.finished[0].values).toEqual({ 'routing.selector': 'hybrid' });
    expect((read.finished[0].summary as { arrivals: number }).arrivals).toBeGreaterThan(0);
    expect(read.missing).toHaveLength(0);
  });
});
