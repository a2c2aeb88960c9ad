// Serving replicas and data missing over time (issue 10 "Figures"; issue 7 "Results"): from
// cluster.arrow, which runs with zone drains, churn, scale events or rebalances write. The first
// figure is the fewest serving replicas of any segment per sampling interval (0 means some segment had
// no serving replica: queries needing it miss data); the second, the share of the queries ending in
// each interval that missed at least one segment. Fault windows shaded, as in the other run figures.

import * as Plot from '@observablehq/plot';
import type { Table } from 'apache-arrow';
import type { RunResults } from './run-results.js';
import { renderFigure, SERIES_COLORS, type Figure } from './svg-figure.js';

interface ClusterPoint {
  readonly tS: number;
  readonly minServingReplicas: number;
  readonly missingPercent: number | null;
}

function clusterPoints(cluster: Table): ClusterPoint[] {
  const column = (name: string) => cluster.getChild(name)!;
  const [tMs, minServing, ended, missing] = ['tMs', 'minServingReplicas', 'queriesEnded', 'queriesMissingData'].map(column);
  const points: ClusterPoint[] = [];
  for (let row = 0; row < cluster.numRows; row++) {
    const endedCount = Number(ended.get(row));
    points.push({
      tS: Number(tMs.get(row)) / 1000,
      minServingReplicas: Number(minServing.get(row)),
      missingPercent: endedCount > 0 ? (100 * Number(missing.get(row))) / endedCount : null,
    });
  }
  return points;
}

function clusterTable(run: RunResults): Table {
  if (run.cluster === undefined) throw new Error(`${run.name}: no cluster.arrow (the run had no zone drain, churn, scale event or rebalance)`);
  return run.cluster;
}

/** One shaded band per fault window: a zone fault reports a window for each of its servers, drawn once. */
function faultShading(run: RunResults): Plot.Markish[] {
  const windows = new Map(run.faults.map((fault) => [`${fault.startS}-${fault.endS}`, fault]));
  return [...windows.values()].map((fault) => Plot.rectX([fault], { x1: 'startS', x2: 'endS', fill: '#e15759', fillOpacity: 0.12 }));
}

function faultLegend(run: RunResults) {
  return run.faults.length > 0 ? [{ label: 'fault window', color: '#e15759', kind: 'box' as const }] : [];
}

/** The fewest serving replicas of any segment over time: a drop to 0 is data missing. */
export function servingReplicasFigure(run: RunResults): Figure {
  const points = clusterPoints(clusterTable(run));
  const mostReplicas = Math.max(1, ...points.map((p) => p.minServingReplicas));
  return renderFigure(
    'serving-replicas',
    `Fewest serving replicas of any segment — ${run.name}`,
    {
      x: { label: 'simulated time (s)', grid: true },
      y: { label: 'serving replicas (fewest of any segment)', grid: true, domain: [0, mostReplicas], ticks: mostReplicas, tickFormat: 'd' },
      marks: [
        ...faultShading(run),
        Plot.line(points, { x: 'tS', y: 'minServingReplicas', stroke: SERIES_COLORS[0], strokeWidth: 2, curve: 'step-after' }),
      ],
    },
    [{ label: 'fewest serving replicas', color: SERIES_COLORS[0], kind: 'line' }, ...faultLegend(run)],
  );
}

/** The share of the queries ending in each interval that missed data (intervals with none ending are gaps). */
export function dataMissingFigure(run: RunResults): Figure {
  const points = clusterPoints(clusterTable(run)).filter((p) => p.missingPercent !== null);
  return renderFigure(
    'data-missing',
    `Queries with data missing — ${run.name}`,
    {
      x: { label: 'simulated time (s)', grid: true },
      y: { label: 'queries ending with data missing (%)', grid: true, domain: [0, 100] },
      marks: [...faultShading(run), Plot.line(points, { x: 'tS', y: 'missingPercent', stroke: SERIES_COLORS[1], strokeWidth: 2 })],
    },
    [{ label: 'queries with data missing', color: SERIES_COLORS[1], kind: 'line' }, ...faultLegend(run)],
  );
}
