// C3's per-client rate control (Suresh et al., "C3: Cutting Tail Latency in Cloud Data Stores via
// Adaptive Replica Selection", NSDI 2015, section 4, the rate-control half; PINOT-REFERENCE.md
// "Adaptive Server Selection", the C3 items). One broker (C3's client) keeps, per server, a sending
// rate enforced by a token bucket and a measured receive rate, and adapts the first to the second
// with a cubic function. c3-selector.ts is the ranking half; this module only says whether a request
// may go to a server now, and when it may if not.
//
// The rules are those of the authors' simulator on its master branch: lalithsuresh/absim,
// simulations/client.py (RateLimiter, ReceiveRate, Client.updateRates, BackpressureScheduler), commit
// 348dac6afbc06532dda2d9da31808cfec5746d63 ("Fix the RateLimiter bug", 2014-10-25). Time is in ms, as
// there. Per server:
//  - Token bucket (RateLimiter): rate 5 requests per interval and 0 tokens at the start, at most 50
//    tokens; tokens refill continuously, rate / interval per ms since the last send, computed lazily
//    with the rate in force when looked at. A send needs a whole token and takes it; when none is
//    there, the wait is (1 − tokens) · interval / rate.
//  - Receive rate (ReceiveRate): starts at 10 per interval. Responses are counted; when one arrives
//    (or the rate is read) in a later interval than the last update, rate = 0.9 · count + 0.1 · rate
//    with count all the responses since that update, the one arriving included, and the count
//    restarts. After `interval` intervals or more without an update, the rate is set to the count
//    itself, the arriving response excluded (as absim's add() does).
//  - On every response, after counting it (Client.updateRates):
//      sending < receive:  lastIncrease = now; R = C·(T − K)³ + Rmax with T = now − lastDecrease,
//                          K = ∛(β·Rmax/C); rate += Smax if R − rate > Smax, else rate = R;
//      sending > receive and now − lastIncrease > hysteresis · interval:
//                          Rmax = rate; rate = max(rate · β, 0.0001); lastDecrease = now.
//    Rmax starts at 10, last decrease and last increase at the start (absim's time 0; here the time
//    the broker was built).
// Defaults: β 0.2, C 4e-6, Smax 10, hysteresis 2 intervals; the interval is 20 ms as in
// PINOT-REFERENCE.md (absim's command line defaults to 10 ms). Every constant, the starting values
// included, is a scenario key (routing.c3.*), so an operator can size the limiter for a cluster. A token is counted present from
// 1 − 1e-9, where absim's backpressure scheduler, after waiting the computed time, forces a token
// against floating-point shortfall.
// Consequence of these rules, checked against them line by line (issue 6): the first response sets
// the rate to the cubic at T ≈ 0, Rmax·(1 − β) = 8 per interval, rising toward Rmax = 10; a broker
// whose demand on a server stays below that is never held back (sim/study/rate-control-demand.test.ts).
// A broker at or above it uses every token, receives about what it sends, and its rate grows past
// Rmax only by noise. absim's own experiments stay far below it (factorial.py: 150 or 300 clients,
// 50 servers at 0.99 utilisation, about 0.1 request per client, server and 20 ms interval).

import type { ServerIndex } from '../ids.js';
import type { Clock } from '../ports.js';

/** The rate control's constants: absim master's values are C3_RATE_CONTROL_DEFAULTS (scenario keys routing.c3.*). */
export interface C3RateControlParams {
  /** absim's rateInterval, in ms: the unit of every rate below. */
  readonly rateIntervalMs: number;
  /** absim's cubicBeta: the multiplicative decrease. */
  readonly beta: number;
  /** absim's cubicC, in requests per interval per ms³. */
  readonly cubicC: number;
  /** absim's cubicSmax: the largest increase at one response, requests per interval. */
  readonly maxStep: number;
  /** absim's hysterisisFactor: intervals after an increase before a decrease may happen. */
  readonly hysteresisIntervals: number;
  /** absim's RateLimiter.rate at the start, requests per interval. */
  readonly initialRate: number;
  /** absim's RateLimiter.tokens at the start. */
  readonly initialTokens: number;
  /** absim's Client: most tokens a bucket holds. */
  readonly maxTokens: number;
  /** absim's ReceiveRate.rate at the start, responses per interval. */
  readonly initialReceiveRate: number;
  /** absim's valueOfLastDecrease at the start (Rmax), requests per interval. */
  readonly initialRateAtDecrease: number;
  /** absim's ReceiveRate alpha: weight of the count since the last update. */
  readonly receiveRateWeight: number;
}

/** absim master's values (simulations/client.py and experiment.py at 348dac6), the interval aside: 20 ms as in PINOT-REFERENCE.md. */
export const C3_RATE_CONTROL_DEFAULTS: C3RateControlParams = {
  rateIntervalMs: 20,
  beta: 0.2,
  cubicC: 4e-6,
  maxStep: 10,
  hysteresisIntervals: 2,
  initialRate: 5,
  initialTokens: 0,
  maxTokens: 50,
  initialReceiveRate: 10,
  initialRateAtDecrease: 10,
  receiveRateWeight: 0.9,
};

