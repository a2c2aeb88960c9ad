// The discrete-time scheduler of the simulated world: integer ticks of 0.1 ms, as in the simulator of
// seed 004 section 4.3.
//
// Order within a tick is fixed. Every event carries a due tick, a phase and a sequence number taken
// when it was scheduled, and runs in (tick, phase, sequence) order:
//   1. Arrival  — new queries reach their broker (assigned round-robin).
//   2. Delivery — timers and message deliveries, by send sequence.
//   3. Server   — server progress: completions of work items (fast mode) or one literal step of every
//                 server's threads (literal mode).
//   4. Sample   — metric sampling.
// An event scheduled for the current tick in an earlier phase than the one running (a zero-latency
// reply sent by a server as it completes) runs next, before the rest of the later phase.
//
// Fast mode jumps from one event to the next, so a tick with nothing to do costs nothing. Literal mode
// visits every tick and calls the registered per-tick steppers in the Server phase; it exists so that
// tests can show the fast path and the literal one agree.

import { EventQueue, type QueuedEvent } from './event-queue.js';

export type Tick = number;

export const TICKS_PER_MS = 10;
export const msToTicks = (ms: number): Tick => Math.round(ms * TICKS_PER_MS);
export const ticksToMs = (ticks: Tick): number => ticks / TICKS_PER_MS;
/**
 * The ticks a duration spans, rounded up, so that nothing timed by it ends early; the allowance
 * keeps a whole number of ticks computed in floating point from rounding up to the next one.
 */
export const durationTicks = (ms: number): Tick => Math.max(0, Math.ceil(ms * TICKS_PER_MS - 1e-6));

export const enum Phase {
  Arrival = 0,
  Delivery = 1,
  Server = 2,
  Sample = 3,
}
const PHASES = 4;

export type SchedulerMode = 'fast' | 'literal';

/** A scheduled event. Kept opaque to callers, who may only cancel it. */
export interface ScheduledEvent extends QueuedEvent {
  key: number;
  seq: number;
  fn: ((arg: any) => void) | null;
  arg: unknown;
  /** Reused by the scheduler once it has run (post and callOnce), so no handle may outlive that. */
  pooled: boolean;
}

/** Something that advances by one tick at a time in literal mode (a server's thread pool). */
export interface TickStepper {
  step(tick: Tick): void;
}

export class Scheduler {
  readonly mode: SchedulerMode;
  private nowTick: Tick = 0;
  private seq = 0;
  private readonly queue = new EventQueue<ScheduledEvent>();
  private steppers: TickStepper[] = [];
  private executed = 0;
  /** Phase of the event fast mode is running, -1 between events and in literal mode. */
  private runningPhase = -1;
  /** Posted events that have run, ready for reuse: messages are most events, and this spares the GC. */
  private readonly spare: ScheduledEvent[] = [];

  constructor(mode: SchedulerMode = 'fast') {
    this.mode = mode;
  }

  get now(): Tick {
    return this.nowTick;
  }

  /** Events scheduled so far: unchanged between two calls means nothing was scheduled in between. */
  get scheduled(): number {
    return this.seq;
  }

  /** Events run so far; a measure of work for benchmarks. */
  get eventsRun(): number {
    return this.executed;
  }

  /** Schedules fn at a tick no earlier than now, in the given phase. */
  at(tick: Tick, phase: Phase, fn: () => void): ScheduledEvent {
    return this.call(tick, phase, fn, undefined);
  }

  /**
   * Schedules fn(arg): a handler made once per actor can then serve every message, with no closure
   * allocated per event.
   */
  call<A>(tick: Tick, phase: Phase, fn: (arg: A) => void, arg: A): ScheduledEvent {
    if (!(tick >= this.nowTick)) throw new Error(`event scheduled in the past: tick ${tick} < now ${this.nowTick}`);
    const event: ScheduledEvent = { key: tick * PHASES + phase, seq: this.seq++, next: null, fn, arg, pooled: false };
    this.queue.push(event);
    return event;
  }

