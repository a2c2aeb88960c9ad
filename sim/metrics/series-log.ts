// One row per server per sampling interval (DESIGN.md, "What a run produces"), the series from which
// the ADSS figures of seed 004 section 4.3 (diversion, oscillation, recovery) are measured. Declared
// once in SERIES_TABLE: how each column is taken from a sample, kept, written to series.arrow and
// documented (see columnar-table.ts for how to add a column).

import { ColumnarTable, flag, integer, stored, type TableDecl, ticksAsMs } from './columnar-table.js';

/** One server's sample at the end of an interval; the sampler refills one such object per row. */
export interface SeriesRecord {
  /** End of the sampling interval, in ticks of 0.1 ms. */
  tick: number;
  server: number;
  /** Requests that reached the server during the interval (accepted or not). */
  requestsReceived: number;
  /** Of those, the requests the server rejected. */
  requestsRejected: number;
  /** Requests accepted but not yet answered, at the sample. */
  inFlight: number;
  /** Work items waiting for a thread, at the sample. */
  queueDepth: number;
  busyThreads: number;
  /** The server was in a GC pause at the sample. */
  paused: boolean;
  /** The server was under a slow-server fault at the sample. */
  slow: boolean;
}

export const SERIES_TABLE = {
  file: 'series.arrow',
  columns: {
    tMs: ticksAsMs((s) => s.tick, 'End of the sampling interval, in ms.'),
    server: stored('int32', (s) => s.server, { as: 'dictionary', names: 'servers' }, 'Server name.'),
    requestsReceived: integer('uint32', (s) => s.requestsReceived, 'Requests that reached the server during the interval, accepted or not.'),
    requestsRejected: integer('uint32', (s) => s.requestsRejected, 'Of those, the requests the server rejected.'),
    inFlight: integer('uint32', (s) => s.inFlight, 'Requests accepted but not yet answered, at the end of the interval.'),
    queueDepth: integer('uint32', (s) => s.queueDepth, 'Work items waiting for a thread, at the end of the interval.'),
    busyThreads: integer('uint16', (s) => s.busyThreads, 'Threads running a work item, at the end of the interval.'),
    paused: flag((s) => s.paused, 'The server was in a GC pause at the end of the interval.'),
    slow: flag((s) => s.slow, 'The server was under a slow-server fault at the end of the interval.'),
  },
} as const satisfies TableDecl<SeriesRecord>;

/**
 * Every row of the series in one array per column, for the columns the summaries read: each is a
 * copy once the series outgrows a chunk (1 200 s of 20 servers sampled every 100 ms: 240 000 rows),
 * so the others, which only the Arrow file holds, are not copied.
 */
export interface SeriesColumns {
  /** End of the sampling interval, in ticks of 0.1 ms. */
  readonly tick: Float64Array;
  readonly server: Int32Array;
  readonly requestsReceived: Uint32Array;
  readonly requestsRejected: Uint32Array;
}

export class SeriesLog {
  readonly table = new ColumnarTable<SeriesRecord>(SERIES_TABLE);

  add(sample: SeriesRecord): void {
    if (sample.requestsRejected > sample.requestsReceived) {
      throw new Error(`server ${sample.server} rejected ${sample.requestsRejected} of ${sample.requestsReceived} requests`);
    }
    this.table.add(sample);
  }

  get length(): number {
    return this.table.length;
  }

  /** Every row of the columns the summaries read, one array per column (copies once the series outgrows one chunk). */
  columns(): SeriesColumns {
    const t = this.table;
    return {
      tick: t.column('tMs') as Float64Array,
      server: t.column('server') as Int32Array,
      requestsReceived: t.column('requestsReceived') as Uint32Array,
      requestsRejected: t.column('requestsRejected') as Uint32Array,
    };
  }
}
