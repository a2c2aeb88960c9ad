// The words of seed 004's Table 2 given to measured figures, and the verdicts: agrees, disagrees, or
// undetermined when the word depends on what the paper does not give.
import { describe, expect, it } from 'vitest';
import type { SelectorKind } from '../../engine/routing/server-selector.js';
import { BASE_BROKERS, BASE_SLOWDOWN, cellOf, type StudyCell } from './adss-study.js';
import type { CellFigures } from './study-cell.js';
import { verdictOf, wordsOf } from './paper-verdicts.js';

function cell(selector: SelectorKind, profile: string, run: Partial<CellFigures>, brokers = BASE_BROKERS, slowdown = BASE_SLOWDOWN): StudyCell {
  const figures: CellFigures = {
    share: 1,
    diversionMs: null,
    recoveryMs: 0,
    oscillation: 0.2,
    degradedFraction: 0,
    p99DuringFaultMs: 1,
    p99Ms: 1,
    notCompletedFraction: 0,
    throttledBrokers: null,
    longestBacklogWaitMs: null,
    ...run,
  };
  return cellOf({ file: 'x.yaml', profile, selector, brokers, slowdown, overrides: [] }, [1, 2, 3, 4, 5], Array.from({ length: 5 }, () => figures));
}

const PROFILES = ['a', 'b', 'c'];
const randomAt = (profile: string) => cell('random', profile, { oscillation: 0.2 });
const fastHybrid = { share: 0.05, diversionMs: 800, recoveryMs: 2500, oscillation: 0.22 };

describe('Table 2 words', () => {
  it('calls a run that kept 80 % of its share undiverted, and one that stayed below 10 % within 2 s fast', () => {
    expect(wordsOf(cell('round-robin', 'a', { share: 0.95 }), randomAt('a')).diversion).toBe('None');
    const words = wordsOf(cell('hybrid', 'a', fastHybrid), randomAt('a'));
    expect([words.diversion, words.recovery, words.oscillation]).toEqual(['Fast', '2–3 s', 'Low']);
    expect(words.oscillationRatio).toBeCloseTo(1.1, 12);
    expect(wordsOf(cell('hybrid', 'a', { share: 0.4, diversionMs: null }), randomAt('a')).diversion).toBe('Gradual');
  });
});

describe('verdicts', () => {
  it('agrees when the words match the paper on every profile and every axis point', () => {
    const base = PROFILES.map((p) => cell('hybrid', p, fastHybrid));
    const axis = PROFILES.flatMap((p) => [cell('hybrid', p, fastHybrid, 10), cell('hybrid', p, fastHybrid, BASE_BROKERS, 25)]);
    expect(verdictOf('hybrid', base, axis, randomAt).verdict).toBe('agrees');
  });

  it('disagrees, saying what differs, when the words hold over the axis but differ from the paper', () => {
    const gradual = { share: 0.5, diversionMs: null, recoveryMs: 100, oscillation: 0.3 };
    const base = PROFILES.map((p) => cell('in-flight', p, gradual));
    const axis = PROFILES.map((p) => cell('in-flight', p, gradual, 10));
    const v = verdictOf('in-flight', base, axis, randomAt);
    expect(v.verdict).toBe('disagrees');
    expect(v.detail).toBe('diversion gradual, not fast');
  });

  it('is undetermined when the word changes with the broker count, which the paper does not give', () => {
    const base = PROFILES.map((p) => cell('hybrid', p, { share: 0.45, diversionMs: null, recoveryMs: 500 }));
    const axis = PROFILES.map((p) => cell('hybrid', p, { share: 0.03, diversionMs: 900, recoveryMs: 2500 }, 10));
    const v = verdictOf('hybrid', base, axis, randomAt);
    expect(v.verdict).toBe('undetermined — the paper does not give the broker count');
    expect(v.detail).toContain('10 brokers: fast');
  });

  it('says a selector the paper does not list is not in the paper', () => {
    expect(verdictOf('softmax', [cell('softmax', 'a', fastHybrid)], [], randomAt).verdict).toBe('not in the paper');
  });
});
