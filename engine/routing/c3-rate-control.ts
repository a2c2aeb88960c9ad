// C3's per-client rate control (Suresh et al., "C3: Cutting Tail Latency in Cloud Data Stores via
// Adaptive Replica Selection", NSDI 2015, section 4, the rate-control half; PINOT-REFERENCE.md
// "Adaptive Server Selection", the C3 items). One broker (C3's client) keeps, per server, a sending
// rate enforced by a token bucket, a measured receive rate, and adapts the first to the second with
// a cubic function. c3-selector.ts is the ranking half; this module only says whether a request may
// go to a server now, and when it may if not.
//
// Facts taken from the authors' simulator, lalithsuresh/absim, simulations/client.py (classes
// Client.updateRates, RateLimiter, ReceiveRate, ResponseHandler; version read: commit d62105b0):
//  - Initial state per server: sending rate 10 requests per interval, a full bucket of 10 tokens,
//    Rmax (the rate at the last decrease) 10, last decrease and last increase at time 0 (the
//    client's creation; here the construction time).
//  - Time is the simulator clock in milliseconds (Client.clock divides it by 1000 to get seconds),
//    so T in the cubic is milliseconds since the last decrease, not intervals: with Rmax = 10,
//    K = ∛(β·Rmax/C) ≈ 79 ms, about 4 intervals of 20 ms.
//  - Receive rate: responses are counted per server; at the end of every rate interval (a process
//    started at the client's creation) rate = 0.1·count + 0.9·rate and the count restarts at 0. It
//    starts at 0 and is in responses per interval, the same unit as the sending rate.
//  - The rate is adapted on every response, after the response has been counted:
//      sending < receive:  lastIncrease = now; R = C·(T − K)³ + Rmax, T = now − lastDecrease;
//                          rate = rate + Smax if R − rate > Smax, else R (so min(rate + Smax, R):
//                          below K the curve is under Rmax and this step may lower the rate);
//      receive == 0:       nothing;
//      sending > receive and now − lastIncrease > hysteresis·interval (strictly):
//                          Rmax = rate; rate = max(rate·β, 0.01); lastDecrease = now.
//    The decrease multiplies by β (0.2), not by 1 − β: the rate drops to a fifth and the cubic, which
//    starts at (1 − β)·Rmax, then pulls it back up at most Smax per response. The authors' Cassandra
//    implementation (lalithsuresh/cassandra-c3, c3/RateController.java) does the same (rate·β, floor
//    0.1 there). Hysteresis only holds a decrease after an increase; an increase right after a
//    decrease is not held, and consecutive decreases are not spaced.
//  - The simulator's bucket refills continuously at rate/interval tokens per ms, capped at 10, and
//    a send needs a whole token (rounded to 9 decimals). Its command-line defaults are rate interval
//    10 ms, C 4e-6, Smax 10, β 0.2, hysteresis 2; PINOT-REFERENCE.md gives 20 ms for the interval,
//    which the defaults below use.
//
// Where this differs from the simulator, on purpose:
//  - The bucket is refilled at interval boundaries (origin = construction time, boundaries every
//    rateIntervalMs), lazily from clock.now(): each boundary passed adds `rate` tokens (the rate in
//    force when it is noticed; every call notices it before it changes anything). The bucket holds at
//    most rate + 1 − 1e-6 tokens instead of a fixed 10: under saturation the fraction of a token left
//    at the end of an interval carries over, so the long-run send rate is exactly `rate` per interval
//    (fractional rates such as 0.4 or 12.5 included), while an idle server never banks more than
//    ⌈rate⌉ whole tokens (exactly `rate` for an integer rate). A fixed cap of 10 would, with interval
//    refills, cap the sending rate itself at 10.
//  - The floor 0.01 is also applied after an increase (the cubic can start at (1 − β)·Rmax, just
//    under the floor when Rmax is the floor), so the rate is never below 0.01.

import type { ServerIndex } from '../ids.js';
import type { Clock } from '../ports.js';

