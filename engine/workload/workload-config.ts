// Query workload configurations and how the controller turns them into per-host budgets (seed 004
// section 2.4, Figures 4-5; PINOT-REFERENCE.md "Workload budgets"). A workload's budget is logical:
// CPU ns and allocated bytes per enforcement window, separately for broker and server nodes. The
// controller propagates it per table (to the hosts serving any of the workload's tables) or per
// tenant (to every host of the tenant), splitting each node type's cost evenly across the hosts it
// reaches.

import type { WorkloadBudget } from './budget-ledger.js';

export type NodeType = 'broker' | 'server';

export type Propagation =
  | { readonly scheme: 'table'; readonly tables: readonly string[] }
  | { readonly scheme: 'tenant'; readonly tenant: string };

export interface QueryWorkloadConfig {
  /** Pinot's `workloadName` query option. */
  readonly name: string;
  /** Logical budget per window for each node type; a type left out is not limited. */
  readonly budgets: Partial<Readonly<Record<NodeType, WorkloadBudget>>>;
  readonly propagation: Propagation;
}

/** A host as the controller sees it. */
export interface BudgetHostInfo {
  readonly name: string;
  readonly nodeType: NodeType;
  readonly tenant: string;
  /** Tables the host serves (brokers: the tables they route). */
  readonly tables: readonly string[];
}

/** Whether the workload's propagation reaches this host. */
export function reaches(config: QueryWorkloadConfig, host: BudgetHostInfo): boolean {
  const propagation = config.propagation;
  if (propagation.scheme === 'tenant') return host.tenant === propagation.tenant;
  return host.tables.some((table) => propagation.tables.includes(table));
}

/**
 * Each reached host's share of the workload's budget: the node type's logical cost divided evenly by
 * the number of hosts of that type it reaches.
 */
export function splitBudget(config: QueryWorkloadConfig, hosts: readonly BudgetHostInfo[]): Map<string, WorkloadBudget> {
  const shares = new Map<string, WorkloadBudget>();
  for (const nodeType of ['broker', 'server'] as const) {
    const budget = config.budgets[nodeType];
    if (budget === undefined) continue;
    const reached = hosts.filter((host) => host.nodeType === nodeType && reaches(config, host));
    for (const host of reached) {
      shares.set(host.name, {
        cpuCostNs: budget.cpuCostNs / reached.length,
        memoryCostBytes: budget.memoryCostBytes / reached.length,
      });
    }
  }
  return shares;
}
