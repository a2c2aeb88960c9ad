// A dense bank of Pinot ExponentialMovingAverages (PINOT-REFERENCE.md "Adaptive Server Selection",
// seed 004 section 4.2): avg = alpha * value + (1 - alpha) * avg, starting at avgInitializationVal.
//
// Pinot behaviours kept, per slot:
//   - Warm-up: an input arriving before createdMs + warmupDurationMs is ignored (the slot is created
//     when it is first opened or updated, as Pinot creates a server's stats entry on first use).
//   - Auto-decay: an EMA with no input for longer than the window is fed a 0, once per window; it
//     starts only after the first input. Decay feeds go through the warm-up gate, as in Pinot.
// Scheduling differs from Pinot in form: Pinot gives every EMA its own fixed-rate task
// (period = window, phased at the EMA's creation). Here one periodic clock timer per bank scans all
// slots; it starts at the first input and ticks on a fixed grid, so an idle EMA is decayed between one
// and two windows after its last input, as in Pinot. Pinot's decay also stamps the update time, which
// on an exact simulated clock with a strict "longer than" test would decay only every second window;
// we follow the documented rule instead: the decay does not count as an input, so an idle EMA is fed
// a 0 at every tick. The timer stops when no slot can change any more (every started average is 0)
// and resumes on the same grid at the next input, so an idle bank keeps no simulation busy.

import type { TimerId } from '../ids.js';
import type { Clock } from '../ports.js';

export interface EmaParams {
  /** Weight of the newest value, in [0, 1]. */
  readonly alpha: number;
  readonly avgInitializationVal: number;
  /** Auto-decay window; 0 or less disables auto-decay. */
  readonly autodecayWindowMs: number;
  readonly warmupDurationMs: number;
}

const NONE = 0;
const CREATED = 1;
const FED = 2;

/** A slot's fields, at slot * SLOT_FIELDS + field. */
const enum SlotField {
  Average = 0,
  /** Time the slot was created; inputs before it plus the warm-up are ignored. */
  CreatedMs = 1,
  /** Time of the slot's latest input (decay feeds excluded), once it has had one. */
  LastInputMs = 2,
  State = 3,
}
const SLOT_FIELDS = 4;

export class EmaBank {
  readonly size: number;
  private readonly alpha: number;
  private readonly windowMs: number;
  private readonly warmupMs: number;
  private readonly clock: Clock;
  /**
   * Each slot's fields side by side (SlotField, SLOT_FIELDS numbers a slot), so that reading or
   * feeding an EMA touches one cache line: a large cluster's brokers each hold thousands of slots and
   * read them at random (issue 5, "Speed at scale"). The state field (NONE, CREATED or FED) is a flag
   * rather than a sentinel time, so the array needs no filling: a slot never touched keeps its pages
   * untouched, and reads as avgInitializationVal.
   */
  private readonly slots: Float64Array;
  private readonly initialAverage: number;
  private readonly onTick: () => void;
  /** Auto-decay is on: a positive window, and a 0 fed with weight alpha changes the average. */
  private readonly decays: boolean;
  private timer: TimerId | null = null;
  /** Time of the next tick of the decay grid (which starts one window after the first input). */
  private nextTickMs = Number.NaN;
  private disposed = false;

  constructor(size: number, params: EmaParams, clock: Clock) {
    if (!(params.alpha >= 0 && params.alpha <= 1)) throw new RangeError(`EMA alpha ${params.alpha} is not in [0, 1]`);
    this.size = size;
    this.alpha = params.alpha;
    this.windowMs = params.autodecayWindowMs;
    this.warmupMs = params.warmupDurationMs;
    this.clock = clock;
    this.slots = new Float64Array(size * SLOT_FIELDS);
    this.initialAverage = params.avgInitializationVal;
    this.decays = this.windowMs > 0 && this.alpha > 0;
    this.onTick = () => this.tick();
  }

  /** The slot's current average. */
  average(slot: number): number {
    const at = slot * SLOT_FIELDS;
    return this.slots[at + SlotField.State] === NONE ? this.initialAverage : this.slots[at + SlotField.Average];
  }

  /** Whether the slot was created (opened or updated). */
  isOpen(slot: number): boolean {
    return this.slots[slot * SLOT_FIELDS + SlotField.State] !== NONE;
  }

  /** Creates the slot now if it does not exist yet, which starts its warm-up. */
  open(slot: number): void {
    const at = slot * SLOT_FIELDS;
    if (this.slots[at + SlotField.State] === NONE) {
      this.slots[at + SlotField.State] = CREATED;
      this.slots[at + SlotField.Average] = this.initialAverage;
      this.slots[at + SlotField.CreatedMs] = this.clock.now();
    }
  }

  /** Feeds a value (ignored during the slot's warm-up) and arms auto-decay. */
  update(slot: number, value: number): void {
    this.open(slot);
    const nowMs = this.clock.now();
    const at = slot * SLOT_FIELDS;
    this.slots[at + SlotField.LastInputMs] = nowMs;
    this.slots[at + SlotField.State] = FED;
    this.feed(at, value, nowMs);
    if (this.timer === null && this.decays && !this.disposed) this.schedule(nowMs);
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

  /** Feeds the slot whose fields start at `at`. */
  private feed(at: number, value: number, nowMs: number): void {
    const slots = this.slots;
    if (nowMs < slots[at + SlotField.CreatedMs] + this.warmupMs) return;
    slots[at + SlotField.Average] = value * this.alpha + slots[at + SlotField.Average] * (1 - this.alpha);
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
    const slots = this.slots;
    for (let at = 0; at < slots.length; at += SLOT_FIELDS) {
      if (slots[at + SlotField.State] !== FED) continue;
      if (nowMs - slots[at + SlotField.LastInputMs] > this.windowMs) this.feed(at, 0, nowMs);
      if (slots[at + SlotField.Average] !== 0) changing = true;
    }
    if (changing && !this.disposed) this.schedule(nowMs);
  }
}
