// Puts the twin's measured ADSS figures into the words of seed 004's Table 2 and says whether they
// agree, honestly (issue 6). The paper's Table 2 has words, not numbers, and does not give the
// threads, segments, servers per group, load or broker count behind them; the thresholds below that
// turn the twin's numbers into words are the twin's own, not the paper's:
//   diversion  none: the slow server kept at least 80 % of its fair share over the fault (mean over
//              seeds); fast: in most seeds its share fell below 10 % of fair within 2 s of the
//              fault's start and stayed below until the fault's end (the paper: "within 2-3 scoring
//              cycles"); gradual otherwise;
//   recovery   immediate: back to 90 % of fair within 1 s of the fault's end (median over seeds);
//              "2-3 s": within 5 s; slow: later or never; N/A when there was no diversion;
//   oscillation high: the healthy servers' request rates vary over time more than 1.25 times as much
//              as under the random selector on the same profile (a memoryless policy: its variation
//              is arrival and sampling noise alone).
// A word is taken per profile; the selector's word is the one most profiles give. The verdict is
// "agrees" or "disagrees" when the word holds on every point of the axis the study ran (broker count,
// slowdown), and "undetermined — the paper does not give X" when the word changes with X, which the
// paper does not state; also undetermined when the word changes with the seed at the base point.

import type { SelectorKind } from '../../engine/routing/server-selector.js';
import { BASE_BROKERS, BASE_SLOWDOWN, type StudyCell } from './adss-study.js';

interface PaperRow {
  readonly diversion: string;
  readonly oscillation: string;
  readonly recovery: string;
}

export const PAPER_TABLE_2: Partial<Record<SelectorKind, PaperRow>> = {
  'round-robin': { diversion: 'None', oscillation: 'N/A', recovery: 'N/A' },
  'in-flight': { diversion: 'Fast', oscillation: 'High', recovery: 'Immediate' },
  'latency-ema': { diversion: 'Gradual', oscillation: 'Low', recovery: 'Slow' },
  hybrid: { diversion: 'Fast', oscillation: 'Low', recovery: '2–3 s' },
};

export const THRESHOLDS = {
  undivertedShare: 0.8,
  fastDiversionMs: 2000,
  immediateRecoveryMs: 1000,
  slowRecoveryMs: 5000,
  highOscillationRatio: 1.25,
} as const;

export type Word = string;

/** "1 broker", "3 brokers". */
export const brokersLabel = (brokers: number): string => `${brokers} broker${brokers === 1 ? '' : 's'}`;

/** Diversion word of one run. */
function runDiversion(share: number | null, diversionMs: number | null): Word {
  if (share === null || share >= THRESHOLDS.undivertedShare) return 'None';
  return diversionMs !== null && diversionMs <= THRESHOLDS.fastDiversionMs ? 'Fast' : 'Gradual';
}

/** The most frequent word (ties: the first in `order`); '–' for no words. */
function mostCommon(words: readonly Word[], order: readonly Word[]): Word {
  if (words.length === 0) return '–';
  let best = order[0];
  let bestCount = -1;
  for (const word of order) {
    const count = words.filter((w) => w === word).length;
    if (count > bestCount) {
      best = word;
      bestCount = count;
    }
  }
  return best;
}

const DIVERSION_WORDS = ['Fast', 'Gradual', 'None'];
const RECOVERY_WORDS = ['Immediate', '2–3 s', 'Slow', 'N/A'];
const OSCILLATION_WORDS = ['High', 'Low', 'N/A'];

export interface CellWords {
  readonly diversion: Word;
  readonly recovery: Word;
  readonly oscillation: Word;
  /** Whether the seeds disagree on the diversion word. */
  readonly seedDependent: boolean;
  /** The oscillation as a multiple of the random selector's on the same point. */
  readonly oscillationRatio: number | null;
}

/** The words of one cell; `random` is the random selector's cell at the same point, if run. */
export function wordsOf(cell: StudyCell, random: StudyCell | undefined): CellWords {
  const perSeed = cell.runs.map((run) => runDiversion(run.share, run.diversionMs));
  const diversion = mostCommon(perSeed, DIVERSION_WORDS);
  const seedDependent = new Set(perSeed).size > 1;
  const recoveries = cell.recoveryMs.map((ms) => ms ?? Infinity).sort((a, b) => a - b);
  const medianRecoveryMs = recoveries[Math.floor((recoveries.length - 1) / 2)];
  const recovery =
    diversion === 'None'
      ? 'N/A'
      : medianRecoveryMs <= THRESHOLDS.immediateRecoveryMs
        ? 'Immediate'
        : medianRecoveryMs <= THRESHOLDS.slowRecoveryMs
          ? '2–3 s'
          : 'Slow';
  const base = random?.oscillation.mean ?? null;
  const oscillationRatio = cell.oscillation.mean === null || base === null || base <= 0 ? null : cell.oscillation.mean / base;
  const oscillation = oscillationRatio === null ? 'N/A' : oscillationRatio > THRESHOLDS.highOscillationRatio ? 'High' : 'Low';
  return { diversion, recovery, oscillation, seedDependent, oscillationRatio };
}

