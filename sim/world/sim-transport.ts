// The Transport port in the simulated world: each broker-server link delivers after its own fixed
// latency, the same both ways (default 0: in the same tick), in the Delivery phase, in send order
// (seed 004 section 4.3, "a pairwise message buffer"). Requests a broker sends one after the other
// for the same tick travel as one delivery event: the events they would have had are consecutive in
// the scheduler's order, so delivering them together in send order changes nothing but the cost.
// Likewise a response that would be the very next event to run is delivered at once.
// A latency that is not a whole number of ticks is quantised without bias (issue 6): each message
// waits the whole ticks below it plus one more with probability equal to the remainder, so the mean
// delay is exactly the scenario's. The coin is a common random number keyed by (query, slot) and
// the direction (work-draws.ts), so two runs that differ only in a policy see the same delays.
// A scenario's request overhead (cluster.network.requestOverhead: messages, event loops and threads
// waiting for a core, as a real run measured them) adds to each request a time drawn once per (query,
// slot) from the same keyed numbers, quantised to whole ticks without bias (cost-model.ts): half of
// it on the way to the server, the rest on the way back. With a window (requestOverhead.window), the
// overhead's quantile is shared instead by every message sent in the same window of time (numbered
// from the start of the run), as a stalled event loop or a burst of load on a real machine delays
// everything moving at that time: the request's half is drawn at the window it is sent in, the
// response's at the window it is sent back in.

import type { BrokerActor } from '../../engine/broker/broker.js';
import type { QueryRequest, QueryResponse } from '../../engine/messages.js';
import type { Transport } from '../../engine/ports.js';
import type { ServerActor } from '../../engine/server/server.js';
import { Phase, type Scheduler } from '../scheduler/scheduler.js';
import type { SegmentCostSampler } from '../workload/cost-model.js';
import { WorkDraws } from '../workload/work-draws.js';

/** Draw indexes of the delay coins, far above those of a segment's work (work-draws.ts). */
const REQUEST_DELAY_DRAW = 1000;
const RESPONSE_DELAY_DRAW = 1001;
/** Draw indexes of a request's overhead: 1002 and 1003 its 53-bit bucket number, 1004 its rounding. */
const OVERHEAD_DRAW = 1002;
const OVERHEAD_ROUNDING_DRAW = 1004;
/** Draw index of a window's shared overhead quantile, keyed by (window number, 0). */
const OVERHEAD_WINDOW_DRAW = 1005;
/** Latencies are kept to a millionth of a tick, so 0.3 ms is 3 ticks, not 3.0000000000000004. */
const TICK_FRACTION_PRECISION = 1e6;

/** Requests delivered by one event, in send order. */
interface RequestBatch {
  readonly requests: QueryRequest[];
  readonly dueTick: number;
  /** The scheduler's count of scheduled events just after this batch's event was scheduled. */
  scheduledAfter: number;
}

export class SimTransport implements Transport {
  private servers: readonly ServerActor[] = [];
  private brokers: readonly BrokerActor[] = [];
  /** The batch the next request may join, if nothing was scheduled since and it is due then too. */
  private openBatch: RequestBatch | null = null;
  private readonly deliverBatch = (batch: RequestBatch): void => {
    if (this.openBatch === batch) this.openBatch = null;
    const servers = this.servers;
    for (const request of batch.requests) servers[request.server].receive(request);
  };
  private readonly deliverToBroker = (response: QueryResponse): void => this.brokers[response.broker].onResponse(response);

