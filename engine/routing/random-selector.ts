// Uniform random server selection: the non-adaptive baseline, and the uniform draw the adaptive
// selectors fall back to while a candidate has no statistics (PINOT-REFERENCE.md "Adaptive Server
// Selection", "Selection").

import type { ServerIndex } from '../ids.js';
import type { Rng } from '../ports.js';
import type { ServerSelector } from './server-selector.js';

/** A uniform index in 0 .. count-1 drawn from rng. */
export function uniformIndex(rng: Rng, count: number): number {
  const index = Math.floor(rng.next() * count);
  return index < count ? index : count - 1;
}

export class RandomSelector implements ServerSelector {
  constructor(private readonly rng: Rng) {}

  select(candidates: readonly ServerIndex[]): ServerIndex {
    return candidates[uniformIndex(this.rng, candidates.length)];
  }

  onSubmit(): void {}

  onComplete(): void {}

  dispose(): void {}
}