export interface C3RateControlParams {
  readonly rateIntervalMs: number; // 20
  readonly beta: number; // 0.2
  readonly cubicC: number; // 4e-6
  readonly maxStep: number; // Smax, 10
  readonly hysteresisIntervals: number; // 2
}

export const C3_RATE_CONTROL_DEFAULTS: C3RateControlParams = {
  rateIntervalMs: 20,
  beta: 0.2,
  cubicC: 4e-6,
  maxStep: 10,
  hysteresisIntervals: 2,
};

/** Sending rate, bucket contents and Rmax of every server at the start (absim: 10). */
export const C3_INITIAL_SENDING_RATE = 10;
/** The sending rate never goes below this many requests per interval (absim: 0.01). */
export const C3_MIN_SENDING_RATE = 0.01;
/** Weight of the last interval's count in the receive-rate EWMA (absim: 0.1). */
export const C3_RECEIVE_RATE_WEIGHT = 0.1;

/** A token is there when the bucket holds at least 1 − this (float noise from fractional refills). */
const TOKEN_TOLERANCE = 1e-9;
/** The bucket holds at most rate + 1 − this, so whole tokens never exceed ⌈rate⌉. */
const BUCKET_HEADROOM = 1e-6;

export class C3RateControl {
  private readonly intervalMs: number;
  private readonly beta: number;
  private readonly cubicC: number;
  private readonly maxStep: number;
  private readonly hysteresisMs: number;
  private readonly originMs: number;
  private readonly clock: Clock;

  /** Index of the interval every per-server field below was last brought up to. */
  private readonly seenInterval: Float64Array;
  private readonly tokens: Float64Array;
  private readonly rate: Float64Array;
  private readonly receiveEwma: Float64Array;
  private readonly receivedThisInterval: Float64Array;
  private readonly rateAtLastDecrease: Float64Array;
  private readonly lastDecreaseMs: Float64Array;
  private readonly lastIncreaseMs: Float64Array;

  constructor(servers: number, params: C3RateControlParams, clock: Clock) {
    if (!Number.isInteger(servers) || servers < 0) throw new RangeError(`server count ${servers} is not a count`);
    const { rateIntervalMs, beta, cubicC, maxStep, hysteresisIntervals } = params;
    if (!(rateIntervalMs > 0 && Number.isFinite(rateIntervalMs))) {
      throw new RangeError(`C3 rate interval ${rateIntervalMs} ms is not positive`);
    }
    if (!(beta > 0 && beta < 1)) throw new RangeError(`C3 beta ${beta} is not in (0, 1)`);
    if (!(cubicC > 0 && Number.isFinite(cubicC))) throw new RangeError(`C3 cubic C ${cubicC} is not positive`);
    if (!(maxStep > 0 && Number.isFinite(maxStep))) throw new RangeError(`C3 Smax ${maxStep} is not positive`);
    if (!(hysteresisIntervals >= 0 && Number.isFinite(hysteresisIntervals))) {
      throw new RangeError(`C3 hysteresis ${hysteresisIntervals} intervals is negative`);
    }
    this.intervalMs = rateIntervalMs;
    this.beta = beta;
    this.cubicC = cubicC;
    this.maxStep = maxStep;
    this.hysteresisMs = hysteresisIntervals * rateIntervalMs;
    this.clock = clock;
    this.originMs = clock.now();

    this.seenInterval = new Float64Array(servers);
    this.tokens = new Float64Array(servers).fill(C3_INITIAL_SENDING_RATE);
    this.rate = new Float64Array(servers).fill(C3_INITIAL_SENDING_RATE);
    this.receiveEwma = new Float64Array(servers);
    this.receivedThisInterval = new Float64Array(servers);
    this.rateAtLastDecrease = new Float64Array(servers).fill(C3_INITIAL_SENDING_RATE);
    this.lastDecreaseMs = new Float64Array(servers).fill(this.originMs);
    this.lastIncreaseMs = new Float64Array(servers).fill(this.originMs);
  }

