// A broker actor (seed 003 section 3.2, seed 004 sections 1.2, 2.5 and 4): admits each query it
// receives (an optional guard: workload budget, QPS cap), routes it, scatters one request per chosen
// server (holding back in a backlog those a rate-controlled selector cannot send yet), gathers the
// answers and ends the query in exactly one outcome, at the latest at its class's timeout. It feeds
// its Adaptive Server Selection policy as Pinot does: a submission per request, and a completion per
// request either when the whole scatter completes (Pinot's behaviour: all answered or timed out) or
// at each reply. When the connection to a server is lost (its process stopped), the requests waiting
// on it fail at once (Pinot's QueryRouter.markServerDown: the query does not wait for its timeout, and
// the stats are fed the timeout as the unanswered requests' latency), its routers leave it out until
// it is back (BrokerRoutingManager.excludeServerFromRouting / includeServerToRouting, as Pinot's
// failure detector and Helix's live-instance change do), and a request already planned for it (a
// backlog) fails as it is sent.

import type { BrokerIndex, ClassIndex, QueryId, SegmentIndex, ServerIndex } from '../ids.js';
import type { QueryResponse } from '../messages.js';
import type { QueryOutcome } from '../outcome.js';
import { type Clock, type EngineEvents, NO_ENGINE_EVENTS, type Transport, type WorkUsage } from '../ports.js';
import type { PartitionFilter, SegmentPruner } from '../routing/partition-pruner.js';
import type { Router } from '../routing/router.js';
import { NO_SERVER, type ServerSelector } from '../routing/server-selector.js';
import { DeadlineQueue } from './deadline-queue.js';
import { PendingQueries } from './pending-queries.js';
import { type BacklogStats, RequestBacklog } from './request-backlog.js';

export const STATS_UPDATE_MODES = ['onScatterComplete', 'perReply'] as const;
export type StatsUpdateMode = (typeof STATS_UPDATE_MODES)[number];

export interface BrokerConfig {
  /** Timeout of a query whose class has none of its own. */
  readonly queryTimeoutMs: number;
  /** Per class: its queries' timeout (a workload's or class's own), or undefined for queryTimeoutMs. */
  readonly classTimeoutsMs?: readonly (number | undefined)[];
  readonly statsUpdate: StatsUpdateMode;
  /** Resolution of the latencies fed to the statistics, in ms: 1 is Pinot's; 0 keeps the clock's own. */
  readonly latencyResolutionMs: number;
  /** Prunes a filtered query's segments before routing (Pinot's segmentPrunerTypes); none: no pruning. */
  readonly segmentPruner?: SegmentPruner;
}

/** Decides whether the broker accepts a query (workload budget, QPS cap): null, or why not. */
export interface BrokerGuard {
  admit(arrival: QueryArrival): string | null;
  workloadOf(classIndex: ClassIndex): string;
  /** A query the broker admitted ended (its measured usage is charged to the broker's budget). */
  onQueryFinished(query: FinishedQuery): void;
}

/**
 * How the broker routes the queries of one class: a router and the selector whose statistics it
 * keeps. One shared by every class is open-source Pinot's per-server statistics; one per class is
 * seed 004's per-<table, server> statistics, a class standing for a table.
 */
export interface BrokerRouting {
  readonly router: Router;
  readonly selector: ServerSelector;
}

/** A routing with the backlog of requests its selector could not send yet. */
interface Route extends BrokerRouting {
  readonly backlog: RequestBacklog<BacklogEntry>;
  /** Units with requests waiting in the backlog: new requests for them queue behind (FIFO). */
  readonly deferred: (unit: number) => boolean;
  /** Whether the selector hears of each reply as it arrives. */
  readonly perReply: boolean;
  /** Whether the selector reads a reply's feedback when told of it at the end of the scatter (kept until then). */
  readonly keepsFeedback: boolean;
  /** Resolution of the latencies fed to the selector, in ms (0: the clock's own). */
  readonly statsResolutionMs: number;
}

export interface QueryArrival {
  readonly queryId: QueryId;
  readonly classIndex: ClassIndex;
  /** Segments the query reads; null = every segment of the table. */
  readonly segments: readonly SegmentIndex[] | null;
  /** The query's EQ / IN predicate on a column, if any: the broker's segment pruner may use it. */
  readonly filter?: PartitionFilter | null;
}

