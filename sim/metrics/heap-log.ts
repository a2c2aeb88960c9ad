// One row per server per sampling interval for the simulated JVM heap (issue 8, "Results"): heap used,
// young and old occupancy at the sample, and the collections and their pause time during the
// interval. Declared once in HEAP_TABLE (see columnar-table.ts).

import { ColumnarTable, integer, stored, type TableDecl, ticksAsMs } from './columnar-table.js';

export interface HeapRecord {
  tick: number;
  server: number;
  usedBytes: number;
  youngBytes: number;
  oldBytes: number;
  minorCollections: number;
  majorCollections: number;
  pauseMs: number;
}

const float = <R>(value: (r: R) => number, description: string) => stored('float64', value, { as: 'float64' }, description);

export const HEAP_TABLE = {
  file: 'heap.arrow',
  columns: {
    tMs: ticksAsMs((h) => h.tick, 'End of the sampling interval, in ms.'),
    server: stored('int32', (h) => h.server, { as: 'dictionary', names: 'servers' }, 'Server name.'),
    usedBytes: float((h) => h.usedBytes, 'Heap used at the sample (young, old and not yet collected), bytes.'),
    youngBytes: float((h) => h.youngBytes, 'Young generation occupancy at the sample, bytes.'),
    oldBytes: float((h) => h.oldBytes, 'Old generation occupancy at the sample, bytes.'),
    minorCollections: integer('uint32', (h) => h.minorCollections, 'Young (minor) collections during the interval.'),
    majorCollections: integer('uint32', (h) => h.majorCollections, 'Major collections during the interval.'),
    pauseMs: float((h) => h.pauseMs, 'Stop-the-world pause time of the collections during the interval, ms.'),
  },
} as const satisfies TableDecl<HeapRecord>;

export class HeapLog {
  readonly table = new ColumnarTable<HeapRecord>(HEAP_TABLE);

  add(record: HeapRecord): void {
    this.table.add(record);
  }

  get length(): number {
    return this.table.length;
  }
}
