// The wiring both runtimes share: brokers and servers built from a ClusterSpec, with selectors fed by
// named streams, so that the same spec and seed give the same routing decisions wherever they run.

import { describe, expect, it } from 'vitest';
import { Topology } from '../cluster/topology.js';
import { asBroker, asClass, asQuery, asServer, type ServerIndex } from '../ids.js';
import type { QueryRequest } from '../messages.js';
import { NO_ENGINE_EVENTS, type Transport } from '../ports.js';
import { ManualClock, TEST_PARAMS } from '../routing/test-doubles.js';
import type { ClusterSpec } from './cluster-spec.js';
import { SeededRngSource } from './seeded-rng-source.js';
import { wireBrokers, wireServer } from './wire-cluster.js';

const SPEC: ClusterSpec = {
  seed: 7,
  topology: { brokers: 2, numReplicaGroups: 3, numInstancesPerReplicaGroup: 2, segments: 6 },
  threads: 2,
  queueDepthLimit: 0,
  instanceSelectorType: 'mirrorServerSet',
  selector: 'random',
  statsUpdate: 'onScatterComplete',
  statsScope: 'server',
  latencyResolutionMs: 1,
  selectorParams: TEST_PARAMS,
  queryTimeoutMs: 100,
  classes: [{ name: 'a' }, { name: 'b' }],
};

/** The servers each query is sent to, for 50 queries over the spec's brokers. */
function routeQueries(spec: ClusterSpec): ServerIndex[][] {
  const topology = new Topology(spec.topology);
  const sent: ServerIndex[][] = [];
  const transport: Transport = {
    toServer: (request: QueryRequest) => sent[request.queryId].push(request.server),
    toBroker: () => {},
  };
  const brokers = wireBrokers(spec, topology, {
    clock: new ManualClock(),
    rngs: new SeededRngSource(spec.seed),
    transport,
    listener: { onQueryFinished: () => {} },
  });
  expect(brokers).toHaveLength(spec.topology.brokers);
  for (let q = 0; q < 50; q++) {
    sent.push([]);
    brokers[q % brokers.length].onArrival({ queryId: asQuery(q), classIndex: asClass(q % 2), segments: null });
  }
  return sent;
}

describe('wireBrokers', () => {
  it('gives the same decisions for the same seed, different ones for another', () => {
    const first = routeQueries(SPEC);
    expect(routeQueries(SPEC)).toEqual(first);
    expect(routeQueries({ ...SPEC, seed: 8 })).not.toEqual(first);
    for (const servers of first) expect(servers).toHaveLength(SPEC.topology.numInstancesPerReplicaGroup);
  });

  it('gives each class its own statistics and stream under classAndServer', () => {
    expect(routeQueries({ ...SPEC, statsScope: 'classAndServer' })).not.toEqual(routeQueries(SPEC));
  });
});

describe('wireServer', () => {
  it('attaches the executor built for the server, which receives its requests', () => {
    const submitted: number[] = [];
    const server = wireServer(SPEC, asServer(3), { toServer: () => {}, toBroker: () => {} }, NO_ENGINE_EVENTS, (actor) => {
      expect(actor.index).toBe(3);
      return { submit: (task) => submitted.push(task.queryId), queueDepth: () => 0, busyThreads: () => 0, forEachRunningItem: () => {}, cancel: () => [] };
    });
    server.receive({ kind: 'queryRequest', queryId: asQuery(9), classIndex: asClass(0), broker: asBroker(0), server: asServer(3), slot: 0, segments: []});
    expect(submitted).toEqual([9]);
    expect(server.inFlight).toBe(1);
  });
});