export interface FinishedQuery {
  readonly queryId: QueryId;
  readonly classIndex: ClassIndex;
  readonly broker: BrokerIndex;
  readonly arrivalMs: number;
  readonly endMs: number;
  readonly outcome: QueryOutcome;
  readonly servers: readonly ServerIndex[];
  /** What the query's work used on the servers that answered (ok or killed). */
  readonly usage: WorkUsage;
  /** Segments of the query that no server served when it was routed: its data missing. */
  readonly segmentsMissing: number;
  /** Segments of the query the broker's pruner dropped before routing (they cannot match its filter). */
  readonly segmentsPruned: number;
}

/** Where finished queries go: the simulator's query log, or a real client. */
export interface QueryListener {
  onQueryFinished(query: FinishedQuery): void;
}

/** Why a request failed whose server could not be reached. */
export const SERVER_UNREACHABLE = 'server unreachable';

/** The answer a request gets when its server cannot be reached: no feedback from the server in it. */
function connectionFailure(broker: BrokerIndex, query: PendingQuery, slot: number, server: ServerIndex): QueryResponse {
  return {
    kind: 'queryResponse',
    queryId: query.queryId,
    broker,
    server,
    slot,
    handle: query,
    status: 'error',
    reason: SERVER_UNREACHABLE,
    queueSize: 0,
    serviceTimeMs: 0,
    usage: { cpuNs: 0, allocatedBytes: 0 },
  };
}

/**
 * What a response says of its request, as kept in its slot: for an ok answer its latency from the
 * send at the given resolution (0: the clock's own), otherwise KILLED, UNREACHABLE or REJECTED.
 */
function answerOf(response: QueryResponse, resolutionMs: number, sentMs: number, nowMs: number): number {
  if (response.status === 'ok') {
    if (!(resolutionMs > 0)) return nowMs - sentMs;
    return (wholeUnits(nowMs, resolutionMs) - wholeUnits(sentMs, resolutionMs)) * resolutionMs;
  }
  if (response.status === 'killed') return KILLED;
  return response.status === 'error' && response.reason === SERVER_UNREACHABLE ? UNREACHABLE : REJECTED;
}

/** Whole clock units of `resolutionMs` in `timeMs`, as a millisecond clock reads them (float noise aside). */
function wholeUnits(timeMs: number, resolutionMs: number): number {
  return Math.floor(timeMs / resolutionMs + 1e-9);
}

const NOT_ANSWERED = -1;
/** Rejected or failed: no result from that server. */
const REJECTED = -2;
const KILLED = -3;
/** Failed because the server could not be reached: no result, and no feedback from it. */
const UNREACHABLE = -4;
/** Per request, two numbers in PendingQuery.slots: when it was sent, then its answer. */
const SLOT_WIDTH = 2;
const SENT_AT = 0;
const ANSWER_AT = 1;

/** A request waiting in the backlog: which query, and which of its requests. */
interface BacklogEntry {
  readonly query: PendingQuery;
  readonly slot: number;
}

/**
 * A query in flight at this broker. A response touches only this object and its `slots`, each cold
 * at scale (thousands of brokers): what it needs per request sits side by side there, and what it
 * needs of the route is copied here.
 */
interface PendingQuery {
  readonly queryId: QueryId;
  readonly classIndex: ClassIndex;
  readonly route: Route;
  /** The route's: whether the selector hears of each reply as it arrives. */
  readonly perReply: boolean;
  /** The route's: the resolution of the latencies fed to the selector. */
  readonly statsResolutionMs: number;
  readonly arrivalMs: number;
  readonly deadlineMs: number;
  readonly timeoutMs: number;
  /** The queue of the queries with this timeout, which holds this one until it ends. */
  readonly deadlines: DeadlineQueue<PendingQuery>;
  /** Per request: its server, or NO_SERVER while it waits in the backlog. */
  readonly servers: ServerIndex[];
  /**
   * Per request, SLOT_WIDTH numbers: at SENT_AT when it was sent, in ms (NaN while it waits in the
   * backlog); at ANSWER_AT the latency in ms of an ok answer since its send, or NOT_ANSWERED /
   * REJECTED / KILLED / UNREACHABLE.
   */
  readonly slots: number[];
  readonly segments: readonly (readonly SegmentIndex[])[];
  /** Segments no server served when the query was routed. */
  readonly segmentsMissing: number;
  /** Segments the pruner dropped before routing. */
  readonly segmentsPruned: number;
  /** The routing table version the query was routed with (a request in the backlog may outlive it). */
  readonly routedVersion: number;
  /** Per request: its response, which carries its feedback, or null; kept only for a route that keepsFeedback. */
  readonly responses: (QueryResponse | null)[] | null;
  remaining: number;
  done: boolean;
  cpuNs: number;
  allocatedBytes: number;
}

