// One row per event of a run (DESIGN.md, "What a run produces"): the start and end of every
// impairment interval (a slow-server window, or each single GC pause), rejections and timeouts.
// Columnar typed arrays that grow by doubling; details are interned, as most repeat.

import { grown, INITIAL_CAPACITY_ROWS } from './growable.js';

export const EVENT_KINDS = ['faultStart', 'faultEnd', 'rejection', 'timeout'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const EVENT_KIND_CODE: Readonly<Record<EventKind, number>> = Object.fromEntries(
  EVENT_KINDS.map((name, code) => [name, code]),
) as Record<EventKind, number>;

/** Views of a log's columns trimmed to its length. They stay valid, but do not see later rows. */
export interface EventColumns {
  readonly tick: Float64Array;
  /** Position of the kind in EVENT_KINDS. */
  readonly kindCode: Int8Array;
  /** Server index, -1 for none. */
  readonly server: Int32Array;
  /** Query id, -1 for none. */
  readonly queryId: Float64Array;
  /** Index of the fault in the scenario's faults, -1 for none. */
  readonly fault: Int32Array;
  /** Index of the row's detail in `details`. */
  readonly detailCode: Int32Array;
  /** The distinct details, in order of first use. */
  readonly details: readonly string[];
}

export class EventLog {
  private rows = 0;
  private tick = new Float64Array(INITIAL_CAPACITY_ROWS);
  private kindCode = new Int8Array(INITIAL_CAPACITY_ROWS);
  private server = new Int32Array(INITIAL_CAPACITY_ROWS);
  private queryId = new Float64Array(INITIAL_CAPACITY_ROWS);
  private fault = new Int32Array(INITIAL_CAPACITY_ROWS);
  private detailCode = new Int32Array(INITIAL_CAPACITY_ROWS);
  private readonly details: string[] = [];
  private readonly detailCodes = new Map<string, number>();

  /** `server`, `queryId` and `fault` are -1 where the event has none. */
  add(tick: number, kind: EventKind, server: number, queryId: number, fault: number, detail: string): void {
    const row = this.rows;
    if (row === this.tick.length) this.growRows(row + 1);
    let code = this.detailCodes.get(detail);
    if (code === undefined) {
      code = this.details.length;
      this.details.push(detail);
      this.detailCodes.set(detail, code);
    }
    this.tick[row] = tick;
    this.kindCode[row] = EVENT_KIND_CODE[kind];
    this.server[row] = server;
    this.queryId[row] = queryId;
    this.fault[row] = fault;
    this.detailCode[row] = code;
    this.rows = row + 1;
  }

  get length(): number {
    return this.rows;
  }

  kindOf(row: number): EventKind {
    if (!Number.isInteger(row) || row < 0 || row >= this.rows) throw new RangeError(`no event row ${row}`);
    return EVENT_KINDS[this.kindCode[row]];
  }

  columns(): EventColumns {
    const rows = this.rows;
    return {
      tick: this.tick.subarray(0, rows),
      kindCode: this.kindCode.subarray(0, rows),
      server: this.server.subarray(0, rows),
      queryId: this.queryId.subarray(0, rows),
      fault: this.fault.subarray(0, rows),
      detailCode: this.detailCode.subarray(0, rows),
      details: this.details,
    };
  }

  private growRows(minRows: number): void {
    this.tick = grown(this.tick, minRows);
    this.kindCode = grown(this.kindCode, minRows);
    this.server = grown(this.server, minRows);
    this.queryId = grown(this.queryId, minRows);
    this.fault = grown(this.fault, minRows);
    this.detailCode = grown(this.detailCode, minRows);
  }
}
