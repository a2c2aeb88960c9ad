// A workload's figures on one server as workloads.arrow records them (seed 004 sections 2.3-2.5):
// the budget window's state now, and what was measured, used, admitted, rejected and killed since the
// server started. Both runtimes take these totals from the server's enforcer at each sample and
// record the part of each interval: the simulator in its sampler, the real runtime from the samples
// its server threads send.

import type { ServerEnforcer } from './server-enforcer.js';

export interface WorkloadTotals {
  readonly workload: string;
  /** This window's budget and what has been charged in it (Infinity: no budget here). */
  readonly budgetCpuNs: number;
  readonly budgetBytes: number;
  readonly chargedCpuNs: number;
  readonly chargedBytes: number;
  /** Charged by the accounting sampler, and used by ended tasks, since the server started. */
  readonly measuredCpuNs: number;
  readonly measuredBytes: number;
  readonly usedCpuNs: number;
  readonly usedBytes: number;
  readonly admitted: number;
  readonly rejected: number;
  readonly killed: number;
}

/** The figures that accumulate (the rest describe the budget window as it is). */
const CUMULATIVE = ['measuredCpuNs', 'measuredBytes', 'usedCpuNs', 'usedBytes', 'admitted', 'rejected', 'killed'] as const;

/** Every workload the enforcer has seen or holds a budget for, in name order. */
export function workloadTotals(enforcer: ServerEnforcer): WorkloadTotals[] {
  const names = [...new Set([...enforcer.counters.keys(), ...enforcer.ledger.workloads()])].sort();
  return names.map((workload) => {
    const counters = enforcer.countersOf(workload);
    const measured = enforcer.accountant.measuredByWorkload.get(workload) ?? { cpuNs: 0, allocatedBytes: 0 };
    const account = enforcer.ledger.account(workload);
    return {
      workload,
      budgetCpuNs: account?.budget.cpuCostNs ?? Infinity,
      budgetBytes: account?.budget.memoryCostBytes ?? Infinity,
      chargedCpuNs: account?.chargedCpuNs ?? 0,
      chargedBytes: account?.chargedBytes ?? 0,
      measuredCpuNs: measured.cpuNs,
      measuredBytes: measured.allocatedBytes,
      usedCpuNs: counters.cpuNs,
      usedBytes: counters.allocatedBytes,
      admitted: counters.admitted,
      rejected: counters.rejected,
      killed: counters.killed,
    };
  });
}

/**
 * The part of an interval: cumulative figures less those at the interval's start (`before`; none: the
 * first sample). A total below its start belongs to a restarted server, which counts from 0 again.
 */
export function intervalTotals(now: WorkloadTotals, before: WorkloadTotals | undefined): WorkloadTotals {
  const since = (figure: (typeof CUMULATIVE)[number]): number => {
    const start = before?.[figure] ?? 0;
    return now[figure] >= start ? now[figure] - start : now[figure];
  };
  return {
    ...now,
    measuredCpuNs: since('measuredCpuNs'),
    measuredBytes: since('measuredBytes'),
    usedCpuNs: since('usedCpuNs'),
    usedBytes: since('usedBytes'),
    admitted: since('admitted'),
    rejected: since('rejected'),
    killed: since('killed'),
  };
}

/** Whether any cumulative figure moved between two samples. */
export function totalsMoved(now: WorkloadTotals, before: WorkloadTotals | undefined): boolean {
  return CUMULATIVE.some((figure) => now[figure] !== (before?.[figure] ?? 0));
}
