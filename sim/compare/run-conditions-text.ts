// What `twin compare` says of the conditions of real runs (issue 11: "report the error with its
// cause"): for each run that has a real.json, the machine's cores, its load, the threads the run
// started and the CPU it had, and what the run measured outside and inside its servers; then, in
// words, which of these the simulator does not model and so where an error may come from. A
// simulated run has no conditions: it is shown as "-".

import type { RealRunReport } from '../run/run-real-scenario.js';

const f1 = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');
const f2 = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '-');

/** The conditions table's rows: figure, then one cell per run. */
export function conditionRows(runs: readonly (RealRunReport | null)[]): string[][] {
  const cell = (format: (report: RealRunReport) => string) => runs.map((report) => (report === null ? '-' : format(report)));
  return [
    ['cores', ...cell((r) => String(r.conditions.cores))],
    ['load average start / end', ...cell((r) => `${f1(r.conditions.loadAverageStart)} / ${f1(r.conditions.loadAverageEnd)}`)],
    ['threads of the run', ...cell((r) => String(r.conditions.threads))],
    ['cores used (CPU / wall)', ...cell((r) => f2(r.conditions.coresUsed))],
    ['overhead p50 / p95 / p99 (ms)', ...cell((r) => `${f2(r.measured.overheadMedianMs)} / ${f1(r.measured.overheadP95Ms)} / ${f1(r.measured.overheadP99Ms)}`)],
    ['service p50 / p99 (ms)', ...cell((r) => `${f2(r.measured.serviceMedianMs)} / ${f1(r.measured.serviceP99Ms)}`)],
    ...(runs.find((r) => r !== null)?.measured.classes ?? []).map((k, i) => [
      `item p50 / p99, ${k.name} (ms)`,
      ...cell((r) => `${f2(r.measured.classes[i]?.segmentMedianMs ?? Number.NaN)} / ${f2(r.measured.classes[i]?.segmentP99Ms ?? Number.NaN)}`),
    ]),
  ];
}

/** Overhead tails beyond this many medians are more than a constant network latency. */
const OVERHEAD_TAIL_RATIO = 5;

/** Sentences naming what in a real run's conditions the simulator does not model. */
export function conditionCauses(label: string, report: RealRunReport): string[] {
  const { conditions: c, measured: m } = report;
  const causes: string[] = [];
  const waiting = Math.max(c.threads, c.loadAverageStart, c.loadAverageEnd);
  if (waiting > c.cores) {
    causes.push(
      `${label}: ${c.threads} threads of the run and a load average of ${f1(c.loadAverageStart)} to ${f1(c.loadAverageEnd)} on ${c.cores} cores: ` +
        `threads waited for a core (the run had ${f2(c.coresUsed)} cores' worth of CPU); the simulator gives every thread a core of its own, ` +
        'so waiting for cores shows in the real latencies and not in the simulated ones.',
    );
  }
  if (m.overheadP99Ms > OVERHEAD_TAIL_RATIO * m.overheadMedianMs) {
    causes.push(
      `${label}: the time outside the servers (messages, event loops) has a p99 of ${f1(m.overheadP99Ms)} ms against a median of ${f2(m.overheadMedianMs)} ms; ` +
        'a calibrated simulation draws each request\'s overhead from these very percentiles, but independently per request: ' +
        'waits that hit many requests at once (a stalled event loop, a burst of load) are not in the simulation.',
    );
  }
  for (const restart of report.restarts ?? []) {
    const back = restart.readyMs === null ? 'was not back before the run ended' : `was back ${f1(restart.readyMs - restart.requestedMs)} ms after its restart began`;
    causes.push(
      `${label}: ${restart.server} ${back} (a fresh server thread loads its segment files first); the simulator restarts a server at once, ` +
        'so the real run sends it nothing for that long.',
    );
  }
  const tails = m.classes.filter((k) => k.items > 0 && k.segmentP99Ms > OVERHEAD_TAIL_RATIO * k.segmentMedianMs);
  for (const k of tails) {
    causes.push(
      `${label}: class ${k.name}'s work items took ${f2(k.segmentMedianMs)} ms at the median and ${f1(k.segmentP99Ms)} ms at p99 on the same query and data: ` +
        'the spread is preemption, not work; a calibration fits its lognormal to both, but not when a run was preempted.',
    );
  }
  return causes;
}
