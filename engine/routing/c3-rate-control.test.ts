// Tests of C3's per-server rate control (NSDI 2015 section 4, as the authors' simulator absim runs
// it; see the header of c3-rate-control.ts): the interval token bucket, the receive-rate EWMA, the
// multiplicative decrease, the cubic increase capped at Smax, the hysteresis, and a property test
// that the rate stays finite and at or above its floor.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asServer } from '../ids.js';
import {
  C3_INITIAL_SENDING_RATE,
  C3_MIN_SENDING_RATE,
  C3_RATE_CONTROL_DEFAULTS,
  C3RateControl,
} from './c3-rate-control.js';
import { ManualClock } from './test-doubles.js';

const [s0, s1] = [asServer(0), asServer(1)];
const { rateIntervalMs: I, beta, cubicC: C, maxStep: Smax } = C3_RATE_CONTROL_DEFAULTS;

/** The C3 cubic: R(T) = C·(T − K)³ + Rmax, K = ∛(β·Rmax / C), T in ms since the last decrease. */
const cubic = (tMs: number, rMax: number) => C * (tMs - Math.cbrt((beta * rMax) / C)) ** 3 + rMax;

function setup(startMs = 0) {
  const clock = new ManualClock();
  clock.advanceTo(startMs);
  const control = new C3RateControl(2, C3_RATE_CONTROL_DEFAULTS, clock);
  return { clock, control };
}

function respond(control: C3RateControl, server: ReturnType<typeof asServer>, times: number): void {
  for (let i = 0; i < times; i++) control.onResponse(server);
}

/** Takes every token the server has now; returns how many. */
function drain(control: C3RateControl, server: ReturnType<typeof asServer>): number {
  let taken = 0;
  while (control.tryAcquire(server)) taken++;
  return taken;
}

/**
 * 50 responses in the first interval (receive rate 0: no decision), then at 40.5 ms, past the
 * hysteresis that the construction time counts as an increase, one response with the receive rate at
 * 0.1·50·0.9 = 4.5 < 10: the rate drops to 10·β = 2 with Rmax = 10.
 */
function decreasedAt40_5() {
  const { clock, control } = setup();
  respond(control, s0, 50);
  clock.advanceTo(40.5);
  expect(control.receiveRate(s0)).toBeCloseTo(4.5, 12);
  control.onResponse(s0);
  expect(control.sendingRate(s0)).toBeCloseTo(C3_INITIAL_SENDING_RATE * beta, 12);
  return { clock, control };
}

