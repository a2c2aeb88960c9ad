// Wires Query Workload Isolation and the JVM heap into a simulated run (issue 8): a controller that
// propagates the workload budgets to a ledger per server and per broker, an enforcer (admission,
// accounting sampler, heap watcher) per server, a guard (budget, QPS cap) per broker, a heap per
// server; and samples them every interval into workloads.arrow and heap.arrow.

import type { BrokerActor, BrokerGuard, QueryArrival } from '../../engine/broker/broker.js';
import type { Topology } from '../../engine/cluster/topology.js';
import { asServer } from '../../engine/ids.js';
import type { Clock, EngineEvents, EventHost } from '../../engine/ports.js';
import type { ServerActor } from '../../engine/server/server.js';
import { BudgetController, HostBudgets } from '../../engine/workload/budget-controller.js';
import { BudgetLedger, type WindowRecord } from '../../engine/workload/budget-ledger.js';
import type { HeapGauge } from '../../engine/workload/query-killer.js';
import { ServerEnforcer, type EnforcerConfig } from '../../engine/workload/server-enforcer.js';
import type { BudgetHostInfo } from '../../engine/workload/workload-config.js';
import { TokenBucket } from '../../engine/workload/token-bucket.js';
import { TokenBucketGate } from '../../engine/workload/token-bucket-gate.js';
import type { SimulatedExecutor } from '../executor/simulated-executor.js';
import { injectControllerOutage } from '../faults/controller-outage.js';
import type { FaultSpec } from '../faults/fault-injector.js';
import { JvmHeap } from '../heap/jvm-heap.js';
import type { EventLog } from '../metrics/event-log.js';
import type { HeapLog } from '../metrics/heap-log.js';
import type { WorkloadLog } from '../metrics/workload-log.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { IsolationSpec } from './isolation-spec.js';
import { intervalTotals, totalsMoved, workloadTotals, type WorkloadTotals } from '../../engine/workload/workload-totals.js';

/** A host refetches its budgets this often while the controller is down. */
const REFETCH_INTERVAL_MS = 1000;
const TENANT = 'DefaultTenant';
const NO_HEAP: HeapGauge = { usedBytes: () => 0, maxBytes: () => 1, collections: () => 0 };

export interface IsolationWorld {
  readonly controller: BudgetController;
  readonly enforcers: readonly ServerEnforcer[];
  /** Per server, its copy of the budgets as the controller feeds it. */
  readonly serverBudgets: readonly HostBudgets[];
  readonly heaps: readonly (JvmHeap | null)[];
  /** Per server: the windows its ledger closed, with what was charged in them. */
  readonly closedWindows: readonly WindowRecord[][];
  /** Samples every host into the logs (the end of an interval). */
  sample(tick: number): void;
  /** Whether a workload counter moved since the last sample (work that ended, or was killed, in the drain). */
  unsampled(): boolean;
}

export interface IsolationDeps {
  readonly spec: IsolationSpec;
  /** The scenario's faults: the isolation wiring drives the controller outages among them. */
  readonly faults: readonly FaultSpec[];
  /** For each of `faults`, its index in the scenario's faults (what events name it by). */
  readonly faultIndexes: readonly number[];
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly topology: Topology;
  readonly servers: readonly ServerActor[];
  readonly executors: readonly SimulatedExecutor[];
  readonly brokers: readonly BrokerActor[];
  readonly engineEvents: EngineEvents;
  readonly eventLog: EventLog;
  readonly workloadLog: WorkloadLog;
  readonly heapLog: HeapLog;
}

/** Server `s` as the budget controller sees it: in the default tenant, serving every table of the run. */
export function serverHostInfo(spec: IsolationSpec, topology: Topology, s: number): BudgetHostInfo {
  return { name: topology.serverName(asServer(s)), nodeType: 'server', tenant: TENANT, tables: [...new Set(spec.classes.map((c) => c.table))] };
}

/** How every server's enforcer admits, charges and cancels. */
export function enforcerConfig(spec: IsolationSpec): EnforcerConfig {
  return {
    provisionalCharge: spec.provisionalCharge,
    accounting: spec.accounting,
    enforce: spec.enforceBudgets,
    cancelOnExhaustion: spec.cancelOnExhaustion,
    samplingPeriodMs: spec.samplingPeriodMs,
  };
}