export interface SelectorVerdict {
  readonly diversion: Word;
  readonly oscillation: Word;
  readonly recovery: Word;
  /** "agrees", "disagrees", "undetermined — ...", or "not in the paper". */
  readonly verdict: string;
  /** Which words disagree, or what they depend on. */
  readonly detail: string;
}

/**
 * The selector's words across profiles at the base point, and the verdict. `axis` holds the selector's
 * cells at the other broker counts and slowdowns (may be empty); `randomAt` finds the random selector's
 * cell at a profile's base point (oscillation is only judged there).
 */
export function verdictOf(
  selector: SelectorKind,
  base: readonly StudyCell[],
  axis: readonly StudyCell[],
  randomAt: (profile: string) => StudyCell | undefined,
): SelectorVerdict {
  const baseWords = base.map((cell) => wordsOf(cell, randomAt(cell.profile)));
  const diversion = mostCommon(baseWords.map((w) => w.diversion), DIVERSION_WORDS);
  const recovery = mostCommon(baseWords.map((w) => w.recovery), RECOVERY_WORDS);
  const oscillation = mostCommon(baseWords.map((w) => w.oscillation), OSCILLATION_WORDS);
  const paper = PAPER_TABLE_2[selector];
  if (paper === undefined) return { diversion, oscillation, recovery, verdict: 'not in the paper', detail: '' };

  // What the words depend on: the axis points whose majority words differ from the base point's.
  const dependsOn: string[] = [];
  const axisWords = (filter: (cell: StudyCell) => boolean) =>
    mostCommon(axis.filter(filter).map((cell) => wordsOf(cell, undefined).diversion), DIVERSION_WORDS);
  const brokerPoints = new Set(axis.filter((c) => c.slowdown === BASE_SLOWDOWN).map((c) => c.brokers));
  const slowdownPoints = new Set(axis.filter((c) => c.brokers === BASE_BROKERS).map((c) => c.slowdown));
  const brokerWords = [...brokerPoints].map((b) => `${brokersLabel(b)}: ${axisWords((c) => c.brokers === b && c.slowdown === BASE_SLOWDOWN).toLowerCase()}`);
  const slowdownWords = [...slowdownPoints].map((s) => `${s}x: ${axisWords((c) => c.slowdown === s && c.brokers === BASE_BROKERS).toLowerCase()}`);
  if ([...brokerPoints].some((b) => axisWords((c) => c.brokers === b && c.slowdown === BASE_SLOWDOWN) !== diversion)) {
    dependsOn.push(`the broker count (diversion at ${BASE_BROKERS} brokers: ${diversion.toLowerCase()}; ${brokerWords.join(', ')})`);
  }
  if ([...slowdownPoints].some((s) => axisWords((c) => c.slowdown === s && c.brokers === BASE_BROKERS) !== diversion)) {
    dependsOn.push(`the slowdown (diversion at ${BASE_SLOWDOWN}x: ${diversion.toLowerCase()}; ${slowdownWords.join(', ')})`);
  }
  const misses: string[] = [];
  if (paper.diversion !== diversion) misses.push(`diversion ${diversion.toLowerCase()}, not ${paper.diversion.toLowerCase()}`);
  if (paper.oscillation !== 'N/A' && oscillation !== 'N/A' && paper.oscillation !== oscillation) misses.push(`oscillation ${oscillation.toLowerCase()}, not ${paper.oscillation.toLowerCase()}`);
  if (paper.recovery !== 'N/A' && recovery !== 'N/A' && paper.recovery !== recovery) misses.push(`recovery ${recovery.toLowerCase()}, not ${paper.recovery.toLowerCase()}`);
  const mixedProfiles = new Set(baseWords.map((w) => w.diversion)).size > 1;
  const seedDependent = baseWords.filter((w) => w.seedDependent).length * 2 > baseWords.length;

  if (dependsOn.length > 0) return { diversion, oscillation, recovery, verdict: `undetermined — the paper does not give ${dependsOn.map((d) => d.split(' (')[0]).join(' or ')}`, detail: dependsOn.join('; ') + (misses.length > 0 ? `; at the base point: ${misses.join('; ')}` : '') };
  if (seedDependent) return { diversion, oscillation, recovery, verdict: 'undetermined — the words change with the seed', detail: misses.join('; ') };
  if (misses.length === 0) return { diversion, oscillation, recovery, verdict: 'agrees', detail: mixedProfiles ? 'most profiles; see the detail table' : '' };
  return { diversion, oscillation, recovery, verdict: 'disagrees', detail: misses.join('; ') + (mixedProfiles ? ' (most profiles)' : '') };
}