describe('C3RateControl token bucket', () => {
  it('starts every server at rate 10 with a full bucket, and enforces it per interval', () => {
    const { clock, control } = setup();
    expect(control.sendingRate(s0)).toBe(10);
    expect(control.sendingRate(s1)).toBe(10);
    expect(control.nextTokenMs(s0)).toBe(0);
    expect(drain(control, s0)).toBe(10);
    expect(control.nextTokenMs(s0)).toBe(20);
    clock.advanceTo(19.9);
    expect(control.tryAcquire(s0)).toBe(false);
    expect(control.nextTokenMs(s0)).toBe(20);
    // The other server's bucket is its own.
    expect(drain(control, s1)).toBe(10);
    clock.advanceTo(20);
    expect(control.nextTokenMs(s0)).toBe(20);
    expect(drain(control, s0)).toBe(10);
    expect(control.nextTokenMs(s0)).toBe(40);
  });

  it('banks no more than one interval of tokens when idle', () => {
    const { clock, control } = setup();
    expect(control.tryAcquire(s0)).toBe(true);
    clock.advanceTo(1_000);
    expect(drain(control, s0)).toBe(10);
    clock.advanceTo(1_010);
    expect(control.tryAcquire(s0)).toBe(false);
  });

  it('aligns intervals to the construction time', () => {
    const { clock, control } = setup(7);
    expect(drain(control, s0)).toBe(10);
    expect(control.nextTokenMs(s0)).toBe(27);
    clock.advanceTo(26.9);
    expect(control.tryAcquire(s0)).toBe(false);
    clock.advanceTo(27);
    expect(control.tryAcquire(s0)).toBe(true);
  });

  it('enforces a decreased rate from the next interval on', () => {
    // The bucket the decrease finds (refilled at rate 10) is spent first, as in absim.
    const { clock, control } = decreasedAt40_5();
    expect(drain(control, s0)).toBe(10);
    let sent = 0;
    for (let interval = 3; interval < 53; interval++) {
      clock.advanceTo(interval * I + 5);
      const now = drain(control, s0);
      expect(now).toBe(2);
      sent += now;
    }
    expect(sent).toBe(100);
  });

  it('points nextTokenMs at the boundary that brings a token, also below one token per interval', () => {
    // Receive rate 0.1·1·0.9^28 ≈ 0.0052 at 581 ms: responses decrease the rate 10 → 2 → 0.4 → 0.08
    // → 0.016 → floor 0.01, which stays above the receive rate, so it stays at the floor.
    const { clock, control } = setup();
    control.onResponse(s0);
    clock.advanceTo(581);
    const expected = [2, 0.4, 0.08, 0.016, C3_MIN_SENDING_RATE, C3_MIN_SENDING_RATE];
    for (const rate of expected) {
      control.onResponse(s0);
      expect(control.sendingRate(s0)).toBeCloseTo(rate, 12);
    }
    // The bucket refilled at rate 10 (10 tokens and just under one more) is spent first; the fraction
    // left makes one token at the next boundary.
    expect(drain(control, s0)).toBe(10);
    expect(control.nextTokenMs(s0)).toBe(600);
    clock.advanceTo(600);
    expect(drain(control, s0)).toBe(1);
    // Now nearly empty at a rate of 0.01 per interval: a whole token takes 100 boundaries.
    const next = control.nextTokenMs(s0);
    expect(next).toBe(600 + 100 * I);
    clock.advanceTo(next - 0.1);
    expect(control.tryAcquire(s0)).toBe(false);
    clock.advanceTo(next);
    expect(control.tryAcquire(s0)).toBe(true);
    expect(control.tryAcquire(s0)).toBe(false);
  });

  it('carries fractions of a token: a fractional rate is kept on average, at most ⌈rate⌉ per interval', () => {
    // Rate 1.6 (8·β) is reached in the hysteresis test below; rebuild it here.
    const { clock, control } = decreasedAt40_5();
    control.onResponse(s0); // 2 < 4.5: cubic increase to 0.8·Rmax = 8
    clock.advanceTo(81);
    control.onResponse(s0); // 8 > 3.825, 40.5 ms after the increase: decrease to 1.6
    expect(control.sendingRate(s0)).toBeCloseTo(1.6, 12);
    drain(control, s0);
    let sent = 0;
    for (let interval = 5; interval < 105; interval++) {
      clock.advanceTo(interval * I);
      const now = drain(control, s0);
      expect(now).toBeLessThanOrEqual(2);
      expect(now).toBeGreaterThanOrEqual(1);
      sent += now;
    }
    expect(Math.abs(sent - 160)).toBeLessThanOrEqual(1);
  });
});

describe('C3RateControl receive rate', () => {
  it('is an EWMA (weight 0.1) of responses per interval, decayed over silent intervals', () => {
    const { clock, control } = setup();
    respond(control, s0, 30); // receive rate 0: no decision, rate stays 10
    expect(control.receiveRate(s0)).toBe(0);
    clock.advanceTo(20);
    expect(control.receiveRate(s0)).toBeCloseTo(3, 12);
    clock.advanceTo(60);
    expect(control.receiveRate(s0)).toBeCloseTo(3 * 0.9 * 0.9, 12);
    expect(control.receiveRate(s1)).toBe(0);
    expect(control.sendingRate(s0)).toBe(10);
  });
});

