// The standard figures of runs (seed 004's views of a fault): latency CDFs per class and per run;
// each server's request rate over time with the fault windows shaded (seed 004 figures 12-13); p95
// latency over time per class; and any per-server series column over time. Servers a fault hits get
// their own colour and legend entry; the others are drawn thin and grey, so 500 servers stay readable.

import * as Plot from '@observablehq/plot';
import type { RunResults, FaultSpan } from './run-results.js';
import { renderFigure, SERIES_COLORS, type Figure, type LegendItem } from './svg-figure.js';

/** Most points drawn per CDF line: quantiles at even steps are indistinguishable beyond this. */
const CDF_POINTS = 400;
const FAULT_COLORS = ['#e15759', '#9d7bd8', '#f1a340', '#8c8c8c'];
const OTHER_SERVER_COLOR = '#c8c8c8';

function colorOf(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}

/** Each fault (kind and server) shaded in its own colour across the chart's height. */
function faultMarks(faults: readonly FaultSpan[]): { marks: Plot.Markish[]; legend: LegendItem[] } {
  const labels = [...new Set(faults.map((fault) => fault.label))];
  const colorOfLabel = (i: number) => FAULT_COLORS[i % FAULT_COLORS.length];
  return {
    marks: labels.map((label, i) =>
      Plot.rectX(faults.filter((fault) => fault.label === label), { x1: 'startS', x2: 'endS', fill: colorOfLabel(i), fillOpacity: 0.14 }),
    ),
    legend: labels.map((label, i) => ({ label, color: colorOfLabel(i), kind: 'box' as const })),
  };
}

/** Groups row indices by a key, keys in first-seen order. */
function groupRows(count: number, keyOf: (row: number) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let row = 0; row < count; row++) {
    const key = keyOf(row);
    let rows = groups.get(key);
    if (rows === undefined) groups.set(key, (rows = []));
    rows.push(row);
  }
  return groups;
}

export function latencyCdfFigure(runs: readonly RunResults[]): Figure {
  const points: Array<{ series: string; latencyMs: number; fraction: number }> = [];
  const names: string[] = [];
  for (const run of runs) {
    const byClass = groupRows(run.queries.latencyMs.length, (row) => run.queries.className[row]);
    for (const [className, rows] of byClass) {
      const series = runs.length > 1 ? `${run.name} / ${className}` : className;
      names.push(series);
      const sorted = Float64Array.from(rows, (row) => run.queries.latencyMs[row]).sort();
      const steps = Math.min(CDF_POINTS, sorted.length);
      for (let i = 1; i <= steps; i++) {
        const rank = Math.ceil((i / steps) * sorted.length) - 1;
        points.push({ series, latencyMs: Math.max(sorted[rank], 0.1), fraction: (rank + 1) / sorted.length });
      }
    }
  }
  const colors = names.map((_, i) => colorOf(i));
  return renderFigure(
    'latency-cdf',
    'Latency CDF (end - arrival, every outcome)',
    {
      x: { type: 'log', label: 'latency (ms, log scale)', grid: true },
      y: { label: 'fraction of queries', domain: [0, 1], grid: true },
      color: { domain: names, range: colors },
      marks: [Plot.line(points, { x: 'latencyMs', y: 'fraction', stroke: 'series', z: 'series', strokeWidth: 2, curve: 'step-after' })],
    },
    names.map((label, i) => ({ label, color: colors[i], kind: 'line' })),
  );
}