  /**
   * Latency in (possibly fractional) ticks of the link from broker b to server s, at b * servers + s;
   * null when every link has the default latency (brokers x servers numbers are 56 MB at 1 400 x 5 000).
   */
  private readonly latencyTicks: Float64Array | null;
  private readonly defaultLatencyTicks: number;
  /** Every message arrives in the tick it is sent (no latency anywhere, no overhead): nothing to draw or look up. */
  private readonly instant: boolean;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly serverCount: number,
    brokerCount: number,
    defaultLatencyTicks: number,
    links: readonly { broker: number | null; server: number; latencyTicks: number }[],
    private readonly draws: WorkDraws = new WorkDraws(0),
    /** Each request's time outside the servers (null: none). */
    private readonly overhead: SegmentCostSampler | null = null,
    /** Messages sent in one window of this many ticks share the overhead's quantile (0: per request). */
    private readonly overheadWindowTicks = 0,
  ) {
    const exact = (ticks: number): number => Math.round(ticks * TICK_FRACTION_PRECISION) / TICK_FRACTION_PRECISION;
    this.defaultLatencyTicks = exact(defaultLatencyTicks);
    this.latencyTicks = links.length === 0 ? null : new Float64Array(brokerCount * serverCount).fill(this.defaultLatencyTicks);
    for (const link of links) {
      for (let broker = 0; broker < brokerCount; broker++) {
        if (link.broker === null || link.broker === broker) this.latencyTicks![broker * serverCount + link.server] = exact(link.latencyTicks);
      }
    }
    this.instant = this.latencyTicks === null && this.defaultLatencyTicks === 0 && overhead === null;
  }

  /** Whole ticks a message waits: the latency's whole ticks, plus one with probability its remainder. */
  private delayTicks(latencyTicks: number, queryId: number, slot: number, draw: number): number {
    const whole = Math.floor(latencyTicks);
    const remainder = latencyTicks - whole;
    if (remainder === 0) return whole;
    return whole + (this.draws.uniform32(this.draws.key(queryId, slot), draw) < remainder ? 1 : 0);
  }

  /** Whole ticks of a request's overhead: the same for its request and its response, unless drawn per window. */
  private overheadTicks(queryId: number, slot: number): number {
    const overhead = this.overhead;
    if (overhead === null) return 0;
    const key = this.draws.key(queryId, slot);
    const windowTicks = this.overheadWindowTicks;
    const quantile =
      windowTicks > 0
        ? this.draws.uniform53(this.draws.key(Math.floor(this.scheduler.now / windowTicks), 0), OVERHEAD_WINDOW_DRAW)
        : this.draws.uniform53(key, OVERHEAD_DRAW);
    return overhead.drawTicks(quantile, this.draws.uniform32(key, OVERHEAD_ROUNDING_DRAW));
  }

  /** A server that joined during the run (beyond serverCount) has no link of its own: the default latency. */
  private latencyOf(broker: number, server: number): number {
    const latencyTicks = this.latencyTicks;
    return latencyTicks === null || server >= this.serverCount ? this.defaultLatencyTicks : latencyTicks[broker * this.serverCount + server];
  }

  /**
   * Actors need the transport to be built, so they are connected afterwards. The lists are read, not
   * copied: a server that joins the run is appended to `servers` and reached from then on.
   */
  connect(servers: readonly ServerActor[], brokers: readonly BrokerActor[]): void {
    this.servers = servers;
    this.brokers = brokers;
  }

  toServer(request: QueryRequest): void {
    const scheduler = this.scheduler;
    const dueTick = this.instant ? scheduler.now : scheduler.now + this.requestDelayTicks(request);
    const open = this.openBatch;
    if (open !== null && open.dueTick === dueTick && open.scheduledAfter === scheduler.scheduled) {
      open.requests.push(request);
      return;
    }
    const batch: RequestBatch = { requests: [request], dueTick, scheduledAfter: 0 };
    scheduler.post(dueTick, Phase.Delivery, this.deliverBatch, batch);
    batch.scheduledAfter = scheduler.scheduled;
    this.openBatch = batch;
  }

  /**
   * A response on a link without latency, sent as a server completes work in the Server phase, would
   * be the very next event to run: it is delivered at once instead (one event fewer per request).
   */
  toBroker(response: QueryResponse): void {
    const latency = this.instant ? 0 : this.responseDelayTicks(response);
    const scheduler = this.scheduler;
    if (latency === 0 && scheduler.runsNext(Phase.Delivery)) this.brokers[response.broker].onResponse(response);
    else scheduler.post(scheduler.now + latency, Phase.Delivery, this.deliverToBroker, response);
  }

  /** Whole ticks a request waits on its way: its link's latency and the first half of its overhead. */
  private requestDelayTicks(request: QueryRequest): number {
    const overheadTicks = this.overhead === null ? 0 : Math.floor(this.overheadTicks(request.queryId, request.slot) / 2);
    return overheadTicks + this.delayTicks(this.latencyOf(request.broker, request.server), request.queryId, request.slot, REQUEST_DELAY_DRAW);
  }

  /** Whole ticks a response waits on its way: its link's latency and the rest of its request's overhead. */
  private responseDelayTicks(response: QueryResponse): number {
    const latency = this.delayTicks(this.latencyOf(response.broker, response.server), response.queryId, response.slot, RESPONSE_DELAY_DRAW);
    if (this.overhead === null) return latency;
    const overheadTicks = this.overheadTicks(response.queryId, response.slot);
    return latency + overheadTicks - Math.floor(overheadTicks / 2);
  }
}
