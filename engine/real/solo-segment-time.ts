// How long one segment's query takes on this machine with nothing else of the run competing: the
// baseline against which `twin calibrate` states the real runtime's concurrency effects (threads and
// servers sharing the cores). Reads real time, so it lives in the real runtime's folder.

import type { Rng } from '../ports.js';
import { executeQuery } from '../query/execute-query.js';
import type { Query } from '../query/query.js';
import { Segment } from '../query/segment.js';
import { generateSegment, type DatasetSpec } from '../query/segment-generator.js';

/** The query's time in ms over one generated segment, `repetitions` times (after one warm-up run). */
export function soloSegmentTimesMs(query: Query, dataset: DatasetSpec, rng: Rng, repetitions: number): number[] {
  const segment = new Segment(generateSegment(dataset, 0, rng));
  executeQuery(segment, query);
  const times: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const startMs = performance.now();
    executeQuery(segment, query);
    times.push(performance.now() - startMs);
  }
  return times;
}
