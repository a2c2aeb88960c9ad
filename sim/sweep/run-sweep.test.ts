import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFingerprint } from './code-fingerprint.js';
import { mergeSweeps } from './merge-sweeps.js';
import { runSweep } from './run-sweep.js';
import { loadSweepFile } from './sweep-file.js';
import { planSweep } from './sweep-plan.js';
import { sweepFixture } from './sweep-test-kit.js';

const dir = sweepFixture();
const plan = planSweep(loadSweepFile(join(dir, 'tiny.sweep.yaml')));
const options = { resume: false, keepRuns: false };
const bytes = (out: string, file = 'sweep.arrow') => readFileSync(join(dir, out, file));

describe('running a sweep', () => {
  beforeAll(async () => {
    await runSweep(plan, { ...options, out: join(dir, 'one'), workers: 1 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one row per cell with parameters, seed and every summary figure', () => {
    const table = tableFromIPC(bytes('one'));
    expect(table.numRows).toBe(12);
    const rows = table.toArray().map((row) => row.toJSON());
    expect(rows[0]).toMatchObject({ cell: 0, point: 0, seed: 1, 'routing.selector': 'round-robin', 'workload.classes.0.qps': 100 });
    expect(rows[11]).toMatchObject({ cell: 11, point: 5, seed: 2, 'routing.selector': 'hybrid', 'workload.classes.0.qps': 300 });
    for (const name of ['arrivals', 'latencyMs.all.p99', 'adss.degradedFraction', 'servers.server-0-1.requestsReceived', 'outcomes.completed']) {
      expect(table.schema.fields.map((f) => f.name)).toContain(name);
    }
    for (const row of rows) {
      const summary = JSON.parse(readFileSync(join(dir, 'one', 'cells', row.id as string, 'summary.json'), 'utf8'));
      expect(row.arrivals).toBe(summary.arrivals);
      expect(row['latencyMs.all.p99']).toBe(summary.latencyMs.all.p99);
    }
    // A third of the queries at 100 QPS that arrive at 300 QPS.
    expect((rows[0].arrivals as number) / (rows[4].arrivals as number)).toBeCloseTo(1 / 3, 1);
  });

  it('summarises each point with the mean and 95 % interval across its seeds', () => {
    const summary = tableFromIPC(bytes('one', 'sweep-summary.arrow')).toArray().map((row) => row.toJSON());
    const cells = tableFromIPC(bytes('one')).toArray().map((row) => row.toJSON());
    expect(summary).toHaveLength(6);
    for (const point of summary) {
      const mine = cells.filter((cell) => cell.point === point.point).map((cell) => cell['latencyMs.all.p99'] as number);
      expect(point.replicates).toBe(2);
      expect(point['latencyMs.all.p99.mean']).toBeCloseTo((mine[0] + mine[1]) / 2, 4);
      // n = 2: half-width t(0.975, 1) · s / sqrt(2) = 12.706 · |a - b| / 2
      const halfWidth = (12.7062 * Math.abs(mine[0] - mine[1])) / 2;
      expect(point['latencyMs.all.p99.high'] - point['latencyMs.all.p99.mean']).toBeCloseTo(halfWidth, 2);
    }
    expect(bytes('one', 'sweep-summary.md').toString()).toMatch(/\| round-robin \| 100 \| 2 \| [\d.]+ \[[\d.-]+, [\d.]+\] \|/);
  });

  it('gives the same bytes whatever the number of workers', async () => {
    await runSweep(plan, { ...options, out: join(dir, 'two'), workers: 3 });
    expect(bytes('two').equals(bytes('one'))).toBe(true);
    expect(bytes('two', 'sweep-summary.arrow').equals(bytes('one', 'sweep-summary.arrow'))).toBe(true);
  });

  it('merges shards into the bytes of one unsharded run, and names missing cells', async () => {
    for (const index of [0, 2]) {
      const report = await runSweep(plan, { ...options, out: join(dir, `shard${index}`), workers: 2, shard: { index, count: 3 } });
      expect(report.tables).toBeUndefined();
      expect(report.ran).toBe(4);
    }
    const partial = await mergeSweeps([join(dir, 'shard0'), join(dir, 'shard2')], join(dir, 'merged'));
    expect(partial.missing.map((cell) => cell.index)).toEqual([1, 4, 7, 10]);
    expect(() => statSync(join(dir, 'merged', 'sweep.arrow'))).toThrow();
    await runSweep(plan, { ...options, out: join(dir, 'shard1'), workers: 2, shard: { index: 1, count: 3 } });
    const merged = await mergeSweeps([join(dir, 'shard0'), join(dir, 'shard1'), join(dir, 'shard2')], join(dir, 'merged'));
    expect(merged.missing).toEqual([]);
    expect(bytes('merged').equals(bytes('one'))).toBe(true);
    expect(bytes('merged', 'sweep-summary.arrow').equals(bytes('one', 'sweep-summary.arrow'))).toBe(true);
  });

  it('writes Parquet that DuckDB reads back as the Arrow table, the same bytes after a merge', async () => {
    await runSweep(plan, { ...options, out: join(dir, 'pq'), workers: 2, format: 'both' });
    expect(bytes('pq').equals(bytes('one'))).toBe(true);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const read = async (file: string) =>
        (await connection.runAndReadAll(`SELECT * FROM '${join(dir, 'pq', file)}'`)).getRowObjects() as Record<string, unknown>[];
      const parquetRows = await read('sweep.parquet');
      const arrowRows = tableFromIPC(bytes('one')).toArray().map((row) => row.toJSON() as Record<string, unknown>);
      expect(parquetRows).toHaveLength(12);
      expect(Object.keys(parquetRows[0])).toEqual(Object.keys(arrowRows[0]));
      for (const [i, row] of parquetRows.entries()) expect(row).toEqual(arrowRows[i]);
      const summaryRows = await read('sweep-summary.parquet');
      expect(summaryRows.map((row) => row['latencyMs.all.p99.mean'])).toEqual(
        tableFromIPC(bytes('one', 'sweep-summary.arrow')).toArray().map((row) => row.toJSON()['latencyMs.all.p99.mean']),
      );
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    await mergeSweeps([join(dir, 'shard0'), join(dir, 'shard1'), join(dir, 'shard2')], join(dir, 'merged-pq'), 'parquet');
    expect(bytes('merged-pq', 'sweep.parquet').equals(bytes('pq', 'sweep.parquet'))).toBe(true);
    expect(statSync(join(dir, 'merged-pq', 'sweep.arrow'), { throwIfNoEntry: false })).toBeUndefined();
  });

  it('resumes and merges a Parquet-only sweep in Parquet, the format its plan records, with the bytes of one run', async () => {
    await runSweep(plan, { ...options, out: join(dir, 'pq-only'), workers: 2, format: 'parquet' });
    expect(JSON.parse(readFileSync(join(dir, 'pq-only', 'plan.json'), 'utf8')).format).toBe('parquet');
    const parquetOnly = (out: string) => {
      const names = readdirSync(join(dir, out));
      expect(names).toEqual(expect.arrayContaining(['sweep.parquet', 'sweep-summary.parquet', 'sweep-summary.md']));
      expect(names.filter((name) => name.endsWith('.arrow'))).toEqual([]);
      expect(bytes(out, 'sweep.parquet').equals(bytes('pq-only', 'sweep.parquet'))).toBe(true);
      expect(bytes(out, 'sweep-summary.parquet').equals(bytes('pq-only', 'sweep-summary.parquet'))).toBe(true);
    };
    // Killed after half its cells (one shard's worth), resumed without --format: Parquet, as it began.
    await runSweep(plan, { ...options, out: join(dir, 'pq-resumed'), workers: 2, format: 'parquet', shard: { index: 1, count: 2 } });
    const resumed = await runSweep(plan, { ...options, resume: true, out: join(dir, 'pq-resumed'), workers: 2 });
    expect([resumed.alreadyFinished, resumed.ran]).toEqual([6, 6]);
    parquetOnly('pq-resumed');
    // Shards run with --format parquet, merged without it (the default output: the first shard's directory).
    for (const index of [0, 1]) await runSweep(plan, { ...options, out: join(dir, `pq-shard${index}`), workers: 2, format: 'parquet', shard: { index, count: 2 } });
    const merged = await mergeSweeps([join(dir, 'pq-shard0'), join(dir, 'pq-shard1')], join(dir, 'pq-shard0'));
    expect(merged.missing).toEqual([]);
    parquetOnly('pq-shard0');
    // Five sweeps, 36 cells in worker processes: past the default 60 s on a loaded two-core machine.
  }, 180_000);

  it('resumes a sweep without redoing a finished cell, and refuses to take over a directory silently', async () => {
    const out = join(dir, 'resumed');
    await runSweep(plan, { ...options, out, workers: 2, shard: { index: 0, count: 2 } });
    const before = new Map(readdirSync(join(out, 'cells')).map((id) => [id, statSync(join(out, 'cells', id)).ino]));
    await expect(runSweep(plan, { ...options, out, workers: 2 })).rejects.toThrow(/holds a sweep already: add --resume/);
    const report = await runSweep(plan, { ...options, resume: true, out, workers: 2 });
    expect(report.alreadyFinished).toBe(6);
    expect(report.ran).toBe(6);
    for (const [id, inode] of before) expect(statSync(join(out, 'cells', id)).ino).toBe(inode);
    expect(bytes('resumed').equals(bytes('one'))).toBe(true);
    const again = await runSweep(plan, { ...options, resume: true, out, workers: 2 });
    expect(again.ran).toBe(0);
  });

  it('runs again, on resume, a cell that other code computed (its cell.json names another code fingerprint)', async () => {
    const out = join(dir, 'other-code');
    await runSweep(plan, { ...options, out, workers: 2 });
    const ids = readdirSync(join(out, 'cells')).sort();
    const stale = join(out, 'cells', ids[0], 'cell.json');
    const description = JSON.parse(readFileSync(stale, 'utf8')) as { code: string };
    expect(description.code).toBe(codeFingerprint());
    writeFileSync(stale, JSON.stringify({ ...description, code: 'older-code' }));
    const report = await runSweep(plan, { ...options, resume: true, out, workers: 2 });
    expect([report.alreadyFinished, report.ran]).toEqual([ids.length - 1, 1]);
    expect((JSON.parse(readFileSync(stale, 'utf8')) as { code: string }).code).toBe(codeFingerprint());
    expect(bytes('other-code').equals(bytes('one'))).toBe(true);
  });
});
