// Generates the queries of a run (seed 004 section 4.3): each class has its own arrival process and
// random streams; every arrival is assigned to a broker round-robin, over all classes, in the Arrival
// phase of its tick. All strategies of a study see identical arrival sequences because the streams
// depend only on the seed and the class name. A class with a filter draws its values from a stream of
// its own (`filter/<class>`), uniformly over the column's distinct values, so adding a filter shifts
// no other draw.

import type { BrokerActor } from '../../engine/broker/broker.js';
import type { PartitionFilter } from '../../engine/routing/partition-pruner.js';
import { asClass, asQuery, type SegmentIndex } from '../../engine/ids.js';
import type { Rng, RngSource } from '../../engine/ports.js';
import { Phase, type Scheduler, TICKS_PER_MS } from '../scheduler/scheduler.js';
import { ArrivalProcess, type ArrivalKind, type RatePiece } from './arrival-process.js';

export interface QueryClassSpec {
  readonly name: string;
  readonly arrival: ArrivalKind;
  readonly rates: readonly RatePiece[];
  /** Segments read per query; null = all of them. */
  readonly segmentsPerQuery: number | null;
  /** An EQ / IN predicate every query of the class has; null for none. */
  readonly filter?: FilterSpec | null;
}

/** `column IN (values drawn from 0 .. distinctValues - 1)`; one value is an equality. */
export interface FilterSpec {
  readonly column: string;
  readonly values: number;
  readonly distinctValues: number;
}

export class QuerySource {
  /** Queries that have arrived so far. */
  arrivals = 0;
  private nextBroker = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly brokers: readonly BrokerActor[],
    private readonly segmentCount: number,
    /** Arrivals stop at the end of the run. */
    private readonly endMs: number,
  ) {}

  /** Starts the arrivals of one class. */
  addClass(classIndex: number, spec: QueryClassSpec, rngs: RngSource): void {
    const segmentRng = spec.segmentsPerQuery === null ? null : rngs.stream(`segments/${spec.name}`);
    this.scheduleNext({
      classIndex,
      process: new ArrivalProcess(spec.arrival, spec.rates, rngs.stream(`arrivals/${spec.name}`)),
      segmentsPerQuery: spec.segmentsPerQuery,
      segmentRng,
      scratch: new Int32Array(this.segmentCount).map((_, i) => i),
      filter: spec.filter ?? null,
      filterRng: spec.filter === undefined || spec.filter === null ? null : rngs.stream(`filter/${spec.name}`),
    });
  }

  private readonly onArrival = (source: ClassSource): void => {
    this.arrive(source);
    this.scheduleNext(source);
  };

  private scheduleNext(source: ClassSource): void {
    const atMs = source.process.next();
    if (atMs <= this.endMs) this.scheduler.post(Math.floor(atMs * TICKS_PER_MS), Phase.Arrival, this.onArrival, source);
  }

  private arrive(source: ClassSource): void {
    const queryId = asQuery(this.arrivals++);
    const broker = this.brokers[this.nextBroker];
    this.nextBroker = (this.nextBroker + 1) % this.brokers.length;
    const { segmentsPerQuery, segmentRng } = source;
    const segments =
      segmentsPerQuery === null || segmentRng === null ? null : sampleSegments(segmentsPerQuery, segmentRng, source.scratch);
    const filter = source.filter === null || source.filterRng === null ? null : drawFilter(source.filter, source.filterRng);
    broker.onArrival({ queryId, classIndex: asClass(source.classIndex), segments, filter });
  }
}

/** The arrival state of one class. */
interface ClassSource {
  readonly classIndex: number;
  readonly process: ArrivalProcess;
  readonly segmentsPerQuery: number | null;
  readonly segmentRng: Rng | null;
  /** A permutation of the segments, reused by every draw of a subset. */
  readonly scratch: Int32Array;
  readonly filter: FilterSpec | null;
  readonly filterRng: Rng | null;
}

/** A query's predicate values: each uniform over the distinct values, drawn independently (repeats allowed, as in a real IN list). */
function drawFilter(spec: FilterSpec, rng: Rng): PartitionFilter {
  const values: number[] = new Array(spec.values);
  for (let i = 0; i < spec.values; i++) values[i] = Math.floor(rng.next() * spec.distinctValues);
  return { column: spec.column, values };
}

/** A uniform random subset of k segments, by a partial Fisher-Yates shuffle of a scratch permutation. */
function sampleSegments(k: number, rng: Rng, scratch: Int32Array): SegmentIndex[] {
  const n = scratch.length;
  const chosen: SegmentIndex[] = new Array(k);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    const picked = scratch[j];
    scratch[j] = scratch[i];
    scratch[i] = picked;
    chosen[i] = picked as SegmentIndex;
  }
  return chosen;
}
