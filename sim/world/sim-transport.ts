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
    const server = this.servers[request.server];
    this.scheduler.at(this.scheduler.now + this.latencyTicks, Phase.Delivery, () => server.receive(request));
  }

  toBroker(response: QueryResponse): void {
    const broker = this.brokers[response.broker];
    this.scheduler.at(this.scheduler.now + this.latencyTicks, Phase.Delivery, () => broker.onResponse(response));
  }
}
