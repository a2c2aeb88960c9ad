// The words of seed 004's Table 2 given to measured figures, and the verdict against the paper.
import { describe, expect, it } from 'vitest';
import type { SelectorKind } from '../../engine/routing/server-selector.js';
import type { StudyCell } from './adss-study.js';
import { classifySelector } from './paper-verdicts.js';

const cell = (selector: SelectorKind, profile: string, figures: Partial<StudyCell>): StudyCell => ({
  profile,
  selector,
  diversionMs: null,
  recoveryMs: null,
  shareDuringFault: 1,
  oscillation: 0.2,
  degradedFraction: 0,
  p99DuringFaultMs: 1,
  p99Ms: 1,
  ...figures,
});

const random = ['a', 'b', 'c'].map((p) => cell('random', p, { oscillation: 0.2 }));

describe('classifySelector', () => {
  it('agrees with the paper for a hybrid that diverts fast, stays smooth and recovers in 2-3 s', () => {
    const hybrid = ['a', 'b', 'c'].map((p) => cell('hybrid', p, { shareDuringFault: 0.05, diversionMs: 800, recoveryMs: 2500, oscillation: 0.22 }));
    const verdict = classifySelector('hybrid', hybrid, [...hybrid, ...random]);
    expect(verdict.agreement).toBe('yes');
    expect(verdict.diversion).toBe('Fast (share 0.05 of fair)');
    expect(verdict.oscillation).toBe('Low (1.10× random)');
    expect(verdict.recovery).toBe('2–3 s (2.5 s)');
  });

  it('says what differs when the measured behaviour departs from the paper', () => {
    const inFlight = ['a', 'b', 'c'].map((p) => cell('in-flight', p, { shareDuringFault: 0.5, diversionMs: null, recoveryMs: 100, oscillation: 0.3 }));
    const verdict = classifySelector('in-flight', inFlight, [...inFlight, ...random]);
    expect(verdict.diversion).toBe('Gradual (share 0.50 of fair)');
    expect(verdict.oscillation).toBe('High (1.50× random)');
    expect(verdict.agreement).toBe('no: diversion gradual, not fast');
  });

  it('calls a server that kept its share undiverted, with no recovery to speak of', () => {
    const roundRobin = ['a', 'b', 'c'].map((p) => cell('round-robin', p, { shareDuringFault: 1, recoveryMs: 0 }));
    const verdict = classifySelector('round-robin', roundRobin, [...roundRobin, ...random]);
    expect(verdict.diversion).toBe('None (share 1.00 of fair)');
    expect(verdict.recovery).toBe('N/A (0 ms)');
    expect(verdict.agreement).toBe('yes');
  });
});
