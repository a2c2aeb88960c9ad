// One row per workload per server per sampling interval (issue 8, "Results"): the workload's budget
// on that host in the current enforcement window, what has been charged and what remains, what the
// sampler measured and what the work really used, and the requests admitted, rejected and killed
// during the interval. Declared once in WORKLOAD_TABLE (see columnar-table.ts).

import { ColumnarTable, integer, stored, type TableDecl, ticksAsMs } from './columnar-table.js';

export interface WorkloadRecord {
  tick: number;
  server: number;
  workload: string;
  /** The host's budget this window; Infinity (written as -1) when the host has none. */
  budgetCpuNs: number;
  budgetBytes: number;
  chargedCpuNs: number;
  chargedBytes: number;
  /** Charged by the accounting sampler during the interval. */
  measuredCpuNs: number;
  measuredBytes: number;
  /** Used by the workload's tasks that ended during the interval (exact). */
  usedCpuNs: number;
  usedBytes: number;
  admitted: number;
  rejected: number;
  killed: number;
}

const orNone = (value: number): number => (Number.isFinite(value) ? value : -1);
const float = <R>(value: (r: R) => number, description: string) => stored('float64', value, { as: 'float64' }, description);

export const WORKLOAD_TABLE = {
  file: 'workloads.arrow',
  columns: {
    tMs: ticksAsMs((w) => w.tick, 'End of the sampling interval, in ms.'),
    server: stored('int32', (w) => w.server, { as: 'dictionary', names: 'servers' }, 'Server name.'),
    workload: { kind: 'interned', value: (w) => w.workload, nullable: false, description: 'Workload name (workloadName).' },
    budgetCpuNs: float((w) => orNone(w.budgetCpuNs), "The host's CPU budget per enforcement window, ns; -1 when it has none."),
    budgetBytes: float((w) => orNone(w.budgetBytes), "The host's memory budget per enforcement window, bytes; -1 when it has none."),
    chargedCpuNs: float((w) => w.chargedCpuNs, 'CPU charged in the current window so far (provisional and measured), ns.'),
    chargedBytes: float((w) => w.chargedBytes, 'Bytes charged in the current window so far.'),
    remainingCpuNs: float((w) => orNone(w.budgetCpuNs - w.chargedCpuNs), 'budgetCpuNs - chargedCpuNs (may be negative); -1 without a budget.'),
    remainingBytes: float((w) => orNone(w.budgetBytes - w.chargedBytes), 'budgetBytes - chargedBytes (may be negative); -1 without a budget.'),
    measuredCpuNs: float((w) => w.measuredCpuNs, 'CPU the accounting sampler charged during the interval, ns.'),
    measuredBytes: float((w) => w.measuredBytes, 'Bytes the accounting sampler charged during the interval.'),
    usedCpuNs: float((w) => w.usedCpuNs, "CPU the workload's tasks that ended during the interval really used, ns (the sampler's ground truth)."),
    usedBytes: float((w) => w.usedBytes, "Bytes the workload's tasks that ended during the interval really allocated."),
    admitted: integer('uint32', (w) => w.admitted, 'Requests admitted during the interval.'),
    rejected: integer('uint32', (w) => w.rejected, 'Requests rejected for the budget during the interval.'),
    killed: integer('uint32', (w) => w.killed, "Tasks of the workload killed on the server during the interval."),
  },
} as const satisfies TableDecl<WorkloadRecord>;

export class WorkloadLog {
  readonly table = new ColumnarTable<WorkloadRecord>(WORKLOAD_TABLE);

  add(record: WorkloadRecord): void {
    this.table.add(record);
  }

  get length(): number {
    return this.table.length;
  }
}
