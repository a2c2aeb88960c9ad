// C3 replica ranking (Suresh et al., NSDI 2015) as its authors' public simulator implements it
// (PINOT-REFERENCE.md "Adaptive Server Selection", the C3 items; seed 004 section 4.2 cites it as
// the origin of the cubic penalty). Per server, this broker keeps EWMAs updated on every response,
// with weight c3EwmaWeight on the new sample (the first sample initialises them):
//   q̄    the queue size the server reported with the response,
//   w̄    the response time minus the reported service time (network and waiting outside the server),
//   s̄    the reported service time.
// θ = 1 + pending · n + q̄, with pending this broker's live in-flight requests to the server and n the
// number of brokers (C3's clients); Ψ = w̄ + θ³ · s̄. Lowest Ψ wins, ties to the first in candidate
// order; servers never heard from rank first (the simulator scores them 0 and sorts stably, so the
// first unheard candidate in order is picked). A request that times out (no feedback) only lowers
// the pending count. With rate control on (c3RateControl), the broker sends each server at most its
// current rate per interval (C3RateControl, C3 section 4): the best-ranked candidate with a token is
// chosen, and when none has one the selector answers NO_SERVER and the request waits in the
// broker's backlog until retryAtMs.

import type { ServerIndex } from '../ids.js';
import type { ServerFeedback } from '../messages.js';
import { C3_RATE_CONTROL_DEFAULTS, C3RateControl } from './c3-rate-control.js';
import { NO_SERVER, type SelectorDeps, type SelectorParams, type ServerSelector } from './server-selector.js';

export class C3Selector implements ServerSelector {
  private readonly weight: number;
  private readonly clients: number;
  private readonly pending: Int32Array;
  private readonly heard: Uint8Array;
  private readonly queueSizeEwma: Float64Array;
  private readonly waitEwmaMs: Float64Array;
  private readonly serviceEwmaMs: Float64Array;
  private readonly rateControl: C3RateControl | null;
  /** Scratch for ranking candidates under rate control: 1 once a candidate was tried. */
  private tried = new Uint8Array(8);

  constructor(params: SelectorParams, deps: SelectorDeps) {
    if (!(params.c3EwmaWeight > 0 && params.c3EwmaWeight <= 1)) {
      throw new RangeError(`C3 EWMA weight ${params.c3EwmaWeight} is not in (0, 1]`);
    }
    this.weight = params.c3EwmaWeight;
    this.clients = deps.brokers;
    this.pending = new Int32Array(deps.servers);
    this.heard = new Uint8Array(deps.servers);
    this.queueSizeEwma = new Float64Array(deps.servers);
    this.waitEwmaMs = new Float64Array(deps.servers);
    this.serviceEwmaMs = new Float64Array(deps.servers);
    this.rateControl = params.c3RateControl ? new C3RateControl(deps.servers, C3_RATE_CONTROL_DEFAULTS, deps.clock) : null;
  }

  /** Ψ of a server heard from; 0 for one never heard from. */
  scoreOf(server: ServerIndex): number {
    if (this.heard[server] === 0) return 0;
    const theta = 1 + this.pending[server] * this.clients + this.queueSizeEwma[server];
    return this.waitEwmaMs[server] + theta * theta * theta * this.serviceEwmaMs[server];
  }

  select(candidates: readonly ServerIndex[]): ServerIndex {
    return this.rateControl === null ? this.best(candidates) : this.bestWithToken(candidates, this.rateControl);
  }

  /** The earliest time one of the candidates has a token again (rate control only). */
  retryAtMs(candidates: readonly ServerIndex[]): number {
    let atMs = Infinity;
    if (this.rateControl !== null) for (const candidate of candidates) atMs = Math.min(atMs, this.rateControl.nextTokenMs(candidate));
    return atMs;
  }

  /** Candidates in rank order (never-heard first, then lowest Ψ, ties by list order): the first with a token. */
  private bestWithToken(candidates: readonly ServerIndex[], rateControl: C3RateControl): ServerIndex {
    const count = candidates.length;
    if (this.tried.length < count) this.tried = new Uint8Array(count);
    const tried = this.tried;
    tried.fill(0, 0, count);
    for (let round = 0; round < count; round++) {
      let pick = -1;
      let pickScore = Infinity;
      for (let i = 0; i < count; i++) {
        if (tried[i] === 1) continue;
        const candidate = candidates[i];
        const score = this.heard[candidate] === 0 ? -1 : this.scoreOf(candidate);
        if (pick < 0 || score < pickScore) {
          pick = i;
          pickScore = score;
        }
      }
      tried[pick] = 1;
      if (rateControl.tryAcquire(candidates[pick])) return candidates[pick];
    }
    return NO_SERVER;
  }

  private best(candidates: readonly ServerIndex[]): ServerIndex {
    let best = candidates[0];
    if (this.heard[best] === 0) return best;
    let bestScore = this.scoreOf(best);
    for (let i = 1; i < candidates.length; i++) {
      const candidate = candidates[i];
      if (this.heard[candidate] === 0) return candidate;
      const score = this.scoreOf(candidate);
      if (score < bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    return best;
  }

  onSubmit(server: ServerIndex): void {
    this.pending[server]++;
  }

  onComplete(server: ServerIndex, latencyMs: number, feedback: ServerFeedback | null): void {
    this.pending[server]--;
    if (feedback === null) return;
    const waitMs = latencyMs - feedback.serviceTimeMs;
    if (this.heard[server] === 0) {
      this.heard[server] = 1;
      this.queueSizeEwma[server] = feedback.queueSize;
      this.waitEwmaMs[server] = waitMs;
      this.serviceEwmaMs[server] = feedback.serviceTimeMs;
      return;
    }
    const w = this.weight;
    this.queueSizeEwma[server] = w * feedback.queueSize + (1 - w) * this.queueSizeEwma[server];
    this.waitEwmaMs[server] = w * waitMs + (1 - w) * this.waitEwmaMs[server];
    this.serviceEwmaMs[server] = w * feedback.serviceTimeMs + (1 - w) * this.serviceEwmaMs[server];
  }

  /** Rate control counts every answer as it arrives, not when the broker's scatter completes. */
  onResponseArrived(server: ServerIndex): void {
    this.rateControl?.onResponse(server);
  }

  dispose(): void {}
}
