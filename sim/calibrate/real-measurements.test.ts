// The real run's measurements summarised: how long requests' overheads stay correlated, estimated
// from when they were sent and how long they spent outside the servers (overheadWindowMs).

import { describe, expect, it } from 'vitest';
import { SeededRngSource } from '../../engine/wiring/seeded-rng-source.js';
import { overheadWindowMs } from './real-measurements.js';

/** A request every ms for 10 s, each overhead a quantile drawn per window of `windowMs` (per request with 0). */
function requests(windowMs: number): { sentMs: number[]; overheadMs: number[] } {
  const rng = new SeededRngSource(7).stream('overheads');
  const sentMs = Array.from({ length: 10_000 }, (_, i) => i);
  const shared = new Map<number, number>();
  const overheadMs = sentMs.map((ms) => {
    if (windowMs === 0) return Math.exp(3 * rng.next());
    const window = Math.floor(ms / windowMs);
    if (!shared.has(window)) shared.set(window, Math.exp(3 * rng.next()));
    return shared.get(window)!;
  });
  return { sentMs, overheadMs };
}

describe('overheadWindowMs', () => {
  it('finds the window over which overheads were shared', () => {
    for (const windowMs of [50, 200]) {
      const { sentMs, overheadMs } = requests(windowMs);
      expect(overheadWindowMs(sentMs, overheadMs)).toBeGreaterThan(0.7 * windowMs);
      expect(overheadWindowMs(sentMs, overheadMs)).toBeLessThan(1.3 * windowMs);
    }
  });

  it('finds none when every request drew its own, whatever order they are given in', () => {
    const { sentMs, overheadMs } = requests(0);
    expect(overheadWindowMs(sentMs, overheadMs)).toBeLessThan(5);
    expect(overheadWindowMs([...sentMs].reverse(), [...overheadMs].reverse())).toBeLessThan(5);
    expect(overheadWindowMs([1, 2], [3, 4])).toBe(0);
  });
});
