// C3 replica ranking (Suresh et al., NSDI 2015) as its authors' public simulator implements it
// (PINOT-REFERENCE.md "Adaptive Server Selection", the C3 items; seed 004 section 4.2 cites it as
// the origin of the cubic penalty). Rules from lalithsuresh/absim master, simulations/client.py
// (Client.computeExpectedDelay, Client.updateEma, ResponseHandler.run) and server.py (Executor.run),
// commit 348dac6afbc06532dda2d9da31808cfec5746d63. Per server, this broker keeps EWMAs updated on
// every response as it arrives (perReply; absim's ResponseHandler), weight c3EwmaWeight (0.9) on the
// new sample, the first sample initialising them:
//   q̄    the queue size the server reported with the response (work items waiting for a thread),
//   w̄    the response time minus the reported service time, the response time measured from the
//        request's send (absim's taskSentTimeTracker; time in the broker's backlog is not the server's)
//        at the clock's own resolution, not Pinot's whole milliseconds (exactLatency): absim measures
//        both in the same float time, and a whole-millisecond latency less an exact service time is
//        negative for every reply within its millisecond, which made C3 herd onto the server whose
//        replies happened to round down and its rate control throttle brokers far below their demand,
//   s̄    the reported service time: time in service only, not the wait in the server's queue before it
//        (absim's serviceTime; here from the request's first work item starting to its last ending).
// θ = 1 + pending · n + q̄, with pending this broker's requests to the server not yet answered and n
// the number of brokers (C3's clients); Ψ = w̄ + θ³ · s̄. Lowest Ψ wins; servers never heard from rank
// first (absim scores them 0 and sorts stably over a replica list that starts at a random replica);
// ties, among those too, at random from the selector's stream. A request that times out (no feedback)
// only lowers the pending count. With rate control on (c3RateControl), the broker sends each server
// at most as its token bucket allows (C3RateControl; absim's BackpressureScheduler): the best-ranked
// candidate with a token is chosen, and when none has one the selector answers NO_SERVER and the
// request waits, FIFO per mirror server set, in the broker's backlog until retryAtMs.
// Layout (issue 5, "Speed at scale"): a server's five numbers (pending, heard, q̄, w̄, s̄) are one
// record of one Float64Array, at the server's slot (ServerSlots: a selection's candidates side by
// side), which grows by doubling for servers that join later.

import type { ServerIndex } from '../ids.js';
import type { ServerFeedback } from '../messages.js';
import type { Rng } from '../ports.js';
import { C3RateControl } from './c3-rate-control.js';
import { rankedPick, UNRANKED_SCORE } from './pinot-selectors.js';
import { NO_SERVER, type SelectorDeps, type SelectorParams, type ServerSelector } from './server-selector.js';
import { ServerSlots, withRoomFor } from './server-slots.js';

/** A server's numbers, at slot * FIELDS + field. */
const PENDING = 0;
/** 1 once the server was heard from. */
const HEARD = 1;
const QUEUE_SIZE_EWMA = 2;
const WAIT_EWMA_MS = 3;
const SERVICE_EWMA_MS = 4;
const FIELDS = 5;

export class C3Selector implements ServerSelector {
  readonly perReply = true;
  readonly exactLatency = true;
  readonly readsFeedback = true;
  private readonly weight: number;
  private readonly rng: Rng;
  private readonly clients: number;
  private readonly slots: ServerSlots;
  /** Every server's record (FIELDS numbers), by slot. */
  private records: Float64Array<ArrayBuffer>;
  private readonly rateControl: C3RateControl | null;
  /** Scratch for ranking candidates under rate control: 1 once a candidate was tried. */
  private tried = new Uint8Array(8);

  constructor(params: SelectorParams, deps: SelectorDeps) {
    if (!(params.c3EwmaWeight > 0 && params.c3EwmaWeight <= 1)) {
      throw new RangeError(`C3 EWMA weight ${params.c3EwmaWeight} is not in (0, 1]`);
    }
    this.weight = params.c3EwmaWeight;
    this.rng = deps.rng;
    this.clients = deps.brokers;
    this.slots = deps.slots ?? new ServerSlots(deps.servers);
    this.records = new Float64Array(Math.max(deps.servers, this.slots.size, 1) * FIELDS);
    this.rateControl = params.c3RateControl === null ? null : new C3RateControl(deps.servers, params.c3RateControl, deps.clock);
  }

