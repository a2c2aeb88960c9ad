// The Transport port in the simulated world: every broker-server link delivers after a fixed latency
// (default 0: in the same tick), in the Delivery phase, in send order (seed 004 section 4.3, "a
// pairwise message buffer").

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

  constructor(
    private readonly scheduler: Scheduler,
    private readonly latencyTicks: number,
  ) {}

  /** Actors need the transport to be built, so they are connected afterwards. */
  connect(servers: readonly ServerActor[], brokers: readonly BrokerActor[]): void {
    this.servers = servers;
    this.brokers = brokers;
  }

  toServer(request: QueryRequest): void {
    this.scheduler.post(this.scheduler.now + this.latencyTicks, Phase.Delivery, this.deliverToServer, request);
  }

  toBroker(response: QueryResponse): void {
    this.scheduler.post(this.scheduler.now + this.latencyTicks, Phase.Delivery, this.deliverToBroker, response);
  }
}