export function wireIsolation(deps: IsolationDeps): IsolationWorld {
  const { spec, clock, topology } = deps;
  const controller = new BudgetController();
  const tables = [...new Set(spec.classes.map((c) => c.table))];
  const closedWindows: WindowRecord[][] = deps.servers.map(() => []);
  const ledger = (closed?: WindowRecord[]): BudgetLedger => new BudgetLedger(clock, spec.windowMs, closed === undefined ? undefined : (record) => closed.push(record));

  const heaps = deps.executors.map((executor, s) => {
    if (spec.heap === null) return null;
    const heap = new JvmHeap(
      spec.heapByServer.get(topology.serverName(asServer(s))) ?? spec.heap,
      clock,
      executor,
      (collection) =>
        deps.eventLog.add({
          tick: deps.scheduler.now,
          kind: 'gcPause',
          server: s,
          queryId: -1,
          fault: -1,
          detail: `${collection.kind} collection, ${collection.pauseMs.toFixed(1)} ms`,
        }),
      (queryId, reason) => deps.servers[s].kill(queryId, reason),
    );
    heap.start();
    return heap;
  });

  const serverBudgets: HostBudgets[] = [];
  const enforcers = deps.servers.map((server, s) => {
    const budgets = new HostBudgets(
      serverHostInfo(spec, topology, s),
      ledger(closedWindows[s]),
      controller,
      clock,
      REFETCH_INTERVAL_MS,
    );
    serverBudgets.push(budgets);
    const killing = spec.killing;
    const enforcer = new ServerEnforcer(
      server,
      clock,
      budgets.ledger,
      enforcerConfig(spec),
      deps.engineEvents,
      killing.rules === null && killing.cpuTimeLimitNs === Infinity
        ? null
        : {
            limits: { rules: killing.rules, cpuTimeLimitNs: killing.cpuTimeLimitNs },
            watcherPeriodMs: killing.watcherPeriodMs,
            alarmingSpeedup: killing.alarmingSpeedup,
            heap: heaps[s] ?? NO_HEAP,
          },
    );
    if (spec.tokenBuckets.size === 0) server.attachGuard(enforcer);
    else {
      const buckets = new Map([...spec.tokenBuckets].map(([workload, b]) => [workload, new TokenBucket(clock, b.capacityMs, b.refillMsPerSecond)]));
      const gate = new TokenBucketGate(deps.executors[s], clock, buckets, (task) => server.workloadOf(task.classIndex));
      server.attachExecutor(gate);
      server.attachGuard({
        admit: (request) => enforcer.admit(request),
        onTaskKilled: (task) => enforcer.onTaskKilled(task),
        onTaskEnded: (task, usage) => {
          enforcer.onTaskEnded(task, usage);
          gate.onTaskEnded(task, usage);
        },
      });
    }
    enforcer.start();
    return enforcer;
  });

  deps.brokers.forEach((broker, b) => {
    const budgets = new HostBudgets({ name: topology.brokerName(b), nodeType: 'broker', tenant: TENANT, tables }, ledger(), controller, clock, REFETCH_INTERVAL_MS);
    const caps = new Map([...spec.qpsCaps].map(([workload, qps]) => [workload, new TokenBucket(clock, qps, qps)]));
    broker.attachGuard(brokerGuard(spec, budgets.ledger, caps, deps.engineEvents, { role: 'broker', broker: broker.index }));
  });
  for (const workload of spec.workloads) controller.putWorkload(workload);
  deps.faults.forEach((fault, i) => {
    if (fault.kind === 'controllerOutage') injectControllerOutage(fault, deps.faultIndexes[i], { clock, controller, serverBudgets, events: deps.eventLog });
  });

  const last = new Map<string, WorkloadTotals>();
  const lastHeap = heaps.map(() => ({ minor: 0, major: 0, pauseMs: 0 }));
  return {
    controller,
    enforcers,
    serverBudgets,
    heaps,
    closedWindows,
    unsampled() {
      return enforcers.some((enforcer, s) => workloadTotals(enforcer).some((totals) => totalsMoved(totals, last.get(`${s}/${totals.workload}`))));
    },
    sample(tick) {
      enforcers.forEach((enforcer, s) => {
        for (const totals of workloadTotals(enforcer)) {
          const key = `${s}/${totals.workload}`;
          deps.workloadLog.add({ tick, server: s, ...intervalTotals(totals, last.get(key)) });
          last.set(key, totals);
        }
      });
      heaps.forEach((heap, s) => {
        if (heap === null) return;
        const before = lastHeap[s];
        deps.heapLog.add({
          tick,
          server: s,
          usedBytes: heap.usedBytes(),
          youngBytes: heap.youngBytes,
          oldBytes: heap.oldBytes,
          minorCollections: heap.minorCount - before.minor,
          majorCollections: heap.majorCount - before.major,
          pauseMs: heap.pauseMsTotal - before.pauseMs,
        });
        lastHeap[s] = { minor: heap.minorCount, major: heap.majorCount, pauseMs: heap.pauseMsTotal };
      });
    },
  };
}

/** A broker's admission: the workload's QPS cap, then its broker budget; finished queries are charged. */
function brokerGuard(spec: IsolationSpec, ledger: BudgetLedger, caps: ReadonlyMap<string, TokenBucket>, events: EngineEvents, host: EventHost): BrokerGuard {
  const workloadOf = (classIndex: number): string => spec.classes[classIndex].workload;
  const reported = new Map<string, number>();
  return {
    workloadOf,
    admit(arrival: QueryArrival): string | null {
      const workload = workloadOf(arrival.classIndex);
      const cap = caps.get(workload);
      if (cap !== undefined && !cap.tryTake(1)) return `QPS cap of ${cap.refillPerSecond}/s reached`;
      if (spec.enforceBudgets && !ledger.tryCharge(workload, 0, 0)) return 'broker budget exhausted';
      return null;
    },
    onQueryFinished(query) {
      const workload = workloadOf(query.classIndex);
      if (!ledger.charge(workload, query.usage.cpuNs, query.usage.allocatedBytes)) return;
      const window = ledger.currentWindow();
      if (reported.get(workload) === window) return;
      reported.set(workload, window);
      events.report({ kind: 'budgetExhausted', host, workload, reason: `broker budget exhausted in window ${window}` });
    },
  };
}
