// The real runtime's coordinator (DESIGN.md, "One engine, two clocks"): on the main thread, the
// engine's brokers wired by engine/wiring to a wall clock and to a transport of real messages; each
// server a worker thread with its own query thread pool (server-thread.ts). It replays a run's
// arrivals at their wall-clock times, merges the servers' partial results into each query's answer,
// samples the servers, and applies faults to them. A stopped server's thread is terminated (its pool
// with it) and its brokers lose the connection; a restart starts a fresh thread that reloads the
// segment files, and the brokers reconnect once it is ready. Segments move when the cluster state
// says (a scale event, a rebalance): a server that joins is a fresh thread started for its first
// segment, a moved segment is loaded by the server's threads from the file a move downloaded
// (loadSegment), a server that leaves is stopped. Every thread it starts it also stops, whether the
// run ends, fails or the cluster never finished starting.

import type { Worker } from 'node:worker_threads';
import type { BrokerActor, FinishedQuery } from '../broker/broker.js';
import type { BacklogStats } from '../broker/request-backlog.js';
import { Topology } from '../cluster/topology.js';
import { asClass, asQuery, asServer, type SegmentIndex } from '../ids.js';
import type { QueryRequest } from '../messages.js';
import type { Clock, EngineEvent, Transport } from '../ports.js';
import { emptyPartial, finishResult, mergePartial, type PartialResult } from '../query/partial-result.js';
import type { Query, ResultRow } from '../query/query.js';
import type { RoutingSource } from '../routing/router.js';
import type { ClusterSpec } from '../wiring/cluster-spec.js';
import { SeededRngSource } from '../wiring/seeded-rng-source.js';
import { wireBrokers } from '../wiring/wire-cluster.js';
import { epochNowMs } from './blocking-sleep.js';
import type { FromServer, ServerCounters, ServerIsolationData, ServerThreadData, StorageCounters, ToServer } from './real-protocol.js';
import type { ServerStorageData } from './segment-column-reads.js';
import type { DeviceTotals } from '../storage/storage-device.js';
import { firstMessage, startThread, stopThreads } from './threads.js';
import { WallClock } from './wall-clock.js';

export interface RealClusterSpec extends ClusterSpec {
  /** Segment index -> its Arrow IPC file. */
  readonly segmentFiles: readonly string[];
  /** Class index -> the query its arrivals run. */
  readonly queries: readonly Query[];
  /** Server index -> the workload budgets it enforces (none if left out). */
  readonly serverIsolation?: readonly (ServerIsolationData | null)[];
  /** Server index -> its page cache over the segment store (left out: servers hold whole segments in memory). */
  readonly serverStorage?: readonly ServerStorageData[];
  /**
   * The cluster state the brokers route over, built on the run's clock (a zone drain's, which takes
   * servers out of the routing table); left out, the mirrored layout with every replica online.
   */
  readonly routing?: (clock: Clock) => RoutingSource;
}

/** One query of a run, as the simulator's arrival process produced it. */
export interface RealArrival {
  readonly atMs: number;
  readonly queryId: number;
  readonly classIndex: number;
  readonly broker: number;
  readonly segments: readonly number[] | null;
}

export interface ServerSample extends ServerCounters {
  readonly atMs: number;
  readonly server: number;
  readonly paused: boolean;
  readonly slow: boolean;
}

export interface RealRunOptions {
  readonly durationMs: number;
  readonly samplingIntervalMs: number;
  readonly onQueryFinished: (query: FinishedQuery, answer: readonly ResultRow[] | null) => void;
  readonly onSample: (sample: ServerSample) => void;
  /** What a broker's or a server's engine decided (rejections, kills), as it happened. */
  readonly onEngineEvent: (event: EngineEvent) => void;
  /** A request answered ok, measured: its items' compute times, and its time outside the server. */
  readonly onRequestMeasured?: (measured: RequestMeasurement) => void;
}

/**
 * One request answered ok, its round trip cut where the server thread saw it: the message to the
 * server, the wait for a pool thread, the items (service time), the reply, the message back and the
 * broker's merge. queueMs + serviceTimeMs + replyMs + overheadMs is the time from the broker's send
 * to its merge of the response (up to the clocks' resolution).
 */
