// `twin calibrate FILE`: measures the real runtime on this machine with the scenario's own cluster
// and load (faults left out) and writes a results folder holding calibration.json (per-segment
// service times, request overhead, concurrency slowdown) and scenario.calibrated.yaml, the scenario
// with the fitted cost model, which `twin run` simulates and `twin compare` sets against real runs.

import { join } from 'node:path';
import { calibrate, calibratedScenario } from '../calibrate/calibrate-real.js';
import { checkRunDirectory, writeRunDirectory, type WriteOptions } from '../results/run-directory.js';
import { DEFAULT_REAL_OPTIONS, RealRunRefused } from '../run/run-real-scenario.js';
import { loadScenarioFile, resolvedScenarioYaml } from '../scenario/load-scenario.js';
import { UsageError } from './errors.js';
import { safeFileName } from './run-command.js';

export interface CalibrateCommandOptions {
  readonly out?: string;
  readonly force?: boolean;
  readonly set: readonly string[];
  readonly rowsPerSegment?: number;
}

export async function calibrateCommand(file: string, options: CalibrateCommandOptions): Promise<void> {
  const scenario = loadScenarioFile(file, options.set);
  const dir = options.out ?? join('results', `${safeFileName(scenario.name)}-calibration`);
  const writeOptions: WriteOptions = { force: options.force ?? false, keep: [file] };
  checkRunDirectory(dir, writeOptions);
  const rowsPerSegment = options.rowsPerSegment ?? DEFAULT_REAL_OPTIONS.rowsPerSegment;
  process.stderr.write(`calibrating on ${scenario.name} for real for ${scenario.duration} (${rowsPerSegment} rows per segment)...\n`);
  const calibration = await calibrate(scenario, { ...DEFAULT_REAL_OPTIONS, rowsPerSegment }).catch((error: unknown) => {
    throw error instanceof RealRunRefused ? new UsageError(error.message) : error;
  });
  writeRunDirectory(
    dir,
    [
      { name: 'calibration.json', data: `${JSON.stringify(calibration, null, 2)}\n` },
      { name: 'scenario.calibrated.yaml', data: resolvedScenarioYaml(calibratedScenario(scenario, calibration)) },
    ],
    writeOptions,
  );
  const f = (ms: number) => ms.toFixed(3);
  process.stdout.write(`request overhead outside the server: median ${f(calibration.overheadMedianMs)} ms, p99 ${f(calibration.overheadP99Ms)} ms (${calibration.requests} requests)\n`);
  for (const k of calibration.classes) {
    process.stdout.write(
      `class ${k.name}: segment median ${f(k.segmentMedianMs)} ms, p99 ${f(k.segmentP99Ms)} ms over ${k.items} items; ` +
        `alone ${f(k.soloMedianMs)} ms (concurrency slowdown x${k.concurrencySlowdown.toFixed(2)})\n`,
    );
  }
  process.stdout.write(`calibrated scenario written to ${join(dir, 'scenario.calibrated.yaml')}\n`);
}
