// A dense bank of Pinot ExponentialMovingAverages (PINOT-REFERENCE.md "Adaptive Server Selection",
// seed 004 section 4.2): avg = alpha * value + (1 - alpha) * avg, starting at avgInitializationVal.
//
// Pinot behaviours kept, per average:
//   - Warm-up: an input arriving before createdMs + warmupDurationMs is ignored (the record is created
//     when it is first opened or updated, as Pinot creates a server's stats entry on first use).
//   - Auto-decay: an EMA with no input for longer than the window is fed a 0, once per window; it
//     starts only after the first input. Decay feeds go through the warm-up gate, as in Pinot.
// Scheduling differs from Pinot in form: Pinot gives every EMA its own fixed-rate task
// (period = window, phased at the EMA's creation). Here one periodic clock timer per bank scans all
// records; it starts at the first input and ticks on a fixed grid, so an idle EMA is decayed between one
// and two windows after its last input, as in Pinot. Pinot's decay also stamps the update time, which
// on an exact simulated clock with a strict "longer than" test would decay only every second window;
// we follow the documented rule instead: the decay does not count as an input, so an idle EMA is fed
// a 0 at every tick. The timer stops when no average can change any more (every started average is 0)
// and resumes on the same grid at the next input, so an idle bank keeps no simulation busy.
//
// Layout (issue 5, "Speed at scale"): the bank is an array of records, each holding `emas` averages
// created together (one creation time: Pinot creates a server's entry, with all its averages, at its
// first use) and `extraFields` other numbers of the owner's (a server's live in-flight count), every
// field of a record side by side in one Float64Array, so that reading or feeding a server's
// statistics touches one or two cache lines where thousands of brokers each keep thousands of
// servers. A record is a dense index (ServerSlots): the array grows by doubling when a record past
// its end is written (servers joining), and a record never written reads as never opened.

import type { TimerId } from '../ids.js';
import type { Clock } from '../ports.js';
import { withRoomFor } from './server-slots.js';

export interface EmaParams {
  /** Weight of the newest value, in [0, 1]. */
  readonly alpha: number;
  readonly avgInitializationVal: number;
  /** Auto-decay window; 0 or less disables auto-decay. */
  readonly autodecayWindowMs: number;
  readonly warmupDurationMs: number;
}

/** What a record holds: `emas` averages created together, and `extraFields` numbers of the owner's. */
export interface EmaRecordShape {
  readonly emas: number;
  readonly extraFields: number;
}

const ONE_EMA: EmaRecordShape = { emas: 1, extraFields: 0 };

/** State bits of a record: created (opened or updated), and one bit per EMA once it has had an input. */
const OPEN = 1;
const fedBit = (ema: number): number => 2 << ema;

export class EmaBank {
  private readonly alpha: number;
  private readonly windowMs: number;
  private readonly warmupMs: number;
  private readonly clock: Clock;
  private readonly emas: number;
  /** Numbers a record: its averages, their latest input times (decay feeds excluded), creation time, state, extras. */
  private readonly stride: number;
  /** Offsets in a record: creation time, state bits, first extra field. */
  private readonly createdAt: number;
  private readonly stateAt: number;
  private readonly extraAt: number;
  /**
   * Every record's fields side by side. The state is a bit set rather than a sentinel time, so the
   * array needs no filling: a record never touched keeps its pages untouched, and reads as
   * avgInitializationVal.
   */
  private records: Float64Array<ArrayBuffer>;
  private readonly initialAverage: number;
  private readonly onTick: () => void;
  /** Auto-decay is on: a positive window, and a 0 fed with weight alpha changes the average. */
  private readonly decays: boolean;
  private timer: TimerId | null = null;
  /** Time of the next tick of the decay grid (which starts one window after the first input). */
  private nextTickMs = Number.NaN;
  private disposed = false;

  /** `size` records to start with (more are added as they are written). */
  constructor(size: number, params: EmaParams, clock: Clock, shape: EmaRecordShape = ONE_EMA) {
    if (!(params.alpha >= 0 && params.alpha <= 1)) throw new RangeError(`EMA alpha ${params.alpha} is not in [0, 1]`);
    this.alpha = params.alpha;
    this.windowMs = params.autodecayWindowMs;
    this.warmupMs = params.warmupDurationMs;
    this.clock = clock;
    this.emas = shape.emas;
    this.createdAt = 2 * shape.emas;
    this.stateAt = this.createdAt + 1;
    this.extraAt = this.stateAt + 1;
    this.stride = this.extraAt + shape.extraFields;
    this.records = new Float64Array(Math.max(size, 1) * this.stride);
    this.initialAverage = params.avgInitializationVal;
    this.decays = this.windowMs > 0 && this.alpha > 0;
    this.onTick = () => this.tick();
  }

