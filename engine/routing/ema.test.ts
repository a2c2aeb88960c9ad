// Tests of the EMA bank: Pinot's update rule, warm-up, and auto-decay driven by clock timers.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmaBank, type EmaParams } from './ema.js';
import { ManualClock } from './test-doubles.js';

const params = (overrides: Partial<EmaParams> = {}): EmaParams => ({
  alpha: 0.5,
  avgInitializationVal: 0,
  autodecayWindowMs: 10,
  warmupDurationMs: 0,
  ...overrides,
});

describe('EmaBank update rule', () => {
  it('blends the new value with weight alpha, starting from the initial value', () => {
    const bank = new EmaBank(2, params({ alpha: 0.5, avgInitializationVal: 1 }), new ManualClock());
    expect(bank.average(0)).toBe(1);
    bank.update(0, 3);
    expect(bank.average(0)).toBe(2);
    bank.update(0, 0);
    expect(bank.average(0)).toBe(1);
    expect(bank.average(1)).toBe(1);
  });

  it('matches avg = alpha * value + (1 - alpha) * avg for any inputs', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 20 }),
        (alpha, initial, values) => {
          const bank = new EmaBank(1, params({ alpha, avgInitializationVal: initial }), new ManualClock());
          let expected = initial;
          for (const value of values) {
            bank.update(0, value);
            expected = alpha * value + (1 - alpha) * expected;
            expect(bank.average(0)).toBeCloseTo(expected, 6);
          }
        },
      ),
    );
  });

  it('rejects an alpha outside [0, 1]', () => {
    expect(() => new EmaBank(1, params({ alpha: 1.5 }), new ManualClock())).toThrow(RangeError);
  });
});

describe('EmaBank warm-up', () => {
  it('ignores inputs until warmupDurationMs after the slot was created', () => {
    const clock = new ManualClock();
    const bank = new EmaBank(2, params({ alpha: 1, avgInitializationVal: 7, warmupDurationMs: 100 }), clock);
    bank.update(0, 5);
    expect(bank.average(0)).toBe(7);
    clock.advanceTo(99);
    bank.update(0, 5);
    expect(bank.average(0)).toBe(7);
    clock.advanceTo(100);
    bank.update(0, 5);
    expect(bank.average(0)).toBe(5);
  });

  it('starts each slot’s warm-up when that slot is created', () => {
    const clock = new ManualClock();
    const bank = new EmaBank(2, params({ alpha: 1, avgInitializationVal: 7, warmupDurationMs: 100 }), clock);
    bank.open(0);
    clock.advanceTo(150);
    bank.open(1);
    bank.update(0, 3);
    bank.update(1, 3);
    expect(bank.average(0)).toBe(3);
    expect(bank.average(1)).toBe(7);
  });
});

describe('EmaBank auto-decay', () => {
  it('does nothing, and holds no timer, before the first update', () => {
    const clock = new ManualClock();
    const bank = new EmaBank(2, params({ avgInitializationVal: 1 }), clock);
    bank.open(0);
    clock.advanceTo(1000);
    expect(bank.average(0)).toBe(1);
    expect(bank.decayArmed()).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('feeds a 0 once per window to an EMA idle for longer than the window', () => {
    const clock = new ManualClock();
    const bank = new EmaBank(1, params(), clock);
    clock.advanceTo(1000);
    bank.update(0, 8);
    expect(bank.average(0)).toBe(4);
    expect(clock.pendingTimers()).toBe(1);
    clock.advanceTo(1010);
    expect(bank.average(0)).toBe(4);
    clock.advanceTo(1020);
    expect(bank.average(0)).toBe(2);
    clock.advanceTo(1029);
    expect(bank.average(0)).toBe(2);
    clock.advanceTo(1030);
    expect(bank.average(0)).toBe(1);
    clock.advanceTo(1040);
    expect(bank.average(0)).toBe(0.5);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('restarts the idle period at every input, per slot', () => {
    const clock = new ManualClock();
    const bank = new EmaBank(2, params(), clock);
    bank.update(0, 8);
    clock.advanceTo(15);
    bank.update(1, 8);
    bank.update(0, 8);
    clock.advanceTo(20);
    expect(bank.average(0)).toBe(6);
    expect(bank.average(1)).toBe(4);
    clock.advanceTo(30);
    expect(bank.average(0)).toBe(3);
    expect(bank.average(1)).toBe(2);
  });

  it('stops its timer once nothing can decay, and resumes on the same grid', () => {
    const clock = new ManualClock();
    const bank = new EmaBank(1, params({ alpha: 1 }), clock);
    bank.update(0, 5);
    clock.advanceTo(20);
    expect(bank.average(0)).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    clock.advanceTo(25);
    bank.update(0, 3);
    clock.advanceTo(30);
    expect(bank.average(0)).toBe(3);
    clock.advanceTo(40);
    expect(bank.average(0)).toBe(0);
  });

  it('keeps no timer when the window is 0, and none after dispose', () => {
    const clock = new ManualClock();
    const off = new EmaBank(1, params({ autodecayWindowMs: 0 }), clock);
    off.update(0, 5);
    expect(clock.pendingTimers()).toBe(0);
    const on = new EmaBank(1, params(), clock);
    on.update(0, 5);
    expect(clock.pendingTimers()).toBe(1);
    on.dispose();
    expect(clock.pendingTimers()).toBe(0);
    on.update(0, 5);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('EmaBank records', () => {
  it('creates a record\'s averages together, feeds each alone and keeps its extra fields', () => {
    const clock = new ManualClock();
    const bank = new EmaBank(1, params({ alpha: 1, avgInitializationVal: 7, warmupDurationMs: 100, autodecayWindowMs: 0 }), clock, { emas: 2, extraFields: 1 });
    clock.advanceTo(50);
    bank.update(0, 3, 0);
    clock.advanceTo(150);
    bank.update(0, 4, 1);
    // Both averages were created at 50: the second is out of its warm-up at 150.
    expect(bank.average(0, 0)).toBe(7);
    expect(bank.average(0, 1)).toBe(4);
    expect(bank.addToExtra(0, 0, 2)).toBe(2);
    expect(bank.addToExtra(0, 0, -1)).toBe(1);
    expect(bank.extra(0, 0)).toBe(1);
  });

  it('grows when a record past its end is written; records never written read as never opened', () => {
    const clock = new ManualClock();
    const bank = new EmaBank(2, params({ alpha: 0.5, avgInitializationVal: 1 }), clock, { emas: 2, extraFields: 1 });
    bank.update(1, 3, 1);
    bank.update(9, 5, 0);
    expect(bank.capacity).toBeGreaterThanOrEqual(10);
    expect(bank.average(1, 1)).toBe(2);
    expect(bank.average(9, 0)).toBe(3);
    expect(bank.isOpen(5)).toBe(false);
    expect(bank.average(5, 1)).toBe(1);
    expect(bank.isOpen(1000)).toBe(false);
    expect(bank.average(1000, 0)).toBe(1);
    expect(bank.extra(1000, 0)).toBe(0);
  });

  it('decays only the averages that had an input', () => {
    const clock = new ManualClock();
    const bank = new EmaBank(1, params({ avgInitializationVal: 1 }), clock, { emas: 2, extraFields: 0 });
    bank.update(0, 8, 0);
    expect(bank.average(0, 0)).toBe(4.5);
    clock.advanceTo(20);
    expect(bank.average(0, 0)).toBe(2.25);
    expect(bank.average(0, 1)).toBe(1);
  });
});