  /** Ψ of a server heard from; 0 for one never heard from. */
  scoreOf(server: ServerIndex): number {
    const at = this.recordOf(server);
    const records = this.records;
    if (records[at + HEARD] === 0) return 0;
    const theta = 1 + records[at + PENDING] * this.clients + records[at + QUEUE_SIZE_EWMA];
    return records[at + WAIT_EWMA_MS] + theta * theta * theta * records[at + SERVICE_EWMA_MS];
  }

  /** Where the server's record starts, the array grown if the server's slot is past its end. */
  private recordOf(server: ServerIndex): number {
    const slot = this.slots.slotOf(server);
    this.records = withRoomFor(this.records, slot, FIELDS);
    return slot * FIELDS;
  }

  select(candidates: readonly ServerIndex[]): ServerIndex {
    return this.rateControl === null ? rankedPick(candidates, this.rng, this.rankOf) : this.bestWithToken(candidates, this.rateControl);
  }

  selectRanked(candidates: readonly ServerIndex[]): ServerIndex {
    return this.select(candidates);
  }

  /** The earliest time one of the candidates has a token again (rate control only). */
  retryAtMs(candidates: readonly ServerIndex[]): number {
    let atMs = Infinity;
    if (this.rateControl !== null) for (const candidate of candidates) atMs = Math.min(atMs, this.rateControl.nextTokenMs(candidate));
    return atMs;
  }

  /** Ψ, or UNRANKED_SCORE for a server never heard from, so that it ranks first. */
  private readonly rankOf = (server: ServerIndex): number => (this.records[this.recordOf(server) + HEARD] === 0 ? UNRANKED_SCORE : this.scoreOf(server));

  /** Candidates in rank order (as select ranks them, ties at random): the first with a token. */
  private bestWithToken(candidates: readonly ServerIndex[], rateControl: C3RateControl): ServerIndex {
    const count = candidates.length;
    if (this.tried.length < count) this.tried = new Uint8Array(count);
    const tried = this.tried;
    tried.fill(0, 0, count);
    for (let round = 0; round < count; round++) {
      let pick = -1;
      let pickScore = Infinity;
      let ties = 0;
      for (let i = 0; i < count; i++) {
        if (tried[i] === 1) continue;
        const score = this.rankOf(candidates[i]);
        if (pick < 0 || score < pickScore) {
          pick = i;
          pickScore = score;
          ties = 1;
        } else if (score === pickScore && this.rng.next() * ++ties < 1) {
          pick = i;
        }
      }
      tried[pick] = 1;
      if (rateControl.tryAcquire(candidates[pick])) return candidates[pick];
    }
    return NO_SERVER;
  }

  onSubmit(server: ServerIndex): void {
    this.records[this.recordOf(server) + PENDING]++;
  }

  onComplete(server: ServerIndex, latencyMs: number, feedback: ServerFeedback | null): void {
    const at = this.recordOf(server);
    const records = this.records;
    records[at + PENDING]--;
    if (feedback === null) return;
    this.rateControl?.onResponse(server);
    const waitMs = latencyMs - feedback.serviceTimeMs;
    if (records[at + HEARD] === 0) {
      records[at + HEARD] = 1;
      records[at + QUEUE_SIZE_EWMA] = feedback.queueSize;
      records[at + WAIT_EWMA_MS] = waitMs;
      records[at + SERVICE_EWMA_MS] = feedback.serviceTimeMs;
      return;
    }
    const w = this.weight;
    records[at + QUEUE_SIZE_EWMA] = w * feedback.queueSize + (1 - w) * records[at + QUEUE_SIZE_EWMA];
    records[at + WAIT_EWMA_MS] = w * waitMs + (1 - w) * records[at + WAIT_EWMA_MS];
    records[at + SERVICE_EWMA_MS] = w * feedback.serviceTimeMs + (1 - w) * records[at + SERVICE_EWMA_MS];
  }

  dispose(): void {}
}
