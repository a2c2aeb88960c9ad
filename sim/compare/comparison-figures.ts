// The figures of `twin compare A B` (issue 11: "as a table and a figure"): both runs' latency CDFs per
// class in one chart (the plot module's own CDF figure, given the two runs), and the relative error
// (A - B) / B of A's latency against B's at every percentile from p1 to p99.9, one line per class,
// with the targets (15 % up to p95, 25 % at p99) drawn as bands, so where the two
// distributions part shows at a glance rather than at three quantiles only.

import { basename } from 'node:path';
import * as Plot from '@observablehq/plot';
import { latencyCdfFigure } from '../plot/run-figures.js';
import type { RunResults } from '../plot/run-results.js';
import { renderFigure, SERIES_COLORS, type Figure } from '../plot/svg-figure.js';
import type { RunData } from './run-comparison.js';
import { nearestRank } from './run-comparison.js';

/** Percentiles the error figure evaluates: every whole one, then the tail in tenths. */
export const ERROR_PERCENTILES: readonly number[] = [
  ...Array.from({ length: 98 }, (_, i) => i + 1),
  ...Array.from({ length: 10 }, (_, i) => 99 + i / 10),
];

export interface PercentileError {
  readonly className: string;
  readonly percentile: number;
  readonly aMs: number;
  readonly bMs: number;
  /** (A - B) / B; Infinity where B is 0 and A is not. */
  readonly error: number;
}

/** A's error against B at each of ERROR_PERCENTILES, per class both runs have. */
export function percentileErrors(a: RunData, b: RunData): PercentileError[] {
  const errors: PercentileError[] = [];
  for (const [className, x] of a.latencyMsByClass) {
    const y = b.latencyMsByClass.get(className);
    if (y === undefined || x.length === 0 || y.length === 0) continue;
    for (const percentile of ERROR_PERCENTILES) {
      const [aMs, bMs] = [nearestRank(x, percentile / 100), nearestRank(y, percentile / 100)];
      errors.push({ className, percentile, aMs, bMs, error: bMs === 0 ? (aMs === 0 ? 0 : Infinity) : (aMs - bMs) / bMs });
    }
  }
  return errors;
}

/** Errors beyond this are drawn at it: one huge tail error must not flatten the rest of the chart. */
const ERROR_CLIP = 2;

export function percentileErrorFigure(a: RunData, b: RunData): Figure {
  const errors = percentileErrors(a, b).filter((e) => Number.isFinite(e.error));
  const classes = [...new Set(errors.map((e) => e.className))];
  const colors = classes.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]);
  const points = errors.map((e) => ({ ...e, errorPercent: 100 * Math.max(-ERROR_CLIP, Math.min(ERROR_CLIP, e.error)) }));
  const targets = [
    { from: 0, to: 95, limit: 15 },
    { from: 95, to: 99.9, limit: 25 },
  ];
  return renderFigure(
    'percentile-error',
    `Latency error (A - B) / B per percentile — A ${a.dir}, B ${b.dir}`,
    {
      x: { label: 'percentile', domain: [0, 100], grid: true },
      y: { label: `error (%; clipped at ±${ERROR_CLIP * 100} %)`, grid: true },
      color: { domain: classes, range: colors },
      marks: [
        Plot.rect(targets, { x1: 'from', x2: 'to', y1: (t: { limit: number }) => -t.limit, y2: 'limit', fill: '#59a14f', fillOpacity: 0.15 }),
        Plot.ruleY([0]),
        Plot.line(points, { x: 'percentile', y: 'errorPercent', stroke: 'className', z: 'className', strokeWidth: 2 }),
      ],
    },
    [
      ...classes.map((label, i) => ({ label, color: colors[i], kind: 'line' as const })),
      { label: 'target: ±15 % to p95, ±25 % beyond', color: '#59a14f', kind: 'box' as const },
    ],
  );
}

/** Every figure of a comparison: the two runs' latency CDFs, and the per-percentile error. */
export function comparisonFigures(a: RunData, b: RunData, results: readonly [RunResults, RunResults]): Figure[] {
  // Both runs are usually of one scenario and seed: their folders tell them apart.
  const named = results.map((run, i) => ({ ...run, name: `${i === 0 ? 'A' : 'B'}: ${basename([a, b][i].dir.replace(/\/+$/, ''))}` }));
  return [latencyCdfFigure(named), percentileErrorFigure(a, b)];
}
