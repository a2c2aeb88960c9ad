// Compares two runs of one scenario, usually the simulator's prediction against a real run (DESIGN.md:
// "the twin is only as good as the distance between the two, measured"): latency quantiles per class
// with their relative error, the Kolmogorov-Smirnov distance between the latency distributions, each
// server's share of requests over time, the ADSS diversion and recovery times, and outcome counts;
// for a real run, the machine's conditions and what in them the simulator does not model (the
// likely causes of an error). Reads only the results files a run writes, so any two results
// directories compare.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { ksCriticalValue, ksStatistic } from '../executor/ks-test.js';
import { OUTCOMES } from '../metrics/query-log.js';
import { REAL_REPORT_FILE, type RealRunReport } from '../run/run-real-scenario.js';
import { conditionCauses, conditionRows } from './run-conditions-text.js';

/** What a comparison reads of one run. */
export interface RunData {
  readonly dir: string;
  readonly scenario: string;
  readonly arrivals: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /** Class -> latencies in ms of its queries, every outcome, sorted. */
  readonly latencyMsByClass: ReadonlyMap<string, Float64Array>;
  readonly diversionMs: number | null;
  readonly recoveryMs: number | null;
  readonly shareWindowMs: number;
  /** Server -> requests received per share window (window w covers [w, w + 1) windows). */
  readonly requestsByWindow: ReadonlyMap<string, number[]>;
  /** A real run's conditions and measurements (real.json); null for a simulated run. */
  readonly real: RealRunReport | null;
}

export const COMPARED_QUANTILES = [0.5, 0.95, 0.99] as const;

export interface ClassComparison {
  readonly name: string;
  readonly count: readonly [number, number];
  /** Per COMPARED_QUANTILES: [a, b, (a - b) / b]. */
  readonly quantiles: readonly (readonly [number, number, number])[];
  readonly ks: number;
  /** The KS distance two samples of these sizes exceed with probability 0.05 if drawn alike. */
  readonly ksCritical: number;
}

export interface ServerShareComparison {
  readonly server: string;
  readonly share: readonly [number, number];
  /** The largest difference of the two runs' shares in one window. */
  readonly maxWindowDifference: number;
}

export interface RunComparison {
  readonly a: RunData;
  readonly b: RunData;
  readonly classes: readonly ClassComparison[];
  readonly outcomes: readonly (readonly [string, number, number])[];
  readonly servers: readonly ServerShareComparison[];
}

export function readRun(dir: string): RunData {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const queries = tableFromIPC(readFileSync(join(dir, 'queries.arrow')));
  const byClass = new Map<string, number[]>();
  const classes = queries.getChild('class')!;
  const latencies = queries.getChild('latencyMs')!;
  for (let r = 0; r < queries.numRows; r++) {
    const name = String(classes.get(r));
    const list = byClass.get(name) ?? [];
    list.push(Number(latencies.get(r)));
    byClass.set(name, list);
  }
  const shareWindowMs: number = summary.adss.shareWindowMs;
  const series = tableFromIPC(readFileSync(join(dir, 'series.arrow')));
  const servers = series.getChild('server')!;
  const times = series.getChild('tMs')!;
  const received = series.getChild('requestsReceived')!;
  const requestsByWindow = new Map<string, number[]>();
  for (let r = 0; r < series.numRows; r++) {
    const server = String(servers.get(r));
    const windows = requestsByWindow.get(server) ?? [];
    // A sample counts the interval that ends at its time: it belongs to the window holding that interval.
    const window = Math.max(0, Math.ceil(Number(times.get(r)) / shareWindowMs) - 1);
    while (windows.length <= window) windows.push(0);
    windows[window] += Number(received.get(r));
    requestsByWindow.set(server, windows);
  }
  return {
    dir,
    scenario: summary.scenario,
    arrivals: summary.arrivals,
    outcomes: summary.outcomes,
    latencyMsByClass: new Map([...byClass].map(([name, list]) => [name, Float64Array.from(list).sort()])),
    diversionMs: summary.adss.diversionMs,
    recoveryMs: summary.adss.recoveryMs,
    shareWindowMs,
    requestsByWindow,
    real: existsSync(join(dir, REAL_REPORT_FILE)) ? (JSON.parse(readFileSync(join(dir, REAL_REPORT_FILE), 'utf8')) as RealRunReport) : null,
  };
}

export function compareRuns(a: RunData, b: RunData): RunComparison {
  const classNames = [...new Set([...a.latencyMsByClass.keys(), ...b.latencyMsByClass.keys()])];
  const classes = classNames.flatMap((name): ClassComparison[] => {
    const x = a.latencyMsByClass.get(name);
    const y = b.latencyMsByClass.get(name);
    if (x === undefined || y === undefined || x.length === 0 || y.length === 0) return [];
    return [
      {
        name,
        count: [x.length, y.length],
        quantiles: COMPARED_QUANTILES.map((q) => {
          const [u, v] = [nearestRank(x, q), nearestRank(y, q)];
          return [u, v, v === 0 ? (u === 0 ? 0 : Infinity) : (u - v) / v] as const;
        }),
        ks: ksStatistic([...x], [...y]),
        ksCritical: ksCriticalValue(x.length, y.length, 0.05),
      },
    ];
  });
  return {
    a,
    b,
    classes,
    outcomes: OUTCOMES.map((outcome) => [outcome, a.outcomes[outcome] ?? 0, b.outcomes[outcome] ?? 0] as const),
    servers: compareShares(a, b),
  };
}

