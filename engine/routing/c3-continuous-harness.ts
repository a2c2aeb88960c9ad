// A continuous-time harness for C3 with rate control (issue 6): brokers, each with the twin's own
// C3Selector and C3RateControl, send requests to one set of replicas through a FIFO backlog, as
// absim's BackpressureScheduler does, with event times as exact floating-point milliseconds and no
// 0.1 ms ticks. It tells rules from artefacts of the simulator's clock: a throttle that appears here
// comes from the rules themselves. Servers are c-thread FIFO queues with lognormal service times, the
// response returning as it ends (no network delay). Used by c3-continuous.test.ts only.

import type { ServerIndex, TimerId } from '../ids.js';
import type { Clock, Rng } from '../ports.js';
import type { C3RateControlParams } from './c3-rate-control.js';
import { C3Selector } from './c3-selector.js';
import { NO_SERVER } from './server-selector.js';

interface Event {
  readonly atMs: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** A clock over a binary heap of events in (time, creation) order. */
class EventClock implements Clock {
  private nowMs = 0;
  private seq = 0;
  private readonly heap: Event[] = [];
  private readonly cancelled = new Set<number>();

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerId {
    const seq = this.seq++;
    this.push({ atMs: this.nowMs + Math.max(0, delayMs), seq, fn });
    return seq as unknown as TimerId;
  }

  clearTimeout(id: TimerId): void {
    this.cancelled.add(id as unknown as number);
  }

  runUntil(endMs: number): void {
    while (this.heap.length > 0 && this.heap[0].atMs <= endMs) {
      const event = this.pop();
      if (this.cancelled.delete(event.seq)) continue;
      this.nowMs = event.atMs;
      event.fn();
    }
    this.nowMs = endMs;
  }

  private before(a: Event, b: Event): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  private push(event: Event): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): Event {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.before(heap[l], heap[m])) m = l;
        if (r < heap.length && this.before(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }
}

export interface HarnessParams {
  readonly brokers: number;
  readonly replicas: number;
  readonly threadsPerServer: number;
  /** Requests per second each broker sends the replica set (Poisson). */
  readonly requestsPerSecondPerBroker: number;
  readonly serviceMedianMs: number;
  readonly serviceP99Ms: number;
  readonly durationMs: number;
  readonly rateControl: C3RateControlParams;
  /** Resolution of the latencies fed to C3, in ms: 0 for exact (absim), 1 for Pinot's whole milliseconds. */
  readonly latencyResolutionMs: number;
}

export interface HarnessResult {
  /** Per broker, the longest time a request waited in its backlog, in ms. */
  readonly longestWaitMs: readonly number[];
  /** Per broker, requests that waited in its backlog. */
  readonly held: readonly number[];
  readonly requests: number;
}

const Z99 = 2.3263478740408408;

/** Runs the harness with the given seed; every draw comes from its own LCG stream. */
export function runC3Harness(params: HarnessParams, seedRng: (name: string) => Rng): HarnessResult {
  const clock = new EventClock();
  const serviceRng = seedRng('service');
  const sigma = Math.log(params.serviceP99Ms / params.serviceMedianMs) / Z99;
  const candidates = Array.from({ length: params.replicas }, (_, i) => i as ServerIndex);
  const busy = new Int32Array(params.replicas);
  const waiting: (() => void)[][] = candidates.map(() => []);
  let requests = 0;

  const serve = (server: ServerIndex, done: (feedbackQueue: number, serviceMs: number) => void): void => {
    const start = (): void => {
      busy[server]++;
      const u1 = Math.max(serviceRng.next(), 1e-12);
      const u2 = serviceRng.next();
      const serviceMs = params.serviceMedianMs * Math.exp(sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
      clock.setTimeout(() => {
        busy[server]--;
        const next = waiting[server].shift();
        if (next !== undefined) next();
        done(waiting[server].length, serviceMs);
      }, serviceMs);
    };
    if (busy[server] < params.threadsPerServer) start();
    else waiting[server].push(start);
  };

  const resolutionMs = params.latencyResolutionMs;
  const latencyMs = (sentMs: number, nowMs: number): number =>
    resolutionMs > 0 ? (Math.floor(nowMs / resolutionMs) - Math.floor(sentMs / resolutionMs)) * resolutionMs : nowMs - sentMs;
  const longestWaitMs = new Array<number>(params.brokers).fill(0);
  const held = new Array<number>(params.brokers).fill(0);
  for (let b = 0; b < params.brokers; b++) {
    const selector = new C3Selector(
      { ewmaAlpha: 0.666, avgInitializationVal: 1, hybridScoreExponent: 3, queueFloor: 0, autodecayWindowMs: 10_000, warmupDurationMs: 0, latencyPriorMs: 0, softmaxTemperature: 1, c3EwmaWeight: 0.9, c3RateControl: params.rateControl },
      { clock, rng: seedRng(`select/${b}`), servers: params.replicas, brokers: params.brokers },
    );
    const arrivals = seedRng(`arrivals/${b}`);
    const backlog: number[] = [];
    let retry: TimerId | null = null;
    const send = (server: ServerIndex): void => {
      const sentMs = clock.now();
      selector.onSubmit(server);
      serve(server, (queueSize, serviceTimeMs) => selector.onComplete(server, latencyMs(sentMs, clock.now()), { queueSize, serviceTimeMs }));
    };
    const drain = (): void => {
      retry = null;
      while (backlog.length > 0) {
        const server = selector.select(candidates);
        if (server === NO_SERVER) {
          retry = clock.setTimeout(drain, Math.max(1e-6, selector.retryAtMs(candidates) - clock.now()));
          return;
        }
        const waitMs = clock.now() - backlog.shift()!;
        if (waitMs > longestWaitMs[b]) longestWaitMs[b] = waitMs;
        send(server);
      }
    };
    const meanGapMs = 1000 / params.requestsPerSecondPerBroker;
    const arrive = (): void => {
      requests++;
      if (backlog.length === 0) {
        const server = selector.select(candidates);
        if (server !== NO_SERVER) send(server);
        else {
          held[b]++;
          backlog.push(clock.now());
          retry = clock.setTimeout(drain, Math.max(1e-6, selector.retryAtMs(candidates) - clock.now()));
        }
      } else {
        held[b]++;
        backlog.push(clock.now());
      }
      clock.setTimeout(arrive, -meanGapMs * Math.log(1 - arrivals.next()));
    };
    clock.setTimeout(arrive, -meanGapMs * Math.log(1 - arrivals.next()));
    void retry;
  }
  clock.runUntil(params.durationMs);
  return { longestWaitMs, held, requests };
}