export interface RequestMeasurement {
  readonly classIndex: number;
  /** When the broker sent it, epoch ms. */
  readonly sentEpochMs: number;
  /** Each item's compute time on its pool thread (slowness sleeps excluded). */
  readonly itemComputeMs: readonly number[];
  /** Each item's time from its hand-over to a pool thread to its result merged on the server thread. */
  readonly itemSpanMs: readonly number[];
  /** From its arrival on the server thread to its first item's hand-over: waiting for a pool thread. */
  readonly queueMs: number;
  /** On the server, from its first item's hand-over to its last item's result merged. */
  readonly serviceTimeMs: number;
  /** From the last item's result merged to the response handed to the port: the server's reply. */
  readonly replyMs: number;
  /** Merging its partial result into the query's answer on the broker (part of overheadMs). */
  readonly brokerMergeMs: number;
  /**
   * Broker to server and back, outside the server thread, until the broker has merged the partial
   * result (the query's latency ends after that): messaging, serialising, event loops, merging.
   */
  readonly overheadMs: number;
}

/** What a fault does to a real server: the shape the scenario's fault injector drives. */
export interface RealServerControl {
  setProgressProbability(probability: number): void;
  /** Blocks every thread of the server for this long, from now. */
  pauseForMs(ms: number): void;
  /** Terminates the server's threads (its work is lost) and tells the brokers the connection dropped. */
  stop(): void;
  /** Starts the server again (a fresh thread loads its segments); resolves once the brokers can reach it. */
  restart(): Promise<void>;
}

/** A server restart: when it was asked for, and when the fresh thread was ready and the brokers reached it again. */
export interface RestartRecord {
  readonly server: number;
  readonly requestedMs: number;
  readyMs: number | null;
}

/** After the last query's timeout, how long the run waits for stragglers before it calls itself stuck. */
const DRAIN_GRACE_MS = 5_000;

export class RealCluster {
  readonly clock: WallClock;
  readonly topology: Topology;
  private readonly brokers: BrokerActor[];
  /** Query id -> its class and the merge of the partial results received so far. */
  private readonly answers = new Map<number, { readonly classIndex: number; readonly partial: PartialResult }>();
  private readonly progressShare: number[];
  /** Per server, the segments it holds and their files: what a fresh thread of it loads. */
  private readonly held: Map<number, string>[];
  /** Every server's name: the topology's, then those of servers that joined, in the order they joined. */
  readonly serverNames: string[];
  /** Servers a serverStop fault has stopped: a move's load waits for their restart. */
  private readonly stoppedByFault = new Set<number>();
  /** Per server whose thread is starting, when it is ready. */
  private readonly startingReady = new Map<number, Promise<void>>();
  /** Loads asked of a server's thread and not yet done, by `${server}/${segment}`. */
  private readonly loads = new Map<string, () => void>();
  private readonly pausedUntilMs: number[];
  private run: RealRunOptions | null = null;
  private finishedQueries = 0;
  private onAllFinished: (() => void) | null = null;
  private expectedQueries = Infinity;
  /** Requests posted to each server, over all its threads (a stopped one's count as received). */
  private readonly posted: number[];
  /** Per server: requests posted to its live thread and not answered yet. */
  private readonly awaiting: number[];
  /** Per server: what its earlier threads received and rejected, added to the live thread's counts. */
  private readonly receivedBase: number[];
  private readonly rejectedBase: number[];
  /** Per server: its page cache's counters from its earlier threads (a restarted thread starts empty). */
  private readonly storageBase: (StorageCounters | null)[];
  /** Per server: its live thread's counters at its last sample. */
  private readonly lastCounters: (ServerCounters | null)[];
  /** Threads of restarted servers that are not ready yet. */
  private readonly starting = new Set<Worker>();
  /** Threads being terminated, and restarts under way: `stop` waits for both. */
  private readonly stopping: Promise<void>[] = [];
  private readonly restarts: Promise<void>[] = [];
  /** Every restart of the run, in the order asked for. */
  readonly restartRecords: RestartRecord[] = [];
  private closed = false;
  /** A restart that failed: the run fails with it. */
  private failure: Error | null = null;
  private onFailure: ((error: Error) => void) | null = null;
  /** Samples asked for and not yet answered by every server, with the servers still to answer. */
  private readonly pendingSamples = new Map<number, { readonly from: Set<number> }>();
  /**
   * When each request of a query in flight was sent (epoch ms, as its server thread's times), by query id and slot. A query's entries go when
   * the query ends: a request its server never answers (stopped, or answering after the timeout)
   * leaves nothing behind.
   */
  private readonly sentMs = new Map<number, Map<number, number>>();

