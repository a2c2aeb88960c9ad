// The wall-clock side of the Clock port: real time and real timers. This folder is the only place
// allowed to read real time (DESIGN.md); the command line uses it to time runs and benchmarks.

import type { TimerId } from '../ids.js';
import type { Clock } from '../ports.js';

/** Milliseconds from an arbitrary origin, monotonic: for measuring how long something took. */
export function wallNowMs(): number {
  return performance.now();
}

export class WallClock implements Clock {
  private readonly originMs = performance.now();

  now(): number {
    return performance.now() - this.originMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerId {
    return setTimeout(fn, delayMs) as unknown as TimerId;
  }

  clearTimeout(id: TimerId): void {
    clearTimeout(id as unknown as NodeJS.Timeout);
  }
}
