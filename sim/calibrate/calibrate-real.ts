// Calibrates the simulator to the real runtime on this machine (issue 11, `twin calibrate`): runs the
// scenario for real without its faults, measures each class's per-segment service time (the compute
// time of every work item, under the run's own concurrency), the request overhead outside the server
// (messages and event loops, broker to server and back) and, as the concurrency effect, how much
// slower an item is in the run than alone; then writes the scenario with a cost model fitted to
// those measurements: per class a lognormal segment cost (median and p99 of the items), and a
// network latency of half the median overhead each way.

import { classQueryStreamName, drawClassQuery } from '../../engine/query/class-query.js';
import { segmentStreamName } from '../../engine/query/segment-generator.js';
import { soloSegmentTimesMs } from '../../engine/real/solo-segment-time.js';
import { SeededRngSource } from '../../engine/wiring/seeded-rng-source.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { runRealScenario, type RealRunOptions } from '../run/run-real-scenario.js';

export interface ClassCalibration {
  readonly name: string;
  readonly items: number;
  readonly segmentMedianMs: number;
  readonly segmentP99Ms: number;
  /** Median of the same query on one segment with nothing else running. */
  readonly soloMedianMs: number;
  /** segmentMedianMs / soloMedianMs: how much the run's concurrency slows an item. */
  readonly concurrencySlowdown: number;
}

export interface Calibration {
  readonly scenario: string;
  readonly rowsPerSegment: number;
  readonly requests: number;
  readonly overheadMedianMs: number;
  readonly overheadP99Ms: number;
  readonly classes: readonly ClassCalibration[];
}

const SOLO_REPETITIONS = 30;

/** Nearest-rank quantile of unsorted values. */
function quantile(values: readonly number[], q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

export async function calibrate(scenario: Scenario, options: RealRunOptions): Promise<Calibration> {
  const items: number[][] = scenario.workload.classes.map(() => []);
  const overheads: number[] = [];
  await runRealScenario(
    { ...scenario, faults: [] },
    {
      ...options,
      onRequestMeasured: (measured) => {
        items[measured.classIndex].push(...measured.itemComputeMs);
        overheads.push(measured.overheadMs);
      },
    },
  );
  if (overheads.length === 0) throw new Error(`scenario "${scenario.name}" answered no request in its calibration run`);
  const rngs = new SeededRngSource(scenario.seed);
  const dataset = { segments: 1, rowsPerSegment: options.rowsPerSegment, vieweeIds: options.vieweeIds };
  const solo = rngs.stream(segmentStreamName(0));
  const classes = scenario.workload.classes.map((c, i): ClassCalibration => {
    const query = drawClassQuery(rngs.stream(classQueryStreamName(c.name)));
    const soloMedianMs = quantile(soloSegmentTimesMs(query, dataset, solo, SOLO_REPETITIONS), 0.5);
    const segmentMedianMs = items[i].length === 0 ? soloMedianMs : quantile(items[i], 0.5);
    return {
      name: c.name,
      items: items[i].length,
      segmentMedianMs,
      segmentP99Ms: items[i].length === 0 ? soloMedianMs : quantile(items[i], 0.99),
      soloMedianMs,
      concurrencySlowdown: segmentMedianMs / soloMedianMs,
    };
  });
  return {
    scenario: scenario.name,
    rowsPerSegment: options.rowsPerSegment,
    requests: overheads.length,
    overheadMedianMs: quantile(overheads, 0.5),
    overheadP99Ms: quantile(overheads, 0.99),
    classes,
  };
}

/** Milliseconds as a scenario duration, to the microsecond. */
const durationText = (ms: number): string => `${Math.max(0.001, Math.round(ms * 1000) / 1000)}ms`;

/** The scenario with its cost model replaced by the calibrated one. */
export function calibratedScenario(scenario: Scenario, calibration: Calibration): Scenario {
  return {
    ...scenario,
    description: `${scenario.description} Calibrated on the real runtime (${calibration.rowsPerSegment} rows per segment).`.trim(),
    cluster: { ...scenario.cluster, network: { ...scenario.cluster.network, latency: durationText(calibration.overheadMedianMs / 2) } },
    workload: {
      ...scenario.workload,
      classes: scenario.workload.classes.map((c, i) => {
        const k = calibration.classes[i];
        // A lognormal needs its p99 above its median.
        const p99Ms = Math.max(k.segmentP99Ms, k.segmentMedianMs * 1.01);
        return { ...c, segmentCost: { distribution: 'lognormal' as const, median: durationText(k.segmentMedianMs), p99: durationText(p99Ms) } };
      }),
    },
  };
}
