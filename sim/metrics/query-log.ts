// One row per query that ended (DESIGN.md, "What a run produces"), declared once in QUERY_TABLE:
// how each column is taken from the broker's FinishedQuery, kept, written to queries.arrow and
// documented (see columnar-table.ts for how to add a column). Kept lean for runs of many millions of
// queries: 41 bytes a row plus 2 per server contacted, 4 more with partition pruning (the workload
// column is read from the class column, and a column that stays zero takes no memory), in chunks that
// are never copied as they grow.

import type { FinishedQuery } from '../../engine/broker/broker.js';
import { OUTCOMES, type QueryOutcome } from '../../engine/outcome.js';
import { msToTicks, ticksToMs } from '../scheduler/scheduler.js';
import { type ChunkView, ColumnarTable, integer, stored, type TableDecl } from './columnar-table.js';

export { OUTCOMES };
export type Outcome = QueryOutcome;

/** Outcome name to its code in the log's outcome column (the position in OUTCOMES). */
const OUTCOME_CODE: Readonly<Record<Outcome, number>> = Object.fromEntries(
  OUTCOMES.map((name, code) => [name, code]),
) as Record<Outcome, number>;

/** What a query row is made from: the broker's account of a query that ended. */
export type QueryRecord = FinishedQuery;

/** Arrival and latency are kept as uint32 ticks: a run may last up to 2^32 - 1 ticks (119.3 hours). */
export const MAX_QUERY_TICK = 0xffffffff;

const latencyTicksOf = (q: QueryRecord): number => msToTicks(q.endMs) - msToTicks(q.arrivalMs);

export const QUERY_TABLE = {
  file: 'queries.arrow',
  columns: {
    queryId: integer('uint32', (q) => q.queryId, 'Query id, unique in the run, in arrival order from 0.'),
    class: stored('int16', (q) => q.classIndex, { as: 'dictionary', names: 'classes' }, 'Query class name.'),
    workload: {
      ...stored('int16', (q) => q.classIndex, { as: 'dictionary', names: 'classWorkloads' }, "The class's workload (workloadName; the class name unless set)."),
      sameAs: 'class',
    },
    broker: integer('uint16', (q) => q.broker, 'Index of the broker the query arrived at.'),
    // Kept as whole ticks in a uint32 (4 bytes instead of 8): runs of up to 119 hours.
    arrivalMs: stored('uint32', (q) => msToTicks(q.arrivalMs), { as: 'ticksAsMs' }, 'Arrival time, ms since the run began (0.1 ms resolution).'),
    endMs: {
      kind: 'derived',
      arrow: 'float64',
      fill: (chunk, out) => {
        const { arrivalMs: arrival, latencyMs: latency } = chunk.columns;
        for (let row = 0; row < chunk.rows; row++) out[row] = ticksToMs(arrival[row] + latency[row]);
      },
      description: 'Time the query ended, whatever its outcome, in ms.',
    },
    // Kept as whole ticks in a uint32: 4 bytes instead of 8.
    latencyMs: stored('uint32', latencyTicksOf, { as: 'ticksAsMs' }, 'endMs - arrivalMs.'),
    outcome: stored(
      'int8',
      (q) => OUTCOME_CODE[q.outcome],
      { as: 'dictionary', names: OUTCOMES },
      `How the query ended: ${OUTCOMES.join(', ')} (see Outcomes).`,
    ),
    servers: {
      kind: 'list',
      element: 'uint16',
      itemName: 'server',
      value: (q) => q.servers,
      description:
        'Indexes of the servers the query was sent to, in dispatch order; names are in the summary `servers` list at these positions.',
    },
    cpuMs: stored('float64', (q) => q.usage.cpuNs / 1e6, { as: 'float64' }, 'CPU time the query used on the servers that answered (ok or killed), in ms.'),
    allocatedBytes: stored('float64', (q) => q.usage.allocatedBytes, { as: 'float64' }, 'Bytes the query allocated on the servers that answered (ok or killed).'),
    segmentsMissing: integer(
      'uint32',
      (q) => q.segmentsMissing,
      'Segments the query needed that no server served when it was routed (data missing: a zone drain, a move in progress); the answer lacks them.',
    ),
    segmentsPruned: integer(
      'uint32',
      (q) => q.segmentsPruned,
      "Segments of the query the broker pruned before routing because its filter on the partition column cannot match them (routing.segmentPrunerTypes: [partition]); 0 without pruning.",
    ),
    serverCount: {
      kind: 'derived',
      arrow: 'uint16',
      fill: (chunk, out) => {
        const { offsets } = chunk.lists.servers;
        for (let row = 0; row < chunk.rows; row++) out[row] = offsets[row + 1] - offsets[row];
      },
      description: 'Number of servers the query was sent to (length of `servers`).',
    },
  },
} as const satisfies TableDecl<QueryRecord>;

/**
 * The kept columns of a chunk of query rows, by name. Times are in ticks of 0.1 ms: arrivalMs holds
 * the arrival tick, latencyMs the latency in ticks (the Arrow file has them in ms).
 */
export interface QueryChunk extends ChunkView {
  readonly columns: {
    readonly queryId: Uint32Array;
    readonly class: Int16Array;
    readonly broker: Uint16Array;
    readonly arrivalMs: Uint32Array;
    readonly latencyMs: Uint32Array;
    readonly outcome: Int8Array;
    readonly segmentsMissing: Uint32Array;
    readonly segmentsPruned: Uint32Array;
  };
  readonly lists: { readonly servers: { readonly offsets: Int32Array; readonly values: Uint16Array } };
}

export class QueryLog {
  readonly table = new ColumnarTable<QueryRecord>(QUERY_TABLE);

  /** Records a query that ended. */
  add(query: QueryRecord): void {
    if (!(query.endMs >= query.arrivalMs)) {
      throw new Error(`query ${query.queryId}: it ended at ${query.endMs} ms, before it arrived at ${query.arrivalMs} ms`);
    }
    this.table.add(query);
  }

  get length(): number {
    return this.table.length;
  }

  /** The rows, chunk by chunk. */
  chunks(): QueryChunk[] {
    return this.table.views() as unknown as QueryChunk[];
  }

  outcomeOf(row: number): Outcome {
    const { chunk, index } = this.table.locate(row);
    return OUTCOMES[chunk.columns.outcome[index]];
  }

  /** The servers row `row` contacted, as a view of its chunk's flat servers column. */
  serversOf(row: number): Uint16Array {
    const { chunk, index } = this.table.locate(row);
    const { offsets, values } = (chunk as QueryChunk).lists.servers;
    return values.subarray(offsets[index], offsets[index + 1]);
  }
}
