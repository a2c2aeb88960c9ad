// Pinot's three Adaptive Server Selection policies (PINOT-REFERENCE.md "Adaptive Server Selection",
// seed 004 section 4.2), over one broker's ServerRoutingStats:
//   in-flight    NUM_INFLIGHT_REQ: the lowest live in-flight count. Pinot's NumInFlightReqSelector reads
//                ServerRoutingStatsEntry.getNumInFlightRequests(), the live counter, not the in-flight
//                EMA (the EMA only enters the hybrid score); we follow it.
//   latency-ema  LATENCY: the lowest latency EMA.
//   hybrid       HYBRID: the lowest (F + A + B)^N * C.
// Selection, Pinot's two paths (PINOT-REFERENCE.md "Selection"):
//   select()        BalancedInstanceSelector, per segment: if any candidate has no statistics yet, a
//                   uniformly random candidate (Pinot's selectors break out of their scan at the first
//                   server without stats and draw among all candidates); otherwise the strict minimum,
//                   ties to the first in candidate order.
//   selectRanked()  ReplicaGroupInstanceSelector, from one ranking per query: a server without
//                   statistics scores -1 and so ranks first; ties at random (Pinot shuffles the list
//                   before a stable sort). Candidate sets of mirrored placement are disjoint, so the
//                   first-in-a-random-permutation rule is the same as a uniform pick among the tied
//                   candidates of each set, which is what is drawn (reservoir sampling, one random
//                   number per tie after the first, none without ties).

import type { ServerIndex } from '../ids.js';
import type { Rng } from '../ports.js';
import { uniformIndex } from './random-selector.js';
import { ServerRoutingStats } from './server-routing-stats.js';
import type { SelectorDeps, SelectorParams, ServerSelector } from './server-selector.js';

export abstract class AdaptiveSelector implements ServerSelector {
  protected readonly stats: ServerRoutingStats;
  protected readonly rng: Rng;

  constructor(params: SelectorParams, deps: SelectorDeps) {
    this.stats = new ServerRoutingStats(
      deps.servers,
      {
        alpha: params.ewmaAlpha,
        avgInitializationVal: params.avgInitializationVal,
        autodecayWindowMs: params.autodecayWindowMs,
        warmupDurationMs: params.warmupDurationMs,
      },
      deps.clock,
      deps.slots,
    );
    this.rng = deps.rng;
  }

  /** The server's score under this policy; lower is better. */
  abstract scoreOf(server: ServerIndex): number;

  select(candidates: readonly ServerIndex[]): ServerIndex {
    const count = candidates.length;
    for (let i = 0; i < count; i++) {
      if (!this.stats.hasStats(candidates[i])) return candidates[uniformIndex(this.rng, count)];
    }
    return this.choose(candidates);
  }

  selectRanked(candidates: readonly ServerIndex[]): ServerIndex {
    return rankedPick(candidates, this.rng, this.rankScore);
  }

  /** A server's score in a ranking, made once: selectRanked runs for every unit of every query. */
  private readonly rankScore = (server: ServerIndex): number => (this.stats.hasStats(server) ? this.scoreOf(server) : UNRANKED_SCORE);

  onSubmit(server: ServerIndex): void {
    this.stats.onSubmit(server);
  }

  onComplete(server: ServerIndex, latencyMs: number): void {
    this.stats.onComplete(server, latencyMs);
  }

  /** Whether the auto-decay timer is pending (for tests and diagnostics). */
  decayArmed(): boolean {
    return this.stats.decayArmed();
  }

  dispose(): void {
    this.stats.dispose();
  }

  /** Picks among candidates that all have statistics: the strict minimum, ties to the first. */
  protected choose(candidates: readonly ServerIndex[]): ServerIndex {
    let best = candidates[0];
    let bestScore = this.scoreOf(best);
    for (let i = 1; i < candidates.length; i++) {
      const score = this.scoreOf(candidates[i]);
      if (score < bestScore) {
        best = candidates[i];
        bestScore = score;
      }
    }
    return best;
  }
}

/** Pinot's score of a server without statistics in a ranking: below every real score. */
export const UNRANKED_SCORE = -1;

/** The candidate with the lowest score, ties uniformly at random from rng. */
export function rankedPick(candidates: readonly ServerIndex[], rng: Rng, scoreOf: (server: ServerIndex) => number): ServerIndex {
  let best = candidates[0];
  let bestScore = scoreOf(best);
  let ties = 1;
  for (let i = 1; i < candidates.length; i++) {
    const score = scoreOf(candidates[i]);
    if (score < bestScore) {
      best = candidates[i];
      bestScore = score;
      ties = 1;
    } else if (score === bestScore && rng.next() * ++ties < 1) {
      best = candidates[i];
    }
  }
  return best;
}

export class InFlightSelector extends AdaptiveSelector {
  scoreOf(server: ServerIndex): number {
    return this.stats.inFlightCount(server);
  }
}

export class LatencyEmaSelector extends AdaptiveSelector {
  scoreOf(server: ServerIndex): number {
    return this.stats.latencyEmaMs(server);
  }
}

export class HybridSelector extends AdaptiveSelector {
  private readonly exponent: number;
  private readonly queueFloor: number;
  private readonly latencyPriorMs: number;

  constructor(params: SelectorParams, deps: SelectorDeps) {
    super(params, deps);
    this.exponent = params.hybridScoreExponent;
    this.queueFloor = params.queueFloor;
    this.latencyPriorMs = params.latencyPriorMs;
  }

  scoreOf(server: ServerIndex): number {
    return this.stats.hybridScore(server, this.exponent, this.queueFloor, this.latencyPriorMs);
  }
}
