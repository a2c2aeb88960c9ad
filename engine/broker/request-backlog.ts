// The broker's backlog of requests that a rate-controlled selector (C3, Suresh et al. NSDI 2015
// section 4) could not send yet: one FIFO per routing unit (a mirror server set, or a segment),
// retried when the selector says a candidate will have a token, in unit order, each FIFO until the
// selector refuses again (absim's BackpressureScheduler, one per replica set; new requests for a unit
// that has waiting ones queue behind them). Requests of queries that ended meanwhile (timed out) are
// dropped. It counts what it held (requests, their waits), so a run can show whether rate control
// held a broker back.

import type { TimerId } from '../ids.js';
import type { Clock } from '../ports.js';

export interface BacklogHooks<E> {
  /** Tries to send the entry now; false if no candidate of its unit can take it yet. */
  trySend(unit: number, entry: E): boolean;
  /** Time in ms at which the unit may be able to send again. */
  retryAtMs(unit: number): number;
  /** Whether the entry still matters (its query has not ended). */
  isLive(entry: E): boolean;
}

/** A retry is never sooner than this after the last, so a selector that keeps refusing cannot spin. */
const MIN_RETRY_DELAY_MS = 0.1;

interface UnitQueue<E> {
  readonly entries: E[];
  /** Per entry: when it joined the backlog, in ms. */
  readonly sinceMs: number[];
  head: number;
}

/** What a backlog held over a run: requests that waited for a token, and how long. */
export interface BacklogStats {
  /** Requests that joined the backlog (each waited for a token, or its query ended first). */
  readonly held: number;
  /** Their waits added up, in ms (until sent, or until dropped because the query had ended). */
  readonly waitMsTotal: number;
  /** The longest any one waited, in ms. */
  readonly longestWaitMs: number;
}

export class RequestBacklog<E> {
  /** Units with a queue, in the order they first waited (Map keeps insertion order). */
  private readonly queues = new Map<number, UnitQueue<E>>();
  private timer: TimerId | null = null;
  private held = 0;
  private waitMsTotal = 0;
  private longestWaitMs = 0;
  private readonly onTimer = (): void => {
    this.timer = null;
    this.drain();
  };

  constructor(
    private readonly clock: Clock,
    private readonly hooks: BacklogHooks<E>,
  ) {}

  /** Entries waiting, the ended queries' ones included until the next retry drops them. */
  get size(): number {
    let size = 0;
    for (const queue of this.queues.values()) size += queue.entries.length - queue.head;
    return size;
  }

  /** What the backlog has held so far (requests still waiting count with their wait up to now). */
  stats(): BacklogStats {
    const nowMs = this.clock.now();
    let waitMsTotal = this.waitMsTotal;
    let longestWaitMs = this.longestWaitMs;
    for (const queue of this.queues.values()) {
      for (let i = queue.head; i < queue.sinceMs.length; i++) {
        const waitMs = nowMs - queue.sinceMs[i];
        waitMsTotal += waitMs;
        if (waitMs > longestWaitMs) longestWaitMs = waitMs;
      }
    }
    return { held: this.held, waitMsTotal, longestWaitMs };
  }

  /** Whether requests for the unit are waiting. */
  isWaiting(unit: number): boolean {
    return this.queues.has(unit);
  }

  add(unit: number, entry: E): void {
    let queue = this.queues.get(unit);
    if (queue === undefined) {
      queue = { entries: [], sinceMs: [], head: 0 };
      this.queues.set(unit, queue);
    }
    queue.entries.push(entry);
    queue.sinceMs.push(this.clock.now());
    this.held++;
    this.arm();
  }

  private drain(): void {
    const nowMs = this.clock.now();
    for (const [unit, queue] of this.queues) {
      const entries = queue.entries;
      while (queue.head < entries.length) {
        const entry = entries[queue.head];
        if (this.hooks.isLive(entry) && !this.hooks.trySend(unit, entry)) break;
        this.countWait(nowMs - queue.sinceMs[queue.head]);
        queue.head++;
      }
      if (queue.head === entries.length) this.queues.delete(unit);
      else if (queue.head > 1024 && queue.head * 2 > entries.length) {
        entries.splice(0, queue.head);
        queue.sinceMs.splice(0, queue.head);
        queue.head = 0;
      }
    }
    this.arm();
  }

  private countWait(waitMs: number): void {
    this.waitMsTotal += waitMs;
    if (waitMs > this.longestWaitMs) this.longestWaitMs = waitMs;
  }

  /** Sets the timer for the earliest retry of any waiting unit, unless one is set. */
  private arm(): void {
    if (this.timer !== null || this.queues.size === 0) return;
    let atMs = Infinity;
    for (const unit of this.queues.keys()) atMs = Math.min(atMs, this.hooks.retryAtMs(unit));
    const nowMs = this.clock.now();
    this.timer = this.clock.setTimeout(this.onTimer, Math.max(MIN_RETRY_DELAY_MS, atMs - nowMs));
  }
}
