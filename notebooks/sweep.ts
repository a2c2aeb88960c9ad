// The sweep notebook's page script (bundled offline by `twin notebook`, see sim/notebook/): reads one
// sweep directory's sweep table (sweep.arrow or sweep.parquet, see tables.ts; one row per cell) and
// plan.json (the parameters, the confidence level) from the local server and draws, for every point of the design left by the filters, the mean of the
// chosen figure across the point's replicate seeds with its confidence interval (the sweep's own rule,
// sim/sweep/confidence.ts), against the chosen x parameter, coloured by another parameter.

import * as Plot from '@observablehq/plot';
import { meanInterval } from '../sim/sweep/confidence.js';
import { loadTable, tableFormat } from './tables.js';

type Value = string | number | null;

interface Sweep {
  readonly name: string;
  readonly confidence: number;
  readonly parameters: readonly string[];
  /** Numeric figure columns (summary figures), in table order. */
  readonly figures: readonly string[];
  readonly report: readonly string[];
  /** One per cell: its point, its parameter values and its figures. */
  readonly cells: readonly { readonly point: number; readonly values: ReadonlyMap<string, Value>; readonly figures: ReadonlyMap<string, number | null> }[];
}

interface PointMark {
  readonly x: Value;
  readonly colour: string;
  readonly series: string;
  readonly mean: number;
  readonly low: number | null;
  readonly high: number | null;
  readonly n: number;
}

const FIXED_COLUMNS = new Set(['cell', 'point', 'seed', 'id']);
const NONE = '';

async function loadSweep(): Promise<Sweep> {
  const [table, planResponse] = await Promise.all([tableFormat().then((format) => loadTable('sweep', format)), fetch('data/plan.json')]);
  if (!planResponse.ok) throw new Error(`data/plan.json: HTTP ${planResponse.status}`);
  const plan = (await planResponse.json()) as { name: string; confidence: number; parameters: string[]; report: string[] };
  const names = table.columns.map((column) => column.name);
  const parameters = plan.parameters.filter((name) => names.includes(name));
  const figures = table.columns.filter((column) => !FIXED_COLUMNS.has(column.name) && !parameters.includes(column.name) && column.float).map((column) => column.name);
  const cells = [];
  for (let row = 0; row < table.numRows; row++) {
    const values = new Map<string, Value>();
    for (const name of parameters) {
      const value = table.value(name, row);
      values.set(name, value === null || typeof value === 'number' ? value : String(value));
    }
    const figureValues = new Map<string, number | null>();
    for (const name of figures) {
      const value = table.value(name, row);
      figureValues.set(name, value === null ? null : Number(value));
    }
    cells.push({ point: Number(table.value('point', row)), values, figures: figureValues });
  }
  return { name: plan.name, confidence: plan.confidence, parameters, figures, report: plan.report, cells };
}

function options(selectId: string, names: readonly string[], chosen: string, none?: string): void {
  const select = document.getElementById(selectId) as HTMLSelectElement;
  const all = none === undefined ? names : [NONE, ...names];
  for (const name of all) select.append(new Option(name === NONE ? none! : name, name, false, name === chosen));
}

function selected(selectId: string): string {
  return (document.getElementById(selectId) as HTMLSelectElement).value;
}

function label(value: Value): string {
  return value === null ? '-' : String(value);
}

/** One fieldset of check boxes per parameter, holding its distinct values. */
function filterBoxes(sweep: Sweep): void {
  const filters = document.getElementById('filters')!;
  for (const [index, name] of sweep.parameters.entries()) {
    const fieldset = document.createElement('fieldset');
    fieldset.dataset.parameter = name;
    fieldset.id = `filter-${index}`;
    const legend = document.createElement('legend');
    legend.textContent = name;
    fieldset.append(legend);
    for (const value of new Set(sweep.cells.map((cell) => label(cell.values.get(name) ?? null)))) {
      const box = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = true;
      input.value = value;
      box.append(input, ` ${value}`);
      fieldset.append(box);
    }
    filters.append(fieldset);
  }
}

/** Each parameter's checked values; the x parameter's fieldset is hidden and not applied. */
function filterValues(sweep: Sweep, x: string): Map<string, Set<string>> {
  const kept = new Map<string, Set<string>>();
  for (const fieldset of document.querySelectorAll<HTMLFieldSetElement>('#filters fieldset')) {
    const name = fieldset.dataset.parameter!;
    fieldset.hidden = name === x;
    const inputs = [...fieldset.querySelectorAll<HTMLInputElement>('input')];
    if (name !== x && sweep.parameters.includes(name)) kept.set(name, new Set(inputs.filter((input) => input.checked).map((input) => input.value)));
  }
  return kept;
}

