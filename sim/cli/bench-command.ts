// `twin bench` (`npm run bench`): measures the simulator's speed on the reference scenario (seed 004's
// 1500 QPS study configuration: 3 brokers, 5 replica groups of 4 servers, hybrid selector, one slow
// server, 60 s simulated) and on a large one (100 brokers, 500 servers, 25 000 QPS). Each runs in a
// child process of its own, so peak memory and JIT state belong to that scenario alone. The first
// run of a process pays for the JIT compiling the simulator; later runs in the same process (as in a
// sweep's long-lived workers) do not, so both figures are reported: the median first run of several
// fresh processes (one process is at the mercy of a noisy machine), and the fastest warm run.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { wallNowMs } from '../../engine/real/wall-clock.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { shippedScenario } from '../scenario/shipped-scenarios.js';
import { runScenario, type Performance } from '../run/run-scenario.js';

/** Each benchmark runs in `processes` fresh processes, `runs` times in each. */
const BENCHMARKS = [
  { label: 'reference (1500 QPS, 3 brokers, 20 servers, 60 s simulated)', file: shippedScenario('adss-1500qps.yaml'), processes: 3, runs: 3 },
  { label: 'large (25 000 QPS, 100 brokers, 500 servers, 10 s simulated)', file: shippedScenario('bench-large.yaml'), processes: 1, runs: 2 },
];

interface Measured {
  readonly first: Performance;
  /** The fastest of the later runs, or null with a single run. */
  readonly warm: Performance | null;
}

export function benchCommand(options: { skipLarge?: boolean; only?: string; runs?: string }): void {
  if (options.only !== undefined) {
    process.stdout.write(`${JSON.stringify(measure(options.only, Number(options.runs ?? 1)))}\n`);
    return;
  }
  const twin = fileURLToPath(new URL('../../bin/twin.js', import.meta.url));
  for (const bench of BENCHMARKS.slice(0, options.skipLarge ? 1 : BENCHMARKS.length)) {
    const measured = Array.from({ length: bench.processes }, () => {
      const output = execFileSync(process.execPath, [twin, 'bench', '--only', bench.file, '--runs', String(bench.runs)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      return JSON.parse(output) as Measured;
    });
    // The median first run of the fresh processes, and the fastest warm run of any of them.
    const firsts = measured.map((m) => m.first).sort((a, b) => a.wallMs - b.wallMs);
    const first = firsts[Math.floor((firsts.length - 1) / 2)];
    const warms = measured.flatMap((m) => (m.warm === null ? [] : [m.warm]));
    const warm = warms.length === 0 ? null : warms.reduce((best, p) => (p.wallMs < best.wallMs ? p : best));
    process.stdout.write(`${bench.label}\n  first run: median of ${bench.processes} fresh processes; warm: best later run\n`);
    const columns = (label: string, value: (p: Performance) => string) =>
      `  ${label.padEnd(30)} ${value(first).padStart(12)}${warm === null ? '' : value(warm).padStart(14)}\n`;
    process.stdout.write(`  ${''.padEnd(30)} ${'first run'.padStart(12)}${warm === null ? '' : 'warm'.padStart(14)}\n`);
    process.stdout.write(columns('wall time', (p) => `${(p.wallMs / 1000).toFixed(2)} s`));
    process.stdout.write(columns('simulated s per wall s', (p) => String(p.simulatedSecondsPerWallSecond)));
    process.stdout.write(columns('server requests per wall s', (p) => p.serverRequestsPerWallSecond.toLocaleString('en-US')));
    process.stdout.write(columns('scheduler events', (p) => p.schedulerEvents.toLocaleString('en-US')));
    process.stdout.write(`  ${'peak memory (RSS, first run)'.padEnd(30)} ${`${first.peakRssMiB} MiB`.padStart(12)}\n`);
    process.stdout.write('\n');
  }
}

/** Runs the scenario `runs` times in this process: the first run, and the fastest of the others. */
function measure(file: string, runs: number): Measured {
  const scenario = loadScenarioFile(file);
  const results: Performance[] = [];
  for (let run = 0; run < Math.max(1, runs); run++) {
    const performance = runScenario(scenario, { wallNowMs }).summary.performance;
    if (performance === undefined) throw new Error('the run measured no performance');
    results.push(performance);
  }
  const later = results.slice(1);
  const warm = later.length === 0 ? null : later.reduce((best, p) => (p.wallMs < best.wallMs ? p : best));
  return { first: results[0], warm };
}
