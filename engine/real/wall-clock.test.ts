// The wall-clock Clock: the same port the simulated clock implements, on real time.
import { describe, expect, it } from 'vitest';
import { WallClock } from './wall-clock.js';

describe('WallClock', () => {
  it('fires a timer no earlier than its delay, and never a cleared one', async () => {
    const clock = new WallClock();
    const startMs = clock.now();
    const fired: string[] = [];
    const cleared = clock.setTimeout(() => fired.push('cleared'), 1);
    clock.clearTimeout(cleared);
    await new Promise<void>((resolve) =>
      clock.setTimeout(() => {
        fired.push('kept');
        resolve();
      }, 5),
    );
    expect(fired).toEqual(['kept']);
    expect(clock.now() - startMs).toBeGreaterThanOrEqual(4);
  });

  it('clears every pending timer at once', async () => {
    const clock = new WallClock();
    const fired: number[] = [];
    for (let i = 0; i < 3; i++) clock.setTimeout(() => fired.push(i), 2);
    expect(clock.pendingTimers()).toBe(3);
    clock.clearAll();
    expect(clock.pendingTimers()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fired).toEqual([]);
  });
});