describe('C3RateControl rate adaptation', () => {
  it('decreases multiplicatively (rate·β) when sending above the receive rate', () => {
    decreasedAt40_5();
  });

  it('grows back along the cubic toward Rmax and beyond, never by more than Smax per step', () => {
    const { clock, control } = decreasedAt40_5();
    // Decrease at 40.5 ms from Rmax = 10 to 2. The next response (2 < 4.5) is an increase with T = 0:
    // the cubic starts at (1 − β)·Rmax = 8, a step of 6 ≤ Smax.
    control.onResponse(s0);
    expect(control.sendingRate(s0)).toBeCloseTo(cubic(0, 10), 9);
    expect(control.sendingRate(s0)).toBeCloseTo(8, 9);
    // Flood the interval (held by the hysteresis: 8 > 4.5 right after an increase) so that the
    // receive rate stays far above the sending rate from here on.
    respond(control, s0, 10_000);
    expect(control.sendingRate(s0)).toBeCloseTo(8, 9);

    const steps: number[] = [];
    const step = () => {
      const before = control.sendingRate(s0);
      control.onResponse(s0);
      steps.push(control.sendingRate(s0) - before);
    };
    // Concave part, below Rmax, flattening out near it.
    clock.advanceTo(60);
    step();
    expect(control.sendingRate(s0)).toBeCloseTo(cubic(60 - 40.5, 10), 9);
    clock.advanceTo(100);
    step();
    expect(control.sendingRate(s0)).toBeCloseTo(cubic(100 - 40.5, 10), 9);
    expect(control.sendingRate(s0)).toBeLessThan(10);
    expect(control.sendingRate(s0)).toBeGreaterThan(9.9);
    // Convex part, beyond Rmax.
    clock.advanceTo(200);
    step();
    expect(control.sendingRate(s0)).toBeCloseTo(cubic(200 - 40.5, 10), 9);
    expect(control.sendingRate(s0)).toBeGreaterThan(10);
    // Far along the curve: each response adds Smax until the curve is reached.
    clock.advanceTo(400);
    expect(control.receiveRate(s0)).toBeGreaterThan(cubic(400 - 40.5, 10));
    const target = cubic(400 - 40.5, 10);
    const start = control.sendingRate(s0);
    for (let i = 0; i < 20; i++) step();
    const capped = Math.floor((target - start) / Smax);
    for (let i = 0; i < capped; i++) expect(steps[3 + i]).toBeCloseTo(Smax, 9);
    expect(control.sendingRate(s0)).toBeCloseTo(target, 9);
    for (const s of steps) expect(s).toBeLessThanOrEqual(Smax + 1e-9);
  });

  it('below K the increase step follows the curve even under the current rate (as absim does)', () => {
    // Receive rate 100 at 20 ms, rate 10 < 100: T = 20 ms since the start, R(20) ≈ 9.16 < 10.
    const { clock, control } = setup();
    respond(control, s0, 1_000);
    clock.advanceTo(20);
    control.onResponse(s0);
    expect(control.sendingRate(s0)).toBeCloseTo(cubic(20, 10), 9);
    expect(control.sendingRate(s0)).toBeLessThan(10);
  });

  it('holds a decrease for 2 intervals after an increase (and after construction)', () => {
    const { clock, control } = setup();
    respond(control, s0, 50);
    clock.advanceTo(20); // receive rate 5 < 10, but only 20 ms since the construction
    control.onResponse(s0);
    expect(control.sendingRate(s0)).toBe(10);
    clock.advanceTo(40); // receive rate 0.1·1 + 0.9·5 = 4.6; 40 ms is not more than 2 intervals
    control.onResponse(s0);
    expect(control.sendingRate(s0)).toBe(10);
    clock.advanceTo(40.5);
    control.onResponse(s0);
    expect(control.sendingRate(s0)).toBeCloseTo(2, 12);
    // The reversal into an increase is not held: 2 < 4.6 at once gives R(0) = 8.
    control.onResponse(s0);
    expect(control.sendingRate(s0)).toBeCloseTo(8, 9);
    // Now 8 > receive rate, but the increase at 40.5 ms holds decreases until after 80.5 ms.
    for (const at of [41, 60, 80, 80.5]) {
      clock.advanceTo(at);
      control.onResponse(s0);
      expect(control.receiveRate(s0)).toBeLessThan(8);
      expect(control.sendingRate(s0)).toBeCloseTo(8, 9);
    }
    clock.advanceTo(80.6);
    control.onResponse(s0);
    expect(control.sendingRate(s0)).toBeCloseTo(8 * beta, 9);
  });

  it('rejects parameters outside their ranges', () => {
    const clock = new ManualClock();
    const bad: Partial<typeof C3_RATE_CONTROL_DEFAULTS>[] = [
      { rateIntervalMs: 0 },
      { beta: 0 },
      { beta: 1 },
      { cubicC: 0 },
      { maxStep: 0 },
      { hysteresisIntervals: -1 },
    ];
    for (const override of bad) {
      expect(() => new C3RateControl(1, { ...C3_RATE_CONTROL_DEFAULTS, ...override }, clock)).toThrow(RangeError);
    }
    expect(() => new C3RateControl(-1, C3_RATE_CONTROL_DEFAULTS, clock)).toThrow(RangeError);
  });
});

