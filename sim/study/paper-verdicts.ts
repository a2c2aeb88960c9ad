// Puts the twin's measured ADSS figures into the words of seed 004's Table 2 and says whether they
// agree. The thresholds are the twin's reading of the paper's words, per profile, then the median
// over profiles: diversion is "none" when the slow server kept 80 % or more of its fair share over
// the fault, "fast" when its share fell below 10 % of fair within 2 s (the paper: "within 2-3 scoring
// cycles"), "gradual" otherwise; recovery "immediate" within 1 s, "2-3 s" up to 5 s, "slow" beyond;
// oscillation is "high" when the healthy servers' request rates vary over time more than 1.25 times
// as much as under the random selector on the same profile (a memoryless policy: its variation is the
// arrival and sampling noise alone).

import * as ss from 'simple-statistics';
import type { SelectorKind } from '../../engine/routing/server-selector.js';
import type { StudyCell } from './adss-study.js';

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

const FAST_DIVERSION_MS = 2000;
/** A slow server that kept this much of its fair share over the fault was not diverted at all. */
const UNDIVERTED_SHARE = 0.8;
const IMMEDIATE_RECOVERY_MS = 1000;
const SLOW_RECOVERY_MS = 5000;
const HIGH_OSCILLATION_RATIO = 1.25;

const DIVERSION_WORDS = ['Fast', 'Gradual', 'None'] as const;

export interface SelectorVerdict {
  readonly diversion: string;
  readonly oscillation: string;
  readonly recovery: string;
  readonly agreement: string;
}

/** How one run diverted: fast (below 10 % of fair share within 2 s), gradual (later or partly), or not. */
function diversionRank(cell: StudyCell): number {
  if (cell.shareDuringFault === null || cell.shareDuringFault >= UNDIVERTED_SHARE) return 2;
  return cell.diversionMs !== null && cell.diversionMs <= FAST_DIVERSION_MS ? 0 : 1;
}

export function classifySelector(selector: SelectorKind, cells: readonly StudyCell[], all: readonly StudyCell[]): SelectorVerdict {
  const diversionWord = DIVERSION_WORDS[Math.round(median(cells.map(diversionRank)))];
  const share = median(cells.map((c) => c.shareDuringFault ?? 1));
  const recoveryMs = median(cells.map((c) => c.recoveryMs ?? Infinity));
  const oscillationRatio = median(
    cells
      .map((c) => {
        const baseline = all.find((b) => b.profile === c.profile && b.selector === 'random')?.oscillation;
        return c.oscillation === null || !baseline ? NaN : c.oscillation / baseline;
      })
      .filter((r) => !Number.isNaN(r)),
  );
  const oscillationWord = Number.isNaN(oscillationRatio) ? 'N/A' : oscillationRatio > HIGH_OSCILLATION_RATIO ? 'High' : 'Low';
  const recoveryWord =
    diversionWord === 'None'
      ? 'N/A'
      : recoveryMs <= IMMEDIATE_RECOVERY_MS
        ? 'Immediate'
        : recoveryMs <= SLOW_RECOVERY_MS
          ? '2–3 s'
          : 'Slow';
  const diversion = `${diversionWord} (share ${share.toFixed(2)} of fair)`;
  const oscillation = `${oscillationWord} (${Number.isNaN(oscillationRatio) ? '–' : `${oscillationRatio.toFixed(2)}× random`})`;
  const recovery = `${recoveryWord} (${formatMs(recoveryMs)})`;

  const paper = PAPER_TABLE_2[selector];
  if (paper === undefined) return { diversion, oscillation, recovery, agreement: 'not in the paper' };
  const misses: string[] = [];
  if (paper.diversion !== diversionWord) misses.push(`diversion ${diversionWord.toLowerCase()}, not ${paper.diversion.toLowerCase()}`);
  if (paper.oscillation !== 'N/A' && paper.oscillation !== oscillationWord) misses.push(`oscillation ${oscillationWord.toLowerCase()}, not ${paper.oscillation.toLowerCase()}`);
  if (paper.recovery !== 'N/A' && paper.recovery !== recoveryWord) misses.push(`recovery ${recoveryWord.toLowerCase()}, not ${paper.recovery.toLowerCase()}`);
  return { diversion, oscillation, recovery, agreement: misses.length === 0 ? 'yes' : `no: ${misses.join('; ')}` };
}

/** The median, NaN for no values (Infinity stands for "never" and sorts last). */
function median(values: readonly number[]): number {
  return values.length === 0 ? NaN : ss.median([...values]);
}

function formatMs(value: number): string {
  if (!Number.isFinite(value)) return 'never';
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}