export class BrokerActor {
  private readonly pending = new PendingQueries<PendingQuery>();
  /** Pending queries by timeout, each queue in arrival order (so in deadline order). */
  private readonly deadlines = new Map<number, DeadlineQueue<PendingQuery>>();
  private readonly onExpired = (query: PendingQuery, nowMs: number): void => this.finish(query, nowMs);
  private guard: BrokerGuard | null = null;
  /** One per class, or a single one shared by every class. */
  private readonly routes: readonly Route[];
  /** Servers whose connection is lost: sending to them fails. */
  private readonly unreachable = new Set<ServerIndex>();

  constructor(
    readonly index: BrokerIndex,
    private readonly config: BrokerConfig,
    routings: readonly BrokerRouting[],
    private readonly transport: Transport,
    private readonly clock: Clock,
    private readonly listener: QueryListener,
    private readonly events: EngineEvents = NO_ENGINE_EVENTS,
  ) {
    if (routings.length === 0) throw new Error(`broker ${index} has no routing`);
    this.routes = routings.map(({ router, selector }) => {
      const backlog = new RequestBacklog<BacklogEntry>(clock, {
        trySend: (entry) => {
          const server = router.selectWaiting(entry.query.segments[entry.slot], entry.query.routedVersion);
          if (server === NO_SERVER) return false;
          this.send(entry.query, entry.slot, server);
          return true;
        },
        retryAtMs: ({ query, slot }) => {
          const candidates = router.waitingCandidates(query.segments[slot], query.routedVersion);
          // No server serves it now: it waits for a routing-table change, at the latest until its query ends.
          if (candidates.length === 0) return query.deadlineMs;
          return selector.retryAtMs?.(candidates) ?? clock.now();
        },
        isLive: (entry) => !entry.query.done,
        unitVersion: () => router.currentTableVersion(),
        unitOf: (entry) => router.unitOfWaiting(entry.query.segments[entry.slot]),
      });
      const perReply = config.statsUpdate === 'perReply' || selector.perReply === true;
      const keepsFeedback = !perReply && selector.readsFeedback === true;
      const statsResolutionMs = selector.exactLatency === true ? 0 : config.latencyResolutionMs;
      return { router, selector, backlog, deferred: (unit: number) => backlog.isWaiting(unit), perReply, keepsFeedback, statsResolutionMs };
    });
  }

  /** Workload isolation at this broker, if any. */
  attachGuard(guard: BrokerGuard): void {
    this.guard = guard;
  }

  /** Queries waiting for answers. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** What the backlogs of rate-controlled routing held so far, all routes together. */
  backlogStats(): BacklogStats {
    let held = 0;
    let waitMsTotal = 0;
    let longestWaitMs = 0;
    for (const route of this.routes) {
      const stats = route.backlog.stats();
      held += stats.held;
      waitMsTotal += stats.waitMsTotal;
      longestWaitMs = Math.max(longestWaitMs, stats.longestWaitMs);
    }
    return { held, waitMsTotal, longestWaitMs };
  }

