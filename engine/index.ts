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

// The local page cache (Alluxio local cache, seed 001)
export { LocalCacheManager, type LocalCacheDeps, type LocalCacheOptions } from './cache/local-cache-manager.js';
export { PageCache, PUT_NO_SPACE, PUT_TOO_LARGE, type PageCacheConfig } from './cache/page-cache.js';
export { PAGE_HIT, PAGE_MISS_BYPASS, PAGE_MISS_CACHED, planRead, ReadPlan, type PageRead } from './cache/read-plan.js';
export { EVICTION_POLICIES, type EvictionPolicy, type Evictor } from './cache/evictor.js';
export { CACHE_ERROR_KINDS, CacheStats, type CacheErrorKind } from './cache/cache-stats.js';
export type { PageGetResult, PagePutResult, PageStore, RemoteReader } from './cache/cache-ports.js';
export { SoftAffinityScheduler, type SoftAffinityConfig, type SplitPlacement } from './cache/soft-affinity-scheduler.js';
