// Budget and consumption over time (seed 004 section 2.6, Figure 7's view): per workload, the CPU its
// servers have charged in the current enforcement window, summed over the servers, against the sum of
// their budgets; with QWI the charge flattens at the budget as excess requests are rejected, without
// it the charge keeps rising with the load. From workloads.arrow; fault windows shaded.

import * as Plot from '@observablehq/plot';
import type { RunResults } from './run-results.js';
import { renderFigure, SERIES_COLORS, type Figure } from './svg-figure.js';

const NS_PER_MS = 1e6;

interface BudgetPoint {
  readonly workload: string;
  readonly tS: number;
  readonly chargedMs: number;
  readonly budgetMs: number | null;
}

/** Per workload and sampling time: the charge and the budget summed over the servers. */
function budgetPoints(run: RunResults): BudgetPoint[] {
  const table = run.workloads!;
  const column = (name: string) => table.getChild(name)!;
  const [tMs, workload, charged, budget] = ['tMs', 'workload', 'chargedCpuNs', 'budgetCpuNs'].map(column);
  const sums = new Map<string, { workload: string; tS: number; chargedNs: number; budgetNs: number; budgeted: boolean }>();
  for (let row = 0; row < table.numRows; row++) {
    const name = String(workload.get(row));
    const t = Number(tMs.get(row));
    const key = `${name}\u0000${t}`;
    const sum = sums.get(key) ?? { workload: name, tS: t / 1000, chargedNs: 0, budgetNs: 0, budgeted: false };
    sum.chargedNs += Number(charged.get(row));
    const hostBudget = Number(budget.get(row));
    if (hostBudget >= 0) {
      sum.budgetNs += hostBudget;
      sum.budgeted = true;
    }
    sums.set(key, sum);
  }
  return [...sums.values()]
    .map((s) => ({ workload: s.workload, tS: s.tS, chargedMs: s.chargedNs / NS_PER_MS, budgetMs: s.budgeted ? s.budgetNs / NS_PER_MS : null }))
    .sort((a, b) => a.tS - b.tS);
}

export function budgetFigure(run: RunResults): Figure {
  if (run.workloads === undefined) throw new Error(`${run.name}: no workloads.arrow (the run had no workload isolation)`);
  const points = budgetPoints(run);
  const workloads = [...new Set(points.map((p) => p.workload))];
  const colors = workloads.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]);
  const budgeted = points.filter((p) => p.budgetMs !== null);
  const shading = run.faults.map((fault) => Plot.rectX([fault], { x1: 'startS', x2: 'endS', fill: '#e15759', fillOpacity: 0.12 }));
  return renderFigure(
    'budget-cpu',
    `CPU charged per window against the budget — ${run.name}`,
    {
      x: { label: 'simulated time (s)', grid: true },
      y: { label: 'CPU in the window, all servers (ms)', grid: true },
      color: { domain: workloads, range: colors },
      marks: [
        ...shading,
        Plot.line(budgeted, { x: 'tS', y: 'budgetMs', stroke: 'workload', z: 'workload', strokeWidth: 1.5, strokeDasharray: '6,4' }),
        Plot.line(points, { x: 'tS', y: 'chargedMs', stroke: 'workload', z: 'workload', strokeWidth: 2 }),
      ],
    },
    [
      ...workloads.map((label, i) => ({ label: `${label}: charged`, color: colors[i], kind: 'line' as const })),
      ...(budgeted.length > 0 ? [{ label: 'dashed: the budget', color: '#555555', kind: 'line' as const }] : []),
      ...(run.faults.length > 0 ? [{ label: 'fault window', color: '#e15759', kind: 'box' as const }] : []),
    ],
  );
}
