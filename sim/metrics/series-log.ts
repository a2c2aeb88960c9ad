// One row per server per sampling interval (DESIGN.md, "What a run produces"), the series from which
// the ADSS figures of seed 004 section 4.3 (diversion, oscillation, recovery) are measured. Columnar
// typed arrays that grow by doubling; the simulator appends on its sampling phase.

import { grown, INITIAL_CAPACITY_ROWS } from './growable.js';

/** Views of a log's columns trimmed to its length. They stay valid, but do not see later rows. */
export interface SeriesColumns {
  /** End of the sampling interval, in ticks of 0.1 ms. */
  readonly tick: Float64Array;
  readonly server: Int32Array;
  /** Requests that reached the server during the interval (accepted or not). */
  readonly requestsReceived: Uint32Array;
  /** Of those, the requests the server rejected. */
  readonly requestsRejected: Uint32Array;
  /** Requests accepted but not yet answered, at the sample. */
  readonly inFlight: Uint32Array;
  /** Work items waiting for a thread, at the sample. */
  readonly queueDepth: Uint32Array;
  readonly busyThreads: Uint16Array;
  /** 1 when the server was in a GC pause at the sample. */
  readonly paused: Uint8Array;
  /** 1 when the server was under a slow-server fault at the sample. */
  readonly slow: Uint8Array;
}

export class SeriesLog {
  private rows = 0;
  private tick = new Float64Array(INITIAL_CAPACITY_ROWS);
  private server = new Int32Array(INITIAL_CAPACITY_ROWS);
  private requestsReceived = new Uint32Array(INITIAL_CAPACITY_ROWS);
  private requestsRejected = new Uint32Array(INITIAL_CAPACITY_ROWS);
  private inFlight = new Uint32Array(INITIAL_CAPACITY_ROWS);
  private queueDepth = new Uint32Array(INITIAL_CAPACITY_ROWS);
  private busyThreads = new Uint16Array(INITIAL_CAPACITY_ROWS);
  private paused = new Uint8Array(INITIAL_CAPACITY_ROWS);
  private slow = new Uint8Array(INITIAL_CAPACITY_ROWS);

  add(
    tick: number,
    server: number,
    requestsReceived: number,
    requestsRejected: number,
    inFlight: number,
    queueDepth: number,
    busyThreads: number,
    paused: boolean,
    slow: boolean,
  ): void {
    if (requestsRejected > requestsReceived) {
      throw new Error(`server ${server} rejected ${requestsRejected} of ${requestsReceived} requests`);
    }
    const row = this.rows;
    if (row === this.tick.length) this.growRows(row + 1);
    this.tick[row] = tick;
    this.server[row] = server;
    this.requestsReceived[row] = requestsReceived;
    this.requestsRejected[row] = requestsRejected;
    this.inFlight[row] = inFlight;
    this.queueDepth[row] = queueDepth;
    this.busyThreads[row] = busyThreads;
    this.paused[row] = paused ? 1 : 0;
    this.slow[row] = slow ? 1 : 0;
    this.rows = row + 1;
  }

  get length(): number {
    return this.rows;
  }

  columns(): SeriesColumns {
    const rows = this.rows;
    return {
      tick: this.tick.subarray(0, rows),
      server: this.server.subarray(0, rows),
      requestsReceived: this.requestsReceived.subarray(0, rows),
      requestsRejected: this.requestsRejected.subarray(0, rows),
      inFlight: this.inFlight.subarray(0, rows),
      queueDepth: this.queueDepth.subarray(0, rows),
      busyThreads: this.busyThreads.subarray(0, rows),
      paused: this.paused.subarray(0, rows),
      slow: this.slow.subarray(0, rows),
    };
  }

  private growRows(minRows: number): void {
    this.tick = grown(this.tick, minRows);
    this.server = grown(this.server, minRows);
    this.requestsReceived = grown(this.requestsReceived, minRows);
    this.requestsRejected = grown(this.requestsRejected, minRows);
    this.inFlight = grown(this.inFlight, minRows);
    this.queueDepth = grown(this.queueDepth, minRows);
    this.busyThreads = grown(this.busyThreads, minRows);
    this.paused = grown(this.paused, minRows);
    this.slow = grown(this.slow, minRows);
  }
}
