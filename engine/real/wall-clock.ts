// The wall-clock side of the Clock port: real time and real timers. This folder is the only place
// allowed to read real time (DESIGN.md); the command line uses it to time runs and benchmarks. The
// clock keeps its pending timers, so a real run can cancel what the engine left armed (an EMA's
// decay timer re-arms itself forever) and its process can end.

import type { TimerId } from '../ids.js';
import type { Clock } from '../ports.js';

/** Milliseconds from an arbitrary origin, monotonic: for measuring how long something took. */
export function wallNowMs(): number {
  return performance.now();
}

export class WallClock implements Clock {
  private readonly originMs = performance.now();
  private readonly pending = new Set<NodeJS.Timeout>();

  now(): number {
    return performance.now() - this.originMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerId {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      fn();
    }, delayMs);
    this.pending.add(timer);
    return timer as unknown as TimerId;
  }

  clearTimeout(id: TimerId): void {
    const timer = id as unknown as NodeJS.Timeout;
    this.pending.delete(timer);
    clearTimeout(timer);
  }

  /** Timers set and neither fired nor cleared. */
  pendingTimers(): number {
    return this.pending.size;
  }

  /** Clears every pending timer: nothing set on this clock runs any more. */
  clearAll(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
