// `twin bench` (`npm run bench`): measures the simulator's speed on the reference scenario (seed 004's
// 1500 QPS study configuration: 3 brokers, 5 replica groups of 4 servers, hybrid selector, one slow
// server, 60 s simulated) and on a large one (100 brokers, 500 servers, 25 000 QPS). Each runs in a
// child process of its own, so peak memory and JIT state belong to that scenario alone.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { wallNowMs } from '../../engine/real/wall-clock.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { runScenario, type Performance } from '../run/run-scenario.js';

const BENCHMARKS = [
  { label: 'reference (1500 QPS, 3 brokers, 20 servers, 60 s)', file: 'scenarios/adss-1500qps.yaml' },
  { label: 'large (25 000 QPS, 100 brokers, 500 servers, 10 s)', file: 'scenarios/bench-large.yaml' },
];

export function benchCommand(options: { skipLarge?: boolean; only?: string }): void {
  if (options.only !== undefined) {
    process.stdout.write(`${JSON.stringify(measure(options.only))}\n`);
    return;
  }
  const twin = fileURLToPath(new URL('../../bin/twin.js', import.meta.url));
  const rows = BENCHMARKS.slice(0, options.skipLarge ? 1 : BENCHMARKS.length).map((bench) => {
    const output = execFileSync(process.execPath, [twin, 'bench', '--only', bench.file], { encoding: 'utf8' });
    return { label: bench.label, performance: JSON.parse(output) as Performance };
  });
  for (const { label, performance: p } of rows) {
    process.stdout.write(
      [
        `${label}`,
        `  wall time                      ${(p.wallMs / 1000).toFixed(2)} s`,
        `  simulated s per wall s         ${p.simulatedSecondsPerWallSecond}`,
        `  server requests per wall s     ${p.serverRequestsPerWallSecond.toLocaleString('en-US')}`,
        `  scheduler events               ${p.schedulerEvents.toLocaleString('en-US')}`,
        `  peak memory (RSS)              ${p.peakRssMiB} MiB`,
        '',
      ].join('\n'),
    );
  }
}

function measure(file: string): Performance {
  const scenario = loadScenarioFile(file);
  const output = runScenario(scenario, { wallNowMs });
  const performance = output.summary.performance;
  if (performance === undefined) throw new Error('the run measured no performance');
  return performance;
}
