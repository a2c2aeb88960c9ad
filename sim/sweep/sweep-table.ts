// The sweep's tables, built from its finished cells in cell order so that the same cells give the
// same bytes whatever ran them (one worker or many, one machine or shards merged):
// - sweep.arrow: one row per cell — cell, point, seed, id, every parameter, every summary figure;
// - sweep-summary.arrow: one row per point — its parameters, the replicates, and per numeric figure
//   `<figure>.mean`, `<figure>.low`, `<figure>.high` (the confidence interval across replicates);
// - sweep-summary.md: the report figures of every point as a Markdown table.

import { Float64, Int32, Table, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { meanInterval } from './confidence.js';
import type { Figure } from './summary-figures.js';
import type { SweepCell, SweepPlan } from './sweep-plan.js';

export interface CellResult {
  readonly cell: SweepCell;
  readonly figures: ReadonlyArray<readonly [string, Figure]>;
}

export interface SweepTables {
  readonly sweepArrow: Uint8Array;
  readonly summaryArrow: Uint8Array;
  readonly summaryMarkdown: string;
}

const FIXED_COLUMNS = ['cell', 'point', 'seed', 'id'];
const INTERVAL_PARTS = ['mean', 'low', 'high'] as const;

/** A column of values as Float64 when every present value is a number, else as text. */
function valueColumn(values: readonly unknown[]): Vector {
  const present = values.filter((value) => value !== null && value !== undefined);
  if (present.every((value) => typeof value === 'number')) {
    return vectorFromArray(values.map((value) => (value === undefined ? null : value)) as (number | null)[], new Float64());
  }
  const text = values.map((value) => (value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value)));
  return vectorFromArray(text, new Utf8());
}

function isNumericColumn(values: readonly unknown[]): boolean {
  return values.every((value) => value === null || value === undefined || typeof value === 'number');
}

/** Figure names in order of first appearance over the cells, and each cell's figures by name. */
function figureColumns(results: readonly CellResult[]): { names: string[]; byCell: Map<string, Figure>[] } {
  const names: string[] = [];
  const known = new Set<string>();
  const byCell = results.map((result) => {
    const figures = new Map<string, Figure>();
    for (const [name, value] of result.figures) {
      if (!known.has(name)) {
        known.add(name);
        names.push(name);
      }
      figures.set(name, value);
    }
    return figures;
  });
  return { names, byCell };
}

function checkDistinct(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new Error(`sweep table column "${name}" would appear twice`);
    seen.add(name);
  }
}

function fitsInt32(values: readonly number[]): boolean {
  return values.every((value) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31);
}

function integerColumn(values: readonly number[]): Vector {
  return vectorFromArray(values, fitsInt32(values) ? new Int32() : new Float64());
}

function formatNumber(value: number | null): string {
  return value === null ? '-' : String(value);
}

function markdownTable(plan: SweepPlan, pointRows: readonly PointRow[], figureNames: ReadonlySet<string>): string {
  const percent = `${Math.round(plan.confidence * 1000) / 10} %`;
  const header = [...plan.parameters, 'replicates', ...plan.report.map((figure) => `${figure} (mean [${percent} CI])`)];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of pointRows) {
    const cells = [
      ...row.values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))),
      String(row.replicates),
      ...plan.report.map((figure) => {
        if (!figureNames.has(figure)) return 'no such figure';
        const interval = row.intervals.get(figure);
        if (interval === undefined || interval.mean === null) return '-';
        if (interval.low === null) return formatNumber(interval.mean);
        return `${formatNumber(interval.mean)} [${formatNumber(interval.low)}, ${formatNumber(interval.high)}]`;
      }),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

interface PointRow {
  readonly point: number;
  readonly values: readonly unknown[];
  readonly replicates: number;
  readonly intervals: Map<string, ReturnType<typeof meanInterval>>;
}

/** The tables of a sweep whose every cell has finished; `results` in cell order. */
export function buildSweepTables(plan: SweepPlan, results: readonly CellResult[]): SweepTables {
  if (results.length !== plan.cells.length || results.some((result, i) => result.cell.index !== i)) {
    throw new Error('the sweep tables need every cell, in cell order');
  }
  const { names, byCell } = figureColumns(results);
  checkDistinct([...FIXED_COLUMNS, ...plan.parameters, ...names]);

  const columns: Record<string, Vector> = {
    cell: integerColumn(results.map((result) => result.cell.index)),
    point: integerColumn(results.map((result) => result.cell.point)),
    seed: integerColumn(results.map((result) => result.cell.seed)),
    id: vectorFromArray(results.map((result) => result.cell.id), new Utf8()),
  };
  plan.parameters.forEach((path, p) => {
    columns[path] = valueColumn(results.map((result) => result.cell.values[p]));
  });
  const figureValues = new Map<string, Figure[]>();
  for (const name of names) {
    const values = byCell.map((figures) => figures.get(name) ?? null);
    figureValues.set(name, values);
    columns[name] = valueColumn(values);
  }
  const sweepArrow = tableToIPC(new Table(columns), 'file');

  const numericFigures = names.filter((name) => isNumericColumn(figureValues.get(name)!));
  const pointRows: PointRow[] = [];
  for (let start = 0; start < results.length; ) {
    const point = results[start].cell.point;
    let end = start;
    while (end < results.length && results[end].cell.point === point) end++;
    const intervals = new Map<string, ReturnType<typeof meanInterval>>();
    for (const name of numericFigures) {
      intervals.set(name, meanInterval(figureValues.get(name)!.slice(start, end) as (number | null)[], plan.confidence));
    }
    pointRows.push({ point, values: results[start].cell.values, replicates: end - start, intervals });
    start = end;
  }
  const summaryNames = ['point', ...plan.parameters, 'replicates', ...numericFigures.flatMap((name) => INTERVAL_PARTS.map((part) => `${name}.${part}`))];
  checkDistinct(summaryNames);
  const summaryColumns: Record<string, Vector> = {
    point: integerColumn(pointRows.map((row) => row.point)),
  };
  plan.parameters.forEach((path, p) => {
    summaryColumns[path] = valueColumn(pointRows.map((row) => row.values[p]));
  });
  summaryColumns.replicates = integerColumn(pointRows.map((row) => row.replicates));
  for (const name of numericFigures) {
    for (const part of INTERVAL_PARTS) {
      summaryColumns[`${name}.${part}`] = vectorFromArray(
        pointRows.map((row) => row.intervals.get(name)![part]),
        new Float64(),
      );
    }
  }
  return {
    sweepArrow,
    summaryArrow: tableToIPC(new Table(summaryColumns), 'file'),
    summaryMarkdown: markdownTable(plan, pointRows, new Set(names)),
  };
}
