// `twin calibrate FILE [--from REAL-DIR]`: measures the real runtime on this machine and writes a
// results folder holding calibration.json (per-segment service times, request overhead, concurrency
// slowdown, the machine's conditions) and scenario.calibrated.yaml, the scenario with the fitted cost
// model, which `twin run` simulates and `twin compare` sets against real runs. The measurements come
// from a run of the scenario without its faults made for the purpose or, with --from, from the real
// run of the scenario in REAL-DIR (its real.json): then the simulation models that run's own machine.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calibrate, calibratedScenario, calibrationFrom, type Calibration } from '../calibrate/calibrate-real.js';
import { checkRunDirectory, writeRunDirectory, type WriteOptions } from '../results/run-directory.js';
import { DEFAULT_REAL_OPTIONS, REAL_REPORT_FILE, type RealRunReport } from '../run/run-real-scenario.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { loadScenarioFileLocated, resolvedScenarioYaml } from '../scenario/load-scenario.js';
import { UsageError } from './errors.js';
import { safeFileName } from './run-command.js';

export interface CalibrateCommandOptions {
  readonly out?: string;
  readonly force?: boolean;
  readonly set: readonly string[];
  readonly rowsPerSegment?: number;
  /** A real run directory of the scenario to calibrate from, instead of a new run. */
  readonly from?: string;
}

/** The report of the real run in `dir`, which must be a real run of `scenario`. */
function readRealReport(dir: string, scenario: Scenario): RealRunReport {
  const path = join(dir, REAL_REPORT_FILE);
  if (!existsSync(path)) throw new UsageError(`${dir}: not a real run directory (no ${REAL_REPORT_FILE}; write one with twin run FILE --mode real)`);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { scenario?: string };
  if (summary.scenario !== scenario.name) throw new UsageError(`${dir}: a run of scenario "${summary.scenario}", not of "${scenario.name}"`);
  return JSON.parse(readFileSync(path, 'utf8')) as RealRunReport;
}

export async function calibrateCommand(file: string, options: CalibrateCommandOptions): Promise<void> {
  const loaded = loadScenarioFileLocated(file, options.set);
  const scenario = loaded.scenario;
  const dir = options.out ?? join('results', `${safeFileName(scenario.name)}-calibration`);
  const writeOptions: WriteOptions = { force: options.force ?? false, keep: [file] };
  checkRunDirectory(dir, writeOptions);
  let calibration: Calibration;
  if (options.from !== undefined) {
    if (options.rowsPerSegment !== undefined) throw new UsageError('--rows-per-segment: not with --from (the real run had its own)');
    calibration = calibrationFrom(scenario, readRealReport(options.from, scenario), `the real run in ${options.from}`);
  } else {
    const rowsPerSegment = options.rowsPerSegment ?? DEFAULT_REAL_OPTIONS.rowsPerSegment;
    process.stderr.write(`calibrating on ${scenario.name} for real for ${scenario.duration} (${rowsPerSegment} rows per segment)...\n`);
    calibration = await calibrate(loaded, { ...DEFAULT_REAL_OPTIONS, rowsPerSegment });
  }
  writeRunDirectory(
    dir,
    [
      { name: 'calibration.json', data: `${JSON.stringify(calibration, null, 2)}\n` },
      { name: 'scenario.calibrated.yaml', data: resolvedScenarioYaml(calibratedScenario(scenario, calibration)) },
    ],
    writeOptions,
  );
  const f = (ms: number) => ms.toFixed(3);
  const c = calibration.conditions;
  process.stdout.write(`measured on ${calibration.source}: ${c.cores} cores, load average ${c.loadAverageStart.toFixed(1)} to ${c.loadAverageEnd.toFixed(1)}, ${c.threads} threads, ${c.coresUsed.toFixed(2)} cores used\n`);
  process.stdout.write(`request overhead outside the server: median ${f(calibration.overheadMedianMs)} ms, p99 ${f(calibration.overheadP99Ms)} ms (${calibration.requests} requests)\n`);
  if (calibration.queueMedianMs !== undefined) {
    process.stdout.write(`waiting for a thread on the server (the simulator's own queue, not fitted): median ${f(calibration.queueMedianMs)} ms, p99 ${f(calibration.queueP99Ms!)} ms\n`);
  }
  for (const k of calibration.classes) {
    process.stdout.write(
      `class ${k.name}: segment compute median ${f(k.segmentMedianMs)} ms, p99 ${f(k.segmentP99Ms)} ms over ${k.items} items; ` +
        `alone ${f(k.soloMedianMs)} ms (concurrency slowdown x${k.concurrencySlowdown.toFixed(2)})` +
        (k.spanMedianMs === undefined ? '' : `; holding its thread (the segment cost) median ${f(k.spanMedianMs)} ms, p99 ${f(k.spanP99Ms!)} ms`) +
        '\n',
    );
  }
  process.stdout.write(`calibrated scenario written to ${join(dir, 'scenario.calibrated.yaml')}\n`);
}