  private constructor(
    private readonly spec: RealClusterSpec,
    /** Per server its live thread, or null while it is stopped. */
    private readonly servers: (Worker | null)[],
    private readonly threadData: ServerThreadData[],
  ) {
    this.held = threadData.map((data) => new Map(data.segmentFiles));
    this.topology = new Topology(spec.topology);
    this.serverNames = this.topology.allServerNames();
    this.clock = new WallClock();
    const transport: Transport = {
      toServer: (request: QueryRequest) => {
        let slots = this.sentMs.get(request.queryId);
        if (slots === undefined) this.sentMs.set(request.queryId, (slots = new Map()));
        slots.set(request.slot, epochNowMs());
        // The broker's handle stays in this thread: the server's answer is looked up by query id.
        const { handle: _handle, ...crossing } = request;
        this.post(request.server, { kind: 'request', request: crossing });
      },
      toBroker: () => {
        throw new Error('responses reach the coordinator as thread messages');
      },
    };
    this.brokers = wireBrokers(
      spec,
      this.topology,
      {
        clock: this.clock,
        rngs: new SeededRngSource(spec.seed),
        transport,
        listener: { onQueryFinished: (query) => this.onQueryFinished(query) },
        events: { report: (event) => this.run?.onEngineEvent(event) },
      },
      spec.routing?.(this.clock),
    );
    this.progressShare = servers.map(() => 1);
    this.pausedUntilMs = servers.map(() => -Infinity);
    this.posted = servers.map(() => 0);
    this.awaiting = servers.map(() => 0);
    this.receivedBase = servers.map(() => 0);
    this.rejectedBase = servers.map(() => 0);
    this.lastCounters = servers.map(() => null);
    this.storageBase = servers.map(() => null);
    servers.forEach((worker, s) => this.listen(s, worker!));
  }

  /** Starts every server thread (each loads its segments and starts its pool) and wires the brokers. */
  static async start(spec: RealClusterSpec): Promise<RealCluster> {
    const topology = new Topology(spec.topology);
    const workers: Worker[] = [];
    const threadData = Array.from({ length: topology.servers }, (_, s): ServerThreadData => {
      const held = topology.segmentsOfPosition[topology.positionOf(asServer(s))];
      return {
        spec: plainSpec(spec),
        server: s,
        segmentFiles: held.map((segment) => [segment, spec.segmentFiles[segment]] as const),
        queries: spec.queries,
        isolation: spec.serverIsolation?.[s] ?? null,
        storage: spec.serverStorage?.[s] ?? null,
      };
    });
    try {
      for (const data of threadData) workers.push(startThread('server-thread.ts', data));
      await Promise.all(workers.map((worker) => firstMessage<FromServer>(worker)));
    } catch (error) {
      await stopThreads(workers);
      throw error;
    }
    return new RealCluster(spec, workers, threadData);
  }

  /** The fault controls of server `s`. */
  control(s: number): RealServerControl {
    return {
      setProgressProbability: (probability) => {
        this.progressShare[s] = probability;
        this.post(s, { kind: 'slow', progressShare: probability });
      },
      pauseForMs: (ms) => {
        this.pausedUntilMs[s] = this.clock.now() + ms;
        this.post(s, { kind: 'pause', untilEpochMs: epochNowMs() + ms });
      },
      stop: () => {
        this.stopServer(s);
        this.stoppedByFault.add(s);
      },
      restart: () => {
        this.stoppedByFault.delete(s);
        return this.restartServer(s);
      },
    };
  }