/** Nearest-rank quantile, as the run summaries compute theirs: a latency some query really had. */
export function nearestRank(sorted: Float64Array, q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

function compareShares(a: RunData, b: RunData): ServerShareComparison[] {
  const servers = [...new Set([...a.requestsByWindow.keys(), ...b.requestsByWindow.keys()])];
  const windows = Math.max(...[a, b].flatMap((run) => [...run.requestsByWindow.values()].map((w) => w.length)), 0);
  const totals = (run: RunData, window: number) => servers.reduce((sum, s) => sum + (run.requestsByWindow.get(s)?.[window] ?? 0), 0);
  const overall = (run: RunData) => servers.reduce((sum, s) => sum + (run.requestsByWindow.get(s) ?? []).reduce((x, y) => x + y, 0), 0);
  const [allA, allB] = [overall(a), overall(b)];
  return servers.map((server) => {
    const count = (run: RunData) => (run.requestsByWindow.get(server) ?? []).reduce((x, y) => x + y, 0);
    let maxWindowDifference = 0;
    for (let w = 0; w < windows; w++) {
      const [ta, tb] = [totals(a, w), totals(b, w)];
      if (ta === 0 || tb === 0) continue;
      const shareA = (a.requestsByWindow.get(server)?.[w] ?? 0) / ta;
      const shareB = (b.requestsByWindow.get(server)?.[w] ?? 0) / tb;
      maxWindowDifference = Math.max(maxWindowDifference, Math.abs(shareA - shareB));
    }
    return { server, share: [allA === 0 ? 0 : count(a) / allA, allB === 0 ? 0 : count(b) / allB], maxWindowDifference };
  });
}

const ms = (value: number | null) => (value === null ? '-' : value.toFixed(1));
const percent = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%` : '-');

/** The comparison as the tables `twin compare` prints. */
export function formatComparison(c: RunComparison): string {
  const lines: string[] = [];
  lines.push(`A: ${c.a.dir} (${c.a.scenario}, ${c.a.arrivals} arrivals)`);
  lines.push(`B: ${c.b.dir} (${c.b.scenario}, ${c.b.arrivals} arrivals)`);
  lines.push('', 'Latency (ms) per class; error = (A - B) / B; KS distance with its 5 % critical value');
  lines.push(table([
    ['class', 'n A', 'n B', ...COMPARED_QUANTILES.flatMap((q) => [`p${q * 100} A`, `p${q * 100} B`, 'error']), 'KS', 'KS 5%'],
    ...c.classes.map((k) => [
      k.name,
      String(k.count[0]),
      String(k.count[1]),
      ...k.quantiles.flatMap(([u, v, e]) => [ms(u), ms(v), percent(e)]),
      k.ks.toFixed(3),
      k.ksCritical.toFixed(3),
    ]),
  ]));
  lines.push('', 'Outcomes');
  lines.push(table([['outcome', 'A', 'B'], ...c.outcomes.map(([name, x, y]) => [name, String(x), String(y)])]));
  lines.push('', 'Adaptive Server Selection (first fault)');
  lines.push(table([
    ['figure', 'A', 'B', 'difference'],
    ['diversion (ms)', ms(c.a.diversionMs), ms(c.b.diversionMs), difference(c.a.diversionMs, c.b.diversionMs)],
    ['recovery (ms)', ms(c.a.recoveryMs), ms(c.b.recoveryMs), difference(c.a.recoveryMs, c.b.recoveryMs)],
  ]));
  lines.push('', `Request share per server (windows of ${c.a.shareWindowMs} ms)`);
  lines.push(table([
    ['server', 'share A', 'share B', 'max window difference'],
    ...c.servers.map((s) => [s.server, s.share[0].toFixed(3), s.share[1].toFixed(3), s.maxWindowDifference.toFixed(3)]),
  ]));
  if (c.a.real !== null || c.b.real !== null) {
    lines.push('', 'Conditions of the real runs (real.json)');
    lines.push(table([['figure', 'A', 'B'], ...conditionRows([c.a.real, c.b.real])]));
    const causes = [...(c.a.real === null ? [] : conditionCauses('A', c.a.real)), ...(c.b.real === null ? [] : conditionCauses('B', c.b.real))];
    lines.push('', 'What the simulator does not model in them (likely causes of an error)');
    lines.push(...(causes.length === 0 ? ['  nothing found: no thread waited for a core, no overhead or item tail beyond 5 medians'] : causes.map((cause) => `  - ${cause}`)));
  }
  return lines.join('\n');
}

function difference(a: number | null, b: number | null): string {
  return a === null || b === null ? '-' : (a - b).toFixed(1);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`).join('\n');
}
