// One broker's per-server routing statistics, as Pinot's ServerRoutingStatsManager keeps them for
// Adaptive Server Selection (PINOT-REFERENCE.md "Adaptive Server Selection", seed 004 section 4.2):
// a live in-flight count, an EMA of the in-flight count fed on submission with the count after
// incrementing, and an EMA of the latency fed when the broker is done with a request (a timeout is fed
// as its latency). Pinot creates a server's entry, and starts its warm-up, at the first submission to
// it. Layout (issue 5, "Speed at scale"): one EmaBank record per server, at the server's dense slot
// (ServerSlots, shared by the cluster's brokers: the candidates of a selection sit side by side),
// holding both EMAs, their input times, the entry's creation time and the live count in 56 bytes, so
// that scoring or feeding a server touches one record; the bank grows when a server joins.

import type { ServerIndex } from '../ids.js';
import type { Clock } from '../ports.js';
import { EmaBank, type EmaParams } from './ema.js';
import { ServerSlots } from './server-slots.js';

/** The averages of a server's record, and its extra field. */
const IN_FLIGHT_EMA = 0;
const LATENCY_EMA = 1;
const IN_FLIGHT_COUNT = 0;
const SHAPE = { emas: 2, extraFields: 1 };

export class ServerRoutingStats {
  readonly servers: number;
  private readonly slots: ServerSlots;
  private readonly emas: EmaBank;

  /** `slots`: where each server's record sits (by default in order of first use). */
  constructor(servers: number, params: EmaParams, clock: Clock, slots: ServerSlots = new ServerSlots(servers)) {
    this.servers = servers;
    this.slots = slots;
    this.emas = new EmaBank(Math.max(servers, slots.size), params, clock, SHAPE);
  }

  onSubmit(server: ServerIndex): void {
    const record = this.slots.slotOf(server);
    // Opening the record marks the server as started (hasStats).
    this.emas.open(record);
    const count = this.emas.addToExtra(record, IN_FLIGHT_COUNT, 1);
    this.emas.update(record, count, IN_FLIGHT_EMA);
  }

  onComplete(server: ServerIndex, latencyMs: number): void {
    const record = this.slots.slotOf(server);
    this.emas.addToExtra(record, IN_FLIGHT_COUNT, -1);
    if (latencyMs >= 0) this.emas.update(record, latencyMs, LATENCY_EMA);
  }

  /** True from the first submission to the server. */
  hasStats(server: ServerIndex): boolean {
    return this.emas.isOpen(this.slots.slotOf(server));
  }

  inFlightCount(server: ServerIndex): number {
    return this.emas.extra(this.slots.slotOf(server), IN_FLIGHT_COUNT);
  }

  inFlightEma(server: ServerIndex): number {
    return this.emas.average(this.slots.slotOf(server), IN_FLIGHT_EMA);
  }

  latencyEmaMs(server: ServerIndex): number {
    return this.emas.average(this.slots.slotOf(server), LATENCY_EMA);
  }

  /**
   * Pinot's hybrid score (F + A + B)^N * C: F the queue floor, A the live in-flight count, B the
   * in-flight EMA, N the exponent, C the latency EMA, never counted below latencyPriorMs (seed 004's
   * cold-start prior; 0 turns it off).
   */
  hybridScore(server: ServerIndex, exponent: number, queueFloor: number, latencyPriorMs: number): number {
    const record = this.slots.slotOf(server);
    const estimatedQueue = queueFloor + this.emas.extra(record, IN_FLIGHT_COUNT) + this.emas.average(record, IN_FLIGHT_EMA);
    const latencyMs = Math.max(this.emas.average(record, LATENCY_EMA), latencyPriorMs);
    // The default exponent, 3, multiplied out: this runs for every candidate of every selection.
    const scaled = exponent === 3 ? estimatedQueue * estimatedQueue * estimatedQueue : Math.pow(estimatedQueue, exponent);
    return scaled * latencyMs;
  }

  /** Whether the auto-decay timer is pending (for tests and diagnostics). */
  decayArmed(): boolean {
    return this.emas.decayArmed();
  }

  dispose(): void {
    this.emas.dispose();
  }
}
