// Sweep figures: a summary figure against one parameter, one line (a numeric parameter, or quantities
// of one unit such as cache sizes 1GiB, 2GiB) or one set of
// points (words) per combination of the other parameters, with the confidence band across replicates
// from sweep-summary.arrow (mean, low, high). Two parameters give the usual "p99 against slowdown,
// one line per selector" figure.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Plot from '@observablehq/plot';
import { tableFromIPC } from 'apache-arrow';
import { parseDurationMs, parseSizeBytes } from '../scenario/units.js';
import { PLAN_FILE, TABLE_FILES } from '../sweep/sweep-directory.js';
import type { SweepPlan } from '../sweep/sweep-plan.js';
import { renderFigure, SERIES_COLORS, type Figure } from './svg-figure.js';

export interface SweepSummary {
  readonly plan: SweepPlan;
  readonly rows: ReadonlyArray<Record<string, unknown>>;
  readonly columns: readonly string[];
}

export function isSweepDirectory(dir: string): boolean {
  return existsSync(join(dir, PLAN_FILE));
}

export function readSweepSummary(dir: string): SweepSummary {
  const path = join(dir, TABLE_FILES.summary);
  if (!existsSync(path)) throw new Error(`${dir}: no ${TABLE_FILES.summary} yet (is every cell finished? twin merge ${dir})`);
  const table = tableFromIPC(readFileSync(path));
  const plan = JSON.parse(readFileSync(join(dir, PLAN_FILE), 'utf8')) as SweepPlan;
  return { plan, rows: table.toArray().map((row) => row.toJSON() as Record<string, unknown>), columns: table.schema.fields.map((f) => f.name) };
}

/** Every value read by `read`, or undefined if one does not read. */
function readAll(values: readonly unknown[], read: (text: string) => number): number[] | undefined {
  try {
    const numbers = values.map((value) => read(String(value)));
    return numbers.every(Number.isFinite) ? numbers : undefined;
  } catch {
    return undefined;
  }
}

const GIB = 1024 ** 3;

/**
 * A parameter's values as numbers: plain numbers; quantities that share one unit (`10ms`, `20ms`)
 * in that unit; sizes of mixed units (`256MiB`, `1GiB`) in GiB; durations of mixed units in ms.
 */
function numericAxis(values: readonly unknown[]): { readonly numbers: number[]; readonly unit: string } | undefined {
  if (values.every((value) => typeof value === 'number')) return { numbers: values as number[], unit: '' };
  const quantities = values.map((value) => (typeof value === 'string' ? /^\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z%]+)\s*$/.exec(value) : null));
  if (quantities.some((match) => match === null)) return undefined;
  const units = new Set(quantities.map((match) => match![2]));
  if (units.size === 1) return { numbers: quantities.map((match) => Number(match![1])), unit: [...units][0] };
  const bytes = readAll(values, parseSizeBytes);
  if (bytes !== undefined) return { numbers: bytes.map((b) => b / GIB), unit: 'GiB' };
  const ms = readAll(values, parseDurationMs);
  return ms === undefined ? undefined : { numbers: ms, unit: 'ms' };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface SweepFigureOptions {
  readonly figure: string;
  /** The parameter along the x axis (default: the first numeric parameter, else the first). */
  readonly x?: string;
}

export function sweepFigure(summary: SweepSummary, options: SweepFigureOptions): Figure {
  const { plan, rows } = summary;
  const { figure } = options;
  if (!summary.columns.includes(`${figure}.mean`)) {
    const figures = summary.columns.filter((c) => c.endsWith('.mean')).map((c) => c.slice(0, -'.mean'.length));
    throw new Error(`no numeric summary figure "${figure}" in this sweep; e.g. ${figures.slice(0, 8).join(', ')}`);
  }
  if (plan.parameters.length === 0) throw new Error('this sweep has no parameters to plot against');
  const axisOf = (path: string) => numericAxis(rows.map((row) => row[path]));
  const x = options.x ?? plan.parameters.find((path) => axisOf(path) !== undefined) ?? plan.parameters[0];
  if (!plan.parameters.includes(x)) throw new Error(`"${x}" is not a parameter of this sweep (${plan.parameters.join(', ')})`);
  const axis = axisOf(x);
  const numeric = axis !== undefined;
  const xLabel = axis === undefined || axis.unit === '' ? x : `${x} (${axis.unit})`;
  const others = plan.parameters.filter((path) => path !== x);
  const groupOf = (row: Record<string, unknown>) => (others.length === 0 ? figure : others.map((path) => `${path}=${describe(row[path])}`).join(', '));
  const points = rows
    .map((row, i) => ({ x: axis === undefined ? row[x] : axis.numbers[i], group: groupOf(row), mean: row[`${figure}.mean`], low: row[`${figure}.low`], high: row[`${figure}.high`] }))
    .filter((point) => point.mean !== null);
  const groups = [...new Set(points.map((point) => point.group))];
  const colors = groups.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]);
  const banded = points.filter((point) => point.low !== null && point.high !== null);
  const percent = `${Math.round(plan.confidence * 1000) / 10} %`;
  const marks: Plot.Markish[] = numeric
    ? [
        Plot.areaY(banded, { x: 'x', y1: 'low', y2: 'high', fill: 'group', z: 'group', fillOpacity: 0.18 }),
        Plot.line(points, { x: 'x', y: 'mean', stroke: 'group', z: 'group', strokeWidth: 2, marker: 'dot' }),
      ]
    : [
        Plot.ruleX(banded, { x: 'x', y1: 'low', y2: 'high', stroke: 'group', strokeWidth: 2 }),
        Plot.dot(points, { x: 'x', y: 'mean', fill: 'group', r: 4 }),
      ];
  return renderFigure(
    `sweep-${figure}-vs-${x}`,
    `${figure} against ${x}`,
    {
      x: { label: xLabel, grid: true, ...(numeric ? {} : { type: 'point' as const, padding: 0.5 }) },
      y: { label: figure, grid: true, zero: false },
      color: { domain: groups, range: colors },
      marks,
    },
    [
      ...groups.map((label, i) => ({ label, color: colors[i], kind: 'line' as const })),
      ...(banded.length > 0 ? [{ label: `mean of ${plan.seeds.length} seeds, ${percent} confidence`, color: '#888888', kind: 'box' as const }] : []),
    ],
  );
}