/** The sending rate never goes below this after a decrease (absim: 0.0001). */
export const C3_MIN_SENDING_RATE = 0.0001;

/** A token is there when the bucket holds at least 1 − this (float noise, as absim forces it). */
const TOKEN_TOLERANCE = 1e-9;

export class C3RateControl {
  private readonly intervalMs: number;
  private readonly beta: number;
  private readonly cubicC: number;
  private readonly maxStep: number;
  private readonly hysteresisMs: number;
  private readonly maxTokens: number;
  private readonly receiveWeight: number;
  private readonly originMs: number;
  private readonly clock: Clock;
  private readonly initial: C3RateControlParams;

  private rate: Float64Array;
  private tokens: Float64Array;
  private lastSentMs: Float64Array;
  private receiveRateValue: Float64Array;
  /** Index of the interval of the receive rate's last update (relative to originMs). */
  private receiveLastInterval: Float64Array;
  private receiveCount: Float64Array;
  private rateAtLastDecrease: Float64Array;
  private lastDecreaseMs: Float64Array;
  private lastIncreaseMs: Float64Array;

  constructor(servers: number, params: C3RateControlParams, clock: Clock) {
    if (!Number.isInteger(servers) || servers < 0) throw new RangeError(`server count ${servers} is not a count`);
    checkParams(params);
    this.intervalMs = params.rateIntervalMs;
    this.beta = params.beta;
    this.cubicC = params.cubicC;
    this.maxStep = params.maxStep;
    this.hysteresisMs = params.hysteresisIntervals * params.rateIntervalMs;
    this.maxTokens = params.maxTokens;
    this.receiveWeight = params.receiveRateWeight;
    this.clock = clock;
    this.originMs = clock.now();

    this.initial = params;
    this.rate = new Float64Array(0);
    this.tokens = this.rate;
    this.lastSentMs = this.rate;
    this.receiveRateValue = this.rate;
    this.receiveLastInterval = this.rate;
    this.receiveCount = this.rate;
    this.rateAtLastDecrease = this.rate;
    this.lastDecreaseMs = this.rate;
    this.lastIncreaseMs = this.rate;
    this.grow(servers);
  }

  /**
   * Room for `capacity` servers: a server that joined the run after this was made starts as every
   * server did, at the origin (a server reserved from the start and never used would be the same).
   */
  private grow(capacity: number): void {
    const p = this.initial;
    this.rate = extended(this.rate, capacity, p.initialRate);
    this.tokens = extended(this.tokens, capacity, p.initialTokens);
    this.lastSentMs = extended(this.lastSentMs, capacity, this.originMs);
    this.receiveRateValue = extended(this.receiveRateValue, capacity, p.initialReceiveRate);
    this.receiveLastInterval = extended(this.receiveLastInterval, capacity, 0);
    this.receiveCount = extended(this.receiveCount, capacity, 0);
    this.rateAtLastDecrease = extended(this.rateAtLastDecrease, capacity, p.initialRateAtDecrease);
    this.lastDecreaseMs = extended(this.lastDecreaseMs, capacity, this.originMs);
    this.lastIncreaseMs = extended(this.lastIncreaseMs, capacity, this.originMs);
  }

  /** Makes room for the server (doubling) if it joined after the arrays were last sized. */
  private fit(server: ServerIndex): void {
    if (server >= this.rate.length) this.grow(Math.max(server + 1, 2 * this.rate.length));
  }

  /** Takes a token for the server if it has a whole one now; false if not. */
  tryAcquire(server: ServerIndex): boolean {
    this.fit(server);
    const nowMs = this.clock.now();
    const tokens = this.tokensAt(server, nowMs);
    if (tokens < 1 - TOKEN_TOLERANCE) return false;
    this.tokens[server] = tokens > 1 ? tokens - 1 : 0;
    this.lastSentMs[server] = nowMs;
    return true;
  }

  /** Time in ms at which the server will have a whole token (now if it has one). */
  nextTokenMs(server: ServerIndex): number {
    this.fit(server);
    const nowMs = this.clock.now();
    const tokens = this.tokensAt(server, nowMs);
    if (tokens >= 1 - TOKEN_TOLERANCE) return nowMs;
    return nowMs + ((1 - tokens) * this.intervalMs) / this.rate[server];
  }