describe('C3RateControl properties', () => {
  type Op =
    | { readonly kind: 'acquire'; readonly server: number; readonly count: number }
    | { readonly kind: 'respond'; readonly server: number; readonly count: number }
    | { readonly kind: 'advance'; readonly ms: number }
    | { readonly kind: 'waitForToken'; readonly server: number };

  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('acquire' as const), server: fc.integer({ min: 0, max: 1 }), count: fc.integer({ min: 1, max: 30 }) }),
    fc.record({ kind: fc.constant('respond' as const), server: fc.integer({ min: 0, max: 1 }), count: fc.integer({ min: 1, max: 300 }) }),
    fc.record({ kind: fc.constant('advance' as const), ms: fc.oneof(fc.double({ min: 0, max: 200, noNaN: true }), fc.double({ min: 0, max: 1e7, noNaN: true })) }),
    fc.record({ kind: fc.constant('waitForToken' as const), server: fc.integer({ min: 0, max: 1 }) }),
  );

  it('keeps the rate finite and ≥ the floor, and nextTokenMs truthful, for any sequence', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.array(op, { maxLength: 60 }), (startMs, ops) => {
        const clock = new ManualClock();
        clock.advanceTo(startMs);
        const control = new C3RateControl(2, C3_RATE_CONTROL_DEFAULTS, clock);
        for (const o of ops) {
          switch (o.kind) {
            case 'acquire':
              for (let i = 0; i < o.count; i++) control.tryAcquire(asServer(o.server));
              break;
            case 'respond':
              for (let i = 0; i < o.count; i++) control.onResponse(asServer(o.server));
              break;
            case 'advance':
              clock.advanceTo(clock.now() + o.ms);
              break;
            case 'waitForToken': {
              const server = asServer(o.server);
              const next = control.nextTokenMs(server);
              expect(Number.isFinite(next)).toBe(true);
              expect(next).toBeGreaterThanOrEqual(clock.now());
              if (next > clock.now()) expect(control.tryAcquire(server)).toBe(false);
              clock.advanceTo(next);
              expect(control.tryAcquire(server)).toBe(true);
              break;
            }
          }
          for (const server of [s0, s1]) {
            const rate = control.sendingRate(server);
            expect(Number.isFinite(rate)).toBe(true);
            expect(rate).toBeGreaterThanOrEqual(C3_MIN_SENDING_RATE);
            expect(Number.isFinite(control.receiveRate(server))).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