function pointMarks(sweep: Sweep, x: string, y: string, colour: string): PointMark[] {
  const kept = filterValues(sweep, x);
  const byPoint = new Map<number, { values: ReadonlyMap<string, Value>; ys: (number | null)[] }>();
  for (const cell of sweep.cells) {
    if ([...kept].some(([name, values]) => !values.has(label(cell.values.get(name) ?? null)))) continue;
    const entry = byPoint.get(cell.point) ?? { values: cell.values, ys: [] };
    entry.ys.push(cell.figures.get(y) ?? null);
    byPoint.set(cell.point, entry);
  }
  const marks: PointMark[] = [];
  for (const { values, ys } of byPoint.values()) {
    const interval = meanInterval(ys, sweep.confidence);
    if (interval.mean === null) continue;
    const others = sweep.parameters.filter((name) => name !== x);
    marks.push({
      x: values.get(x) ?? null,
      colour: colour === NONE ? 'all' : label(values.get(colour) ?? null),
      series: others.map((name) => `${name}=${label(values.get(name) ?? null)}`).join(', '),
      mean: interval.mean,
      low: interval.low,
      high: interval.high,
      n: interval.n,
    });
  }
  return marks;
}

function figure(sweep: Sweep, marks: readonly PointMark[], x: string, y: string, colour: string) {
  const numericX = marks.every((mark) => typeof mark.x === 'number');
  const sorted = [...marks].sort((a, b) => (numericX ? (a.x as number) - (b.x as number) : 0));
  const intervals = sorted.filter((mark) => mark.low !== null);
  const percent = `${Math.round(sweep.confidence * 1000) / 10} %`;
  return Plot.plot({
    width: 720,
    height: 420,
    marginLeft: 70,
    x: { label: x, type: numericX ? 'linear' : 'point', grid: true },
    y: { label: `${y} (mean, ${percent} CI across seeds)`, grid: true },
    color: { type: 'ordinal', legend: colour !== NONE, label: colour },
    marks: [
      Plot.line(sorted, { x: 'x', y: 'mean', z: 'series', stroke: 'colour' }),
      Plot.ruleX(intervals, { x: 'x', y1: 'low', y2: 'high', stroke: 'colour', strokeWidth: 2 }),
      Plot.dot(sorted, { x: 'x', y: 'mean', fill: 'colour', r: 3, title: (d: PointMark) => `${d.series}\nmean ${d.mean} [${d.low ?? '-'}, ${d.high ?? '-'}], n=${d.n}` }),
    ],
  });
}

function render(sweep: Sweep): void {
  const x = selected('x');
  const y = selected('y');
  const colour = selected('color') === x ? NONE : selected('color');
  const marks = pointMarks(sweep, x, y, colour);
  const holder = document.getElementById('figure')!;
  holder.querySelector('.chart')?.remove();
  const chart = figure(sweep, marks, x, y, colour);
  chart.classList.add('chart');
  holder.append(chart);
  document.getElementById('caption')!.textContent = `${y} against ${x}${colour === NONE ? '' : `, by ${colour}`}`;
  document.getElementById('status')!.textContent = `${marks.length} points of ${new Set(sweep.cells.map((cell) => cell.point)).size}, ${sweep.cells.length} cells`;
  document.body.dataset.rendered = String(Number(document.body.dataset.rendered ?? 0) + 1);
}

async function main(): Promise<void> {
  const sweep = await loadSweep();
  if (sweep.parameters.length === 0 || sweep.figures.length === 0) throw new Error('the sweep has no parameter or no numeric figure to draw');
  document.getElementById('title')!.textContent = `olap-twin sweep: ${sweep.name}`;
  const x = sweep.parameters[0];
  options('x', sweep.parameters, x);
  options('y', sweep.figures, sweep.report.find((name) => sweep.figures.includes(name)) ?? sweep.figures[0]);
  options('color', sweep.parameters, sweep.parameters[1] ?? NONE, '(none)');
  filterBoxes(sweep);
  document.getElementById('controls')!.addEventListener('change', () => render(sweep));
  render(sweep);
}

main().catch((error: unknown) => {
  document.getElementById('status')!.textContent = `could not open the sweep: ${error instanceof Error ? error.message : String(error)}`;
  console.error(error);
});