  /** Per broker, what its rate-control backlogs held so far (C3's rate control; nothing held without it). */
  backlogStats(): BacklogStats[] {
    return this.brokers.map((broker) => broker.backlogStats());
  }

  /** Requests server `s` has been sent and has not answered: its queries in flight. */
  inFlight(s: number): number {
    return this.awaiting[s];
  }

  /** Whether server `s` has a live thread the brokers can reach. */
  isUp(s: number): boolean {
    const worker = this.servers[s];
    return worker !== null && !this.starting.has(worker);
  }

  private stopServer(s: number): void {
    const worker = this.servers[s];
    if (worker === null) return;
    this.servers[s] = null;
    this.stopping.push(stopThreads([worker]));
    this.rejectedBase[s] += this.lastCounters[s]?.requestsRejected ?? 0;
    this.receivedBase[s] = this.posted[s];
    this.storageBase[s] = addStorageCounters(this.storageBase[s], this.lastCounters[s]?.storage ?? null);
    this.awaiting[s] = 0;
    this.lastCounters[s] = null;
    for (const broker of this.brokers) broker.onServerDown(asServer(s));
    // Loads under way are as good as done: a fresh thread loads every segment the server holds.
    for (const [key, done] of [...this.loads]) {
      if (key.startsWith(`${s}/`)) {
        this.loads.delete(key);
        done();
      }
    }
    // Samples it was asked for and will never answer: it had nothing left.
    for (const [sample, entry] of this.pendingSamples) if (entry.from.has(s)) this.onCounters(s, sample, this.downCounters(s), true);
  }

  private restartServer(s: number): Promise<void> {
    if (this.servers[s] !== null || this.closed) return Promise.resolve();
    const record: RestartRecord = { server: s, requestedMs: this.clock.now(), readyMs: null };
    this.restartRecords.push(record);
    return this.startServer(s, record);
  }

  /**
   * Starts a fresh thread for server `s`, loading every segment it holds now; the brokers reach it once
   * it is ready. A thread that fails to start fails the run, unless it was stopped meanwhile.
   */
  private startServer(s: number, record: RestartRecord | null): Promise<void> {
    const worker = startThread('server-thread.ts', { ...this.threadData[s], segmentFiles: [...this.held[s]] } satisfies ServerThreadData);
    this.servers[s] = worker;
    this.starting.add(worker);
    const ready = firstMessage<FromServer>(worker).then(
      () => {
        this.starting.delete(worker);
        if (this.servers[s] !== worker || this.closed) return;
        if (record !== null) record.readyMs = this.clock.now();
        this.listen(s, worker);
        if (this.progressShare[s] < 1) worker.postMessage({ kind: 'slow', progressShare: this.progressShare[s] } satisfies ToServer);
        for (const broker of this.brokers) broker.onServerUp(asServer(s));
      },
      (error: unknown) => {
        this.starting.delete(worker);
        // Stopped again before it was ready (its thread terminated), or the run is over: no failure.
        if (this.servers[s] !== worker || this.closed) return;
        this.servers[s] = null;
        this.fail(error instanceof Error ? error : new Error(String(error)));
      },
    );
    this.restarts.push(ready);
    this.startingReady.set(s, ready);
    void ready.finally(() => {
      if (this.startingReady.get(s) === ready) this.startingReady.delete(s);
    });
    return ready;
  }

  /** Fails the run with `error` (the first failure wins). */
  fail(error: Error): void {
    this.failure ??= error;
    this.onFailure?.(this.failure);
  }

  /**
   * Loads `segment` from `file` on server `s` (a move downloaded it there), starting the server's
   * thread if it has none (a server joining the table); resolves once its threads can answer for it.
   */
  async loadSegment(s: number, segment: number, file: string): Promise<void> {
    this.held[s].set(segment, file);
    // Stopped by a fault: its restart loads what it holds, this segment included.
    if (this.closed || this.stoppedByFault.has(s)) return;
    if (this.servers[s] === null) {
      // A fresh thread loads what the server holds, this segment included.
      await this.startServer(s, null);
      return;
    }
    const starting = this.startingReady.get(s);
    if (starting !== undefined) {
      // Its thread started with what it held before: load this segment once it is ready.
      await starting;
      return this.loadSegment(s, segment, file);
    }
    const key = `${s}/${segment}`;
    const loaded = new Promise<void>((resolve) => this.loads.set(key, resolve));
    this.servers[s]!.postMessage({ kind: 'load', segment, file } satisfies ToServer);
    return loaded;
  }

