// The broker's backlog of requests that a rate-controlled selector (C3, Suresh et al. NSDI 2015
// section 4) could not send yet: one FIFO per routing unit (a mirror server set, or a segment),
// retried when the selector says a candidate will have a token, in unit order, each FIFO until the
// selector refuses again (absim's BackpressureScheduler, one per replica set; new requests for a unit
// that has waiting ones queue behind them). Requests of queries that ended meanwhile (timed out) are
// dropped. It counts what it held (requests, their waits), so a run can show whether rate control
// held a broker back. Units are those of the routing table in force: when it changes (servers join or
// leave, a rebalance moves segments, units are numbered anew), the waiting requests are keyed anew by
// their current unit, keeping the order they joined in, and the retry is timed anew, so that holding
// new requests behind waiting ones and the retry timing follow the current table.

import type { TimerId } from '../ids.js';
import type { Clock } from '../ports.js';

export interface BacklogHooks<E> {
  /** Tries to send the entry now; false if no candidate of its unit can take it yet. */
  trySend(entry: E): boolean;
  /** Time in ms at which the unit whose first waiting entry is `head` may be able to send again. */
  retryAtMs(head: E): number;
  /** Whether the entry still matters (its query has not ended). */
  isLive(entry: E): boolean;
  /** The version of the unit numbering now (the routing table's): entries are keyed anew when it changes. */
  unitVersion(): number;
  /** The entry's unit in the current numbering. */
  unitOf(entry: E): number;
}

/** A retry is never sooner than this after the last, so a selector that keeps refusing cannot spin. */
const MIN_RETRY_DELAY_MS = 0.1;

interface UnitQueue<E> {
  readonly entries: E[];
  /** Per entry: when it joined the backlog, in ms. */
  readonly sinceMs: number[];
  /** Per entry: its place in the order entries joined, over all units. */
  readonly joined: number[];
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
  /** The unit numbering the queues are keyed by. */
  private keyedVersion = -1;
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

  /** Whether requests for the unit (of the current numbering) are waiting. */
  isWaiting(unit: number): boolean {
    if (this.queues.size === 0) return false;
    this.rekeyIfStale();
    return this.queues.has(unit);
  }

  add(unit: number, entry: E): void {
    if (this.queues.size === 0) this.keyedVersion = this.hooks.unitVersion();
    else this.rekeyIfStale();
    this.push(unit, entry, this.clock.now(), this.held);
    this.held++;
    this.arm();
  }

  private push(unit: number, entry: E, sinceMs: number, joined: number): void {
    let queue = this.queues.get(unit);
    if (queue === undefined) {
      queue = { entries: [], sinceMs: [], joined: [], head: 0 };
      this.queues.set(unit, queue);
    }
    queue.entries.push(entry);
    queue.sinceMs.push(sinceMs);
    queue.joined.push(joined);
  }

  /**
   * After a change of the unit numbering: every waiting entry goes to the queue of its current unit,
   * in the order entries joined (queues first waited in that order too), entries of ended queries
   * are dropped, and a retry already set is timed anew for the new queues.
   */
  private rekeyIfStale(): void {
    const version = this.hooks.unitVersion();
    if (version === this.keyedVersion) return;
    this.keyedVersion = version;
    const nowMs = this.clock.now();
    const waiting: { entry: E; sinceMs: number; joined: number }[] = [];
    for (const queue of this.queues.values()) {
      for (let i = queue.head; i < queue.entries.length; i++) {
        const entry = queue.entries[i];
        if (this.hooks.isLive(entry)) waiting.push({ entry, sinceMs: queue.sinceMs[i], joined: queue.joined[i] });
        else this.countWait(nowMs - queue.sinceMs[i]);
      }
    }
    waiting.sort((a, b) => a.joined - b.joined);
    this.queues.clear();
    for (const { entry, sinceMs, joined } of waiting) this.push(this.hooks.unitOf(entry), entry, sinceMs, joined);
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
      this.arm();
    }
  }

  private drain(): void {
    this.rekeyIfStale();
    const nowMs = this.clock.now();
    for (const [unit, queue] of this.queues) {
      const entries = queue.entries;
      while (queue.head < entries.length) {
        const entry = entries[queue.head];
        if (this.hooks.isLive(entry) && !this.hooks.trySend(entry)) break;
        this.countWait(nowMs - queue.sinceMs[queue.head]);
        queue.head++;
      }
      if (queue.head === entries.length) this.queues.delete(unit);
      else if (queue.head > 1024 && queue.head * 2 > entries.length) {
        entries.splice(0, queue.head);
        queue.sinceMs.splice(0, queue.head);
        queue.joined.splice(0, queue.head);
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
    for (const queue of this.queues.values()) atMs = Math.min(atMs, this.hooks.retryAtMs(queue.entries[queue.head]));
    const nowMs = this.clock.now();
    this.timer = this.clock.setTimeout(this.onTimer, Math.max(MIN_RETRY_DELAY_MS, atMs - nowMs));
  }
}
