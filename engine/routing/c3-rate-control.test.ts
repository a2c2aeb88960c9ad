// Tests of C3's per-server rate control against sequences computed by the rules of the authors'
// simulator (absim master, commit 348dac6a; see the header of c3-rate-control.ts). The expected values
// were produced by a line-by-line replica of absim's RateLimiter, ReceiveRate and
// Client.updateRates with a settable clock (Python, the same float arithmetic), and are checked here
// to 12 digits: the bucket over time, the receive rate, the rate after a decrease and along the cubic.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asServer } from '../ids.js';
import { C3_MIN_SENDING_RATE, C3_RATE_CONTROL_DEFAULTS, C3RateControl } from './c3-rate-control.js';
import { ManualClock } from './test-doubles.js';

const [s0, s1] = [asServer(0), asServer(1)];

function setup(startMs = 0) {
  const clock = new ManualClock();
  clock.advanceTo(startMs);
  const control = new C3RateControl(2, C3_RATE_CONTROL_DEFAULTS, clock);
  return { clock, control };
}

describe('C3RateControl token bucket (absim RateLimiter)', () => {
  it('a server that joined after it was made (index beyond its count) has a bucket of its own, as a reserved one would', () => {
    const { clock, control } = setup();
    const reserved = new C3RateControl(8, C3_RATE_CONTROL_DEFAULTS, clock);
    const joined = asServer(7);
    clock.advanceTo(1000);
    for (const c of [control, reserved]) {
      expect(c.tokensNow(joined)).toBe(C3_RATE_CONTROL_DEFAULTS.maxTokens);
      let taken = 0;
      while (taken < 100 && c.tryAcquire(joined)) taken++;
      expect(taken).toBe(50);
      expect(c.nextTokenMs(joined)).toBeCloseTo(1004, 12);
      expect(c.sendingRate(joined)).toBe(reserved.sendingRate(asServer(6)));
    }
    // Growing kept what the first servers had.
    expect(control.tokensNow(s0)).toBe(C3_RATE_CONTROL_DEFAULTS.maxTokens);
  });

  it('starts empty at 5 tokens per 20 ms, refills continuously, and caps at 50', () => {
    const { clock, control } = setup();
    expect(control.tokensNow(s0)).toBe(0);
    expect(control.tryAcquire(s0)).toBe(false);
    expect(control.nextTokenMs(s0)).toBe(4);
    clock.advanceTo(4);
    expect(control.tryAcquire(s0)).toBe(true);
    clock.advanceTo(10);
    expect(control.tokensNow(s0)).toBeCloseTo(1.5, 12);
    expect(control.tryAcquire(s0)).toBe(true);
    expect(control.tokensNow(s0)).toBeCloseTo(0.5, 12);
    expect(control.nextTokenMs(s0)).toBeCloseTo(12, 12);
    clock.advanceTo(1000);
    expect(control.tokensNow(s0)).toBe(C3_RATE_CONTROL_DEFAULTS.maxTokens);
    let taken = 0;
    while (control.tryAcquire(s0)) taken++;
    expect(taken).toBe(50);
    // The other server's bucket is its own, and full by now.
    expect(control.tokensNow(s1)).toBe(C3_RATE_CONTROL_DEFAULTS.maxTokens);
  });

  it('counts an interval from the construction time', () => {
    const { clock, control } = setup(1000);
    expect(control.nextTokenMs(s0)).toBe(1004);
    clock.advanceTo(1004);
    expect(control.tryAcquire(s0)).toBe(true);
  });
});

describe('C3RateControl rate adaptation (absim Client.updateRates on every response)', () => {
  // [time ms, responses at that time, sending rate after them, receive rate after them].
  const SEQUENCE: readonly (readonly [number, number, number, number])[] = [
    // Receive rate 10 > 5: the cubic from T = 5 ms, Rmax = 10, K = ∛(β·Rmax/C) ≈ 79.4 ms.
    [5, 3, 8.354665299188941, 10],
    // A new interval: receive = 0.9 · 4 + 0.1 · 10; above it, but held by the hysteresis (20 ≤ 40 ms).
    [25, 1, 8.354665299188941, 4.6],
    // Past the hysteresis: Rmax = 8.35, rate · 0.2.
    [50, 1, 1.6709330598377883, 1.36],
    // Consecutive decreases are not spaced.
    [55, 1, 0.33418661196755767, 1.36],
    // Below the receive rate: the cubic from the last decrease (T = 5 ms, under K).
    [60, 1, 1.4387982623593036, 1.936],
    [75, 30, 1.6175751631404598, 1.936],
    [82, 1, 1.6522487315928205, 28.0936],
    [101, 1, 1.670980702816654, 3.70936],
    [250, 1, 0.3341961405633308, 1.270936],
    // After 20 intervals or more without an update, the receive rate is reset to the count (0): every
    // response of that interval then finds sending > receive and cuts the rate, down to the floor.
    [1200, 60, C3_MIN_SENDING_RATE, 0],
    [1201, 1, C3_MIN_SENDING_RATE, 0],
    // The next interval: receive = 0.9 · 61; the cubic from the last decrease, T = 99 ms.
    [1300, 1, 3.683636042032458, 54.9],
    // T = 299 ms: the cubic is far above, so the step is capped at Smax = 10.
    [1500, 1, 13.683636042032457, 6.39],
    // Above the receive rate, but within the hysteresis of the increase at 1500.
    [1501, 1, 13.683636042032457, 6.39],
  ];

  it("follows absim's sequence: rate after a decrease, after the cubic growth, capped at Smax", () => {
    const { clock, control } = setup();
    for (const [atMs, responses, sending, receiving] of SEQUENCE) {
      clock.advanceTo(atMs);
      for (let i = 0; i < responses; i++) control.onResponse(s0);
      expect(control.sendingRate(s0), `rate at ${atMs} ms`).toBeCloseTo(sending, 12);
      expect(control.receiveRate(s0), `receive rate at ${atMs} ms`).toBeCloseTo(receiving, 12);
    }
    // The other server saw none of it: its rate is the initial one, and its receive rate, read after
    // more than 20 silent intervals, is reset to its count, 0.
    expect(control.sendingRate(s1)).toBe(5);
    expect(control.receiveRate(s1)).toBe(0);
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

  it('keeps the rate finite and positive, and nextTokenMs truthful, for any sequence', () => {
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
            // An increase below K may land just under the decrease floor (at (1 − β) · Rmax), never at 0.
            expect(rate).toBeGreaterThanOrEqual((1 - C3_RATE_CONTROL_DEFAULTS.beta) * C3_MIN_SENDING_RATE);
            expect(Number.isFinite(control.receiveRate(server))).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