  /**
   * A server joins the run (an uplift's new node) holding nothing: its index, the next one. Its thread
   * starts with the first segment loaded on it (loadSegment); until then it is down to the sampler.
   */
  addServer(name: string): number {
    const s = this.servers.length;
    this.serverNames.push(name);
    this.servers.push(null);
    this.threadData.push({ ...this.threadData[0]!, server: s, segmentFiles: [], isolation: null, storage: null });
    this.held.push(new Map());
    this.progressShare.push(1);
    this.pausedUntilMs.push(-Infinity);
    for (const counts of [this.posted, this.awaiting, this.receivedBase, this.rejectedBase]) counts.push(0);
    this.lastCounters.push(null);
    this.storageBase.push(null);
    return s;
  }

  /** Servers of the run so far: the topology's and those that joined. */
  get serverCount(): number {
    return this.servers.length;
  }

  /** Server `s` has left the table holding nothing: its threads stop. */
  leave(s: number): void {
    this.held[s].clear();
    this.stopServer(s);
  }

  /** What a stopped server reports: everything it received before, nothing in flight. */
  private downCounters(s: number): ServerCounters {
    return { requestsReceived: this.receivedBase[s], requestsRejected: this.rejectedBase[s], inFlight: 0, queueDepth: 0, busyThreads: 0, workloads: [], storage: this.storageBase[s] };
  }

  private listen(s: number, worker: Worker): void {
    worker.on('message', (message: FromServer) => {
      if (this.servers[s] === worker) this.onServerMessage(s, message);
    });
  }

  /**
   * Replays the arrivals (sorted by time) at their wall-clock times, samples the servers every
   * interval up to the duration, and resolves once every query has ended (each ends by its timeout
   * at the latest). Rejects if queries are still open well after that: the run is then broken.
   */
  async replay(arrivals: readonly RealArrival[], options: RealRunOptions): Promise<void> {
    this.run = options;
    this.expectedQueries = arrivals.length;
    this.finishedQueries = 0;
    const allFinished = new Promise<void>((resolve) => {
      this.onAllFinished = resolve;
    });
    if (arrivals.length === 0) this.onAllFinished!();
    let next = 0;
    const arrive = (): void => {
      const nowMs = this.clock.now();
      while (next < arrivals.length && arrivals[next].atMs <= nowMs) {
        const arrival = arrivals[next++];
        this.answers.set(arrival.queryId, { classIndex: arrival.classIndex, partial: emptyPartial() });
        this.brokers[arrival.broker].onArrival({
          queryId: asQuery(arrival.queryId),
          classIndex: asClass(arrival.classIndex),
          segments: arrival.segments as readonly SegmentIndex[] | null,
        });
      }
      if (next < arrivals.length) this.clock.setTimeout(arrive, arrivals[next].atMs - this.clock.now());
    };
    if (arrivals.length > 0) this.clock.setTimeout(arrive, arrivals[0].atMs);
    const sampling = this.sampleEvery(options.samplingIntervalMs, options.durationMs);
    const limitMs = options.durationMs + this.spec.queryTimeoutMs + DRAIN_GRACE_MS;
    let limitTimer: ReturnType<WallClock['setTimeout']> | null = null;
    const overdue = new Promise<never>((_, reject) => {
      limitTimer = this.clock.setTimeout(
        () => reject(new Error(`${this.expectedQueries - this.finishedQueries} queries still open ${limitMs} ms into the run: a query was lost`)),
        limitMs,
      );
    });
    const failed = new Promise<never>((_, reject) => {
      this.onFailure = reject;
      if (this.failure !== null) reject(this.failure);
    });
    try {
      await Promise.race([allFinished, overdue, failed]);
      await sampling.periodic;
      await sampling.sampleNow();
    } finally {
      this.clock.clearTimeout(limitTimer!);
    }
  }

