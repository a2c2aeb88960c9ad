// The run notebook's page script (bundled offline by `twin notebook`, see sim/notebook/): reads one run
// directory's queries and series tables (Arrow or Parquet, tables.ts) and summary.json from the local server and
// draws the standard run figures with Observable Plot: latency CDF per class, latency percentiles over
// time, requests per server over time and each server's share of requests. The classes, servers and
// time window picked in the controls filter every figure; the figures are redrawn on each change.

import * as Plot from '@observablehq/plot';
import { loadTable, tableFormat, type NotebookTable } from './tables.js';

interface QueryRow {
  readonly className: string;
  readonly arrivalMs: number;
  readonly latencyMs: number;
  readonly servers: readonly string[];
}

interface SeriesRow {
  readonly tMs: number;
  readonly server: string;
  readonly requestsReceived: number;
}

interface Run {
  readonly name: string;
  readonly durationMs: number;
  readonly intervalMs: number;
  readonly classes: readonly string[];
  readonly servers: readonly string[];
  readonly queries: readonly QueryRow[];
  readonly series: readonly SeriesRow[];
}

interface Selection {
  readonly classes: ReadonlySet<string>;
  readonly servers: ReadonlySet<string>;
  readonly fromMs: number;
  readonly toMs: number;
}

/** At most this many points per CDF line: enough for a smooth curve, few enough to redraw at once. */
const CDF_POINTS = 400;
/** About this many windows across the selected time for the percentiles over time. */
const PERCENTILE_WINDOWS = 40;
const PERCENTILES = [0.5, 0.95, 0.99] as const;

/** A column's values as numbers, row by row. */
function numbers(table: NotebookTable, name: string): (row: number) => number {
  if (!table.columns.some((column) => column.name === name)) throw new Error(`no column ${name}`);
  return (row) => Number(table.value(name, row));
}

async function loadRun(): Promise<Run> {
  const format = await tableFormat();
  const [queries, series, summaryResponse] = await Promise.all([loadTable('queries', format), loadTable('series', format), fetch('data/summary.json')]);
  if (!summaryResponse.ok) throw new Error(`data/summary.json: HTTP ${summaryResponse.status}`);
  const summary = (await summaryResponse.json()) as { scenario?: string; seed?: number; simulatedMs: number; servers: { server: string }[] };
  // The servers' names in the order the query log's server numbers index them.
  const servers = summary.servers.map((totals) => totals.server);
  const arrival = numbers(queries, 'arrivalMs');
  const latency = numbers(queries, 'latencyMs');
  const queryRows: QueryRow[] = [];
  for (let row = 0; row < queries.numRows; row++) {
    const used = queries.value('servers', row) as readonly unknown[] | null;
    queryRows.push({
      className: String(queries.value('class', row)),
      arrivalMs: arrival(row),
      latencyMs: latency(row),
      servers: used === null ? [] : used.map((index) => servers[Number(index)] ?? `server ${index}`),
    });
  }
  const tMs = numbers(series, 'tMs');
  const received = numbers(series, 'requestsReceived');
  const seriesRows: SeriesRow[] = [];
  for (let row = 0; row < series.numRows; row++) {
    seriesRows.push({ tMs: tMs(row), server: String(series.value('server', row)), requestsReceived: received(row) });
  }
  const times = [...new Set(seriesRows.map((row) => row.tMs))].sort((a, b) => a - b);
  return {
    name: summary.scenario !== undefined ? `${summary.scenario}, seed ${summary.seed}` : 'run',
    durationMs: summary.simulatedMs,
    intervalMs: times.length > 1 ? times[1] - times[0] : summary.simulatedMs,
    classes: [...new Set(queryRows.map((row) => row.className))].sort(),
    servers,
    queries: queryRows,
    series: seriesRows,
  };
}

function checkboxes(fieldsetId: string, names: readonly string[]): void {
  const fieldset = document.getElementById(fieldsetId)!;
  for (const name of names) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.checked = true;
    input.value = name;
    label.append(input, ` ${name}`);
    fieldset.append(label);
  }
}

function checked(fieldsetId: string): Set<string> {
  const inputs = document.querySelectorAll<HTMLInputElement>(`#${fieldsetId} input[type=checkbox]`);
  return new Set([...inputs].filter((input) => input.checked).map((input) => input.value));
}

function readSelection(run: Run): Selection {
  const fromS = Number((document.getElementById('fromS') as HTMLInputElement).value);
  const toS = Number((document.getElementById('toS') as HTMLInputElement).value);
  const fromMs = Number.isFinite(fromS) ? Math.max(0, fromS * 1000) : 0;
  const toMs = Number.isFinite(toS) && toS * 1000 > fromMs ? toS * 1000 : run.durationMs;
  return { classes: checked('classes'), servers: checked('servers'), fromMs, toMs };
}

function selectedQueries(run: Run, selection: Selection): QueryRow[] {
  const everyServer = selection.servers.size === run.servers.length;
  return run.queries.filter(
    (query) =>
      selection.classes.has(query.className) &&
      query.arrivalMs >= selection.fromMs &&
      query.arrivalMs < selection.toMs &&
      (everyServer || query.servers.some((server) => selection.servers.has(server))),
  );
}

