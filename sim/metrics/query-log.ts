// One row per query that ended, written by the simulator on its hot path (DESIGN.md, "What a run
// produces"): columnar typed arrays that grow by doubling, and the servers each query contacted as
// one flat array with per-row offsets, so half a million queries cost no per-row object.

import { OUTCOMES, type QueryOutcome } from '../../engine/outcome.js';
import { grown, INITIAL_CAPACITY_ROWS } from './growable.js';

export { OUTCOMES };
export type Outcome = QueryOutcome;

/** Outcome name to its code in the log's outcome column (the position in OUTCOMES). */
const OUTCOME_CODE: Readonly<Record<Outcome, number>> = Object.fromEntries(
  OUTCOMES.map((name, code) => [name, code]),
) as Record<Outcome, number>;

/** Server indexes are stored as uint16, the type of the Arrow `servers` column. */
const MAX_SERVER_INDEX = 0xffff;

/** Views of a log's columns trimmed to its length. They stay valid, but do not see later rows. */
export interface QueryColumns {
  readonly queryId: Uint32Array;
  readonly classIndex: Int32Array;
  readonly broker: Uint16Array;
  readonly arrivalTick: Float64Array;
  readonly endTick: Float64Array;
  /** Position of the outcome in OUTCOMES. */
  readonly outcomeCode: Int8Array;
  /** Row r contacted servers[serverOffsets[r] .. serverOffsets[r + 1]); length rows + 1. */
  readonly serverOffsets: Int32Array;
  readonly servers: Uint16Array;
}

export class QueryLog {
  private rows = 0;
  private queryId = new Uint32Array(INITIAL_CAPACITY_ROWS);
  private classIndex = new Int32Array(INITIAL_CAPACITY_ROWS);
  private broker = new Uint16Array(INITIAL_CAPACITY_ROWS);
  private arrivalTick = new Float64Array(INITIAL_CAPACITY_ROWS);
  private endTick = new Float64Array(INITIAL_CAPACITY_ROWS);
  private outcomeCode = new Int8Array(INITIAL_CAPACITY_ROWS);
  private serverOffsets = new Int32Array(INITIAL_CAPACITY_ROWS + 1);
  private servers = new Uint16Array(INITIAL_CAPACITY_ROWS * 4);

  /** Records a query that ended; `servers` are the indexes of the servers it contacted. */
  add(
    queryId: number,
    classIndex: number,
    broker: number,
    arrivalTick: number,
    endTick: number,
    outcome: Outcome,
    servers: readonly number[],
  ): void {
    if (!Number.isInteger(arrivalTick) || !Number.isInteger(endTick) || endTick < arrivalTick) {
      throw new Error(`query ${queryId}: arrival tick ${arrivalTick} and end tick ${endTick} must be whole, in order`);
    }
    const row = this.rows;
    if (row === this.queryId.length) this.growRows(row + 1);
    const first = this.serverOffsets[row];
    const end = first + servers.length;
    if (end > this.servers.length) this.servers = grown(this.servers, end);
    for (let i = 0; i < servers.length; i++) {
      const server = servers[i];
      if (server < 0 || server > MAX_SERVER_INDEX) throw new Error(`server index ${server} out of range`);
      this.servers[first + i] = server;
    }
    this.queryId[row] = queryId;
    this.classIndex[row] = classIndex;
    this.broker[row] = broker;
    this.arrivalTick[row] = arrivalTick;
    this.endTick[row] = endTick;
    this.outcomeCode[row] = OUTCOME_CODE[outcome];
    this.serverOffsets[row + 1] = end;
    this.rows = row + 1;
  }

  get length(): number {
    return this.rows;
  }

  columns(): QueryColumns {
    const rows = this.rows;
    return {
      queryId: this.queryId.subarray(0, rows),
      classIndex: this.classIndex.subarray(0, rows),
      broker: this.broker.subarray(0, rows),
      arrivalTick: this.arrivalTick.subarray(0, rows),
      endTick: this.endTick.subarray(0, rows),
      outcomeCode: this.outcomeCode.subarray(0, rows),
      serverOffsets: this.serverOffsets.subarray(0, rows + 1),
      servers: this.servers.subarray(0, this.serverOffsets[rows]),
    };
  }

  outcomeOf(row: number): Outcome {
    this.checkRow(row);
    return OUTCOMES[this.outcomeCode[row]];
  }

  /** The servers row `row` contacted, as a view of the flat servers column. */
  serversOf(row: number): Uint16Array {
    this.checkRow(row);
    return this.servers.subarray(this.serverOffsets[row], this.serverOffsets[row + 1]);
  }

  private checkRow(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.rows) throw new RangeError(`no query row ${row}`);
  }

  private growRows(minRows: number): void {
    this.queryId = grown(this.queryId, minRows);
    this.classIndex = grown(this.classIndex, minRows);
    this.broker = grown(this.broker, minRows);
    this.arrivalTick = grown(this.arrivalTick, minRows);
    this.endTick = grown(this.endTick, minRows);
    this.outcomeCode = grown(this.outcomeCode, minRows);
    this.serverOffsets = grown(this.serverOffsets, minRows + 1);
  }
}