/** One line per server of a series column over time; faulted servers coloured, the others grey. */
function perServerFigure(run: RunResults, name: string, title: string, yLabel: string, value: (row: number) => number): Figure {
  const series = run.series;
  const tMs = series.getChild('tMs')!;
  const serverColumn = series.getChild('server')!;
  const faulted = new Set(run.faults.map((fault) => fault.label.split(' on ').pop()!));
  const points: Array<{ server: string; tS: number; value: number; faulted: boolean }> = [];
  for (let row = 0; row < series.numRows; row++) {
    const server = String(serverColumn.get(row));
    points.push({ server, tS: Number(tMs.get(row)) / 1000, value: value(row), faulted: faulted.has(server) });
  }
  const highlighted = [...faulted].filter((server) => points.some((point) => point.server === server)).sort();
  const others = points.filter((point) => !point.faulted);
  const colors = highlighted.map((_, i) => colorOf(i));
  const { marks: shading, legend: faultLegend } = faultMarks(run.faults);
  const legend: LegendItem[] = [
    ...highlighted.map((label, i) => ({ label, color: colors[i], kind: 'line' as const })),
    ...(others.length > 0 ? [{ label: highlighted.length > 0 ? 'other servers' : 'servers', color: OTHER_SERVER_COLOR, kind: 'line' as const }] : []),
    ...faultLegend,
  ];
  return renderFigure(
    name,
    `${title} — ${run.name}`,
    {
      x: { label: 'simulated time (s)', grid: true },
      y: { label: yLabel, grid: true },
      color: { domain: highlighted, range: colors },
      marks: [
        ...shading,
        Plot.line(others, { x: 'tS', y: 'value', z: 'server', stroke: OTHER_SERVER_COLOR, strokeWidth: 1 }),
        Plot.line(points.filter((point) => point.faulted), { x: 'tS', y: 'value', z: 'server', stroke: 'server', strokeWidth: 2 }),
      ],
    },
    legend,
  );
}

export function serverRateFigure(run: RunResults): Figure {
  const received = run.series.getChild('requestsReceived')!;
  const perSecond = 1000 / run.samplingIntervalMs;
  return perServerFigure(run, 'server-rate', 'Requests received per server', 'requests per second', (row) => Number(received.get(row)) * perSecond);
}

/** Any numeric series column per server over time (queue depth, in-flight, and whatever later columns add). */
export function seriesColumnFigure(run: RunResults, column: string): Figure {
  const vector = run.series.getChild(column);
  if (vector === null) {
    const columns = run.series.schema.fields.map((field) => field.name).filter((name) => name !== 'tMs' && name !== 'server');
    throw new Error(`series.arrow has no column "${column}"; it has ${columns.join(', ')}`);
  }
  return perServerFigure(run, `series-${column}`, `${column} per server`, `${column} (per sampling interval)`, (row) => Number(vector.get(row)));
}

/** p95 latency of the queries arriving in each window, per class. */
export function p95OverTimeFigure(run: RunResults, windowMs = 1000): Figure {
  const { arrivalMs, latencyMs, className } = run.queries;
  const groups = groupRows(latencyMs.length, (row) => `${className[row]}\u0000${Math.floor(arrivalMs[row] / windowMs)}`);
  const points: Array<{ className: string; tS: number; p95Ms: number }> = [];
  for (const [key, rows] of groups) {
    const [name, window] = key.split('\u0000');
    const sorted = Float64Array.from(rows, (row) => latencyMs[row]).sort();
    points.push({ className: name, tS: ((Number(window) + 0.5) * windowMs) / 1000, p95Ms: sorted[Math.ceil(0.95 * sorted.length) - 1] });
  }
  points.sort((a, b) => a.tS - b.tS);
  const classes = [...new Set(className)];
  const colors = classes.map((_, i) => colorOf(i));
  const { marks: shading, legend: faultLegend } = faultMarks(run.faults);
  return renderFigure(
    'p95-over-time',
    `p95 latency per ${windowMs / 1000} s of arrivals — ${run.name}`,
    {
      x: { label: 'simulated time (s)', grid: true },
      y: { type: 'log', label: 'p95 latency (ms, log scale)', grid: true },
      color: { domain: classes, range: colors },
      marks: [...shading, Plot.line(points, { x: 'tS', y: 'p95Ms', stroke: 'className', z: 'className', strokeWidth: 2, marker: 'dot' })],
    },
    [...classes.map((label, i) => ({ label, color: colors[i], kind: 'line' as const })), ...faultLegend],
  );
}