  /** Requests sent whose query is still open and whose server has not answered yet. */
  requestsAwaitingAnswer(): number {
    let count = 0;
    for (const slots of this.sentMs.values()) count += slots.size;
    return count;
  }

  /** Stops every thread of the cluster and cancels every timer the engine left on its clock. */
  async stop(): Promise<void> {
    this.closed = true;
    this.clock.clearAll();
    await Promise.allSettled(this.restarts);
    await stopThreads(this.servers.filter((worker): worker is Worker => worker !== null));
    await Promise.all(this.stopping);
  }

  /** Posts to a server's thread; a stopped or starting server gets nothing. */
  private post(server: number, message: ToServer): void {
    if (!this.isUp(server)) return;
    if (message.kind === 'request') {
      this.posted[server]++;
      this.awaiting[server]++;
    }
    this.servers[server]!.postMessage(message);
  }

  /**
   * Samples each server at every interval up to the end (`periodic` resolves when all those are in);
   * `sampleNow` takes one more, for what came after the last whole interval.
   */
  private sampleEvery(intervalMs: number, durationMs: number): { periodic: Promise<void>; sampleNow: () => Promise<void> } {
    const pending = new Map<number, { atMs: number; waiting: number; resolve: () => void }>();
    let sampleNumber = 0;
    const request = (): Promise<void> =>
      new Promise<void>((resolve) => {
        const sample = sampleNumber++;
        pending.set(sample, { atMs: this.clock.now(), waiting: this.servers.length, resolve });
        const from = new Set<number>();
        for (let s = 0; s < this.servers.length; s++) if (this.isUp(s)) from.add(s);
        this.pendingSamples.set(sample, { from });
        for (let s = 0; s < this.servers.length; s++) {
          if (from.has(s)) this.post(s, { kind: 'sample', sample });
          else this.onCounters(s, sample, this.downCounters(s), true);
        }
      });
    this.onCounters = (server, sample, counters, absolute) => {
      const entry = pending.get(sample);
      const asked = this.pendingSamples.get(sample);
      if (entry === undefined || asked === undefined) return;
      asked.from.delete(server);
      if (!absolute) this.lastCounters[server] = counters;
      this.run!.onSample({
        ...counters,
        requestsReceived: absolute ? counters.requestsReceived : this.receivedBase[server] + counters.requestsReceived,
        requestsRejected: absolute ? counters.requestsRejected : this.rejectedBase[server] + counters.requestsRejected,
        storage: absolute ? counters.storage : addStorageCounters(this.storageBase[server], counters.storage),
        atMs: entry.atMs,
        server,
        paused: entry.atMs < this.pausedUntilMs[server],
        slow: this.progressShare[server] < 1,
      });
      if (--entry.waiting === 0) {
        pending.delete(sample);
        this.pendingSamples.delete(sample);
        entry.resolve();
      }
    };
    const answered: Promise<void>[] = [];
    const scheduled = new Promise<void>((resolve) => {
      let nextMs = intervalMs;
      const tick = (): void => {
        answered.push(request());
        nextMs += intervalMs;
        if (nextMs <= durationMs) this.clock.setTimeout(tick, nextMs - this.clock.now());
        else resolve();
      };
      if (intervalMs <= durationMs) this.clock.setTimeout(tick, intervalMs);
      else resolve();
    });
    return { periodic: scheduled.then(() => Promise.all(answered)).then(() => {}), sampleNow: request };
  }

  /** A server's counters for a sample: its live thread's own (added to its earlier threads'), or absolute. */
  private onCounters: (server: number, sample: number, counters: ServerCounters, absolute: boolean) => void = () => {};

