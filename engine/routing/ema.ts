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

export class EmaBank {
  readonly size: number;
  private readonly alpha: number;
  private readonly windowMs: number;
  private readonly warmupMs: number;
  private readonly clock: Clock;
  private readonly averages: Float64Array;
  /** Time the slot was created; inputs before createdMs + warmupMs are ignored. */
  private readonly createdMs: Float64Array;
  /** Time of the slot's latest input (decay feeds excluded), once it has had one. */
  private readonly lastInputMs: Float64Array;
  /**
   * NONE, CREATED or FED (created and given an input). Kept as flags rather than sentinel times so
   * that the time arrays need no filling: a large cluster's brokers hold millions of slots, most of
   * them never touched (issue 5, "Speed at scale").
   */
  private readonly state: Uint8Array;
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
    this.averages = new Float64Array(size).fill(params.avgInitializationVal);
    this.createdMs = new Float64Array(size);
    this.lastInputMs = new Float64Array(size);
    this.state = new Uint8Array(size);
    this.decays = this.windowMs > 0 && this.alpha > 0;
    this.onTick = () => this.tick();
  }

  /** The slot's current average. */
  average(slot: number): number {
    return this.averages[slot];
  }

  /** Creates the slot now if it does not exist yet, which starts its warm-up. */
  open(slot: number): void {
    if (this.state[slot] === NONE) {
      this.state[slot] = CREATED;
      this.createdMs[slot] = this.clock.now();
    }
  }

  /** Feeds a value (ignored during the slot's warm-up) and arms auto-decay. */
  update(slot: number, value: number): void {
    this.open(slot);
    const nowMs = this.clock.now();
    this.lastInputMs[slot] = nowMs;
    this.state[slot] = FED;
    this.feed(slot, value, nowMs);
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

  private feed(slot: number, value: number, nowMs: number): void {
    if (nowMs < this.createdMs[slot] + this.warmupMs) return;
    this.averages[slot] = value * this.alpha + this.averages[slot] * (1 - this.alpha);
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
    for (let slot = 0; slot < this.size; slot++) {
      if (this.state[slot] !== FED) continue;
      if (nowMs - this.lastInputMs[slot] > this.windowMs) this.feed(slot, 0, nowMs);
      if (this.averages[slot] !== 0) changing = true;
    }
    if (changing && !this.disposed) this.schedule(nowMs);
  }
}
