// Puts the twin's measured ADSS figures into the words of seed 004's Table 2 and says whether they
// agree. The thresholds are the twin's reading of the paper's words: "fast" diversion within 2 s (the
// paper: "within 2-3 scoring cycles"), "immediate" recovery within 1 s, "2-3 s" recovery from 1 s to
// 5 s, "slow" beyond; oscillation is "high" when the healthy servers' request rates vary over time
// more than 1.25 times as much as under round-robin on the same profile (round-robin's variation is
// the arrival noise alone).

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
const IMMEDIATE_RECOVERY_MS = 1000;
const SLOW_RECOVERY_MS = 5000;
const HIGH_OSCILLATION_RATIO = 1.25;

export interface SelectorVerdict {
  readonly diversion: string;
  readonly oscillation: string;
  readonly recovery: string;
  readonly agreement: string;
}

export function classifySelector(selector: SelectorKind, cells: readonly StudyCell[], all: readonly StudyCell[]): SelectorVerdict {
  const diversionMs = median(cells.map((c) => c.diversionMs ?? Infinity));
  const recoveryMs = median(cells.map((c) => c.recoveryMs ?? Infinity));
  const oscillationRatio = median(
    cells.map((c) => {
      const baseline = all.find((b) => b.profile === c.profile && b.selector === 'round-robin')?.oscillation;
      return c.oscillation === null || !baseline ? NaN : c.oscillation / baseline;
    }).filter((r) => !Number.isNaN(r)),
  );
  const divided = cells.filter((c) => c.diversionMs !== null).length;
  const diversionWord = !Number.isFinite(diversionMs) ? 'None' : diversionMs <= FAST_DIVERSION_MS ? 'Fast' : 'Gradual';
  const oscillationWord = Number.isNaN(oscillationRatio) ? 'N/A' : oscillationRatio > HIGH_OSCILLATION_RATIO ? 'High' : 'Low';
  const recoveryWord =
    diversionWord === 'None'
      ? 'N/A'
      : recoveryMs <= IMMEDIATE_RECOVERY_MS
        ? 'Immediate'
        : recoveryMs <= SLOW_RECOVERY_MS
          ? '2–3 s'
          : 'Slow';
  const diversion = `${diversionWord} (${formatMs(diversionMs)}, ${divided}/${cells.length} profiles)`;
  const oscillation = `${oscillationWord} (${Number.isNaN(oscillationRatio) ? '–' : `${oscillationRatio.toFixed(2)}× round-robin`})`;
  const recovery = `${recoveryWord} (${formatMs(recoveryMs)})`;

  const paper = PAPER_TABLE_2[selector];
  if (paper === undefined) return { diversion, oscillation, recovery, agreement: 'not in the paper' };
  const misses: string[] = [];
  if (paper.diversion !== diversionWord) misses.push(`diversion ${diversionWord.toLowerCase()}, not ${paper.diversion.toLowerCase()}`);
  if (paper.oscillation !== 'N/A' && paper.oscillation !== oscillationWord) misses.push(`oscillation ${oscillationWord.toLowerCase()}, not ${paper.oscillation.toLowerCase()}`);
  if (paper.recovery !== 'N/A' && paper.recovery !== recoveryWord) misses.push(`recovery ${recoveryWord.toLowerCase()}, not ${paper.recovery.toLowerCase()}`);
  return { diversion, oscillation, recovery, agreement: misses.length === 0 ? 'yes' : `no: ${misses.join('; ')}` };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function formatMs(value: number): string {
  if (!Number.isFinite(value)) return 'never';
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}
