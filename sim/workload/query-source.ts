// Generates the queries of a run (seed 004 section 4.3): each class has its own arrival process and
// random streams; every arrival is assigned to a broker round-robin, over all classes, in the Arrival
// phase of its tick. All strategies of a study see identical arrival sequences because the streams
// depend only on the seed and the class name.

import type { BrokerActor } from '../../engine/broker/broker.js';
import { asClass, asQuery, type SegmentIndex } from '../../engine/ids.js';
import type { Rng, RngSource } from '../../engine/ports.js';
import { Phase, type Scheduler } from '../scheduler/scheduler.js';
import { ArrivalProcess, type ArrivalKind, type RatePiece } from './arrival-process.js';

export interface QueryClassSpec {
  readonly name: string;
  readonly arrival: ArrivalKind;
  readonly rates: readonly RatePiece[];
  /** Segments read per query; null = all of them. */
  readonly segmentsPerQuery: number | null;
}

export class QuerySource {
  /** Queries that have arrived so far. */
  arrivals = 0;
  private nextBroker = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly brokers: readonly BrokerActor[],
    private readonly segmentCount: number,
    private readonly endTick: number,
  ) {}

  /** Starts the arrivals of one class. */
  addClass(classIndex: number, spec: QueryClassSpec, rngs: RngSource): void {
    const process = new ArrivalProcess(spec.arrival, spec.rates, rngs.stream(`arrivals/${spec.name}`));
    const segmentRng = spec.segmentsPerQuery === null ? null : rngs.stream(`segments/${spec.name}`);
    const scratch = new Int32Array(this.segmentCount).map((_, i) => i);
    const schedule = (): void => {
      const atMs = process.next();
      const tick = Math.floor(atMs * 10);
      if (!(tick <= this.endTick)) return;
      this.scheduler.at(tick, Phase.Arrival, () => {
        this.arrive(classIndex, spec.segmentsPerQuery, segmentRng, scratch);
        schedule();
      });
    };
    schedule();
  }

  private arrive(classIndex: number, segmentsPerQuery: number | null, rng: Rng | null, scratch: Int32Array): void {
    const queryId = asQuery(this.arrivals++);
    const broker = this.brokers[this.nextBroker];
    this.nextBroker = (this.nextBroker + 1) % this.brokers.length;
    const segments = segmentsPerQuery === null || rng === null ? null : sampleSegments(segmentsPerQuery, rng, scratch);
    broker.onArrival({ queryId, classIndex: asClass(classIndex), segments });
  }
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
