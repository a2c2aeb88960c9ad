// What every paper claim of the reproduction is built from (issue 10, "Paper reproduction report"):
// its source (seed file and section), the result shape the report writes, the cells a claim reads
// (selected by a parameter's value, paired by seed), the figures of a cell's summary, and the claim
// judged against a range of the paper's figure (claim-verdict.ts).

import type { WorkloadSummary } from '../metrics/workload-summary.js';
import type { CacheSummary } from '../cache/run-cache-scenario.js';
import type { RunOutput } from '../run/run-scenario.js';
import { estimate, type Estimate } from '../study/confidence.js';
import type { FinishedCell } from '../sweep/sweep-cells.js';
import { judgeAgainstRange, measured, type Measured, type PaperRange, type Verdict } from './claim-verdict.js';

export interface ClaimSource {
  readonly seed: string;
  readonly file: string;
  readonly section: string;
}

export const SEED_000: Omit<ClaimSource, 'section'> = { seed: '000', file: 'seeds/000_f7f15ad61390bbdb.txt' };
export const SEED_001: Omit<ClaimSource, 'section'> = { seed: '001', file: 'seeds/001_ff0788e0d140335b.txt' };
export const SEED_004: Omit<ClaimSource, 'section'> = { seed: '004', file: 'seeds/004_6175b61e7c1a97bb.txt' };

export interface ClaimResult {
  readonly id: string;
  readonly source: ClaimSource;
  /** What the paper says. */
  readonly claim: string;
  /** The paper's figure (or words), and how the twin reads them. */
  readonly paper: string;
  /** The twin's figure, as text. */
  readonly twin: string;
  /** The twin's figure as a number with its interval, when it is one. */
  readonly value: Measured | null;
  readonly verdict: Verdict;
  readonly why: string;
  /** The sweeps and cells behind the twin's figure. */
  readonly experiment: string;
}

/** The finished cells of each sweep of the reproduction, by the plan's key. */
export type SweepCellsByKey = Readonly<Record<string, readonly FinishedCell[]>>;

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** The cells whose parameter `path` took `value`. */
export const where = (cells: readonly FinishedCell[] | undefined, path: string, value: unknown) =>
  (cells ?? []).filter((c) => text(c.values[path]) === text(value));

/** `figure` of each seed that has a cell in both `a` and `b` (null when a cell is missing). */
export function pairedBySeed(
  a: readonly FinishedCell[],
  b: readonly FinishedCell[],
  figure: (a: FinishedCell, b: FinishedCell) => number | null | undefined,
): (number | null)[] {
  return a.map((cell) => {
    const other = b.find((c) => c.seed === cell.seed);
    return other === undefined ? null : figure(cell, other) ?? null;
  });
}

export const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
export const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
export const times = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)}x`;

/** "0.28 ± 0.14 × fair (9 runs, 95 % CI)": mean, half-width, unit, and what the values were. */
export function estimateText(e: Estimate, format: (x: number) => string, unit = '', counted = 'seed'): string {
  if (e.mean === null) return '–';
  const count = `${e.n} ${counted}${e.n === 1 ? '' : 's'}`;
  return e.halfWidth === null ? `${format(e.mean)}${unit} (${count})` : `${format(e.mean)} ± ${format(e.halfWidth)}${unit} (${count}, 95 % CI)`;
}

export function experimentText(key: string, cells: readonly FinishedCell[]): string {
  return `${key}: ${cells.length} cells`;
}

export function runSummary(cell: FinishedCell): RunOutput['summary'] {
  return cell.summary as RunOutput['summary'];
}

/** The summary's figures of one workload (by name; the first when no name is given). */
export function workloadOf(cell: FinishedCell, name?: string): WorkloadSummary | undefined {
  const workloads = runSummary(cell).workloads;
  return name === undefined ? workloads?.[0] : workloads?.find((w) => w.workload === name);
}

export function cacheVariant(cell: FinishedCell, variant: string): CacheSummary | undefined {
  return (cell.summary as { variants?: Record<string, CacheSummary> }).variants?.[variant];
}

export interface RangeClaimSpec {
  readonly id: string;
  readonly source: ClaimSource;
  readonly claim: string;
  readonly paper: string;
  readonly range: PaperRange;
  readonly format: (x: number) => string;
  readonly key: string;
}

/** A claim judged against a range of the paper's figure, from one value per seed. */
export function rangeClaimOfValues(spec: RangeClaimSpec, values: readonly (number | null)[], cells: readonly FinishedCell[], note = ''): ClaimResult {
  const e = estimate(values);
  const value = measured(e);
  const judged = judgeAgainstRange(value, spec.range, spec.format);
  return {
    id: spec.id,
    source: spec.source,
    claim: spec.claim,
    paper: spec.paper,
    twin: estimateText(e, spec.format),
    value,
    verdict: judged.verdict,
    why: note === '' ? judged.why : `${judged.why}; ${note}`,
    experiment: experimentText(spec.key, cells),
  };
}

/** A claim judged against a range of the paper's figure, from a figure of each cell. */
export function rangeClaim(
  spec: RangeClaimSpec,
  cells: readonly FinishedCell[],
  pick: (cell: FinishedCell) => number | null | undefined,
  note = '',
): ClaimResult {
  return rangeClaimOfValues(spec, cells.map((cell) => pick(cell) ?? null), cells, note);
}