  /** A response from the server reached this client: counts toward its receive rate and adapts the sending rate. */
  onResponse(server: ServerIndex): void {
    this.fit(server);
    const nowMs = this.clock.now();
    this.addToReceiveRate(server, 1, nowMs);
    const sending = this.rate[server];
    const receiving = this.receiveRateAt(server, nowMs);
    if (sending < receiving) {
      const rMax = this.rateAtLastDecrease[server];
      const offset = nowMs - this.lastDecreaseMs[server] - Math.cbrt((rMax * this.beta) / this.cubicC);
      const cubic = this.cubicC * offset * offset * offset + rMax;
      this.rate[server] = cubic - sending > this.maxStep ? sending + this.maxStep : cubic;
      this.lastIncreaseMs[server] = nowMs;
    } else if (sending > receiving && nowMs - this.lastIncreaseMs[server] > this.hysteresisMs) {
      this.rateAtLastDecrease[server] = sending;
      const next = sending * this.beta;
      this.rate[server] = next > C3_MIN_SENDING_RATE ? next : C3_MIN_SENDING_RATE;
      this.lastDecreaseMs[server] = nowMs;
    }
  }

  /** Current sending rate of the server in requests per interval (for tests and diagnostics). */
  sendingRate(server: ServerIndex): number {
    this.fit(server);
    return this.rate[server];
  }

  /** Tokens the server's bucket holds now (for tests and diagnostics). */
  tokensNow(server: ServerIndex): number {
    this.fit(server);
    return this.tokensAt(server, this.clock.now());
  }

  /** Measured receive rate of the server in responses per interval, as of now (absim's getRate). */
  receiveRate(server: ServerIndex): number {
    this.fit(server);
    return this.receiveRateAt(server, this.clock.now());
  }

  private tokensAt(server: ServerIndex, nowMs: number): number {
    const refilled = this.tokens[server] + (this.rate[server] / this.intervalMs) * (nowMs - this.lastSentMs[server]);
    return refilled < this.maxTokens ? refilled : this.maxTokens;
  }

  private receiveRateAt(server: ServerIndex, nowMs: number): number {
    this.addToReceiveRate(server, 0, nowMs);
    return this.receiveRateValue[server];
  }

  /** absim's ReceiveRate.add: note that the interval index is compared with the interval's length in ms. */
  private addToReceiveRate(server: ServerIndex, responses: number, nowMs: number): void {
    const interval = Math.floor((nowMs - this.originMs) / this.intervalMs);
    const last = this.receiveLastInterval[server];
    if (interval - last < Math.floor(this.intervalMs)) {
      this.receiveCount[server] += responses;
      if (interval > last) {
        const w = this.receiveWeight;
        this.receiveRateValue[server] = w * this.receiveCount[server] + (1 - w) * this.receiveRateValue[server];
        this.receiveLastInterval[server] = interval;
        this.receiveCount[server] = 0;
      }
    } else {
      this.receiveRateValue[server] = this.receiveCount[server];
      this.receiveLastInterval[server] = interval;
      this.receiveCount[server] = 0;
    }
  }
}

/** Throws a RangeError naming the first constant out of its range. */
function checkParams(params: C3RateControlParams): void {
  const { rateIntervalMs, beta, cubicC, maxStep, hysteresisIntervals, initialRate, initialTokens, maxTokens, initialReceiveRate, initialRateAtDecrease, receiveRateWeight } = params;
  const positive = (value: number) => value > 0 && Number.isFinite(value);
  const atLeastZero = (value: number) => value >= 0 && Number.isFinite(value);
  if (!positive(rateIntervalMs)) throw new RangeError(`C3 rate interval ${rateIntervalMs} ms is not positive`);
  if (!(beta > 0 && beta < 1)) throw new RangeError(`C3 beta ${beta} is not in (0, 1)`);
  if (!positive(cubicC)) throw new RangeError(`C3 cubic C ${cubicC} is not positive`);
  if (!positive(maxStep)) throw new RangeError(`C3 Smax ${maxStep} is not positive`);
  if (!atLeastZero(hysteresisIntervals)) throw new RangeError(`C3 hysteresis ${hysteresisIntervals} intervals is negative`);
  if (!positive(initialRate)) throw new RangeError(`C3 initial rate ${initialRate} is not positive`);
  if (!(maxTokens >= 1 && Number.isFinite(maxTokens))) throw new RangeError(`C3 bucket of ${maxTokens} tokens cannot hold one`);
  if (!(atLeastZero(initialTokens) && initialTokens <= maxTokens)) throw new RangeError(`C3 initial tokens ${initialTokens} are not in [0, ${maxTokens}]`);
  if (!atLeastZero(initialReceiveRate)) throw new RangeError(`C3 initial receive rate ${initialReceiveRate} is negative`);
  if (!positive(initialRateAtDecrease)) throw new RangeError(`C3 initial Rmax ${initialRateAtDecrease} is not positive`);
  if (!(receiveRateWeight > 0 && receiveRateWeight <= 1)) throw new RangeError(`C3 receive-rate weight ${receiveRateWeight} is not in (0, 1]`);
}

/** `values` with room for `capacity`, the new entries `initial`. */
function extended(values: Float64Array, capacity: number, initial: number): Float64Array {
  const copy = new Float64Array(capacity).fill(initial);
  copy.set(values);
  return copy;
}
