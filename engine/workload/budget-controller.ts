// The controller's side of Query Workload Isolation and a host's copy of its budgets (seed 004
// sections 2.2 and 2.5, "robustness under churn"). The controller stores the workload configs (in
// ZooKeeper in Pinot) and pushes each host its share through the host's idempotent
// addOrUpdateWorkload. Hosts cache what they were given, so enforcement goes on while the controller
// is down; a host that restarts forgets its budgets and fetches them again from the controller,
// retrying every `refetchIntervalMs` while the controller is down.

import type { TimerId } from '../ids.js';
import type { Clock } from '../ports.js';
import type { BudgetLedger, WorkloadBudget } from './budget-ledger.js';
import { splitBudget, type BudgetHostInfo, type QueryWorkloadConfig } from './workload-config.js';

export class BudgetController {
  private readonly configs = new Map<string, QueryWorkloadConfig>();
  private readonly hosts = new Map<string, HostBudgets>();
  private up = true;

  get isUp(): boolean {
    return this.up;
  }

  /** The controller stops answering; hosts keep the budgets they hold. */
  goDown(): void {
    this.up = false;
  }

  /** The controller is back and pushes every budget again (idempotent on hosts that kept theirs). */
  comeUp(): void {
    this.up = true;
    this.propagateAll();
  }

  register(host: HostBudgets): void {
    if (this.hosts.has(host.info.name)) throw new Error(`host ${host.info.name} is registered twice`);
    this.hosts.set(host.info.name, host);
    if (this.up) host.apply(this.budgetsFor(host.info.name));
  }

  /** Stores a workload config and, while up, propagates it. */
  putWorkload(config: QueryWorkloadConfig): void {
    this.configs.set(config.name, config);
    if (this.up) this.propagateAll();
  }

  /** A host's shares of every workload, or undefined while the controller is down. */
  fetch(hostName: string): Map<string, WorkloadBudget> | undefined {
    return this.up ? this.budgetsFor(hostName) : undefined;
  }

  private budgetsFor(hostName: string): Map<string, WorkloadBudget> {
    const infos = [...this.hosts.values()].map((host) => host.info);
    const shares = new Map<string, WorkloadBudget>();
    for (const config of this.configs.values()) {
      const share = splitBudget(config, infos).get(hostName);
      if (share !== undefined) shares.set(config.name, share);
    }
    return shares;
  }

  private propagateAll(): void {
    for (const [name, host] of this.hosts) host.apply(this.budgetsFor(name));
  }
}

/** A host's ledger as the controller feeds it. */
export class HostBudgets {
  private retryTimer: TimerId | null = null;
  /** Times the host asked the controller for its budgets after a restart. */
  fetchAttempts = 0;

  constructor(
    readonly info: BudgetHostInfo,
    readonly ledger: BudgetLedger,
    private readonly controller: BudgetController,
    private readonly clock: Clock,
    private readonly refetchIntervalMs: number,
  ) {
    if (!(refetchIntervalMs > 0)) throw new RangeError(`refetchIntervalMs must be > 0, got ${refetchIntervalMs}`);
    controller.register(this);
  }

  /** Budgets from the controller, pushed or fetched: a pending refetch is no longer needed. */
  apply(budgets: ReadonlyMap<string, WorkloadBudget>): void {
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const [workload, budget] of budgets) this.ledger.addOrUpdateWorkload(workload, budget);
  }

  /** The host restarts: its cached budgets are gone until the controller answers. */
  restart(): void {
    this.ledger.clear();
    this.refetch();
  }

  private refetch(): void {
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.fetchAttempts++;
    const budgets = this.controller.fetch(this.info.name);
    if (budgets !== undefined) {
      this.apply(budgets);
      return;
    }
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      this.refetch();
    }, this.refetchIntervalMs);
  }
}
