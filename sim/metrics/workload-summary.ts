// The summary's per-workload figures (issue 8, "Results"): latency percentiles of the workload's
// answered queries (completed or partial: rejected and killed queries end early and would hide the
// latency of those served), outcomes, and, from the servers' ledgers and accountants, the budget
// accuracy (consumption over budget in the windows that ended exhausted: seed 004 section 2.6's
// "accuracy while saturated"), the accounting error (what the sampler charged against what the work
// really used), rejections and kills.

import { OUTCOMES, type QueryOutcome } from '../../engine/outcome.js';
import type { WindowRecord } from '../../engine/workload/budget-ledger.js';
import type { WorkloadCounters } from '../../engine/workload/server-enforcer.js';
import { LatencyHistogram, type LatencyStats, roundFigure } from './latency-stats.js';
import type { QueryLog } from './query-log.js';

export interface WorkloadSummary {
  workload: string;
  latencyMs: LatencyStats;
  outcomes: Record<QueryOutcome, number>;
  /** Server windows that ended with the workload's budget exhausted. */
  saturatedWindows: number;
  /** Mean of charged / budget over those windows, CPU and memory (null: none saturated). */
  cpuBudgetAccuracy: number | null;
  memoryBudgetAccuracy: number | null;
  /** 1 - measured / used over the run, CPU and memory (null: nothing used). */
  cpuAccountingError: number | null;
  memoryAccountingError: number | null;
  serverRejections: number;
  serverKills: number;
}

export interface WorkloadSummaryInput {
  readonly queries: QueryLog;
  /** Workload of each class. */
  readonly classWorkloads: readonly string[];
  /** Per server: the windows its ledger closed. */
  readonly windows: readonly (readonly WindowRecord[])[];
  /** Per server: its counters per workload. */
  readonly counters: readonly ReadonlyMap<string, WorkloadCounters>[];
  /** Per server: what its sampler charged per workload. */
  readonly measured: readonly ReadonlyMap<string, { cpuNs: number; allocatedBytes: number }>[];
}

export function summarizeWorkloads(input: WorkloadSummaryInput): WorkloadSummary[] {
  const names = [...new Set(input.classWorkloads)].sort();
  const index = new Map(names.map((name, i) => [name, i]));
  const classToWorkload = input.classWorkloads.map((w) => index.get(w)!);
  const histograms = names.map(() => new LatencyHistogram());
  const outcomes = names.map(() => new Int32Array(OUTCOMES.length));
  const answered = [OUTCOMES.indexOf('completed'), OUTCOMES.indexOf('partial')];
  for (const chunk of input.queries.chunks()) {
    const { outcome, latencyMs, class: classIndex } = chunk.columns;
    for (let row = 0; row < chunk.rows; row++) {
      const w = classToWorkload[classIndex[row]];
      outcomes[w][outcome[row]]++;
      if (answered.includes(outcome[row])) histograms[w].add(latencyMs[row]);
    }
  }
  return names.map((workload, w) => {
    const saturated = input.windows.flat().filter((r) => r.workload === workload && (r.remainingCpuNs <= 0 || r.remainingBytes <= 0));
    const mean = (values: number[]): number | null => (values.length === 0 ? null : roundFigure(values.reduce((a, b) => a + b, 0) / values.length));
    let usedCpu = 0;
    let usedBytes = 0;
    let measuredCpu = 0;
    let measuredBytes = 0;
    let rejections = 0;
    let kills = 0;
    input.counters.forEach((byWorkload, s) => {
      const counters = byWorkload.get(workload);
      if (counters !== undefined) {
        usedCpu += counters.cpuNs;
        usedBytes += counters.allocatedBytes;
        rejections += counters.rejected;
        kills += counters.killed;
      }
      const measured = input.measured[s].get(workload);
      measuredCpu += measured?.cpuNs ?? 0;
      measuredBytes += measured?.allocatedBytes ?? 0;
    });
    return {
      workload,
      latencyMs: histograms[w].stats(),
      outcomes: Object.fromEntries(OUTCOMES.map((name, code) => [name, outcomes[w][code]])) as Record<QueryOutcome, number>,
      saturatedWindows: saturated.length,
      cpuBudgetAccuracy: mean(saturated.map((r) => r.chargedCpuNs / r.budget.cpuCostNs)),
      memoryBudgetAccuracy: mean(saturated.map((r) => r.chargedBytes / r.budget.memoryCostBytes)),
      cpuAccountingError: usedCpu > 0 ? roundFigure(1 - measuredCpu / usedCpu) : null,
      memoryAccountingError: usedBytes > 0 ? roundFigure(1 - measuredBytes / usedBytes) : null,
      serverRejections: rejections,
      serverKills: kills,
    };
  });
}
