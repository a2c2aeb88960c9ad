// The run summary as text for the terminal (DESIGN.md, "What a run produces"): outcomes, latency by
// class, load by server and the ADSS figures of seed 004 sections 4.3-4.4, in aligned tables.

import type { LatencyStats } from './latency-stats.js';
import { OUTCOMES } from './query-log.js';
import type { Summary } from './summary.js';

type Cell = string | number | null;

const text = (cell: Cell): string => (cell === null ? '-' : String(cell));

/** Rows under a header; the first column is left-aligned, the others right-aligned. */
function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = [header, ...rows.map((row) => row.map(text))];
  const widths = header.map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  return cells
    .map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    .map((line) => `  ${line.trimEnd()}`)
    .join('\n');
}

const latencyRow = (name: string, s: LatencyStats): Cell[] => [name, s.count, s.mean, s.p50, s.p95, s.p99, s.p999, s.max];

export function formatSummaryTable(summary: Summary): string {
  const { adss } = summary;
  const sections: [string, string][] = [
    ['Outcomes', table(['', ...OUTCOMES], [['queries', ...OUTCOMES.map((name) => summary.outcomes[name])]])],
    [
      'Latency (ms, end - arrival, every outcome)',
      table(
        ['class', 'count', 'mean', 'p50', 'p95', 'p99', 'p99.9', 'max'],
        [
          latencyRow('all', summary.latencyMs.all),
          ...summary.latencyMs.byClass.map((s) => latencyRow(s.class, s)),
        ],
      ),
    ],
    [
      'Servers',
      table(
        ['server', 'received', 'rejected'],
        summary.servers.map((s) => [s.server, s.requestsReceived, s.requestsRejected]),
      ),
    ],
    [
      'Adaptive Server Selection',
      table(
        ['figure', 'value'],
        [
          ['queries arriving during faults', adss.queriesDuringFaults],
          [`degraded fraction (not completed, or > ${adss.degradedLatencyFactor}x baseline P90)`, adss.degradedFraction],
          ['fault-exposed fraction', adss.faultExposedFraction],
          ['diversion of the first fault (ms)', adss.diversionMs],
          ['recovery of the first fault (ms)', adss.recoveryMs],
          ['oscillation (mean CV over time, healthy servers)', adss.oscillation],
          ['imbalance (mean CV across healthy servers)', adss.imbalance],
          ['p99 during faults (ms)', adss.tailLatencyDuringFaultMs],
          ['p99 outside faults (ms)', adss.tailLatencyOutsideFaultMs],
        ],
      ),
    ],
    [
      'Baselines',
      table(
        ['class', 'p90 (ms)', 'basis', 'queries'],
        adss.baselines.map((b) => [b.class, b.baselineP90Ms, b.basis, b.queries]),
      ),
    ],
  ];
  if (adss.faults.length > 0) {
    sections.push([
      'Faults',
      table(
        ['fault', 'kind', 'server', 'start ms', 'end ms', 'diversion ms', 'recovery ms', 'share of fair'],
        adss.faults.map((f) => [String(f.fault), f.kind, f.server, f.startMs, f.endMs, f.diversionMs, f.recoveryMs, f.shareDuringFault]),
      ),
    ]);
  }
  const header = `scenario ${summary.scenario}  seed ${summary.seed}  simulated ${summary.simulatedMs} ms  arrivals ${summary.arrivals}`;
  return `${[header, ...sections.map(([title, body]) => `${title}\n${body}`)].join('\n\n')}\n`;
}
