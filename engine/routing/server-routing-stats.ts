// One broker's per-server routing statistics, as Pinot's ServerRoutingStatsManager keeps them for
// Adaptive Server Selection (PINOT-REFERENCE.md "Adaptive Server Selection", seed 004 section 4.2):
// a live in-flight count, an EMA of the in-flight count fed on submission with the count after
// incrementing, and an EMA of the latency fed when the broker is done with a request (a timeout is fed
// as its latency). Dense typed arrays indexed by ServerIndex; the two EMAs of all servers share one
// EmaBank (slot 2s: in-flight EMA of server s, slot 2s + 1: its latency EMA, side by side in memory
// so that scoring a server reads one cache line of the bank) and so one timer. Pinot creates a
// server's entry, and starts its warm-up, at the first submission to it.

import type { ServerIndex } from '../ids.js';
import type { Clock } from '../ports.js';
import { EmaBank, type EmaParams } from './ema.js';

const inFlightSlot = (server: ServerIndex): number => 2 * server;
const latencySlot = (server: ServerIndex): number => 2 * server + 1;

export class ServerRoutingStats {
  readonly servers: number;
  private readonly inFlight: Int32Array;
  private readonly emas: EmaBank;

  constructor(servers: number, params: EmaParams, clock: Clock) {
    this.servers = servers;
    this.inFlight = new Int32Array(servers);
    this.emas = new EmaBank(2 * servers, params, clock);
  }

  onSubmit(server: ServerIndex): void {
    // Opening the latency EMA marks the server as started (hasStats).
    this.emas.open(latencySlot(server));
    const count = ++this.inFlight[server];
    this.emas.update(inFlightSlot(server), count);
  }

  onComplete(server: ServerIndex, latencyMs: number): void {
    this.inFlight[server]--;
    if (latencyMs >= 0) this.emas.update(latencySlot(server), latencyMs);
  }

  /** True from the first submission to the server. */
  hasStats(server: ServerIndex): boolean {
    return this.emas.isOpen(latencySlot(server));
  }

  inFlightCount(server: ServerIndex): number {
    return this.inFlight[server];
  }

  inFlightEma(server: ServerIndex): number {
    return this.emas.average(inFlightSlot(server));
  }

  latencyEmaMs(server: ServerIndex): number {
    return this.emas.average(latencySlot(server));
  }

  /**
   * Pinot's hybrid score (F + A + B)^N * C: F the queue floor, A the live in-flight count, B the
   * in-flight EMA, N the exponent, C the latency EMA, never counted below latencyPriorMs (seed 004's
   * cold-start prior; 0 turns it off).
   */
  hybridScore(server: ServerIndex, exponent: number, queueFloor: number, latencyPriorMs: number): number {
    const estimatedQueue = queueFloor + this.inFlight[server] + this.emas.average(inFlightSlot(server));
    const latencyMs = Math.max(this.emas.average(latencySlot(server)), latencyPriorMs);
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
