// One row per event of a run (DESIGN.md, "What a run produces"): the start and end of every
// impairment interval (a slow-server window, or each single GC pause), what the engine decided
// (rejections, kills, exhausted budgets, reported through its event port), timeouts and collections.
// Declared once in EVENT_TABLE: how each column is taken from an event, kept, written to
// events.arrow and documented (see columnar-table.ts for how to add a column). Details are interned,
// as most repeat.

import { type ChunkView, ColumnarTable, stored, type TableDecl, ticksAsMs } from './columnar-table.js';

export const EVENT_KINDS = ['faultStart', 'faultEnd', 'rejection', 'timeout', 'kill', 'budgetExhausted', 'gcPause', 'rebalanceStep', 'rebalanceEnd'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const EVENT_KIND_CODE: Readonly<Record<EventKind, number>> = Object.fromEntries(
  EVENT_KINDS.map((name, code) => [name, code]),
) as Record<EventKind, number>;

export interface EventRecord {
  readonly tick: number;
  readonly kind: EventKind;
  /** Server index, -1 for none. */
  readonly server: number;
  /** Query id, -1 for none. */
  readonly queryId: number;
  /** Index of the fault in the scenario's faults, -1 for none. */
  readonly fault: number;
  readonly detail: string;
}

export const EVENT_TABLE = {
  file: 'events.arrow',
  columns: {
    tMs: ticksAsMs((e) => e.tick, 'Time of the event, in ms.'),
    kind: stored(
      'int8',
      (e) => EVENT_KIND_CODE[e.kind],
      { as: 'dictionary', names: EVENT_KINDS },
      'faultStart / faultEnd: an impairment interval began or ended (a slow-server window, one GC pause, a server of a drained zone going down and coming back); rejection: a server rejected a request; timeout: a query timeout fired; rebalanceStep / rebalanceEnd: a rebalance job wrote a step into the ideal state, or finished (detail: done or failed, and why).',
    ),
    server: stored('int32', (e) => e.server, { as: 'utf8', names: 'servers' }, 'Name of the server concerned; null when none.'),
    queryId: stored('float64', (e) => e.queryId, { as: 'nullableInt', type: 'int64' }, 'Query concerned; null when none.'),
    fault: stored('int32', (e) => e.fault, { as: 'nullableInt', type: 'int32' }, "Index of the fault in the scenario's faults list; null when none."),
    detail: { kind: 'interned', value: (e) => e.detail, nullable: false, description: 'Free-text detail for people.' },
  },
} as const satisfies TableDecl<EventRecord>;

/** The kept columns of a chunk of event rows; tMs holds ticks of 0.1 ms (the Arrow file has ms). */
export interface EventChunk extends ChunkView {
  readonly columns: {
    readonly tMs: Float64Array;
    readonly kind: Int8Array;
    readonly server: Int32Array;
    readonly queryId: Float64Array;
    readonly fault: Int32Array;
    /** Codes into details(). */
    readonly detail: Int32Array;
  };
}

export class EventLog {
  readonly table = new ColumnarTable<EventRecord>(EVENT_TABLE);

  add(event: EventRecord): void {
    this.table.add(event);
  }

  get length(): number {
    return this.table.length;
  }

  /** The rows, chunk by chunk. */
  chunks(): EventChunk[] {
    return this.table.views() as unknown as EventChunk[];
  }

  /** The distinct details, in order of first use. */
  details(): readonly string[] {
    return this.table.strings('detail');
  }

  kindOf(row: number): EventKind {
    const { chunk, index } = this.table.locate(row);
    return EVENT_KINDS[chunk.columns.kind[index]];
  }
}