function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function cdfFigure(queries: readonly QueryRow[]) {
  const byClass = new Map<string, number[]>();
  for (const query of queries) {
    if (query.latencyMs > 0) byClass.set(query.className, [...(byClass.get(query.className) ?? []), query.latencyMs]);
  }
  const points: { className: string; latencyMs: number; fraction: number }[] = [];
  for (const [className, latencies] of byClass) {
    latencies.sort((a, b) => a - b);
    const step = Math.max(1, Math.floor(latencies.length / CDF_POINTS));
    for (let i = 0; i < latencies.length; i += step) points.push({ className, latencyMs: latencies[i], fraction: (i + 1) / latencies.length });
    points.push({ className, latencyMs: latencies[latencies.length - 1], fraction: 1 });
  }
  return Plot.plot({
    width: 560,
    x: { type: 'log', label: 'latency (ms, log scale)', grid: true },
    y: { label: 'fraction of queries', domain: [0, 1], grid: true },
    color: { legend: true },
    marks: [Plot.line(points, { x: 'latencyMs', y: 'fraction', stroke: 'className' })],
  });
}

function percentilesFigure(queries: readonly QueryRow[], selection: Selection, run: Run) {
  const windowMs = Math.max(run.intervalMs, Math.ceil((selection.toMs - selection.fromMs) / PERCENTILE_WINDOWS / run.intervalMs) * run.intervalMs);
  const windows = new Map<number, number[]>();
  for (const query of queries) {
    const start = selection.fromMs + Math.floor((query.arrivalMs - selection.fromMs) / windowMs) * windowMs;
    windows.set(start, [...(windows.get(start) ?? []), query.latencyMs]);
  }
  const points: { tS: number; percentile: string; latencyMs: number }[] = [];
  for (const [start, latencies] of [...windows].sort((a, b) => a[0] - b[0])) {
    latencies.sort((a, b) => a - b);
    for (const p of PERCENTILES) points.push({ tS: (start + windowMs / 2) / 1000, percentile: `p${p * 100}`, latencyMs: quantile(latencies, p) });
  }
  return Plot.plot({
    width: 560,
    x: { label: `simulated time (s), ${windowMs} ms windows`, domain: [selection.fromMs / 1000, selection.toMs / 1000] },
    y: { label: 'latency (ms)', grid: true, zero: true },
    color: { legend: true },
    marks: [Plot.line(points, { x: 'tS', y: 'latencyMs', stroke: 'percentile', marker: 'dot' })],
  });
}

function selectedSeries(run: Run, selection: Selection): SeriesRow[] {
  // A series row counts the interval ending at tMs.
  return run.series.filter((row) => selection.servers.has(row.server) && row.tMs > selection.fromMs && row.tMs <= selection.toMs);
}

function rateFigure(rows: readonly SeriesRow[], selection: Selection, run: Run) {
  const points = rows.map((row) => ({ tS: row.tMs / 1000, server: row.server, perS: row.requestsReceived / (run.intervalMs / 1000) }));
  return Plot.plot({
    width: 560,
    x: { label: 'simulated time (s)', domain: [selection.fromMs / 1000, selection.toMs / 1000] },
    y: { label: 'requests per second', grid: true, zero: true },
    color: { legend: true },
    marks: [Plot.line(points, { x: 'tS', y: 'perS', stroke: 'server' })],
  });
}

function shareFigure(rows: readonly SeriesRow[]) {
  const perServer = new Map<string, number>();
  for (const row of rows) perServer.set(row.server, (perServer.get(row.server) ?? 0) + row.requestsReceived);
  const total = [...perServer.values()].reduce((sum, count) => sum + count, 0);
  const shares = [...perServer].map(([server, count]) => ({ server, share: total === 0 ? 0 : count / total }));
  return Plot.plot({
    width: 560,
    marginLeft: 100,
    x: { label: 'share of the selected servers’ requests', percent: true, grid: true },
    y: { label: null },
    marks: [Plot.barX(shares, { x: 'share', y: 'server', fill: '#4e79a7' }), Plot.text(shares, { x: 'share', y: 'server', text: (d: { share: number }) => `${(d.share * 100).toFixed(1)} %`, dx: 22 })],
  });
}

function show(figureId: string, chart: Element): void {
  const figure = document.getElementById(figureId)!;
  figure.querySelector('.chart')?.remove();
  chart.classList.add('chart');
  figure.append(chart);
}

function render(run: Run): void {
  const selection = readSelection(run);
  const queries = selectedQueries(run, selection);
  const series = selectedSeries(run, selection);
  show('cdf', cdfFigure(queries));
  show('percentiles', percentilesFigure(queries, selection, run));
  show('rate', rateFigure(series, selection, run));
  show('share', shareFigure(series));
  document.getElementById('status')!.textContent =
    `${queries.length} of ${run.queries.length} queries, ${(selection.fromMs / 1000).toFixed(1)} s to ${(selection.toMs / 1000).toFixed(1)} s`;
  document.body.dataset.rendered = String(Number(document.body.dataset.rendered ?? 0) + 1);
}

async function main(): Promise<void> {
  const run = await loadRun();
  document.getElementById('title')!.textContent = `olap-twin run: ${run.name}`;
  checkboxes('classes', run.classes);
  checkboxes('servers', run.servers);
  (document.getElementById('toS') as HTMLInputElement).value = String(run.durationMs / 1000);
  document.getElementById('controls')!.addEventListener('change', () => render(run));
  render(run);
}

main().catch((error: unknown) => {
  document.getElementById('status')!.textContent = `could not open the run: ${error instanceof Error ? error.message : String(error)}`;
  console.error(error);
});
