import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, type QueuedEvent } from './event-queue.js';

interface TestEvent extends QueuedEvent {
  readonly label: number;
}

describe('EventQueue', () => {
  it('pops in (key, seq) order whatever the mix of near, far and late pushes', () => {
    // Each step pushes events at offsets from the key last popped (negative: behind the cursor;
    // beyond 2^17: past the ring) and then pops a few; the order must equal a full sort.
    const step = fc.record({
      offsets: fc.array(fc.oneof(fc.integer({ min: -3, max: 50 }), fc.integer({ min: 100_000, max: 400_000 })), { maxLength: 6 }),
      pops: fc.integer({ min: 0, max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const queue = new EventQueue<TestEvent>();
        const pending: TestEvent[] = [];
        let seq = 0;
        let lastKey = 0;
        const popped: number[] = [];
        const expected: number[] = [];
        const popOne = (): boolean => {
          const event = queue.popBelow(Infinity);
          if (event === null) return false;
          pending.sort((a, b) => a.key - b.key || a.seq - b.seq);
          expected.push(pending.shift()!.label);
          popped.push(event.label);
          lastKey = event.key;
          return true;
        };
        for (const { offsets, pops } of steps) {
          for (const offset of offsets) {
            const event: TestEvent = { key: Math.max(0, lastKey + offset), seq: seq++, next: null, label: seq };
            // Behind the cursor is allowed only within the same tick (4 keys), as in the scheduler.
            if (event.key < lastKey - (lastKey % 4)) continue;
            queue.push(event);
            pending.push(event);
          }
          for (let i = 0; i < pops; i++) popOne();
        }
        while (popOne());
        expect(popped).toEqual(expected);
        expect(queue.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves events at or above the limit in place', () => {
    const queue = new EventQueue<TestEvent>();
    queue.push({ key: 10, seq: 0, next: null, label: 1 });
    queue.push({ key: 500_000, seq: 1, next: null, label: 2 });
    expect(queue.popBelow(10)).toBeNull();
    expect(queue.popBelow(11)?.label).toBe(1);
    expect(queue.popBelow(500_000)).toBeNull();
    expect(queue.popBelow(500_001)?.label).toBe(2);
    expect(queue.size).toBe(0);
  });
});
