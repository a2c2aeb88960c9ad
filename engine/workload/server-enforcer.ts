// Query Workload Isolation on one server (seed 004 sections 2.3-2.5): the BudgetEnforcer and the
// Resource Accountant of a host, wired to its ledger and its query killer.
// - Admission: a provisional charge against the workload's budget (provisional-charges.ts); an
//   exhausted workload's request is rejected at once, not queued.
// - In execution: the accountant's sampler charges the measured deltas, less what the request's
//   provisional charge already covers; when a charge leaves the workload's use at its budget, the
//   enforcer reports it (once per window) and, with cancelOnExhaustion, kills the workload's queries
//   running here. A request that ends gives back what it did not use of its provisional charge.
// - Query killing: the heap watcher (heap level, CPU-time limit) reads the accountant's per-query
//   usage and kills through the server.
// Counters per workload (admitted, rejected, killed: every kill on this server, the heap's OutOfMemoryError
// included) are cumulative; the simulator's sampler takes
// differences.

import type { QueryId } from '../ids.js';
import type { QueryRequest } from '../messages.js';
import type { Clock, EngineEvents, EventHost, ServerTask, WorkUsage } from '../ports.js';
import type { AdmissionGuard, ServerActor } from '../server/server.js';
import type { BudgetLedger } from './budget-ledger.js';
import { HeapWatcher, type HeapGauge, type KillLimits } from './query-killer.js';
import { ProvisionalCharges, type ProvisionalChargeMode } from './provisional-charges.js';
import { ResourceAccountant, type AccountingMode } from './resource-accountant.js';

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
  /** How a request is charged at admission (none: admission only tests that budget remains). */
  readonly provisionalCharge: ProvisionalChargeMode;
  readonly cancelOnExhaustion: boolean;
  readonly samplingPeriodMs: number;
  /** lastSample: what a task did after the last sample that saw it is lost; taskEnd: charged as it ends. */
  readonly accounting: AccountingMode;
}

export interface KillingConfig {
  readonly limits: KillLimits;
  readonly watcherPeriodMs: number;
  readonly alarmingSpeedup: number;
  readonly heap: HeapGauge;
}

export class ServerEnforcer implements AdmissionGuard {
  readonly accountant: ResourceAccountant;
  readonly provisional: ProvisionalCharges;
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
    const provisional = new ProvisionalCharges(ledger, config.provisionalCharge);
    this.provisional = provisional;
    this.accountant = new ResourceAccountant({
      clock,
      threads: server.threadContexts(),
      samplingPeriodMs: config.samplingPeriodMs,
      workloadOf: (task) => server.workloadOf(task.classIndex),
      charge: (workload, cpuNs, bytes) => this.chargeMeasured(workload, cpuNs, bytes),
      cover: (queryId, cpuNs, bytes, uncovered) => provisional.cover(queryId, cpuNs, bytes, uncovered),
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
    if (this.config.enforce && !this.provisional.admit(request.queryId, workload)) {
      counters.rejected++;
      return `budget exhausted on this host`;
    }
    counters.admitted++;
    return null;
  }

  onTaskEnded(task: ServerTask, usage: WorkUsage): void {
    const workload = this.server.workloadOf(task.classIndex);
    const counters = this.countersOf(workload);
    counters.cpuNs += usage.cpuNs;
    counters.allocatedBytes += usage.allocatedBytes;
    if (this.config.accounting === 'taskEnd') this.accountant.chargeEnded(task, usage);
    this.provisional.end(task.queryId, workload, this.accountant.measuredOf(task.queryId));
    this.accountant.forget(task.queryId);
  }

  onTaskKilled(task: ServerTask): void {
    this.countersOf(this.server.workloadOf(task.classIndex)).killed++;
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
    this.server.kill(queryId, reason);
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
