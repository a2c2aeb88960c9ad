// Reads what the run figures need from a run directory's Arrow tables (DESIGN.md, "What a run
// produces"): per query its class, arrival and latency; the per-server series; the per-workload
// budget series and the cluster's availability series when there are; the fault windows, paired from the faultStart and faultEnd events
// of each fault and server.

import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';

export interface FaultSpan {
  readonly label: string;
  readonly startS: number;
  readonly endS: number;
}

export interface RunResults {
  readonly name: string;
  readonly queries: { readonly className: readonly string[]; readonly arrivalMs: Float64Array; readonly latencyMs: Float64Array };
  readonly series: Table;
  /** workloads.arrow, when the run had workload isolation. */
  readonly workloads: Table | undefined;
  /** cluster.arrow, when the run had zone drains, churn, scale events or rebalances. */
  readonly cluster: Table | undefined;
  readonly samplingIntervalMs: number;
  readonly durationMs: number;
  readonly faults: readonly FaultSpan[];
}

function table(dir: string, file: string): Table {
  const path = join(dir, file);
  if (!existsSync(path)) {
    const parquet = join(dir, file.replace(/\.arrow$/, '.parquet'));
    if (existsSync(parquet)) throw new Error(`${dir}: no ${file}, only its Parquet copy: twin plot reads Arrow (run again with --format both, or open it with twin notebook)`);
    throw new Error(`${dir}: no ${file}; is it a run directory?`);
  }
  return tableFromIPC(readFileSync(path));
}

function floats(t: Table, column: string): Float64Array {
  const vector = t.getChild(column);
  if (vector === null) throw new Error(`no column ${column}`);
  return Float64Array.from(vector.toArray() as ArrayLike<number>);
}

function faultSpans(events: Table, durationMs: number): FaultSpan[] {
  const open = new Map<string, { startMs: number; detail: string }>();
  const spans: FaultSpan[] = [];
  for (let row = 0; row < events.numRows; row++) {
    const kind = String(events.getChild('kind')!.get(row));
    if (kind !== 'faultStart' && kind !== 'faultEnd') continue;
    const server = String(events.getChild('server')!.get(row) ?? '');
    const key = `${events.getChild('fault')!.get(row)}/${server}`;
    const tMs = Number(events.getChild('tMs')!.get(row));
    const detail = String(events.getChild('detail')!.get(row) ?? '').split(' ')[0];
    if (kind === 'faultStart') open.set(key, { startMs: tMs, detail });
    else {
      const started = open.get(key);
      if (started !== undefined) spans.push({ label: `${started.detail || 'fault'} on ${server}`, startS: started.startMs / 1000, endS: tMs / 1000 });
      open.delete(key);
    }
  }
  for (const [key, started] of open) {
    spans.push({ label: `${started.detail || 'fault'} on ${key.split('/')[1]}`, startS: started.startMs / 1000, endS: durationMs / 1000 });
  }
  return spans.sort((a, b) => a.startS - b.startS);
}

export function readRunResults(dir: string): RunResults {
  const queries = table(dir, 'queries.arrow');
  const series = table(dir, 'series.arrow');
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
    scenario?: string;
    seed?: number;
    simulatedMs: number;
    adss?: { samplingIntervalMs?: number };
  };
  const classVector = queries.getChild('class')!;
  const className = Array.from({ length: queries.numRows }, (_, row) => String(classVector.get(row)));
  const durationMs = summary.simulatedMs;
  return {
    name: summary.scenario !== undefined ? `${summary.scenario} seed ${summary.seed}` : basename(dir),
    queries: { className, arrivalMs: floats(queries, 'arrivalMs'), latencyMs: floats(queries, 'latencyMs') },
    series,
    workloads: existsSync(join(dir, 'workloads.arrow')) ? table(dir, 'workloads.arrow') : undefined,
    cluster: existsSync(join(dir, 'cluster.arrow')) ? table(dir, 'cluster.arrow') : undefined,
    samplingIntervalMs: summary.adss?.samplingIntervalMs ?? 100,
    durationMs,
    faults: faultSpans(table(dir, 'events.arrow'), durationMs),
  };
}
