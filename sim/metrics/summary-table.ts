// The run summary as text for the terminal (DESIGN.md, "What a run produces"): outcomes, latency by
// class, load by server and the ADSS figures of seed 004 sections 4.3-4.4, in aligned tables. It stays
// readable at any size (issue 5): beyond a dozen servers it shows the spread of the load, then the
// most loaded, the most rejecting and the faulty servers, and counts the others; a long list of
// faults is cut the same way. Everything is in summary.json.

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

/** Servers listed one by one: all of them up to this many, else this many picked out. */
export const MAX_SERVER_ROWS = 12;
/** Of those picked out, at most this many for each reason. */
const PICKED_PER_REASON = 4;
/** Faults listed one by one. */
export const MAX_FAULT_ROWS = 10;

/** The indexes of the `count` servers with the largest `value` (above 0), ties to the lower index. */
function topServers(servers: Summary['servers'], value: (s: Summary['servers'][number]) => number, count: number): number[] {
  return servers
    .map((s, i) => [value(s), i] as const)
    .filter(([v]) => v > 0)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, count)
    .map(([, i]) => i);
}

/** How widely queries were scattered, and what partition pruning spared them, in a line. */
function fanOutLine({ fanOut }: Summary): string {
  const pruned =
    fanOut.queriesPruned === 0 ? '' : `; partition pruning: ${fanOut.queriesPruned} queries pruned, ${fanOut.meanSegmentsPruned} segments pruned per query`;
  return `  servers per query: mean ${fanOut.meanServersPerQuery}, max ${fanOut.maxServersPerQuery}${pruned}`;
}

function serversSection(summary: Summary): string {
  return `${fanOutLine(summary)}\n${serverRows(summary)}`;
}

function serverRows(summary: Summary): string {
  const servers = summary.servers;
  if (servers.length <= MAX_SERVER_ROWS) {
    return table(['server', 'received', 'rejected'], servers.map((s) => [s.server, s.requestsReceived, s.requestsRejected]));
  }
  const reasons = new Map<number, string[]>();
  const pick = (indexes: number[], reason: string) => {
    for (const i of indexes) reasons.set(i, [...(reasons.get(i) ?? []), reason]);
  };
  const faulty = new Set(summary.adss.faults.map((f) => f.server));
  pick(servers.flatMap((s, i) => (faulty.has(s.server) ? [i] : [])).slice(0, PICKED_PER_REASON), 'faulty');
  pick(topServers(servers, (s) => s.requestsRejected, PICKED_PER_REASON), 'most rejecting');
  pick(topServers(servers, (s) => s.requestsReceived, PICKED_PER_REASON), 'most loaded');
  const picked = [...reasons.keys()].sort((a, b) => a - b);
  const received = servers.map((s) => s.requestsReceived).sort((a, b) => a - b);
  const spread =
    `  ${servers.length} servers; requests received per server: min ${received[0]}, ` +
    `median ${received[Math.floor((received.length - 1) / 2)]}, max ${received[received.length - 1]}`;
  const rows = picked.map((i) => [servers[i].server, servers[i].requestsReceived, servers[i].requestsRejected, reasons.get(i)!.join(', ')]);
  const more = `  ... and ${servers.length - picked.length} more servers (every server is in summary.json, "servers")`;
  return [spread, table(['server', 'received', 'rejected', 'listed as'], rows), more].join('\n');
}

function faultsSection(faults: Summary['adss']['faults']): string {
  const rows = faults
    .slice(0, MAX_FAULT_ROWS)
    .map((f) => [String(f.fault), f.kind, f.server, f.startMs, f.endMs, f.diversionMs, f.recoveryMs, f.shareDuringFault]);
  const body = table(['fault', 'kind', 'server', 'start ms', 'end ms', 'diversion ms', 'recovery ms', 'share of fair'], rows);
  if (faults.length <= MAX_FAULT_ROWS) return body;
  return `${body}\n  ... and ${faults.length - MAX_FAULT_ROWS} more faults (every fault is in summary.json, "adss.faults")`;
}

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
    ['Servers', serversSection(summary)],
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
    sections.push(['Faults', faultsSection(adss.faults)]);
  }
  const header = `scenario ${summary.scenario}  seed ${summary.seed}  simulated ${summary.simulatedMs} ms  arrivals ${summary.arrivals}`;
  return `${[header, ...sections.map(([title, body]) => `${title}\n${body}`)].join('\n\n')}\n`;
}
