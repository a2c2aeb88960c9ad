// Properties of the per-host budget ledger (seed 004 sections 2.4-2.5): it never admits an exhausted
// workload, charges between resets add up to what was measured, a reset restores exactly the
// configured budget, and addOrUpdateWorkload is idempotent.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../routing/test-doubles.js';
import { BudgetLedger } from './budget-ledger.js';

type Op =
  | { kind: 'try'; cpuNs: number; bytes: number }
  | { kind: 'charge'; cpuNs: number; bytes: number }
  | { kind: 'advance'; ms: number };

const amount = fc.integer({ min: 0, max: 400 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('try' as const), cpuNs: amount, bytes: amount }),
  fc.record({ kind: fc.constant('charge' as const), cpuNs: amount, bytes: amount }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
);
const budget = fc.record({ cpuCostNs: fc.integer({ min: 1, max: 1000 }), memoryCostBytes: fc.integer({ min: 1, max: 1000 }) });

describe('BudgetLedger', () => {
  it('never admits an exhausted workload; charges in a window add up; a reset restores the budget exactly', () => {
    fc.assert(
      fc.property(budget, fc.integer({ min: 1, max: 5000 }), fc.array(op, { maxLength: 60 }), (b, windowMs, ops) => {
        const clock = new ManualClock();
        const ledger = new BudgetLedger(clock, windowMs);
        ledger.addOrUpdateWorkload('w', b);
        let window = 0;
        let chargedCpu = 0;
        let chargedBytes = 0;
        for (const o of ops) {
          if (o.kind === 'advance') {
            clock.advanceTo(clock.now() + o.ms);
            continue;
          }
          const before = ledger.account('w')!;
          if (before.window !== window) {
            window = before.window;
            chargedCpu = 0;
            chargedBytes = 0;
            expect(before.remainingCpuNs).toBe(b.cpuCostNs);
            expect(before.remainingBytes).toBe(b.memoryCostBytes);
          }
          const exhausted = before.remainingCpuNs <= 0 || before.remainingBytes <= 0;
          if (o.kind === 'try') {
            const admitted = ledger.tryCharge('w', o.cpuNs, o.bytes);
            expect(admitted).toBe(!exhausted);
            if (admitted) {
              chargedCpu += o.cpuNs;
              chargedBytes += o.bytes;
            }
          } else {
            ledger.charge('w', o.cpuNs, o.bytes);
            chargedCpu += o.cpuNs;
            chargedBytes += o.bytes;
          }
          const after = ledger.account('w')!;
          expect(after.chargedCpuNs).toBe(chargedCpu);
          expect(after.chargedBytes).toBe(chargedBytes);
          expect(after.remainingCpuNs).toBe(b.cpuCostNs - chargedCpu);
          expect(after.remainingBytes).toBe(b.memoryCostBytes - chargedBytes);
        }
      }),
    );
  });

  it('addOrUpdateWorkload twice equals once, whatever was charged in between', () => {
    fc.assert(
      fc.property(budget, fc.array(amount, { maxLength: 10 }), (b, charges) => {
        const once = new BudgetLedger(new ManualClock(), 1000);
        const twice = new BudgetLedger(new ManualClock(), 1000);
        once.addOrUpdateWorkload('w', b);
        twice.addOrUpdateWorkload('w', b);
        for (const c of charges) {
          once.charge('w', c, c);
          twice.charge('w', c, c);
        }
        twice.addOrUpdateWorkload('w', { ...b });
        expect(twice.account('w')).toEqual(once.account('w'));
      }),
    );
  });

  it('keeps what was spent when a budget changes mid-window; a workload without a budget is not limited', () => {
    const clock = new ManualClock();
    const ledger = new BudgetLedger(clock, 5000);
    ledger.addOrUpdateWorkload('w', { cpuCostNs: 100, memoryCostBytes: 100 });
    expect(ledger.charge('w', 80, 10)).toBe(false);
    ledger.addOrUpdateWorkload('w', { cpuCostNs: 50, memoryCostBytes: 100 });
    expect(ledger.account('w')!.remainingCpuNs).toBe(-30);
    expect(ledger.tryCharge('w', 0, 0)).toBe(false);
    clock.advanceTo(5000);
    expect(ledger.tryCharge('w', 0, 0)).toBe(true);
    expect(ledger.account('w')!.remainingCpuNs).toBe(50);
    expect(ledger.tryCharge('other', 1e12, 1e12)).toBe(true);
    expect(() => ledger.charge('w', -1, 0)).toThrow(RangeError);
  });

  it('works with 5 s and 60 s windows: the reset comes at the window boundary, not before', () => {
    for (const windowMs of [5000, 60000]) {
      const clock = new ManualClock();
      const ledger = new BudgetLedger(clock, windowMs);
      ledger.addOrUpdateWorkload('w', { cpuCostNs: 10, memoryCostBytes: 10 });
      ledger.charge('w', 10, 0);
      clock.advanceTo(windowMs - 1);
      expect(ledger.isExhausted('w')).toBe(true);
      clock.advanceTo(windowMs);
      expect(ledger.isExhausted('w')).toBe(false);
    }
  });
});
