// Message delivery in the simulated world: per-link latency, in the Delivery phase, in send order.
import { describe, expect, it } from 'vitest';
import type { BrokerActor } from '../../engine/broker/broker.js';
import { asBroker, asClass, asQuery, asServer } from '../../engine/ids.js';
import type { QueryRequest, QueryResponse } from '../../engine/messages.js';
import type { ServerActor } from '../../engine/server/server.js';
import { Phase, Scheduler } from '../scheduler/scheduler.js';
import { SegmentCostSampler } from '../workload/cost-model.js';
import { WorkDraws } from '../workload/work-draws.js';
import { SimTransport } from './sim-transport.js';

describe('SimTransport', () => {
  it('delivers after each link its own latency, the same both ways', () => {
    const scheduler = new Scheduler();
    // Two brokers, two servers; every link 0 ticks but broker 1 <-> server 1 (30 ticks) and
    // every broker <-> server 0 (20 ticks), with the later entry winning for broker 1 <-> server 0.
    const transport = new SimTransport(scheduler, 2, 2, 0, [
      { broker: null, server: 0, latencyTicks: 20 },
      { broker: 1, server: 1, latencyTicks: 30 },
      { broker: 1, server: 0, latencyTicks: 5 },
    ]);
    const seen: string[] = [];
    const server = (s: number) => ({ receive: (r: QueryRequest) => seen.push(`server ${s} got q${r.queryId} from broker ${r.broker} at ${scheduler.now}`) }) as unknown as ServerActor;
    const broker = (b: number) => ({ onResponse: (r: QueryResponse) => seen.push(`broker ${b} got q${r.queryId} at ${scheduler.now}`) }) as unknown as BrokerActor;
    transport.connect([server(0), server(1)], [broker(0), broker(1)]);
    const request = (broker: number, s: number, id: number): QueryRequest => ({
      kind: 'queryRequest', queryId: asQuery(id), classIndex: asClass(0), broker: asBroker(broker), server: asServer(s), slot: 0, segments: [],
    });
    transport.toServer(request(0, 0, 1));
    transport.toServer(request(0, 1, 2));
    transport.toServer(request(1, 1, 3));
    transport.toServer(request(1, 0, 4));
    transport.toBroker({ kind: 'queryResponse', queryId: asQuery(5), broker: asBroker(1), server: asServer(1), slot: 0, status: 'ok', queueSize: 0, serviceTimeMs: 0, usage: { cpuNs: 0, allocatedBytes: 0 } });
    scheduler.runUntil(100);
    expect(seen).toEqual([
      'server 1 got q2 from broker 0 at 0',
      'server 0 got q4 from broker 1 at 5',
      'server 0 got q1 from broker 0 at 20',
      'server 1 got q3 from broker 1 at 30',
      'broker 1 got q5 at 30',
    ]);
  });

  it('quantises a fractional latency without bias: whole ticks plus one with probability the remainder, the same for the same query and slot', () => {
    const delays = (seed: number): number[] => {
      const scheduler = new Scheduler();
      // 0.25 ms one way: 2.5 ticks.
      const transport = new SimTransport(scheduler, 1, 1, 2.5, [], new WorkDraws(seed));
      const arrivedAt: number[] = [];
      transport.connect([{ receive: (r: QueryRequest) => (arrivedAt[r.queryId] = scheduler.now) } as unknown as ServerActor], []);
      for (let id = 0; id < 20_000; id++) {
        transport.toServer({ kind: 'queryRequest', queryId: asQuery(id), classIndex: asClass(0), broker: asBroker(0), server: asServer(0), slot: 0, segments: []});
      }
      scheduler.runUntil(10);
      return arrivedAt;
    };
    const first = delays(7);
    expect(new Set(first)).toEqual(new Set([2, 3]));
    const meanTicks = first.reduce((sum, ticks) => sum + ticks, 0) / first.length;
    // Standard error of the mean: 0.5 / sqrt(20 000) = 0.0035 ticks; plain rounding would give 3.
    expect(Math.abs(meanTicks - 2.5)).toBeLessThan(0.015);
    expect(delays(7)).toEqual(first);
    expect(delays(8)).not.toEqual(first);
  });

  it("adds each request's overhead, half before the server and the rest after, with the distribution's mean and the same draw for the same query and slot", () => {
    const roundTrips = (seed: number): { toServer: number; back: number }[] => {
      const scheduler = new Scheduler();
      // 1 tick of latency each way; an overhead of 0-1 ms, 1-2 ms or 2-10 ms, a third each (mean 80/3 ticks).
      const overhead = new SegmentCostSampler({ distribution: 'empirical', quantilesMs: [0, 1, 2, 10] });
      const transport = new SimTransport(scheduler, 1, 1, 1, [], new WorkDraws(seed), overhead);
      const trips: { toServer: number; back: number }[] = [];
      const server = {
        receive: (r: QueryRequest) => {
          trips[r.queryId] = { toServer: scheduler.now, back: Number.NaN };
          transport.toBroker({ kind: 'queryResponse', queryId: r.queryId, broker: asBroker(0), server: asServer(0), slot: 0, status: 'ok', queueSize: 0, serviceTimeMs: 0, usage: { cpuNs: 0, allocatedBytes: 0 } });
        },
      };
      const broker = { onResponse: (r: QueryResponse) => (trips[r.queryId].back = scheduler.now - trips[r.queryId].toServer) };
      transport.connect([server as unknown as ServerActor], [broker as unknown as BrokerActor]);
      for (let id = 0; id < 20_000; id++) {
        transport.toServer({ kind: 'queryRequest', queryId: asQuery(id), classIndex: asClass(0), broker: asBroker(0), server: asServer(0), slot: 0, segments: []});
      }
      scheduler.runUntil(1000);
      return trips;
    };
    const trips = roundTrips(7);
    const overheadTicks = trips.map((t) => t.toServer + t.back - 2);
    // The request carries the smaller half.
    for (const [i, t] of trips.entries()) expect(t.toServer - 1).toBe(Math.floor(overheadTicks[i] / 2));
    // The standard error of the mean is about 0.17 ticks (σ ≈ 24 ticks over 20 000 requests).
    const mean = overheadTicks.reduce((sum, t) => sum + t, 0) / overheadTicks.length;
    expect(Math.abs(mean - 80 / 3)).toBeLessThan(0.8);
    expect(overheadTicks.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(100);
    expect(roundTrips(7)).toEqual(trips);
    expect(roundTrips(8)).not.toEqual(trips);
  });

  it('keeps a latency of whole ticks exact, even when written as a sum of tenths of a millisecond', () => {
    const scheduler = new Scheduler();
    const transport = new SimTransport(scheduler, 1, 1, 0.3 * 10, [], new WorkDraws(1));
    const arrivedAt: number[] = [];
    transport.connect([{ receive: (r: QueryRequest) => arrivedAt.push(scheduler.now) } as unknown as ServerActor], []);
    for (let id = 0; id < 100; id++) {
      transport.toServer({ kind: 'queryRequest', queryId: asQuery(id), classIndex: asClass(0), broker: asBroker(0), server: asServer(0), slot: 0, segments: []});
    }
    scheduler.runUntil(10);
    expect(new Set(arrivedAt)).toEqual(new Set([3]));
  });

  it('delivers a burst of requests in one event, in send order, and keeps scheduling order around it', () => {
    const scheduler = new Scheduler();
    const transport = new SimTransport(scheduler, 3, 1, 0, []);
    const seen: string[] = [];
    const server = (s: number) => ({ receive: (r: QueryRequest) => seen.push(`s${s} q${r.queryId}`) }) as unknown as ServerActor;
    transport.connect([server(0), server(1), server(2)], []);
    const request = (s: number, id: number): QueryRequest => ({
      kind: 'queryRequest', queryId: asQuery(id), classIndex: asClass(0), broker: asBroker(0), server: asServer(s), slot: 0, segments: [],
    });
    transport.toServer(request(0, 1));
    transport.toServer(request(1, 1));
    scheduler.at(0, 1, () => seen.push('timer'));
    transport.toServer(request(2, 1));
    transport.toServer(request(0, 2));
    const before = scheduler.eventsRun;
    scheduler.runUntil(10);
    expect(seen).toEqual(['s0 q1', 's1 q1', 'timer', 's2 q1', 's0 q2']);
    expect(scheduler.eventsRun - before).toBe(3);
  });
});

describe('SimTransport responses without latency', () => {
  const response = (id: number): QueryResponse => ({
    kind: 'queryResponse', queryId: asQuery(id), broker: asBroker(0), server: asServer(0), slot: 0, status: 'ok', queueSize: 0, serviceTimeMs: 0, usage: { cpuNs: 0, allocatedBytes: 0 },
  });

  it('are delivered at once when sent from the Server phase, where a posted one would run next anyway', () => {
    const scheduler = new Scheduler();
    const transport = new SimTransport(scheduler, 1, 1, 0, []);
    const seen: string[] = [];
    transport.connect([], [{ onResponse: (r: QueryResponse) => seen.push(`q${r.queryId} at ${scheduler.now}`) } as unknown as BrokerActor]);
    scheduler.at(7, Phase.Server, () => {
      transport.toBroker(response(1));
      seen.push('after send');
    });
    // Sent from the Delivery phase (a rejection as a request arrives): posted, after what is already due.
    scheduler.at(9, Phase.Delivery, () => transport.toBroker(response(2)));
    scheduler.at(9, Phase.Delivery, () => seen.push('due before q2'));
    const eventsBefore = scheduler.eventsRun;
    scheduler.runUntil(20);
    expect(seen).toEqual(['q1 at 7', 'after send', 'due before q2', 'q2 at 9']);
    expect(scheduler.eventsRun - eventsBefore).toBe(4);
  });

  it('wait their turn when an event is already due behind the cursor', () => {
    const scheduler = new Scheduler();
    const transport = new SimTransport(scheduler, 1, 1, 0, []);
    const seen: string[] = [];
    transport.connect([], [{ onResponse: (r: QueryResponse) => seen.push(`q${r.queryId}`) } as unknown as BrokerActor]);
    scheduler.at(7, Phase.Server, () => {
      scheduler.at(7, Phase.Delivery, () => seen.push('timer due now'));
      transport.toBroker(response(1));
    });
    scheduler.runUntil(20);
    expect(seen).toEqual(['timer due now', 'q1']);
  });
});
