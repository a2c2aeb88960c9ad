// Trace files: an exported oracleGeneral trace reads back identical (next-access times included, as
// libCacheSim defines them), and malformed traces are reported with their byte offset or line.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvTraceReader } from './csv-trace.js';
import { OracleGeneralReader, OracleGeneralWriter } from './oracle-general.js';
import { emptyRecord, type TraceReader } from './trace-record.js';

const dir = mkdtempSync(join(tmpdir(), 'twin-trace-'));
let files = 0;
const path = (name: string) => join(dir, `${files++}-${name}`);

function readAll(reader: TraceReader) {
  const rows: Array<[number, number, number, number]> = [];
  const record = emptyRecord();
  while (reader.next(record)) rows.push([record.timeMs, record.objectId, record.sizeBytes, record.nextAccessVtime]);
  reader.close();
  return rows;
}

describe('oracleGeneral', () => {
  it('an exported trace reads back identical, with libCacheSim next-access times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 3 }), id: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(2 ** 40 + 3)), size: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }), { maxLength: 300 }),
        (requests) => {
          const file = path('export.oracleGeneral.bin');
          const writer = new OracleGeneralWriter(file);
          let time = 0;
          const expected: Array<[number, number, number, number]> = [];
          for (const r of requests) {
            time += r.dt;
            writer.write(time, r.id, r.size);
            expected.push([time * 1000, r.id, r.size, -1]);
          }
          expect(writer.finish()).toBe(requests.length);
          expected.forEach((row, i) => {
            const next = expected.findIndex((other, j) => j > i && other[1] === row[1]);
            row[3] = next < 0 ? -1 : next + 1;
          });
          expect(readAll(new OracleGeneralReader(file))).toEqual(expected);
          expect(readFileSync(file).length).toBe(24 * requests.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('streams a trace larger than one read chunk', () => {
    const file = path('long.bin');
    const writer = new OracleGeneralWriter(file);
    for (let i = 0; i < 150_000; i++) writer.write(Math.floor(i / 1000), i % 977, 4096);
    writer.finish();
    const reader = new OracleGeneralReader(file);
    const record = emptyRecord();
    let count = 0;
    let last = 0;
    while (reader.next(record)) {
      count++;
      last = record.objectId;
    }
    expect(count).toBe(150_000);
    expect(last).toBe(149_999 % 977);
  });

  function oracleBytes(rows: Array<[number, number, number, number]>): Buffer {
    const buffer = Buffer.alloc(rows.length * 24);
    rows.forEach(([time, id, size, next], i) => {
      buffer.writeUInt32LE(time, i * 24);
      buffer.writeBigUInt64LE(BigInt(id), i * 24 + 4);
      buffer.writeUInt32LE(size, i * 24 + 12);
      buffer.writeBigInt64LE(BigInt(next), i * 24 + 16);
    });
    return buffer;
  }

  it('reports a truncated trace at the byte offset of its partial record', () => {
    const file = path('truncated.bin');
    writeFileSync(file, oracleBytes([[1, 1, 10, -1], [2, 2, 10, -1]]).subarray(0, 40));
    expect(() => readAll(new OracleGeneralReader(file))).toThrow(/byte 24: truncated record: 16 bytes left/);
  });

  it('reports a trace out of order at the byte offset of the late record', () => {
    const file = path('order.bin');
    writeFileSync(file, oracleBytes([[5, 1, 10, -1], [6, 2, 10, -1], [4, 3, 10, -1]]));
    expect(() => readAll(new OracleGeneralReader(file))).toThrow(/byte 48: time 4 s is earlier/);
  });

  it('reports a file of another format', () => {
    const file = path('not-oracle.bin');
    writeFileSync(file, 'time,object,size\n1,a,100\n2,b,200\n3,c,300\n');
    expect(() => readAll(new OracleGeneralReader(file))).toThrow(/byte \d+: .*not an oracleGeneral trace|out of order|truncated/);
    const nextBack = path('next-back.bin');
    writeFileSync(nextBack, oracleBytes([[1, 1, 10, 2], [2, 1, 10, 1]]));
    expect(() => readAll(new OracleGeneralReader(nextBack))).toThrow(/byte 40: next access 1 is not after this request \(number 2\)/);
  });
});

describe('CSV traces', () => {
  const columns = { time: 'ts', object: 'key', size: 'len', offset: 'off' };

  it('reads named columns in any order, objects by name', () => {
    const file = path('t.csv');
    writeFileSync(file, 'len,key,ts,off\r\n100,a,1,0\r\n200,b,2,4096\n\n300,a,2.5,0');
    expect(readAll(new CsvTraceReader(file, columns, 1000))).toEqual([
      [1000, 0, 100, -1],
      [2000, 1, 200, -1],
      [2500, 0, 300, -1],
    ]);
  });

  it('reports a missing column, a bad number and disorder with line and column', () => {
    const missing = path('missing.csv');
    writeFileSync(missing, 'len,key,time\n');
    expect(() => new CsvTraceReader(missing, columns, 1)).toThrow(/missing\.csv:1:1: expected a column "ts"/);
    const bad = path('bad.csv');
    writeFileSync(bad, 'ts,key,len,off\n1,a,10,0\n2,b,x1,0\n');
    expect(() => readAll(new CsvTraceReader(bad, columns, 1))).toThrow(/bad\.csv:3:5: expected the size as a non-negative number, got "x1"/);
    const late = path('late.csv');
    writeFileSync(late, 'ts,key,len,off\n5,a,10,0\n4,b,10,0\n');
    expect(() => readAll(new CsvTraceReader(late, columns, 1))).toThrow(/late\.csv:3:1: time 4 ms is earlier/);
  });
});