  onArrival(arrival: QueryArrival): void {
    const nowMs = this.clock.now();
    const refusal = this.guard?.admit(arrival) ?? null;
    if (refusal !== null) {
      this.listener.onQueryFinished(this.finished(arrival, nowMs, nowMs, 'rejected', [], 0, 0, 0, 0));
      this.events.report({
        kind: 'rejection',
        host: { role: 'broker', broker: this.index },
        queryId: arrival.queryId,
        workload: this.guard!.workloadOf(arrival.classIndex),
        reason: refusal,
      });
      return;
    }
    const route = this.routes.length === 1 ? this.routes[0] : this.routes[arrival.classIndex];
    const { segments, pruned } = this.pruned(arrival);
    const plan = route.router.route(segments, route.deferred);
    const count = plan.servers.length;
    if (count === 0) {
      // Nothing to ask: every segment pruned (the answer is empty, and complete) or none served.
      const outcome: QueryOutcome = plan.segmentsMissing === 0 ? 'completed' : 'rejected';
      this.listener.onQueryFinished(this.finished(arrival, nowMs, nowMs, outcome, plan.servers, 0, 0, plan.segmentsMissing, pruned));
      return;
    }
    const slots: number[] = [];
    for (let i = 0; i < count; i++) slots.push(Number.NaN, NOT_ANSWERED);
    const timeoutMs = this.config.classTimeoutsMs?.[arrival.classIndex] ?? this.config.queryTimeoutMs;
    const query: PendingQuery = {
      queryId: arrival.queryId,
      classIndex: arrival.classIndex,
      route,
      perReply: route.perReply,
      statsResolutionMs: route.statsResolutionMs,
      arrivalMs: nowMs,
      deadlineMs: nowMs + timeoutMs,
      timeoutMs,
      deadlines: this.deadlineQueue(timeoutMs),
      servers: plan.servers,
      slots,
      segments: plan.segments,
      segmentsMissing: plan.segmentsMissing,
      segmentsPruned: pruned,
      routedVersion: route.router.tableVersion,
      responses: route.keepsFeedback ? new Array<QueryResponse | null>(count).fill(null) : null,
      remaining: count,
      done: false,
      cpuNs: 0,
      allocatedBytes: 0,
    };
    this.pending.add(query);
    query.deadlines.push(query);
    for (let slot = 0; slot < count; slot++) {
      const server = plan.servers[slot];
      if (server === NO_SERVER) route.backlog.add(plan.units[slot], { query, slot });
      else this.send(query, slot, server);
    }
  }

  /**
   * The connection to a server is lost (its process stopped): every request waiting on it fails now,
   * routing leaves it out, and requests sent to it anyway fail, until `onServerUp`.
   */
  onServerDown(server: ServerIndex): void {
    this.unreachable.add(server);
    for (const route of this.routes) route.router.exclude(server);
    const failed: QueryResponse[] = [];
    for (const query of this.pending.inIdOrder()) {
      for (let slot = 0; slot < query.servers.length; slot++) {
        if (query.servers[slot] === server && query.slots[slot * SLOT_WIDTH + ANSWER_AT] === NOT_ANSWERED) failed.push(connectionFailure(this.index, query, slot, server));
      }
    }
    for (const response of failed) this.onResponse(response);
  }

  /** The server is reachable again. */
  onServerUp(server: ServerIndex): void {
    this.unreachable.delete(server);
    for (const route of this.routes) route.router.include(server);
  }

  private send(query: PendingQuery, slot: number, server: ServerIndex): void {
    query.servers[slot] = server;
    query.slots[slot * SLOT_WIDTH + SENT_AT] = this.clock.now();
    query.route.selector.onSubmit(server);
    if (this.unreachable.size > 0 && this.unreachable.has(server)) {
      // Refused as it is sent; answered once the scatter that sends it is over.
      const response = connectionFailure(this.index, query, slot, server);
      this.clock.setTimeout(() => this.onResponse(response), 0);
      return;
    }
    this.transport.toServer({
      kind: 'queryRequest',
      queryId: query.queryId,
      classIndex: query.classIndex,
      broker: this.index,
      server,
      slot,
      segments: query.segments[slot],
      handle: query,
    });
  }

  onResponse(response: QueryResponse): void {
    const handle = response.handle as PendingQuery | undefined;
    const query = handle === undefined ? this.pending.get(response.queryId) : handle.done ? undefined : handle;
    if (query === undefined) return; // answered after the query ended (timed out): nothing waits for it
    const slot = response.slot;
    const slots = query.slots;
    const at = slot * SLOT_WIDTH;
    if (slots[at + ANSWER_AT] !== NOT_ANSWERED) return;
    const nowMs = this.clock.now();
    slots[at + ANSWER_AT] = answerOf(response, query.statsResolutionMs, slots[at + SENT_AT], nowMs);
    if (query.responses !== null) query.responses[slot] = response;
    query.cpuNs += response.usage.cpuNs;
    query.allocatedBytes += response.usage.allocatedBytes;
    if (query.perReply) this.completeRequest(query, slot, response);
    if (--query.remaining === 0) this.finish(query, nowMs);
  }

