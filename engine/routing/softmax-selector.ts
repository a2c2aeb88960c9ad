// Seed 004's softmax variant of the hybrid selector (section 4.2, Eq. 4; validated in section 4.3 as
// oscillation control): the same hybrid scores, but instead of the argmin each candidate is drawn
// with its softmax probability (softmax.ts), from the selector's own random stream. Per segment
// (select), until every candidate has statistics the pick is uniform, as for Pinot's selectors; from
// a per-query ranking (selectRanked), a server without statistics comes first (uniform among such).

import type { ServerIndex } from '../ids.js';
import { HybridSelector, rankedPick, UNRANKED_SCORE } from './pinot-selectors.js';
import type { SelectorDeps, SelectorParams } from './server-selector.js';
import { softmaxProbabilitiesInto } from './softmax.js';

const INITIAL_CANDIDATES = 8;

export class SoftmaxSelector extends HybridSelector {
  private readonly temperature: number;
  /** Scratch for the candidates' scores and probabilities; grown if a candidate set is larger. */
  private scores: Float64Array;
  private probabilities: Float64Array;

  constructor(params: SelectorParams, deps: SelectorDeps) {
    super(params, deps);
    if (!(params.softmaxTemperature >= 0)) {
      throw new RangeError(`softmax temperature ${params.softmaxTemperature} is negative`);
    }
    this.temperature = params.softmaxTemperature;
    // Sized for a mirror server set's few candidates, grown for a larger set: one per server would
    // cost every broker of a large cluster two arrays as long as the cluster.
    this.scores = new Float64Array(INITIAL_CANDIDATES);
    this.probabilities = new Float64Array(INITIAL_CANDIDATES);
  }

  /** The probability each candidate would be picked with now, given that all have statistics. */
  probabilitiesOf(candidates: readonly ServerIndex[]): Float64Array {
    this.fillProbabilities(candidates);
    return this.probabilities.slice(0, candidates.length);
  }

  override selectRanked(candidates: readonly ServerIndex[]): ServerIndex {
    for (const candidate of candidates) {
      if (!this.stats.hasStats(candidate)) return rankedPick(candidates, this.rng, (server) => (this.stats.hasStats(server) ? 0 : UNRANKED_SCORE));
    }
    return this.choose(candidates);
  }

  protected override choose(candidates: readonly ServerIndex[]): ServerIndex {
    const count = candidates.length;
    this.fillProbabilities(candidates);
    let remaining = this.rng.next();
    for (let i = 0; i < count - 1; i++) {
      remaining -= this.probabilities[i];
      if (remaining < 0) return candidates[i];
    }
    return candidates[count - 1];
  }

  private fillProbabilities(candidates: readonly ServerIndex[]): void {
    const count = candidates.length;
    if (count > this.scores.length) {
      this.scores = new Float64Array(count);
      this.probabilities = new Float64Array(count);
    }
    for (let i = 0; i < count; i++) this.scores[i] = this.scoreOf(candidates[i]);
    softmaxProbabilitiesInto(this.scores, count, this.temperature, this.probabilities);
  }
}
