// The engine's public API: what a runtime (the simulator in sim/, the wall-clock runtime to come in
// engine/real/) wires together. Everything here decides; nothing here knows whether time is simulated.

// Identifiers and messages
export * from './ids.js';
export type { Message, QueryRequest, QueryResponse, ResponseStatus, ServerFeedback } from './messages.js';
export { OUTCOMES, type QueryOutcome } from './outcome.js';

// Ports: the narrow seams a runtime implements
export type { Clock, Rng, RngSource, SegmentExecutor, ServerTask, TaskSink, Transport } from './ports.js';

// The cluster and its placement
export { serverName, Topology, type TopologySpec } from './cluster/topology.js';

// Actors
export { BrokerActor, STATS_UPDATE_MODES, type BrokerConfig, type FinishedQuery, type QueryArrival, type QueryListener, type StatsUpdateMode } from './broker/broker.js';
export { ServerActor, type ServerConfig } from './server/server.js';

// Routing and Adaptive Server Selection
export { INSTANCE_SELECTOR_TYPES, Router, type InstanceSelectorType, type RoutePlan } from './routing/router.js';
export { createSelector } from './routing/create-selector.js';
export { NO_SERVER, SELECTOR_KINDS, type SelectorDeps, type SelectorKind, type SelectorParams, type ServerSelector } from './routing/server-selector.js';
