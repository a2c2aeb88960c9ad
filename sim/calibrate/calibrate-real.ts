// Calibrates the simulator to the real runtime on this machine (issue 11, `twin calibrate`): from the
// measurements of a real run (real.json: each class's per-segment times under the run's own
// concurrency, the request overhead outside the server, and the machine's conditions), either a run
// made for it (the scenario without its faults) or, with --from, the very real run the simulation
// is to be compared with, so that both model what that run had. It states the concurrency effect as
// how much slower an item computed in the run than alone, and writes the scenario with a cost model
// fitted to the measurements, each part of a request's time counted once:
// - per class the segment cost, the items' span on the server thread (its percentiles p0 to p100, an
//   empirical distribution): the time an item holds its thread, compute plus its hand-over to the pool thread and back and the
//   merge of its partial result into the request's (Pinot's combine operator merges each segment's
//   result on the worker thread that computed it, so this is what Pinot's segment work includes);
// - the wait for a thread is the simulator's own queue, not fitted;
// - the requests' measured time outside the server threads (messages, serialising, event loops and
//   the broker's merge) as the simulator's request overhead (cluster.network.requestOverhead: its
//   percentiles p0 to p100) in place of a constant network latency, with the window over which the
//   run's overheads were correlated (waits that hit every request in flight at once).
// A report from before spans were recorded fits a lognormal to the compute times; one from before
// percentiles were recorded gives the overhead as a constant, its median.

import { classQueryStreamName, drawClassQuery } from '../../engine/query/class-query.js';
import { segmentStreamName } from '../../engine/query/segment-generator.js';
import type { RunConditions } from '../../engine/real/run-conditions.js';
import { soloSegmentTimesMs } from '../../engine/real/solo-segment-time.js';
import { SeededRngSource } from '../../engine/wiring/seeded-rng-source.js';
import type { LoadedScenario } from '../scenario/load-scenario.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { runRealScenario, type RealRunOptions, type RealRunReport } from '../run/run-real-scenario.js';
import { quantileOf, type ClassMeasurement, type RealMeasurements } from './real-measurements.js';

export interface ClassCalibration extends ClassMeasurement {
  /** Median of the same query on one segment with nothing else of the run going on. */
  readonly soloMedianMs: number;
  /** segmentMedianMs / soloMedianMs: how much the run's concurrency slowed an item. */
  readonly concurrencySlowdown: number;
}

export interface Calibration extends Omit<RealMeasurements, 'classes'> {
  readonly scenario: string;
  /** Where the measurements come from: a calibration run, or the real run directory named. */
  readonly source: string;
  readonly conditions: RunConditions;
  readonly classes: readonly ClassCalibration[];
}

const SOLO_REPETITIONS = 30;

/** Measures a run of the scenario without its faults, made for the purpose (refused where a real run is, at the scenario's keys). */
export async function calibrate(loaded: LoadedScenario, options: RealRunOptions): Promise<Calibration> {
  const output = await runRealScenario({ ...loaded, scenario: { ...loaded.scenario, faults: [] } }, options);
  return calibrationFrom(loaded.scenario, output.real, 'a calibration run of the scenario without its faults');
}

/** The calibration a real run's own measurements give, with each class's query timed alone now. */
export function calibrationFrom(scenario: Scenario, report: RealRunReport, source: string): Calibration {
  const measured = report.measured;
  if (measured.requests === 0) throw new Error(`the real run of "${scenario.name}" answered no request: nothing to calibrate from`);
  const rngs = new SeededRngSource(scenario.seed);
  const dataset = { segments: 1, rowsPerSegment: measured.rowsPerSegment, vieweeIds: measured.vieweeIds };
  const solo = rngs.stream(segmentStreamName(0));
  const classes = scenario.workload.classes.map((c, i): ClassCalibration => {
    const query = drawClassQuery(rngs.stream(classQueryStreamName(c.name)));
    const soloMedianMs = quantileOf(soloSegmentTimesMs(query, dataset, solo, SOLO_REPETITIONS), 0.5);
    const k = measured.classes[i];
    const [segmentMedianMs, segmentP99Ms] = k.items === 0 ? [soloMedianMs, soloMedianMs] : [k.segmentMedianMs, k.segmentP99Ms];
    const spans = k.items === 0 || k.spanMedianMs === undefined ? {} : { spanMedianMs: k.spanMedianMs, spanP99Ms: k.spanP99Ms, spanPercentilesMs: k.spanPercentilesMs };
    return { name: c.name, items: k.items, segmentMedianMs, segmentP99Ms, ...spans, soloMedianMs, concurrencySlowdown: segmentMedianMs / soloMedianMs };
  });
  return { ...measured, scenario: scenario.name, source, conditions: report.conditions, classes };
}

/** Milliseconds as a scenario duration, to the microsecond. */
const durationText = (ms: number): string => `${Math.max(0.001, Math.round(ms * 1000) / 1000)}ms`;

/** Quantiles in ms as scenario durations, to the microsecond, negative clock noise as 0. */
const quantileTexts = (quantilesMs: readonly number[]): string[] => quantilesMs.map((ms) => `${Math.max(0, Math.round(ms * 1000) / 1000)}ms`);

/** The request overhead's quantiles: the measured percentiles, or the median twice (a constant) without them. */
function overheadQuantiles(calibration: Calibration): string[] {
  const percentiles = calibration.overheadPercentilesMs ?? [];
  return quantileTexts(percentiles.length >= 2 ? percentiles : [calibration.overheadMedianMs, calibration.overheadMedianMs]);
}

/**
 * A class's segment cost: the items' spans as measured (percentiles p0 to p100: a machine's stalls
 * make them no lognormal, a body near the median and a tail of preempted items), or, from a report
 * without them, a lognormal through the median and p99 of the spans or of the compute times.
 */
function segmentCost(k: ClassCalibration): Scenario['workload']['classes'][number]['segmentCost'] {
  const percentiles = k.spanPercentilesMs ?? [];
  if (percentiles.length >= 2) return { distribution: 'empirical', quantiles: quantileTexts(percentiles) };
  const medianMs = k.spanMedianMs ?? k.segmentMedianMs;
  // A lognormal needs its p99 above its median.
  const p99Ms = Math.max(k.spanP99Ms ?? k.segmentP99Ms, medianMs * 1.01);
  return { distribution: 'lognormal', median: durationText(medianMs), p99: durationText(p99Ms) };
}

/** The scenario with its cost model replaced by the calibrated one. */
export function calibratedScenario(scenario: Scenario, calibration: Calibration): Scenario {
  return {
    ...scenario,
    description: `${scenario.description} Calibrated on the real runtime (${calibration.rowsPerSegment} rows per segment).`.trim(),
    cluster: { ...scenario.cluster, network: { ...scenario.cluster.network, latency: '0ms', requestOverhead: { quantiles: overheadQuantiles(calibration), window: `${calibration.overheadWindowMs ?? 0}ms` } } },
    workload: {
      ...scenario.workload,
      classes: scenario.workload.classes.map((c, i) => ({ ...c, segmentCost: segmentCost(calibration.classes[i]) })),
    },
  };
}
