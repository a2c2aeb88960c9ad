// The summary's one pass over the query log (issue 5, "speed"): every figure the summary reads from
// the queries (outcome counts, queries per broker, latency histograms overall and per class, fan-out,
// and the ADSS exposure tallies) gathered row by row in a single pass, with the rows' indexes checked
// on the way, keeping nothing per query. The pass runs once per process, in code that starts cold:
// rows are taken in blocks of BLOCK_ROWS by one small function, which the JIT then compiles whole
// (and cheaply recompiles when a fault's queries take a path not seen before), rather than one long
// loop in a large function that only on-stack replacement could speed up.

import { AdssTally, type FaultWindow, type Impairment } from './adss-metrics.js';
import { LatencyHistogram } from './latency-stats.js';
import { OUTCOMES, type QueryChunk } from './query-log.js';

const COMPLETED = OUTCOMES.indexOf('completed');
/** Rows taken by one call of addRows. */
const BLOCK_ROWS = 1024;

export class QueryTally {
  readonly outcomeCounts = new Int32Array(OUTCOMES.length);
  readonly queriesByBroker: Int32Array;
  readonly all = new LatencyHistogram();
  readonly byClass: LatencyHistogram[];
  readonly adss: AdssTally;
  serversContacted = 0;
  maxServers = 0;
  queriesPruned = 0;
  segmentsPruned = 0;

  constructor(
    private readonly classes: number,
    private readonly servers: number,
    private readonly brokers: number,
    faults: readonly FaultWindow[],
    impairments: readonly Impairment[],
  ) {
    this.queriesByBroker = new Int32Array(brokers);
    this.byClass = Array.from({ length: classes }, () => new LatencyHistogram());
    this.adss = new AdssTally(classes, servers, faults, impairments);
  }

  /** Every row of a chunk of the query log. */
  addChunk(chunk: QueryChunk): void {
    for (let first = 0; first < chunk.rows; first += BLOCK_ROWS) this.addRows(chunk, first, Math.min(chunk.rows, first + BLOCK_ROWS));
  }

  private addRows(chunk: QueryChunk, first: number, end: number): void {
    const { outcome, broker, latencyMs: latencyTicks, arrivalMs: arrivalTicks, class: classOf, segmentsPruned: pruned } = chunk.columns;
    const { offsets, values: contacted } = chunk.lists.servers;
    for (let row = first; row < end; row++) {
      const classIndex = classOf[row];
      if (classIndex < 0 || classIndex >= this.classes) fail(`query row ${chunk.firstRow + row} has unknown class ${classIndex}`);
      if (broker[row] >= this.brokers) fail(`query row ${chunk.firstRow + row} has unknown broker ${broker[row]}`);
      const from = offsets[row];
      const to = offsets[row + 1];
      for (let k = from; k < to; k++) if (contacted[k] >= this.servers) fail(`a query contacted unknown server ${contacted[k]}`);
      this.serversContacted += to - from;
      this.maxServers = Math.max(this.maxServers, to - from);
      this.queriesPruned += pruned[row] > 0 ? 1 : 0;
      this.segmentsPruned += pruned[row];
      this.outcomeCounts[outcome[row]]++;
      this.queriesByBroker[broker[row]]++;
      const latency = latencyTicks[row];
      this.all.add(latency);
      this.byClass[classIndex].add(latency);
      this.adss.add(classIndex, arrivalTicks[row], latency, outcome[row] === COMPLETED, contacted, from, to);
    }
  }
}

/** Input whose indexes point nowhere is rejected, so that a figure is never silently misattributed. */
export function fail(what: string): never {
  throw new Error(`summary input: ${what}`);
}
