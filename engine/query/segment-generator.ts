// Generates the rows of one segment as an Arrow table (seed 003 section 4.2): dimension columns
// dictionary-encoded, integer metrics, a time column, and the rows physically sorted by vieweeId.
// Values are skewed (the first dictionary entries are the most frequent) as real traffic is; every
// draw comes from the segment's own named stream, so a segment's data depend only on seed and index.

import { Dictionary, Int32, Table, Utf8, makeVector, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { Rng, RngSource } from '../ports.js';
import { DIMENSION_NAMES, DIMENSIONS, METRICS, SORTED_COLUMN, TIME_COLUMN } from './table-schema.js';

export interface DatasetSpec {
  readonly segments: number;
  readonly rowsPerSegment: number;
  /** Distinct vieweeId values across the table: ids are drawn from [0, vieweeIds). */
  readonly vieweeIds: number;
}

/** A day of events per segment, as a daily-partitioned Pinot table would hold. */
const SEGMENT_SPAN_MS = 86_400_000;
const MAX_VIEWS = 5;
const MAX_TIME_SPENT_SEC = 600;

/** The random stream of segment `index`'s rows. */
export function segmentStreamName(index: number): string {
  return `data/segment-${index}`;
}

export function generateSegment(spec: DatasetSpec, index: number, rng: Rng): Table {
  const rows = spec.rowsPerSegment;
  const viewees = new Int32Array(rows);
  for (let r = 0; r < rows; r++) viewees[r] = Math.floor(rng.next() * spec.vieweeIds);
  viewees.sort();
  const columns: Record<string, ReturnType<typeof makeVector>> = { [SORTED_COLUMN]: makeVector(viewees) };
  for (const name of DIMENSION_NAMES) {
    const values = DIMENSIONS[name];
    const drawn: string[] = new Array(rows);
    // u² skews toward the first values: value i has probability sqrt((i+1)/n) - sqrt(i/n).
    for (let r = 0; r < rows; r++) drawn[r] = values[Math.floor(rng.next() ** 2 * values.length)];
    columns[name] = vectorFromArray(drawn, new Dictionary(new Utf8(), new Int32()));
  }
  const views = new Int32Array(rows);
  const timeSpent = new Int32Array(rows);
  const eventTimes = new Float64Array(rows);
  const startMs = index * SEGMENT_SPAN_MS;
  for (let r = 0; r < rows; r++) {
    views[r] = 1 + Math.floor(rng.next() * MAX_VIEWS);
    timeSpent[r] = Math.floor(rng.next() * (MAX_TIME_SPENT_SEC + 1));
    eventTimes[r] = startMs + Math.floor(rng.next() * SEGMENT_SPAN_MS);
  }
  columns[METRICS[0]] = makeVector(views);
  columns[METRICS[1]] = makeVector(timeSpent);
  columns[TIME_COLUMN] = makeVector(eventTimes);
  return new Table(columns);
}

/** A segment as the bytes of an Arrow IPC file: what the real runtime writes and servers load. */
export function segmentToIpc(table: Table): Uint8Array {
  return tableToIPC(table, 'file');
}

/** Every segment of a dataset, each from its own stream. */
export function generateDataset(spec: DatasetSpec, rngs: RngSource): Table[] {
  const tables: Table[] = [];
  for (let i = 0; i < spec.segments; i++) tables.push(generateSegment(spec, i, rngs.stream(segmentStreamName(i))));
  return tables;
}

