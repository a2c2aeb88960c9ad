// One broker's per-server routing statistics, as Pinot's ServerRoutingStatsManager keeps them for
// Adaptive Server Selection (PINOT-REFERENCE.md "Adaptive Server Selection", seed 004 section 4.2):
// a live in-flight count, an EMA of the in-flight count fed on submission with the count after
// incrementing, and an EMA of the latency fed when the broker is done with a request (a timeout is fed
// as its latency). Dense typed arrays indexed by ServerIndex; the two EMAs of all servers share one
// EmaBank (slot s: in-flight EMA of server s, slot servers + s: its latency EMA) and so one timer.
// Pinot creates a server's entry, and starts its warm-up, at the first submission to it.

import type { ServerIndex } from '../ids.js';
import type { Clock } from '../ports.js';
import { EmaBank, type EmaParams } from './ema.js';

export class ServerRoutingStats {
  readonly servers: number;
  private readonly inFlight: Int32Array;
  private readonly started: Uint8Array;
  private readonly emas: EmaBank;

  constructor(servers: number, params: EmaParams, clock: Clock) {
    this.servers = servers;
    this.inFlight = new Int32Array(servers);
    this.started = new Uint8Array(servers);
    this.emas = new EmaBank(2 * servers, params, clock);
  }

  onSubmit(server: ServerIndex): void {
    if (this.started[server] === 0) {
      this.started[server] = 1;
      this.emas.open(this.servers + server);
    }
    const count = ++this.inFlight[server];
    this.emas.update(server, count);
  }

  onComplete(server: ServerIndex, latencyMs: number): void {
    this.inFlight[server]--;
    if (latencyMs >= 0) this.emas.update(this.servers + server, latencyMs);
  }

  /** True from the first submission to the server. */
  hasStats(server: ServerIndex): boolean {
    return this.started[server] === 1;
  }

  inFlightCount(server: ServerIndex): number {
    return this.inFlight[server];
  }

  inFlightEma(server: ServerIndex): number {
    return this.emas.average(server);
  }

  latencyEmaMs(server: ServerIndex): number {
    return this.emas.average(this.servers + server);
  }

  /**
   * Pinot's hybrid score (F + A + B)^N * C: F the queue floor, A the live in-flight count, B the
   * in-flight EMA, N the exponent, C the latency EMA, never counted below latencyPriorMs (seed 004's
   * cold-start prior; 0 turns it off).
   */
  hybridScore(server: ServerIndex, exponent: number, queueFloor: number, latencyPriorMs: number): number {
    const estimatedQueue = queueFloor + this.inFlight[server] + this.emas.average(server);
    const latencyMs = Math.max(this.emas.average(this.servers + server), latencyPriorMs);
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