  private onServerMessage(server: number, message: FromServer): void {
    if (message.kind === 'counters') {
      this.onCounters(server, message.sample, message.counters, false);
      return;
    }
    if (message.kind === 'event') {
      this.run?.onEngineEvent(message.event);
      return;
    }
    if (message.kind === 'failed') {
      this.fail(new Error(`${this.serverNames[server]}: ${message.message}`));
      return;
    }
    if (message.kind === 'loaded') {
      const key = `${server}/${message.segment}`;
      const done = this.loads.get(key);
      this.loads.delete(key);
      done?.();
      return;
    }
    if (message.kind !== 'response') return;
    const response = message.response;
    this.awaiting[server]--;
    const slots = this.sentMs.get(response.queryId);
    const sentMs = slots?.get(response.slot);
    slots?.delete(response.slot);
    const answer = this.answers.get(response.queryId);
    const handledMs = epochNowMs();
    if (answer !== undefined && message.partial !== null) {
      mergePartial(answer.partial, message.partial, this.spec.queries[answer.classIndex].aggregations);
    }
    const timing = message.timing;
    if (answer !== undefined && sentMs !== undefined && timing !== null) {
      const mergedMs = epochNowMs();
      this.run?.onRequestMeasured?.({
        classIndex: answer.classIndex,
        sentEpochMs: sentMs,
        itemComputeMs: timing.itemComputeMs,
        itemSpanMs: timing.itemSpanMs,
        queueMs: timing.firstStartEpochMs - timing.receivedEpochMs,
        serviceTimeMs: response.serviceTimeMs,
        replyMs: timing.repliedEpochMs - timing.lastDoneEpochMs,
        brokerMergeMs: mergedMs - handledMs,
        overheadMs: mergedMs - sentMs - (timing.repliedEpochMs - timing.receivedEpochMs),
      });
    }
    this.brokers[response.broker].onResponse(response);
  }

  private onQueryFinished(query: FinishedQuery): void {
    const answer = this.answers.get(query.queryId);
    this.answers.delete(query.queryId);
    this.sentMs.delete(query.queryId);
    const rows =
      answer !== undefined && (query.outcome === 'completed' || query.outcome === 'partial')
        ? finishResult(this.spec.queries[answer.classIndex], answer.partial)
        : null;
    this.run?.onQueryFinished(query, rows);
    if (++this.finishedQueries === this.expectedQueries) this.onAllFinished?.();
  }
}

/** Two threads' storage counters added (either may be missing). */
function addStorageCounters(a: StorageCounters | null, b: StorageCounters | null): StorageCounters | null {
  if (a === null || b === null) return a ?? b;
  const stats = { ...a.stats, errors: { ...a.stats.errors } };
  for (const key of Object.keys(b.stats) as (keyof StorageCounters['stats'])[]) {
    if (key !== 'errors') stats[key] += b.stats[key];
  }
  for (const kind of Object.keys(b.stats.errors) as (keyof StorageCounters['stats']['errors'])[]) stats.errors[kind] += b.stats.errors[kind];
  const remotes = a.remotes.map((totals, i) => addDeviceTotals(totals, b.remotes[i]!));
  return { stats, items: a.items + b.items, readWaitMs: a.readWaitMs + b.readWaitMs, remotes, ssd: addDeviceTotals(a.ssd, b.ssd) };
}

function addDeviceTotals(a: DeviceTotals, b: DeviceTotals): DeviceTotals {
  return { requests: a.requests + b.requests, reads: a.reads + b.reads, writes: a.writes + b.writes, bytes: a.bytes + b.bytes, waitMs: a.waitMs + b.waitMs, serviceMs: a.serviceMs + b.serviceMs, costDollars: a.costDollars + b.costDollars };
}

/** The ClusterSpec part of a spec, without functions or extra fields, for a thread's workerData. */
function plainSpec(spec: ClusterSpec): ClusterSpec {
  const { seed, topology, threads, queueDepthLimit, instanceSelectorType, selector, statsUpdate, statsScope, latencyResolutionMs, selectorParams, queryTimeoutMs, classWorkloads, classes } = spec;
  return {
    seed,
    topology,
    threads,
    queueDepthLimit,
    instanceSelectorType,
    selector,
    statsUpdate,
    statsScope,
    latencyResolutionMs,
    selectorParams,
    queryTimeoutMs,
    ...(classWorkloads === undefined ? {} : { classWorkloads: [...classWorkloads] }),
    classes: classes.map((c) => ({ name: c.name })),
  };
}