  /**
   * Like call, but the scheduler reuses the event object once the event has run: the handle may
   * cancel the event until then, and the caller must let go of it when the event runs.
   */
  callOnce<A>(tick: Tick, phase: Phase, fn: (arg: A) => void, arg: A): ScheduledEvent {
    if (!(tick >= this.nowTick)) throw new Error(`event scheduled in the past: tick ${tick} < now ${this.nowTick}`);
    const event = this.spare.pop();
    if (event === undefined) {
      const fresh: ScheduledEvent = { key: tick * PHASES + phase, seq: this.seq++, next: null, fn, arg, pooled: true };
      this.queue.push(fresh);
      return fresh;
    }
    event.key = tick * PHASES + phase;
    event.seq = this.seq++;
    event.fn = fn;
    event.arg = arg;
    this.queue.push(event);
    return event;
  }

  /** Like call, for an event that can never be cancelled (a message delivery): no handle escapes. */
  post<A>(tick: Tick, phase: Phase, fn: (arg: A) => void, arg: A): void {
    this.callOnce(tick, phase, fn, arg);
  }

  cancel(event: ScheduledEvent): void {
    event.fn = null;
  }

  /** Registers a stepper called once per tick in the Server phase, in literal mode only. */
  addStepper(stepper: TickStepper): void {
    this.steppers.push(stepper);
  }

  /** Runs every event due up to and including endTick; afterwards now = endTick. */
  runUntil(endTick: Tick, onProgress?: (tick: Tick) => void): void {
    if (this.mode === 'fast') this.runFast(endTick, onProgress);
    else this.runLiteral(endTick, onProgress);
    this.nowTick = Math.max(this.nowTick, endTick);
  }

  /**
   * Whether an event posted now for `phase` of the current tick would be the very next one to run,
   * so that its work may be done at once instead, with the same outcome: true while fast mode runs
   * an event of a later phase (the new one would fall behind the queue's cursor, where events run
   * first) and no other such event waits. Literal mode always says no.
   */
  runsNext(phase: Phase): boolean {
    return this.runningPhase > phase && this.queue.lateIsEmpty();
  }

  private runFast(endTick: Tick, onProgress?: (tick: Tick) => void): void {
    const endKey = (endTick + 1) * PHASES;
    const queue = this.queue;
    let progressCountdown = 4096;
    try {
      for (let event = queue.popBelow(endKey); event !== null; event = queue.popBelow(endKey)) {
        const fn = event.fn;
        if (fn === null) continue;
        const key = event.key;
        this.nowTick = Math.floor(key / PHASES);
        this.runningPhase = key % PHASES;
        this.runEvent(event, fn);
        if (onProgress !== undefined && --progressCountdown === 0) {
          progressCountdown = 4096;
          onProgress(this.nowTick);
        }
      }
    } finally {
      this.runningPhase = -1;
    }
  }

  private runLiteral(endTick: Tick, onProgress?: (tick: Tick) => void): void {
    for (let tick = this.nowTick; tick <= endTick; tick++) {
      this.nowTick = tick;
      this.drainBelow(tick * PHASES + Phase.Server);
      for (const stepper of this.steppers) stepper.step(tick);
      this.drainBelow((tick + 1) * PHASES);
      if (onProgress !== undefined && tick % 10_000 === 0) onProgress(tick);
    }
  }

  private drainBelow(key: number): void {
    const queue = this.queue;
    for (let event = queue.popBelow(key); event !== null; event = queue.popBelow(key)) {
      const fn = event.fn;
      if (fn === null) continue;
      this.runEvent(event, fn);
    }
  }

  private runEvent(event: ScheduledEvent, fn: (arg: unknown) => void): void {
    const arg = event.arg;
    event.fn = null;
    this.executed++;
    if (event.pooled) {
      event.arg = undefined;
      this.spare.push(event);
    }
    fn(arg);
  }
}