  /** Takes a token for the server if one is left in the current interval; false if none. */
  tryAcquire(server: ServerIndex): boolean {
    this.catchUp(server, this.intervalOf(this.clock.now()));
    const tokens = this.tokens[server];
    if (tokens < 1 - TOKEN_TOLERANCE) return false;
    this.tokens[server] = tokens > 1 ? tokens - 1 : 0;
    return true;
  }

  /** Time in ms at which the server will have a token again (now if it has one). */
  nextTokenMs(server: ServerIndex): number {
    const now = this.clock.now();
    const interval = this.intervalOf(now);
    this.catchUp(server, interval);
    const tokens = this.tokens[server];
    if (tokens >= 1 - TOKEN_TOLERANCE) return now;
    const rate = this.rate[server];
    // Boundaries to wait for, computed as catchUp will refill (the cap is above 1: rate ≥ 0.01).
    let wait = Math.ceil((1 - TOKEN_TOLERANCE - tokens) / rate);
    if (wait < 1) wait = 1;
    while (tokens + rate * wait < 1 - TOKEN_TOLERANCE) wait++;
    return this.boundaryMs(interval + wait);
  }

  /** A response from the server reached this client: counts toward its receive rate and adapts the sending rate. */
  onResponse(server: ServerIndex): void {
    const now = this.clock.now();
    this.catchUp(server, this.intervalOf(now));
    this.receivedThisInterval[server] += 1;

    const sending = this.rate[server];
    const receiving = this.receiveEwma[server];
    if (sending < receiving) {
      const rMax = this.rateAtLastDecrease[server];
      const t = now - this.lastDecreaseMs[server];
      const offset = t - Math.cbrt((rMax * this.beta) / this.cubicC);
      const cubic = this.cubicC * offset * offset * offset + rMax;
      const next = cubic - sending > this.maxStep ? sending + this.maxStep : cubic;
      this.rate[server] = next > C3_MIN_SENDING_RATE ? next : C3_MIN_SENDING_RATE;
      this.lastIncreaseMs[server] = now;
    } else if (receiving === 0) {
      // Nothing heard over a whole interval yet: no basis for a decision.
    } else if (sending > receiving && now - this.lastIncreaseMs[server] > this.hysteresisMs) {
      this.rateAtLastDecrease[server] = sending;
      const next = sending * this.beta;
      this.rate[server] = next > C3_MIN_SENDING_RATE ? next : C3_MIN_SENDING_RATE;
      this.lastDecreaseMs[server] = now;
    }
  }

  /** Current sending rate of the server in requests per interval (for tests and diagnostics). */
  sendingRate(server: ServerIndex): number {
    return this.rate[server];
  }

  /** Measured receive rate of the server in responses per interval, as of now (for tests and diagnostics). */
  receiveRate(server: ServerIndex): number {
    this.catchUp(server, this.intervalOf(this.clock.now()));
    return this.receiveEwma[server];
  }

  private intervalOf(nowMs: number): number {
    return Math.floor((nowMs - this.originMs) / this.intervalMs);
  }

  /** Start of the given interval, nudged up if rounding would place it in the interval before. */
  private boundaryMs(interval: number): number {
    let at = this.originMs + interval * this.intervalMs;
    while (this.intervalOf(at) < interval) at += Math.max(Math.abs(at), 1) * Number.EPSILON;
    return at;
  }

  /** Applies the interval boundaries passed since the server was last seen: refill and receive EWMA. */
  private catchUp(server: ServerIndex, interval: number): void {
    const passed = interval - this.seenInterval[server];
    if (passed <= 0) return;
    this.seenInterval[server] = interval;

    const rate = this.rate[server];
    const cap = rate + 1 - BUCKET_HEADROOM;
    const refilled = this.tokens[server] + rate * passed;
    this.tokens[server] = refilled < cap ? refilled : cap;

    const w = C3_RECEIVE_RATE_WEIGHT;
    let ewma = w * this.receivedThisInterval[server] + (1 - w) * this.receiveEwma[server];
    if (passed > 1) ewma *= Math.pow(1 - w, passed - 1);
    this.receiveEwma[server] = ewma;
    this.receivedThisInterval[server] = 0;
  }
}
