// The contract between a broker and its Adaptive Server Selection policy (seed 004 section 4.2,
// PINOT-REFERENCE.md "Adaptive Server Selection"). A selector owns the broker's per-server routing
// statistics; the broker tells it when a request is sent and when it is done with one, and asks it to
// pick a server among candidates holding the same data, in one of Pinot's two ways ("Selection"):
// select() per segment (BalancedInstanceSelector) or selectRanked() from one ranking per query
// (ReplicaGroupInstanceSelector, and seed 004's per-MSS selection).

import type { ServerIndex } from '../ids.js';
import type { ServerFeedback } from '../messages.js';
import type { Clock, Rng } from '../ports.js';
import type { C3RateControlParams } from './c3-rate-control.js';
import type { ServerSlots } from './server-slots.js';

export const SELECTOR_KINDS = ['round-robin', 'random', 'in-flight', 'latency-ema', 'hybrid', 'softmax', 'c3'] as const;
export type SelectorKind = (typeof SELECTOR_KINDS)[number];

/**
 * What select() returns when a rate-controlled selector (C3 with rate control) may send to none of
 * the candidates now: the request waits in the broker's backlog until retryAtMs.
 */
export const NO_SERVER = -1 as ServerIndex;

export interface ServerSelector {
  /**
   * Picks one of the candidates (never empty), as Pinot's selectors do per segment. `unitKey` names the
   * candidate set (the MSS position or the segment) so that round-robin can keep one rotation per set;
   * other selectors ignore it. Only a selector with retryAtMs may answer NO_SERVER.
   */
  select(candidates: readonly ServerIndex[], unitKey: number): ServerIndex;
  /**
   * Picks the best-ranked candidate of a ranking taken once per query, as Pinot's replica-group routing
   * does (fetchServerRankingsWithScores): a server without statistics ranks first, then the lowest
   * score, ties at random from the selector's stream (Pinot shuffles before a stable sort). The broker
   * routes a whole query before it sends anything, so the statistics read here are one snapshot.
   * Selectors without it (round-robin, random) route whole queries to one replica group instead.
   */
  selectRanked?(candidates: readonly ServerIndex[], unitKey: number): ServerIndex;
  /** For a selector that may refuse: the time in ms at which one of the candidates can take a request. */
  retryAtMs?(candidates: readonly ServerIndex[]): number;
  /** A request was sent to the server. */
  onSubmit(server: ServerIndex): void;
  /**
   * The broker is done with a request to the server: it was answered latencyMs after it was sent, or it
   * was not answered in time (latencyMs is then the query timeout and feedback is null). The live
   * in-flight count is decremented here.
   */
  onComplete(server: ServerIndex, latencyMs: number, feedback: ServerFeedback | null): void;
  /**
   * True for a selector told of every reply as it arrives, whatever the broker's statsUpdate (C3's
   * clients update on every response).
   */
  readonly perReply?: boolean;
  /**
   * True for a selector fed latencies at the clock's own resolution whatever the broker's
   * latencyResolution: C3 subtracts the service time the server reports, exactly, from the latency,
   * and absim measures both in the same floating-point time (a whole-millisecond latency would make
   * that wait negative whenever a reply returns within the millisecond it was sent).
   */
  readonly exactLatency?: boolean;
  /**
   * True for a selector that reads the feedback onComplete is given: a broker that tells it of its
   * replies only at the end of the scatter then keeps each reply until then (others keep none).
   */
  readonly readsFeedback?: boolean;
  /** Stops the selector's timers (auto-decay). */
  dispose(): void;
}

/** Tunables, named after Pinot's `pinot.broker.adaptive.server.selector.*` keys where one exists. */
export interface SelectorParams {
  /** ewma.alpha: weight of the newest value in both EMAs. */
  readonly ewmaAlpha: number;
  /** avg.initialization.val: the EMAs' starting value. */
  readonly avgInitializationVal: number;
  /** hybrid.score.exponent: N in (F + A + B)^N * C. */
  readonly hybridScoreExponent: number;
  /** F in the hybrid score; 1 matches C3 and keeps idle servers from all scoring 0. */
  readonly queueFloor: number;
  /** autodecay.window.ms: an EMA not updated for longer than this is fed a 0, once per window. */
  readonly autodecayWindowMs: number;
  /** warmup.duration: EMA inputs are ignored until this much time has passed. */
  readonly warmupDurationMs: number;
  /** Seed 004's cold-start latency prior: the latency term never counts below this (0 = off). */
  readonly latencyPriorMs: number;
  /** Softmax temperature, relative to the mean score plus one (softmax.ts). */
  readonly softmaxTemperature: number;
  /** C3: EWMA weight of the newest sample. */
  readonly c3EwmaWeight: number;
  /** C3: cubic rate control per server with these constants (a backlog holds requests waiting for a token), or null for none. */
  readonly c3RateControl: C3RateControlParams | null;
}

export interface SelectorDeps {
  readonly clock: Clock;
  /** The selector's own random stream (random picks, softmax draws, random-until-stats). */
  readonly rng: Rng;
  readonly servers: number;
  /** Number of brokers: C3's n, the number of clients. */
  readonly brokers: number;
  /**
   * Where each server's statistics sit in the selector's arrays, shared by the cluster's brokers so
   * that a selection's candidates sit side by side (ServerSlots); by default in order of first use.
   */
  readonly slots?: ServerSlots;
}
