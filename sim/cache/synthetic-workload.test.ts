// The generated workload has the shape seed 001 section 2.2 describes: Zipf-skewed files, the read
// size mixture (over half under 10 KB, nine in ten under 1 MB), a daily rate swing, periodic scans.

import { describe, expect, it } from 'vitest';
import { seededRng } from '../../engine/cache/cache-test-kit.js';
import { emptyRecord } from '../trace/trace-record.js';
import { READ_SIZE_DEFAULTS } from './cache-scenario-schema.js';
import { SyntheticWorkload, type SyntheticWorkloadSpec } from './synthetic-workload.js';
import { parseSizeBytes } from '../scenario/units.js';

const MIB = 1024 * 1024;

function spec(overrides: Partial<SyntheticWorkloadSpec> = {}): SyntheticWorkloadSpec {
  return {
    durationMs: 600_000,
    requestsPerSecond: 200,
    diurnal: { amplitude: 0, periodMs: 86_400_000, peakMs: 43_200_000 },
    tables: [{ name: 's.t', files: 1000, partitions: 10, fileSizeBytes: 256 * MIB, share: 1, zipfExponent: 1.39, blockSizeBytes: 8 * MIB, blockZipfExponent: 0.8 }],
    readSizes: READ_SIZE_DEFAULTS.map((band) => ({ weight: band.weight, minBytes: parseSizeBytes(band.min), maxBytes: parseSizeBytes(band.max) })),
    scans: [],
    ...overrides,
  };
}

function drain(workload: SyntheticWorkload) {
  const record = emptyRecord();
  const rows: Array<{ timeMs: number; objectId: number; offsetBytes: number; sizeBytes: number; scope: number }> = [];
  while (workload.next(record)) rows.push({ timeMs: record.timeMs, objectId: record.objectId, offsetBytes: record.offsetBytes, sizeBytes: record.sizeBytes, scope: record.scope });
  return rows;
}

describe('SyntheticWorkload', () => {
  it('draws Zipf files, the seed\'s read sizes, reads inside their files, in time order', () => {
    const rows = drain(new SyntheticWorkload(spec(), seededRng(11)));
    expect(rows.length).toBeGreaterThan(115_000);
    expect(rows.length).toBeLessThan(125_000);
    const share = (test: (row: (typeof rows)[number]) => boolean) => rows.filter(test).length / rows.length;
    // Zipf 1.39 over 1000 files: rank 0 draws 1 / H(1000, 1.39) ≈ 0.36 of the reads, rank 1 2^-1.39 of that.
    const first = share((row) => row.objectId === 0);
    expect(first).toBeGreaterThan(0.33);
    expect(first).toBeLessThan(0.39);
    expect(share((row) => row.objectId === 1) / first).toBeCloseTo(2 ** -1.39, 1);
    expect(share((row) => row.sizeBytes < 10_000)).toBeGreaterThan(0.5);
    expect(share((row) => row.sizeBytes < 1_000_000)).toBeGreaterThan(0.9);
    expect(rows.every((row, i) => row.offsetBytes + row.sizeBytes <= 256 * MIB && (i === 0 || row.timeMs >= rows[i - 1]!.timeMs))).toBe(true);
    // Hot files fill the first partition.
    expect(share((row) => row.scope === 1)).toBeGreaterThan(0.8);
  });

  it('follows the daily swing: more reads near the peak than in the trough', () => {
    const day = 86_400_000;
    const rows = drain(new SyntheticWorkload(spec({ durationMs: day, requestsPerSecond: 2, diurnal: { amplitude: 0.5, periodMs: day, peakMs: day / 2 } }), seededRng(12)));
    const inHours = (from: number, to: number) => rows.filter((row) => row.timeMs >= from * 3_600_000 && row.timeMs < to * 3_600_000).length;
    // Rate 1 + 0.5 cos(...): the 4 hours around noon average ~1.45, those around midnight ~0.55.
    const ratio = inHours(10, 14) / inHours(0, 2) / 2;
    expect(ratio).toBeGreaterThan(2.2);
    expect(ratio).toBeLessThan(3.2);
  });

  it('scans read whole files front to back at their rate, every period', () => {
    const rows = drain(
      new SyntheticWorkload(spec({ requestsPerSecond: 0, scans: [{ table: 's.t', startMs: 1000, everyMs: 100_000, files: 2, readSizeBytes: 8 * MIB, requestsPerSecond: 10 }] }), seededRng(13)),
    );
    // 2 files of 32 reads each, per scan; 6 scans start within 600 s.
    expect(rows.length).toBe(6 * 64);
    expect(rows[0]!.timeMs).toBe(1000);
    expect(rows[1]!.offsetBytes).toBe(8 * MIB);
    expect(rows[1]!.timeMs - rows[0]!.timeMs).toBeCloseTo(100, 6);
    expect(rows[64]!.timeMs).toBe(101_000);
  });
});
