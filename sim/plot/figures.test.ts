// The figures of a small real run and of a small real sweep: valid standalone SVG documents with the
// marks each figure must have (one line per class or highlighted server, a shaded band per fault
// window, labelled axes with units, a legend), and PNGs of twice the SVG's size.

import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DOMParser } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRunDirectory } from '../results/run-directory.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { runSweep } from '../sweep/run-sweep.js';
import { loadSweepFile } from '../sweep/sweep-file.js';
import { planSweep } from '../sweep/sweep-plan.js';
import { sweepFixture, TINY_SCENARIO } from '../sweep/sweep-test-kit.js';
import { svgToPng } from './png.js';
import { latencyCdfFigure, p95OverTimeFigure, serverRateFigure, seriesColumnFigure } from './run-figures.js';
import { readRunResults } from './run-results.js';
import { budgetFigure } from './budget-figure.js';
import { dataMissingFigure, servingReplicasFigure } from './availability-figures.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { shippedScenario } from '../scenario/shipped-scenarios.js';
import type { Figure } from './svg-figure.js';
import { readSweepSummary, sweepFigure } from './sweep-figures.js';

const TWO_CLASSES = TINY_SCENARIO.replace(
  '        p99: 2.7ms\n',
  '        p99: 2.7ms\n    - name: report\n      qps: 20\n      segmentCost: { distribution: lognormal, median: 10ms, p99: 30ms }\n',
);

const dir = mkdtempSync(join(tmpdir(), 'twin-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parse(figure: Figure) {
  const document = new DOMParser().parseFromString(figure.svg, 'image/svg+xml');
  const root = document.documentElement;
  expect(root.tagName).toBe('svg');
  expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
  return {
    root,
    texts: [...root.querySelectorAll('text')].map((text) => text.textContent ?? ''),
    legend: [...root.querySelectorAll('g.legend-item text')].map((text) => text.textContent),
    linePaths: (stroke?: string) =>
      [...root.querySelectorAll('g[aria-label="line"] path')].filter(
        (path) => stroke === undefined || (path.getAttribute('stroke') ?? path.parentElement?.getAttribute('stroke')) === stroke,
      ),
    rects: () => [...root.querySelectorAll('g[aria-label="rect"] rect')],
  };
}

describe('run figures', () => {
  let run: ReturnType<typeof readRunResults>;
  beforeAll(() => {
    const output = runScenario(parseScenario(TWO_CLASSES, 'two-classes.yaml'));
    writeRunDirectory(join(dir, 'run'), output.files);
    run = readRunResults(join(dir, 'run'));
  });

  it('draws a latency CDF line per class, on labelled axes', () => {
    const figure = parse(latencyCdfFigure([run]));
    expect(figure.linePaths()).toHaveLength(2);
    expect(figure.legend).toEqual(['dashboard', 'report']);
    expect(figure.texts.some((text) => text.includes('latency (ms, log scale)'))).toBe(true);
    expect(figure.texts.some((text) => text.includes('fraction of queries'))).toBe(true);
  });

  it('compares runs: one CDF line per run and class', () => {
    const figure = parse(latencyCdfFigure([run, { ...run, name: 'other' }]));
    expect(figure.linePaths()).toHaveLength(4);
    expect(figure.legend).toContain('other / report');
  });

  it('draws each server request rate with the fault window shaded and the faulted server highlighted', () => {
    const figure = parse(serverRateFigure(run));
    expect(figure.rects()).toHaveLength(1);
    expect(figure.legend).toEqual(['server-0-1', 'other servers', 'slowServer on server-0-1']);
    expect(figure.linePaths('#c8c8c8')).toHaveLength(3);
    expect(figure.linePaths('#4e79a7')).toHaveLength(1);
    expect(figure.texts.some((text) => text.includes('requests per second'))).toBe(true);
    expect(figure.texts.some((text) => text.includes('simulated time (s)'))).toBe(true);
  });

  it('draws p95 over time per class, and any series column', () => {
    const p95 = parse(p95OverTimeFigure(run, 500));
    expect(p95.linePaths()).toHaveLength(2);
    expect(p95.texts.some((text) => text.includes('p95 latency (ms'))).toBe(true);
    expect(parse(seriesColumnFigure(run, 'queueDepth')).linePaths()).toHaveLength(4);
    expect(() => seriesColumnFigure(run, 'nope')).toThrow(/no column "nope"; it has requestsReceived/);
  });

  it('rasterises to a PNG of twice the size', () => {
    const figure = serverRateFigure(run);
    const png = svgToPng(figure.svg);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(16)).toBe(2 * Number(parse(figure).root.getAttribute('width')));
  });
});

