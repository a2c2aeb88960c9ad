// Turns a ClusterSpec into the engine's actors (DESIGN.md, "One engine, two clocks"): brokers with
// their routers and selectors, servers with their executors. Both runtimes call these, so a broker
// is the same object, fed by the same named random streams, whether time is simulated or real. The
// runtime supplies the ports: clock, transport, random streams and each server's executor.

import { BrokerActor, type BrokerRouting, type QueryListener } from '../broker/broker.js';
import { mirroredClusterState } from '../cluster/mirrored-cluster.js';
import { Topology } from '../cluster/topology.js';
import { asBroker, type ServerIndex } from '../ids.js';
import type { Clock, EngineEvents, RngSource, SegmentExecutor, Transport } from '../ports.js';
import { createSelector } from '../routing/create-selector.js';
import { PartitionSegmentPruner, roundRobinSegmentPartitions } from '../routing/partition-pruner.js';
import { Router, type RoutingSource } from '../routing/router.js';
import { ServerSlots } from '../routing/server-slots.js';
import { ServerActor } from '../server/server.js';
import type { ClusterSpec } from './cluster-spec.js';

export interface BrokerPorts {
  readonly clock: Clock;
  readonly rngs: RngSource;
  readonly transport: Transport;
  readonly listener: QueryListener;
  /** Where the brokers report what they decided (rejections). */
  readonly events?: EngineEvents;
}

/**
 * Every broker of the cluster, each with its own selector per statistics scope, routing over the
 * cluster state's routing table (by default the mirrored layout of the topology, every replica online).
 */
export function wireBrokers(
  spec: ClusterSpec,
  topology: Topology,
  ports: BrokerPorts,
  cluster: RoutingSource = mirroredClusterState(topology),
): BrokerActor[] {
  const { clock, rngs, transport, listener, events } = ports;
  const brokers: BrokerActor[] = [];
  const partitioning = spec.partitionPruning ?? null;
  // One pruner for every broker: it holds only the segments' partitions, which all brokers read alike.
  const segmentPruner =
    partitioning === null
      ? undefined
      : new PartitionSegmentPruner(partitioning, roundRobinSegmentPartitions(topology.segments, partitioning.numPartitions));
  // One statistics layout for every broker: each selection's candidates side by side.
  const slots = ServerSlots.inUnitOrder(cluster.routingTable().unitServers, topology.servers);
  for (let b = 0; b < topology.brokers; b++) {
    const routing = (streamName: string): BrokerRouting => {
      const selector = createSelector(spec.selector, spec.selectorParams, {
        clock,
        rng: rngs.stream(streamName),
        servers: topology.servers,
        brokers: topology.brokers,
        slots,
      });
      return { router: new Router(cluster, spec.instanceSelectorType, spec.selector, selector), selector };
    };
    const stream = selectorStreamName(topology, b);
    const routings =
      spec.statsScope === 'server' ? [routing(stream)] : spec.classes.map((c) => routing(`${stream}/${c.name}`));
    const config = {
      queryTimeoutMs: spec.queryTimeoutMs,
      classTimeoutsMs: spec.classTimeoutsMs,
      statsUpdate: spec.statsUpdate,
      latencyResolutionMs: spec.latencyResolutionMs,
      segmentPruner,
    };
    brokers.push(new BrokerActor(asBroker(b), config, routings, transport, clock, listener, events));
  }
  return brokers;
}

/** One server actor with its executor, which needs the server as the sink of finished tasks. */
export function wireServer(
  spec: ClusterSpec,
  server: ServerIndex,
  transport: Transport,
  events: EngineEvents,
  executorFor: (actor: ServerActor) => SegmentExecutor,
): ServerActor {
  const workloadOf = (classIndex: number): string => spec.classWorkloads?.[classIndex] ?? spec.classes[classIndex].name;
  const actor = new ServerActor(server, { queueDepthLimit: spec.queueDepthLimit, workloadOf }, transport, events);
  actor.attachExecutor(executorFor(actor));
  return actor;
}

/** The random stream of a broker's selector (per class under classAndServer: `<name>/<class>`). */
export function selectorStreamName(topology: Topology, broker: number): string {
  return `selector/${topology.brokerName(broker)}`;
}

/** The random stream of the threads of the server named `serverName`: slow-server progress draws, thread choices. */
export function threadStreamName(serverName: string): string {
  return `threads/${serverName}`;
}
