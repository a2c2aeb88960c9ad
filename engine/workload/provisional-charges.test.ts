// Provisional charges (seed 004 section 2.5): a request is charged its workload's learned mean cost
// at admission; its measured deltas consume that charge first and the rest is given back when it
// ends, so once every request has ended a window holds exactly what was measured; admission never
// lets an exhausted workload in; a reset keeps what is still reserved for requests in flight.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asQuery } from '../ids.js';
import { ManualClock } from '../routing/test-doubles.js';
import { BudgetLedger } from './budget-ledger.js';
import { ProvisionalCharges, type Usage } from './provisional-charges.js';

type Op =
  | { kind: 'admit'; query: number }
  | { kind: 'delta'; query: number; cpuNs: number; bytes: number }
  | { kind: 'end'; query: number };

const query = fc.integer({ min: 0, max: 5 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('admit' as const), query }),
  fc.record({ kind: fc.constant('delta' as const), query, cpuNs: fc.integer({ min: 0, max: 300 }), bytes: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ kind: fc.constant('end' as const), query }),
);

describe('ProvisionalCharges', () => {
  it('never admits when exhausted; after every request ended the window holds exactly the measured use', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.array(op, { maxLength: 80 }), (budgetNs, ops) => {
        const ledger = new BudgetLedger(new ManualClock(), 1000);
        ledger.addOrUpdateWorkload('w', { cpuCostNs: budgetNs, memoryCostBytes: 1e12 });
        const charges = new ProvisionalCharges(ledger, 'meanRequestCost');
        const running = new Map<number, Usage>();
        const uncovered: Usage = { cpuNs: 0, allocatedBytes: 0 };
        let measuredCpu = 0;
        let measuredBytes = 0;
        for (const o of ops) {
          const id = asQuery(o.query);
          if (o.kind === 'admit') {
            if (running.has(o.query)) continue;
            const exhausted = ledger.isExhausted('w');
            const admitted = charges.admit(id, 'w');
            expect(admitted).toBe(!exhausted);
            if (admitted) running.set(o.query, { cpuNs: 0, allocatedBytes: 0 });
          } else if (o.kind === 'delta') {
            const usage = running.get(o.query);
            if (usage === undefined) continue;
            charges.cover(id, o.cpuNs, o.bytes, uncovered);
            expect(uncovered.cpuNs).toBeGreaterThanOrEqual(0);
            ledger.charge('w', uncovered.cpuNs, uncovered.allocatedBytes);
            usage.cpuNs += o.cpuNs;
            usage.allocatedBytes += o.bytes;
            measuredCpu += o.cpuNs;
            measuredBytes += o.bytes;
          } else {
            const usage = running.get(o.query);
            if (usage === undefined) continue;
            charges.end(id, 'w', usage);
            running.delete(o.query);
          }
          const account = ledger.account('w')!;
          expect(account.outstandingCpuNs).toBeGreaterThanOrEqual(-1e-6);
          expect(account.chargedCpuNs - account.outstandingCpuNs).toBeCloseTo(measuredCpu, 6);
        }
        for (const [q, usage] of running) charges.end(asQuery(q), 'w', usage);
        const account = ledger.account('w')!;
        expect(account.outstandingCpuNs).toBeCloseTo(0, 6);
        expect(account.outstandingBytes).toBeCloseTo(0, 6);
        expect(account.chargedCpuNs).toBeCloseTo(measuredCpu, 6);
        expect(account.chargedBytes).toBeCloseTo(measuredBytes, 6);
        expect(charges.heldCount()).toBe(0);
      }),
    );
  });

  it('learns the mean cost per request and stops admitting once admitted work would use the budget', () => {
    const ledger = new BudgetLedger(new ManualClock(), 1000);
    ledger.addOrUpdateWorkload('w', { cpuCostNs: 1000, memoryCostBytes: 1e12 });
    const charges = new ProvisionalCharges(ledger, 'meanRequestCost');
    expect(charges.estimate('w').cpuNs).toBe(0);
    for (const [q, cpuNs] of [[1, 100], [2, 300]] as const) {
      charges.admit(asQuery(q), 'w');
      charges.end(asQuery(q), 'w', { cpuNs, allocatedBytes: 0 });
    }
    expect(charges.estimate('w').cpuNs).toBe(200);
    const before = ledger.account('w')!.remainingCpuNs;
    // Nothing of these has run yet: without provisional charges all eight would be admitted.
    const admitted = [3, 4, 5, 6, 7, 8, 9, 10].filter((q) => charges.admit(asQuery(q), 'w')).length;
    expect(admitted).toBe(Math.ceil(before / 200));
    const pinot = new BudgetLedger(new ManualClock(), 1000);
    pinot.addOrUpdateWorkload('w', { cpuCostNs: 1000, memoryCostBytes: 1e12 });
    const none = new ProvisionalCharges(pinot, 'none');
    expect([3, 4, 5, 6, 7, 8, 9, 10].filter((q) => none.admit(asQuery(q), 'w')).length).toBe(8);
  });

  it('a reset keeps what is reserved for requests in flight; exactly the budget when none is', () => {
    const clock = new ManualClock();
    const ledger = new BudgetLedger(clock, 1000);
    ledger.addOrUpdateWorkload('w', { cpuCostNs: 1000, memoryCostBytes: 1e12 });
    const charges = new ProvisionalCharges(ledger, 'meanRequestCost');
    charges.admit(asQuery(1), 'w');
    charges.end(asQuery(1), 'w', { cpuNs: 400, allocatedBytes: 0 });
    charges.admit(asQuery(2), 'w');
    clock.advanceTo(1000);
    expect(ledger.account('w')!.remainingCpuNs).toBe(600);
    const uncovered: Usage = { cpuNs: 0, allocatedBytes: 0 };
    charges.cover(asQuery(2), 100, 0, uncovered);
    expect(uncovered.cpuNs).toBe(0);
    charges.end(asQuery(2), 'w', { cpuNs: 100, allocatedBytes: 0 });
    expect(ledger.account('w')!.remainingCpuNs).toBe(900);
    clock.advanceTo(2000);
    expect(ledger.account('w')!.remainingCpuNs).toBe(1000);
  });
});
