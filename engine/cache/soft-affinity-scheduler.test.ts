// Soft-affinity placement: stable preferred workers, busy fallback that does not populate, and seats
// kept for an offline worker until the timeout (lazy data movement).

import { describe, expect, it } from 'vitest';
import { seededRng } from './cache-test-kit.js';
import { SoftAffinityScheduler, type SoftAffinityConfig, type SplitPlacement } from './soft-affinity-scheduler.js';

const config = (overrides: Partial<SoftAffinityConfig> = {}): SoftAffinityConfig => ({
  hashing: 'modular',
  virtualNodes: 1000,
  preferredWorkers: 2,
  fallbackCandidates: 10,
  offlineTimeoutMs: 0,
  ...overrides,
});

const idle = () => false;
const placement = (): SplitPlacement => ({ worker: -1, preferred: false });

describe('SoftAffinityScheduler', () => {
  for (const hashing of ['modular', 'consistent'] as const) {
    it(`${hashing}: the primary takes the split unless busy, then the secondary, then a non-populating fallback`, () => {
      const scheduler = new SoftAffinityScheduler(8, config({ hashing }), seededRng(1));
      const [primary, secondary] = scheduler.preferredWorkers(42, 0);
      expect(primary).not.toBe(secondary);
      const out = placement();
      scheduler.place(42, 0, idle, () => 0, out);
      expect(out).toEqual({ worker: primary, preferred: true });
      scheduler.place(42, 0, (w) => w === primary, () => 0, out);
      expect(out).toEqual({ worker: secondary, preferred: true });
      const load = (w: number) => (w === 5 ? 0 : 10);
      scheduler.place(42, 0, (w) => w === primary || w === secondary, load, out);
      expect(out.preferred).toBe(false);
    });
  }

  it('without seats kept, an offline worker remaps files; with them, files keep their workers', () => {
    const eager = new SoftAffinityScheduler(8, config(), seededRng(2));
    const lazy = new SoftAffinityScheduler(8, config({ offlineTimeoutMs: 60_000 }), seededRng(2));
    const before = Array.from({ length: 200 }, (_, file) => eager.preferredWorkers(file, 0)[0]);
    eager.setAlive(3, false, 1000);
    lazy.setAlive(3, false, 1000);
    const movedEager = before.filter((worker, file) => worker !== 3 && eager.preferredWorkers(file, 2000)[0] !== worker).length;
    const movedLazy = before.filter((worker, file) => lazy.preferredWorkers(file, 2000)[0] !== worker).length;
    expect(movedEager).toBeGreaterThan(100);
    expect(movedLazy).toBe(0);
    // While it is offline, its files go to their secondary.
    const out = placement();
    const file = before.indexOf(3);
    lazy.place(file, 2000, idle, () => 0, out);
    expect(out).toEqual({ worker: lazy.preferredWorkers(file, 2000)[1], preferred: true });
    // Past the timeout the worker loses its seats.
    expect(before.filter((worker, file) => lazy.preferredWorkers(file, 61_001)[0] !== worker).length).toBeGreaterThan(100);
  });

  it('consistent hashing moves only the offline worker\'s files', () => {
    const ring = new SoftAffinityScheduler(8, config({ hashing: 'consistent' }), seededRng(3));
    const before = Array.from({ length: 400 }, (_, file) => ring.preferredWorkers(file, 0)[0]);
    ring.setAlive(3, false, 0);
    const moved = before.filter((worker, file) => ring.preferredWorkers(file, 1)[0] !== worker);
    expect(moved.every((worker) => worker === 3)).toBe(true);
    expect(moved.length).toBe(before.filter((worker) => worker === 3).length);
  });
});