describe('the budget figure', () => {
  it('draws per workload the CPU charged in the window, summed over servers, under its dashed budget', () => {
    const output = runScenario(loadScenarioFile(shippedScenario('qwi-budget-enforcement.yaml'), ['duration=12s']));
    writeRunDirectory(join(dir, 'budget'), output.files);
    const run = readRunResults(join(dir, 'budget'));
    const figure = parse(budgetFigure(run));
    expect(figure.legend).toEqual(['dashboards: charged', 'dashed: the budget']);
    expect(figure.linePaths()).toHaveLength(2);
    expect(figure.texts.some((text) => text.includes('CPU in the window, all servers (ms)'))).toBe(true);
    // Every host of this scenario has a CPU budget for the workload: the dashed line is drawn from all of them.
    const table = run.workloads!;
    const budgets = [...table.getChild('budgetCpuNs')!].map(Number);
    expect(Math.min(...budgets)).toBeGreaterThan(0);
    expect(() => budgetFigure({ ...run, workloads: undefined })).toThrow(/no workloads.arrow/);
  });
});

const ZONE_DRAIN = `
name: drain-plot
seed: 1
duration: 30s
cluster:
  brokers: 2
  numReplicaGroups: 3
  numInstancesPerReplicaGroup: 12
  segments: 96
  maintenanceZones: { zones: [mz-a, mz-b, mz-c], serverZones: random }
routing: { instanceSelectorType: balanced, selector: hybrid }
workload:
  classes:
    - name: interactive
      qps: 100
      segmentCost: { distribution: lognormal, median: 1ms, p99: 3ms }
faults:
  - { kind: zoneDrain, zone: mz-c, start: 10s, end: 20s }
`;

describe('the availability figures', () => {
  it('draw the fewest serving replicas and the share of queries missing data, both dropping only in the drain', () => {
    const output = runScenario(parseScenario(ZONE_DRAIN, 'drain-plot.yaml'));
    writeRunDirectory(join(dir, 'drain'), output.files);
    const run = readRunResults(join(dir, 'drain'));
    const cluster = run.cluster!;
    const column = (name: string) => [...cluster.getChild(name)!].map(Number);
    const tS = column('tMs').map((t) => t / 1000);
    const minServing = column('minServingReplicas');
    const missing = column('queriesMissingData');
    // This shuffled layout puts a whole row of some segment in mz-c: the drain leaves it unserved.
    // The drain's samples are 10 s up to 20 s; queries still running as it ends may end in the next interval.
    const inDrain = (i: number) => tS[i] >= 10 && tS[i] < 20;
    expect(minServing.filter((_, i) => inDrain(i)).every((m) => m === 0)).toBe(true);
    expect(minServing.filter((_, i) => !inDrain(i)).every((m) => m === 3)).toBe(true);
    expect(missing.filter((_, i) => tS[i] <= 10 || tS[i] > 20.1).every((m) => m === 0)).toBe(true);
    expect(missing.filter((_, i) => tS[i] > 10.1 && tS[i] < 20).every((m) => m > 0)).toBe(true);

    const replicas = parse(servingReplicasFigure(run));
    expect(replicas.linePaths()).toHaveLength(1);
    expect(replicas.rects().length).toBeGreaterThanOrEqual(1);
    expect(replicas.texts.some((text) => text.includes('serving replicas (fewest of any segment)'))).toBe(true);
    const dataMissing = parse(dataMissingFigure(run));
    expect(dataMissing.linePaths()).toHaveLength(1);
    expect(dataMissing.texts.some((text) => text.includes('queries ending with data missing (%)'))).toBe(true);
    expect(() => servingReplicasFigure({ ...run, cluster: undefined })).toThrow(/no cluster.arrow/);
  });
});

describe('sweep figures', () => {
  it('draws a figure against a parameter, a line and a confidence band per value of the other', async () => {
    const sweepDir = sweepFixture();
    try {
      await runSweep(planSweep(loadSweepFile(join(sweepDir, 'tiny.sweep.yaml'))), { out: join(sweepDir, 'out'), workers: 2, resume: false, keepRuns: false });
      const summary = readSweepSummary(join(sweepDir, 'out'));
      const figure = parse(sweepFigure(summary, { figure: 'latencyMs.all.p99' }));
      expect(figure.linePaths()).toHaveLength(2);
      expect([...figure.root.querySelectorAll('g[aria-label="area"] path')]).toHaveLength(2);
      expect(figure.legend).toEqual(['routing.selector=round-robin', 'routing.selector=hybrid', 'mean of 2 seeds, 95 % confidence']);
      expect(figure.texts.some((text) => text.includes('workload.classes.0.qps'))).toBe(true);
      const byWord = parse(sweepFigure(summary, { figure: 'adss.degradedFraction', x: 'routing.selector' }));
      expect([...byWord.root.querySelectorAll('g[aria-label="dot"] circle')]).toHaveLength(6);
      expect(() => sweepFigure(summary, { figure: 'latencyMs.all.p77' })).toThrow(/no numeric summary figure/);
    } finally {
      rmSync(sweepDir, { recursive: true, force: true });
    }
  });
});