  /** Records the bank has room for now. */
  get capacity(): number {
    return this.records.length / this.stride;
  }

  /** The record's `ema`-th current average. */
  average(record: number, ema = 0): number {
    const at = record * this.stride;
    return at < this.records.length && this.records[at + this.stateAt] !== 0 ? this.records[at + ema] : this.initialAverage;
  }

  /** Whether the record was created (opened or updated). */
  isOpen(record: number): boolean {
    const at = record * this.stride;
    return at < this.records.length && this.records[at + this.stateAt] !== 0;
  }

  /** Creates the record now if it does not exist yet, which starts the warm-up of all its averages. */
  open(record: number): void {
    this.openAt(this.writable(record));
  }

  /** Feeds a value to the record's `ema`-th average (ignored during its warm-up) and arms auto-decay. */
  update(record: number, value: number, ema = 0): void {
    const at = this.writable(record);
    this.openAt(at);
    const nowMs = this.clock.now();
    const records = this.records;
    records[at + this.emas + ema] = nowMs;
    records[at + this.stateAt] = records[at + this.stateAt] | fedBit(ema);
    this.feed(at, ema, value, nowMs);
    if (this.timer === null && this.decays && !this.disposed) this.schedule(nowMs);
  }

  /** The record's extra field `field` (0 for a record never written). */
  extra(record: number, field: number): number {
    const at = record * this.stride;
    return at < this.records.length ? this.records[at + this.extraAt + field] : 0;
  }

  /** Adds `delta` to the record's extra field `field` (not opening the record); returns the new value. */
  addToExtra(record: number, field: number, delta: number): number {
    const at = this.writable(record) + this.extraAt + field;
    return (this.records[at] += delta);
  }

  /** Whether an auto-decay timer is pending (for tests and diagnostics). */
  decayArmed(): boolean {
    return this.timer !== null;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** Where the record starts, growing the array (doubling) when the record is past its end. */
  private writable(record: number): number {
    const at = record * this.stride;
    if (at >= this.records.length) this.records = withRoomFor(this.records, record, this.stride);
    return at;
  }

  /** Creates the record starting at `at` if it does not exist yet. */
  private openAt(at: number): void {
    const records = this.records;
    if (records[at + this.stateAt] !== 0) return;
    records[at + this.stateAt] = OPEN;
    for (let ema = 0; ema < this.emas; ema++) records[at + ema] = this.initialAverage;
    records[at + this.createdAt] = this.clock.now();
  }

  /** Feeds the `ema`-th average of the record starting at `at`. */
  private feed(at: number, ema: number, value: number, nowMs: number): void {
    const records = this.records;
    if (nowMs < records[at + this.createdAt] + this.warmupMs) return;
    records[at + ema] = value * this.alpha + records[at + ema] * (1 - this.alpha);
  }

  /** Arms the timer for the first grid point after nowMs. */
  private schedule(nowMs: number): void {
    if (Number.isNaN(this.nextTickMs)) {
      this.nextTickMs = nowMs + this.windowMs;
    } else if (this.nextTickMs <= nowMs) {
      this.nextTickMs += Math.ceil((nowMs - this.nextTickMs) / this.windowMs) * this.windowMs;
      if (this.nextTickMs <= nowMs) this.nextTickMs += this.windowMs;
    }
    this.timer = this.clock.setTimeout(this.onTick, this.nextTickMs - nowMs);
  }

  private tick(): void {
    this.timer = null;
    const nowMs = this.clock.now();
    let changing = false;
    const records = this.records;
    for (let at = 0; at < records.length; at += this.stride) {
      const state = records[at + this.stateAt];
      if (state === 0) continue;
      for (let ema = 0; ema < this.emas; ema++) {
        if ((state & fedBit(ema)) === 0) continue;
        if (nowMs - records[at + this.emas + ema] > this.windowMs) this.feed(at, ema, 0, nowMs);
        if (records[at + ema] !== 0) changing = true;
      }
    }
    if (changing && !this.disposed) this.schedule(nowMs);
  }
}
