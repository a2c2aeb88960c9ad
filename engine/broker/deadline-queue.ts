// The deadlines of a broker's pending queries that share one timeout (DESIGN.md "Seams", per-query
// deadlines). Queries with the same timeout reach their deadlines in arrival order, so one timer, set
// for the oldest pending entry, serves them all: the clock holds one timer per distinct timeout
// instead of one per query in flight.

import type { TimerId } from '../ids.js';
import type { Clock } from '../ports.js';

export interface Deadlined {
  readonly deadlineMs: number;
  readonly done: boolean;
}

/** Deadlines are compared in ms that the clock may have rounded to its resolution. */
const DEADLINE_SLACK_MS = 1e-6;

export class DeadlineQueue<T extends Deadlined> {
  private readonly entries: (T | null)[] = [];
  private head = 0;
  private timer: TimerId | null = null;
  private readonly onTimer = (): void => this.expire();

  constructor(
    private readonly clock: Clock,
    readonly timeoutMs: number,
    private readonly onExpired: (entry: T, nowMs: number) => void,
  ) {}

  /** Adds an entry whose deadline is now + timeoutMs. */
  push(entry: T): void {
    this.entries.push(entry);
    if (this.timer === null) this.timer = this.clock.setTimeout(this.onTimer, this.timeoutMs);
  }

  /**
   * Drops ended entries from the front (letting go of them at once, so they do not outlive their
   * query in memory), and reclaims the queue's space now and then.
   */
  compact(): void {
    const queue = this.entries;
    while (this.head < queue.length && queue[this.head]!.done) queue[this.head++] = null;
    if (this.head > 1024 && this.head * 2 > queue.length) {
      queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Ends every entry whose deadline has passed, then sets the timer for the oldest one left. */
  private expire(): void {
    this.timer = null;
    const nowMs = this.clock.now();
    const queue = this.entries;
    while (this.head < queue.length) {
      const entry = queue[this.head]!;
      if (!entry.done && entry.deadlineMs > nowMs + DEADLINE_SLACK_MS) break;
      queue[this.head++] = null;
      if (!entry.done) this.onExpired(entry, nowMs);
    }
    this.compact();
    if (this.head < queue.length) this.timer = this.clock.setTimeout(this.onTimer, queue[this.head]!.deadlineMs - nowMs);
  }
}