  private deadlineQueue(timeoutMs: number): DeadlineQueue<PendingQuery> {
    let queue = this.deadlines.get(timeoutMs);
    if (queue === undefined) {
      queue = new DeadlineQueue(this.clock, timeoutMs, this.onExpired);
      this.deadlines.set(timeoutMs, queue);
    }
    return queue;
  }

  private finish(query: PendingQuery, nowMs: number): void {
    this.pending.delete(query.queryId);
    query.done = true;
    query.deadlines.compact();
    let ok = 0;
    let rejected = 0;
    let killed = 0;
    const count = query.servers.length;
    const slots = query.slots;
    for (let slot = 0; slot < count; slot++) {
      const answer = slots[slot * SLOT_WIDTH + ANSWER_AT];
      if (answer >= 0) ok++;
      else if (answer === REJECTED || answer === UNREACHABLE) rejected++;
      else if (answer === KILLED) killed++;
      // Under perReply, answered requests were completed as they came; unanswered ones end now. A
      // request still in the backlog was never sent, so the selector never heard of it.
      if (query.servers[slot] === NO_SERVER) continue;
      if (!query.perReply || answer === NOT_ANSWERED) this.completeRequest(query, slot, query.responses?.[slot] ?? null);
    }
    const outcome: QueryOutcome =
      killed > 0 ? 'killed' : ok === count ? 'completed' : ok > 0 ? 'partial' : rejected > 0 ? 'rejected' : 'timedOut';
    const contacted = query.servers.includes(NO_SERVER) ? query.servers.filter((server) => server !== NO_SERVER) : query.servers;
    const finished = this.finished(query, query.arrivalMs, nowMs, outcome, contacted, query.cpuNs, query.allocatedBytes, query.segmentsMissing, query.segmentsPruned);
    this.guard?.onQueryFinished(finished);
    this.listener.onQueryFinished(finished);
  }

  /** The segments the query needs once the pruner has dropped those its filter cannot match. */
  private pruned(arrival: QueryArrival): { segments: readonly SegmentIndex[] | null; pruned: number } {
    const pruner = this.config.segmentPruner;
    const filter = arrival.filter;
    if (pruner === undefined || filter === undefined || filter === null) return { segments: arrival.segments, pruned: 0 };
    const segments = pruner.prune(arrival.segments, filter);
    const before = arrival.segments === null ? pruner.segmentCount : arrival.segments.length;
    return { segments, pruned: segments === null ? 0 : before - segments.length };
  }

  /**
   * Tells the selector the broker is done with the request in this slot; `response` is its answer
   * (null when none came, or when the route keeps none), whose feedback the selector is given unless
   * the server could not be reached.
   */
  private completeRequest(query: PendingQuery, slot: number, response: QueryResponse | null): void {
    const server = query.servers[slot];
    const answer = query.slots[slot * SLOT_WIDTH + ANSWER_AT];
    if (answer === NOT_ANSWERED) {
      query.route.selector.onComplete(server, query.timeoutMs, null);
      return;
    }
    const latencyMs = answer < 0 ? query.timeoutMs : answer;
    query.route.selector.onComplete(server, latencyMs, answer === UNREACHABLE ? null : response);
  }

  private finished(
    arrival: { readonly queryId: QueryId; readonly classIndex: ClassIndex },
    arrivalMs: number,
    endMs: number,
    outcome: QueryOutcome,
    servers: readonly ServerIndex[],
    cpuNs: number,
    allocatedBytes: number,
    segmentsMissing: number,
    segmentsPruned: number,
  ): FinishedQuery {
    const usage = { cpuNs, allocatedBytes };
    return { queryId: arrival.queryId, classIndex: arrival.classIndex, broker: this.index, arrivalMs, endMs, outcome, servers, usage, segmentsMissing, segmentsPruned };
  }
}
