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
    expect(cost.distribution).toBe('lognormal');
    // The segment cost is the time an item holds its thread: its span on the server thread, not its compute alone.
    expect(k.spanMedianMs).toBeGreaterThanOrEqual(k.segmentMedianMs);
    expect(parseDurationMs(cost.median)).toBeCloseTo(real.measured.classes[0].spanMedianMs!, 3);
    expect(parseDurationMs(cost.p99!)).toBeGreaterThan(parseDurationMs(cost.median));
    expect(parseDurationMs(calibrated.cluster.network.latency)).toBe(0);
    // The request overhead is the measured distribution: p0 to p100 of the requests' time outside the servers.
    const quantiles = calibrated.cluster.network.requestOverhead!.quantiles.map(parseDurationMs);
    expect(quantiles).toHaveLength(101);
    expect(quantiles[50]).toBeCloseTo(Math.max(0, real.measured.overheadMedianMs), 2);
    expect(quantiles[99]).toBeCloseTo(Math.max(0, real.measured.overheadP99Ms), 2);
    expect(quantiles).toEqual([...quantiles].sort((a, b) => a - b));
    expect(calibrated.faults).toEqual(scenario.faults);
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
