// The Transport port in the simulated world: each broker-server link delivers after its own fixed
// latency, the same both ways (default 0: in the same tick), in the Delivery phase, in send order
// (seed 004 section 4.3, "a pairwise message buffer").

import type { BrokerActor } from '../../engine/broker/broker.js';
import type { QueryRequest, QueryResponse } from '../../engine/messages.js';
import type { Transport } from '../../engine/ports.js';
import type { ServerActor } from '../../engine/server/server.js';
import { Phase, type Scheduler } from '../scheduler/scheduler.js';

export class SimTransport implements Transport {
  private servers: readonly ServerActor[] = [];
  private brokers: readonly BrokerActor[] = [];
  private readonly deliverToServer = (request: QueryRequest): void => this.servers[request.server].receive(request);
  private readonly deliverToBroker = (response: QueryResponse): void => this.brokers[response.broker].onResponse(response);

  /** Latency in ticks of the link from broker b to server s, at b * servers + s. */
  private readonly latencyTicks: Float64Array;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly serverCount: number,
    brokerCount: number,
    defaultLatencyTicks: number,
    links: readonly { broker: number | null; server: number; latencyTicks: number }[],
  ) {
    this.latencyTicks = new Float64Array(brokerCount * serverCount).fill(defaultLatencyTicks);
    for (const link of links) {
      for (let broker = 0; broker < brokerCount; broker++) {
        if (link.broker === null || link.broker === broker) this.latencyTicks[broker * serverCount + link.server] = link.latencyTicks;
      }
    }
  }

  /** Actors need the transport to be built, so they are connected afterwards. */
  connect(servers: readonly ServerActor[], brokers: readonly BrokerActor[]): void {
    this.servers = servers;
    this.brokers = brokers;
  }

  toServer(request: QueryRequest): void {
    const latency = this.latencyTicks[request.broker * this.serverCount + request.server];
    this.scheduler.post(this.scheduler.now + latency, Phase.Delivery, this.deliverToServer, request);
  }

  toBroker(response: QueryResponse): void {
    const latency = this.latencyTicks[response.broker * this.serverCount + response.server];
    this.scheduler.post(this.scheduler.now + latency, Phase.Delivery, this.deliverToBroker, response);
  }
}
