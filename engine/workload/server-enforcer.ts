// Query Workload Isolation on one server (seed 004 sections 2.3-2.5): the BudgetEnforcer and the
// Resource Accountant of a host, wired to its ledger and its query killer.
// - Admission: a provisional charge against the workload's budget (`tryCharge`); an exhausted
//   workload's request is rejected at once, not queued.
// - In execution: the accountant's sampler charges the measured deltas; when a charge leaves the
//   workload exhausted, the enforcer reports it (once per window) and, with cancelOnExhaustion, kills
//   the workload's queries running here.
// - Query killing: the heap watcher (heap level, CPU-time limit) reads the accountant's per-query
//   usage and kills through the server.
// Counters per workload (admitted, rejected, killed) are cumulative; the simulator's sampler takes
// differences.

import type { QueryId } from '../ids.js';
import type { QueryRequest } from '../messages.js';
import type { Clock, EngineEvents, EventHost, ServerTask, WorkUsage } from '../ports.js';
import type { AdmissionGuard, ServerActor } from '../server/server.js';
import type { BudgetLedger } from './budget-ledger.js';
import { HeapWatcher, type HeapGauge, type KillLimits } from './query-killer.js';
import { ResourceAccountant } from './resource-accountant.js';

export interface WorkloadCounters {
  admitted: number;
  rejected: number;
  killed: number;
  /** What the workload's tasks used here, exactly (the ground truth the sampler approximates). */
  cpuNs: number;
  allocatedBytes: number;
}

export interface EnforcerConfig {
  /** false: budgets are measured and charged but never reject or cancel (the run without QWI). */
  readonly enforce: boolean;
  /** Charged at admission, per request (0: admission only tests that budget remains). */
  readonly provisionalCpuNs: number;
  readonly provisionalBytes: number;
  readonly cancelOnExhaustion: boolean;
  readonly samplingPeriodMs: number;
}

export interface KillingConfig {
  readonly limits: KillLimits;
  readonly watcherPeriodMs: number;
  readonly alarmingSpeedup: number;
  readonly heap: HeapGauge;
}

export class ServerEnforcer implements AdmissionGuard {
  readonly accountant: ResourceAccountant;
  readonly counters = new Map<string, WorkloadCounters>();
  private readonly watcher: HeapWatcher | null;
  private readonly host: EventHost;
  /** The window in which each workload's exhaustion was last reported. */
  private readonly reportedWindow = new Map<string, number>();

  constructor(
    private readonly server: ServerActor,
    clock: Clock,
    readonly ledger: BudgetLedger,
    private readonly config: EnforcerConfig,
    private readonly events: EngineEvents,
    killing: KillingConfig | null,
  ) {
    this.host = { role: 'server', server: server.index };
    this.accountant = new ResourceAccountant({
      clock,
      threads: server.threadContexts(),
      samplingPeriodMs: config.samplingPeriodMs,
      workloadOf: (task) => server.workloadOf(task.classIndex),
      charge: (workload, cpuNs, bytes) => this.chargeMeasured(workload, cpuNs, bytes),
    });
    this.watcher =
      killing === null
        ? null
        : new HeapWatcher({
            clock,
            heap: killing.heap,
            limits: killing.limits,
            periodMs: killing.watcherPeriodMs,
            alarmingSpeedup: killing.alarmingSpeedup,
            runningQueries: () => this.accountant.runningQueries(),
            kill: (decision) => this.kill(decision.queryId, decision.reason),
          });
  }

  start(): void {
    this.accountant.start();
    this.watcher?.start();
  }

  admit(request: QueryRequest): string | null {
    const workload = this.server.workloadOf(request.classIndex);
    const counters = this.countersOf(workload);
    if (this.config.enforce && !this.ledger.tryCharge(workload, this.config.provisionalCpuNs, this.config.provisionalBytes)) {
      counters.rejected++;
      return `budget exhausted on this host`;
    }
    counters.admitted++;
    return null;
  }

  onTaskEnded(task: ServerTask, usage: WorkUsage): void {
    const counters = this.countersOf(this.server.workloadOf(task.classIndex));
    counters.cpuNs += usage.cpuNs;
    counters.allocatedBytes += usage.allocatedBytes;
    this.accountant.forget(task.queryId);
  }

  countersOf(workload: string): WorkloadCounters {
    let counters = this.counters.get(workload);
    if (counters === undefined) {
      counters = { admitted: 0, rejected: 0, killed: 0, cpuNs: 0, allocatedBytes: 0 };
      this.counters.set(workload, counters);
    }
    return counters;
  }

  private kill(queryId: QueryId, reason: string): void {
    const workload = this.accountant.workloadOfQuery(queryId);
    if (this.server.kill(queryId, reason) && workload !== undefined) this.countersOf(workload).killed++;
  }

  private chargeMeasured(workload: string, cpuNs: number, bytes: number): void {
    if (!this.ledger.charge(workload, cpuNs, bytes)) return;
    const window = this.ledger.currentWindow();
    if (this.reportedWindow.get(workload) !== window) {
      this.reportedWindow.set(workload, window);
      const account = this.ledger.account(workload)!;
      const resource = account.remainingCpuNs <= 0 ? 'CPU' : 'memory';
      this.events.report({ kind: 'budgetExhausted', host: this.host, workload, reason: `${resource} budget exhausted in window ${window}` });
    }
    if (!this.config.enforce || !this.config.cancelOnExhaustion) return;
    for (const queryId of this.accountant.queriesOf(workload)) this.kill(queryId, `workload ${workload} budget exhausted`);
  }
}
