// The ADSS study as sweeps (issue 10): the adss-study-*.sweep.yaml files in scenarios/ hold its cells
// (Table 2's profiles x selectors, the broker and slowdown axes, the replica-group, cold-start,
// rate-control and statistics-scope figures), `twin sweep` runs them like any sweep (workers, resume,
// shards), and this module turns their finished cells back into the study's results, from which
// study-table.ts renders the README's tables.

import { basename } from 'node:path';
import type { SelectorKind } from '../../engine/routing/server-selector.js';
import type { RunOutput } from '../run/run-scenario.js';
import { shippedScenario } from '../scenario/shipped-scenarios.js';
import type { FinishedCell } from '../sweep/sweep-cells.js';
import {
  BASE_BROKERS,
  BASE_SLOWDOWN,
  cellOf,
  COLD_START_FILE,
  COLD_START_SLOWDOWN,
  REPLICA_GROUP_FILE,
  STUDY_PROFILES,
  THREE_TIER_FILE,
  type CellSpec,
  type StudyCell,
  type StudyResults,
} from './adss-study.js';
import { cellFiguresOf } from './study-cell.js';
import type { StudyPart } from './study-parts.js';

/** The study's sweep files, by what they hold. */
export const STUDY_SWEEPS = {
  table2: 'adss-study-table2.sweep.yaml',
  brokers: 'adss-study-brokers.sweep.yaml',
  slowdown: 'adss-study-slowdown.sweep.yaml',
  replicaGroup: 'adss-study-replica-group.sweep.yaml',
  coldStart: 'adss-study-cold-start.sweep.yaml',
  rateControl: 'adss-study-rate-control.sweep.yaml',
  statsScope: 'adss-study-stats-scope.sweep.yaml',
} as const;
export type StudySweep = keyof typeof STUDY_SWEEPS;

export const SWEEPS_OF_PART: Record<StudyPart, readonly StudySweep[]> = {
  table2: ['table2'],
  axis: ['brokers', 'slowdown'],
  extras: ['replicaGroup', 'coldStart', 'rateControl', 'statsScope'],
};

export function studySweepFile(sweep: StudySweep): string {
  return shippedScenario(STUDY_SWEEPS[sweep]);
}

function profileOf(scenarioName: unknown): { file: string; label: string } {
  const profile = STUDY_PROFILES.find((p) => basename(p.file) === scenarioName);
  if (profile === undefined) throw new Error(`the study has no profile ${String(scenarioName)}`);
  return profile;
}

/** Cells grouped by a key, seeds in the sweep's order. */
function groups(cells: readonly FinishedCell[], keyOf: (cell: FinishedCell) => string): FinishedCell[][] {
  const byKey = new Map<string, FinishedCell[]>();
  for (const cell of cells) {
    const key = keyOf(cell);
    byKey.set(key, [...(byKey.get(key) ?? []), cell]);
  }
  return [...byKey.values()];
}

function studyCell(spec: CellSpec, cells: readonly FinishedCell[]): StudyCell {
  return cellOf(spec, cells.map((c) => c.seed), cells.map((c) => cellFiguresOf(c.summary as RunOutput['summary'])));
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** The study's results from its sweeps' finished cells (a sweep not given: its part is empty). */
export function studyFromSweeps(sweeps: Partial<Record<StudySweep, readonly FinishedCell[]>>): StudyResults {
  const seeds = [...new Set(Object.values(sweeps).flatMap((cells) => (cells ?? []).map((c) => c.seed)))].sort((a, b) => a - b);
  const profileCells = (cells: readonly FinishedCell[], brokers: (c: FinishedCell) => number, slowdown: (c: FinishedCell) => number, selector: (c: FinishedCell) => SelectorKind, overrides: string[] = []) =>
    groups(cells, (c) => JSON.stringify(c.values)).map((group) => {
      const first = group[0];
      const profile = profileOf(first.values.scenario);
      return studyCell({ file: profile.file, profile: profile.label, selector: selector(first), brokers: brokers(first), slowdown: slowdown(first), overrides }, group);
    });
  const selectorOf = (c: FinishedCell) => c.values['routing.selector'] as SelectorKind;
  const table2 = profileCells(sweeps.table2 ?? [], () => BASE_BROKERS, () => BASE_SLOWDOWN, selectorOf);
  const axis = [
    ...profileCells((sweeps.brokers ?? []).filter((c) => c.values['cluster.brokers'] !== BASE_BROKERS), (c) => c.values['cluster.brokers'] as number, () => BASE_SLOWDOWN, selectorOf),
    ...profileCells(
      (sweeps.slowdown ?? []).filter((c) => c.values['faults.0.progressProbability'] !== 1 / BASE_SLOWDOWN),
      () => BASE_BROKERS,
      (c) => Math.round(10 / (c.values['faults.0.progressProbability'] as number)) / 10,
      selectorOf,
    ),
  ];
  const fixed = (file: string, profile: string, selector: SelectorKind, cells: readonly FinishedCell[], overrides: string[] = []) =>
    studyCell({ file, profile, selector, brokers: BASE_BROKERS, slowdown: file === COLD_START_FILE ? COLD_START_SLOWDOWN : BASE_SLOWDOWN, overrides }, cells);
  const where = (cells: readonly FinishedCell[] | undefined, path: string, value: unknown) => (cells ?? []).filter((c) => text(c.values[path]) === text(value));
  const replicaCells = sweeps.replicaGroup;
  const coldCells = sweeps.coldStart;
  return {
    seeds,
    table2,
    axis,
    replicaGroup:
      replicaCells === undefined
        ? null
        : {
            withoutAdss: fixed(REPLICA_GROUP_FILE, 'replica groups R=3', 'round-robin', where(replicaCells, 'routing.selector', 'round-robin')),
            withAdss: fixed(REPLICA_GROUP_FILE, 'replica groups R=3', 'hybrid', where(replicaCells, 'routing.selector', 'hybrid')),
          },
    coldStart:
      coldCells === undefined
        ? null
        : {
            withoutPrior: fixed(COLD_START_FILE, 'cold start', 'hybrid', where(coldCells, 'routing.adaptive.latencyPrior', '0ms'), ['routing.adaptive.latencyPrior=0ms']),
            withPrior: fixed(COLD_START_FILE, 'cold start', 'hybrid', where(coldCells, 'routing.adaptive.latencyPrior', '1ms'), ['routing.adaptive.latencyPrior=1ms']),
          },
    rateControl: profileCells(sweeps.rateControl ?? [], (c) => c.values['cluster.brokers'] as number, () => BASE_SLOWDOWN, () => 'c3', ['routing.c3.rateControl=true']),
    statsScope: (['hybrid', 'softmax'] as const)
      .filter((selector) => where(sweeps.statsScope, 'routing.selector', selector).length > 0)
      .map((selector) => {
        const mine = where(sweeps.statsScope, 'routing.selector', selector);
        return {
          selector,
          perServer: fixed(THREE_TIER_FILE, 'hybrid 3-tier', selector, where(mine, 'routing.statsScope', 'server'), ['routing.statsScope=server']),
          perClass: fixed(THREE_TIER_FILE, 'hybrid 3-tier', selector, where(mine, 'routing.statsScope', 'classAndServer'), ['routing.statsScope=classAndServer']),
        };
      }),
  };
}
