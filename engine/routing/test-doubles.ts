// Hand-written test doubles for the routing tests: a manual Clock whose timers run only when the test
// advances time, and seeded or scripted Rngs. Not used outside tests.

import type { TimerId } from '../ids.js';
import type { Clock, Rng } from '../ports.js';
import type { SelectorDeps, SelectorParams } from './server-selector.js';

interface PendingTimer {
  readonly id: number;
  readonly atMs: number;
  readonly fn: () => void;
}

export class ManualClock implements Clock {
  private nowMs = 0;
  private nextId = 0;
  private timers: PendingTimer[] = [];

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerId {
    const id = this.nextId++;
    this.timers.push({ id, atMs: this.nowMs + Math.max(delayMs, 0), fn });
    return id as unknown as TimerId;
  }

  clearTimeout(id: TimerId): void {
    this.timers = this.timers.filter((timer) => timer.id !== (id as unknown as number));
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time to targetMs, running every timer due by then in time order (ties in creation order). */
  advanceTo(targetMs: number): void {
    for (;;) {
      let due: PendingTimer | null = null;
      for (const timer of this.timers) {
        if (timer.atMs <= targetMs && (due === null || timer.atMs < due.atMs)) due = timer;
      }
      if (due === null) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.nowMs = due.atMs;
      due.fn();
    }
    this.nowMs = targetMs;
  }
}

/** A 32-bit linear congruential generator (Numerical Recipes constants). */
export class LcgRng implements Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 4294967296;
  }
}

/** Replays the given values in order, and fails the test if asked for more. */
export class ScriptedRng implements Rng {
  private position = 0;

  constructor(private readonly values: readonly number[]) {}

  next(): number {
    if (this.position >= this.values.length) throw new Error('ScriptedRng: no values left');
    return this.values[this.position++];
  }

  used(): number {
    return this.position;
  }
}

export const TEST_PARAMS: SelectorParams = {
  ewmaAlpha: 0.666,
  avgInitializationVal: 1,
  hybridScoreExponent: 3,
  queueFloor: 0,
  autodecayWindowMs: 10_000,
  warmupDurationMs: 0,
  latencyPriorMs: 0,
  softmaxTemperature: 1,
  c3EwmaWeight: 0.9,
  c3RateControl: null,
};

export function testDeps(rng: Rng, servers = 4, brokers = 1, clock: Clock = new ManualClock()): SelectorDeps {
  return { clock, rng, servers, brokers };
}
