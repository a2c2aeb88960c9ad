// `twin calibrate` on the real runtime: a short real run measures items and overheads that make
// sense (positive, p99 at or above the median, one measurement per answered request) and states the
// machine's conditions; the calibrated scenario is a valid scenario carrying exactly the fitted cost
// model; calibrating from a real run's own real.json (--from) fits that run's measurements; and the
// command refuses a folder that is no real run of the scenario.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeRunDirectory } from '../results/run-directory.js';
import { runRealScenario } from '../run/run-real-scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { loadScenarioFileLocated, parseScenario, resolvedScenarioYaml } from '../scenario/load-scenario.js';
import { parseDurationMs } from '../scenario/units.js';
import { calibratedScenario, calibrationFrom } from './calibrate-real.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SMOKE = join(REPO, 'scenarios/real-smoke.yaml');
const dir = mkdtempSync(join(tmpdir(), 'olap-twin-calibrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const twin = (...args: string[]) => spawnSync(process.execPath, ['bin/twin.js', ...args], { cwd: REPO, encoding: 'utf8' });

describe('calibration from a real run', () => {
  const loaded = loadScenarioFileLocated(SMOKE, ['duration=1500ms']);
  const scenario = loaded.scenario;
  const realDir = join(dir, 'real');
  const run = runRealScenario(loaded, { rowsPerSegment: 2000, vieweeIds: 10_000 }).then((output) => {
    writeRunDirectory(realDir, output.files);
    return output;
  });

  it('measures positive item times and overheads, one per answered request, under stated conditions', async () => {
    const { real, summary } = await run;
    const m = real.measured;
    expect(m.requests).toBeGreaterThan(0);
    // Two requests per query (one per server of a mirror server set); only those answered ok are measured.
    expect(m.requests).toBeGreaterThanOrEqual(2 * summary.outcomes.completed);
    expect(m.requests).toBeLessThanOrEqual(2 * summary.arrivals);
    const [k] = m.classes;
    expect(k.items).toBe(2 * m.requests); // each server of the set holds two of the four segments
    expect(k.segmentMedianMs).toBeGreaterThan(0);
    expect(k.segmentP99Ms).toBeGreaterThanOrEqual(k.segmentMedianMs);
    expect(m.overheadP99Ms).toBeGreaterThanOrEqual(m.overheadP95Ms);
    expect(m.overheadP95Ms).toBeGreaterThanOrEqual(m.overheadMedianMs);
    expect(m.serviceMedianMs).toBeGreaterThanOrEqual(k.segmentMedianMs);
    expect(k.spanP99Ms!).toBeGreaterThanOrEqual(k.spanMedianMs!);
    expect(m.queueMedianMs).toBeGreaterThan(-0.1);
    expect(m.replyPercentilesMs).toHaveLength(101);
    expect(real.conditions.threads).toBe(4 * (1 + 1) + 1);
    expect(real.conditions.cores).toBeGreaterThanOrEqual(1);
    // Node's timers keep whole milliseconds: the replay may end a fraction of one before its 1.5 s.
    expect(real.conditions.wallMs).toBeGreaterThan(1000);
    expect(real.conditions.coresUsed).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(realDir, 'real.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(real)));
  });

  it('writes the measured cost model into a valid scenario', async () => {
    const { real } = await run;
    const calibration = calibrationFrom(scenario, real, 'the test run');
    const [k] = calibration.classes;
    expect(k.soloMedianMs).toBeGreaterThan(0);
    expect(k.concurrencySlowdown).toBeCloseTo(k.segmentMedianMs / k.soloMedianMs, 10);
    const calibrated = parseScenario(resolvedScenarioYaml(calibratedScenario(scenario, calibration)), 'calibrated.yaml');
    const cost = calibrated.workload.classes[0].segmentCost;
    // The segment cost is the time an item holds its thread, its span on the server thread (not its
    // compute alone), as measured: p0 to p100.
    expect(k.spanMedianMs).toBeGreaterThanOrEqual(k.segmentMedianMs);
    expect(cost.distribution).toBe('empirical');
    const costQuantiles = cost.quantiles!.map(parseDurationMs);
    expect(costQuantiles).toHaveLength(101);
    expect(costQuantiles[50]).toBeCloseTo(real.measured.classes[0].spanMedianMs!, 3);
    expect(costQuantiles[99]).toBeCloseTo(real.measured.classes[0].spanP99Ms!, 3);
    expect(parseDurationMs(calibrated.cluster.network.latency)).toBe(0);
    // The request overhead is the measured distribution: p0 to p100 of the requests' time outside the servers.
    const quantiles = calibrated.cluster.network.requestOverhead!.quantiles.map(parseDurationMs);
    expect(quantiles).toHaveLength(101);
    expect(quantiles[50]).toBeCloseTo(Math.max(0, real.measured.overheadMedianMs), 2);
    expect(quantiles[99]).toBeCloseTo(Math.max(0, real.measured.overheadP99Ms), 2);
    expect(quantiles).toEqual([...quantiles].sort((a, b) => a - b));
    expect(calibrated.faults).toEqual(scenario.faults);
  });

  it('fits a report\'s spans and overheads, and the simulation of the calibrated scenario adds them up', () => {
    // A synthetic report: every item holds its thread 3 ms, every request spends 1.2 ms outside the servers.
    const percentiles = (ms: number) => Array<number>(101).fill(ms);
    const measured = {
      rowsPerSegment: 1000,
      vieweeIds: 1000,
      requests: 100,
      overheadMedianMs: 1.2,
      overheadP95Ms: 1.2,
      overheadP99Ms: 1.2,
      overheadPercentilesMs: percentiles(1.2),
      serviceMedianMs: 6,
      serviceP99Ms: 6,
      classes: [{ name: 'dashboard', items: 200, segmentMedianMs: 0.5, segmentP99Ms: 0.5, spanMedianMs: 3, spanP99Ms: 3, spanPercentilesMs: percentiles(3) }],
    };
    const conditions = { cores: 2, loadAverageStart: 0, loadAverageEnd: 0, threads: 9, wallMs: 1000, cpuMs: 100, coresUsed: 0.1 };
    const lowRate = loadScenarioFileLocated(SMOKE, ['workload.classes.0.qps=2', 'duration=5s']).scenario;
    const calibration = calibrationFrom(lowRate, { conditions, measured }, 'a synthetic report');
    const calibrated = parseScenario(resolvedScenarioYaml(calibratedScenario(lowRate, calibration)), 'calibrated.yaml');
    expect(calibrated.workload.classes[0].segmentCost).toEqual({ distribution: 'empirical', quantiles: Array(101).fill('3ms') });
    expect(calibrated.cluster.network.requestOverhead!.quantiles).toEqual(Array(101).fill('1.2ms'));
    // At 2 QPS nothing queues: each query's two requests each take 1.2 ms outside and 2 x 3 ms on their
    // server's one thread (two segments each), so every latency is 7.2 ms, up to the 0.1 ms ticks.
    const { summary } = runScenario(calibrated);
    expect(summary.latencyMs.all.count).toBeGreaterThan(3);
    expect(summary.latencyMs.all.p50).toBeCloseTo(7.2, 0);
    expect(summary.latencyMs.all.max! - summary.latencyMs.all.p50!).toBeLessThanOrEqual(0.2);
  });

  it('gives the simulation the window over which the real overheads were correlated', () => {
    const spread = Array.from({ length: 101 }, (_, p) => p / 5); // 0 to 20 ms
    const report = (windowMs: number) => ({
      conditions: { cores: 2, loadAverageStart: 0, loadAverageEnd: 0, threads: 9, wallMs: 1000, cpuMs: 100, coresUsed: 0.1 },
      measured: {
        rowsPerSegment: 1000,
        vieweeIds: 1000,
        requests: 100,
        overheadMedianMs: 10,
        overheadP95Ms: 19,
        overheadP99Ms: 19.8,
        overheadPercentilesMs: spread,
        overheadWindowMs: windowMs,
        serviceMedianMs: 6,
        serviceP99Ms: 6,
        classes: [{ name: 'dashboard', items: 200, segmentMedianMs: 0.5, segmentP99Ms: 0.5, spanMedianMs: 3, spanP99Ms: 3, spanPercentilesMs: Array<number>(101).fill(3) }],
      },
    });
    const lowRate = loadScenarioFileLocated(SMOKE, ['workload.classes.0.qps=2', 'duration=5s']).scenario;
    const latencyRangeMs = (windowMs: number) => {
      const calibrated = parseScenario(resolvedScenarioYaml(calibratedScenario(lowRate, calibrationFrom(lowRate, report(windowMs), 'a synthetic report'))), 'c.yaml');
      expect(calibrated.cluster.network.requestOverhead!.window).toBe(`${windowMs}ms`);
      const latency = runScenario(calibrated).summary.latencyMs.all;
      return latency.max! - latency.mean!;
    };
    // A window longer than the run: every message draws the same quantile, every query takes as long (its largest latency is its mean).
    expect(latencyRangeMs(10_000)).toBeLessThanOrEqual(0.2);
    // Without one, each request draws its own overhead between 0 and 20 ms.
    expect(latencyRangeMs(0)).toBeGreaterThan(3);
  });

  it('twin calibrate --from fits the real run in a folder, and refuses one that is not a real run of the scenario', async () => {
    const { real } = await run;
    const out = join(dir, 'calibration');
    const ok = twin('calibrate', SMOKE, '--from', realDir, '--out', out);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const calibration = JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8'));
    expect(calibration.source).toBe(`the real run in ${realDir}`);
    expect(calibration.classes[0].segmentMedianMs).toBe(real.measured.classes[0].segmentMedianMs);
    expect(calibration.conditions).toEqual(real.conditions);
    expect(existsSync(join(out, 'scenario.calibrated.yaml'))).toBe(true);

    const simDir = join(dir, 'sim');
    writeRunDirectory(simDir, runScenario(scenario).files);
    const noReport = twin('calibrate', SMOKE, '--from', simDir, '--out', join(dir, 'refused'));
    expect(noReport.status).toBe(2);
    expect(noReport.stderr).toContain('not a real run directory (no real.json');
    const other = twin('calibrate', join(REPO, 'scenarios/real-gc-pause.yaml'), '--from', realDir, '--out', join(dir, 'refused'));
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('a run of scenario "real-smoke", not of "real-gc-pause"');
  });
});
