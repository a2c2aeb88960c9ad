// Builds a broker's server selector by kind (seed 004 section 4.2 lists the policies; PINOT-REFERENCE.md
// "Adaptive Server Selection" gives Pinot's rules). Each broker gets its own selector, so statistics
// are per broker, without coordination, as in Pinot and seed 004.

import { C3Selector } from './c3-selector.js';
import { HybridSelector, InFlightSelector, LatencyEmaSelector } from './pinot-selectors.js';
import { RandomSelector } from './random-selector.js';
import { RoundRobinSelector } from './round-robin-selector.js';
import type { SelectorDeps, SelectorKind, SelectorParams, ServerSelector } from './server-selector.js';
import { SoftmaxSelector } from './softmax-selector.js';

export function createSelector(kind: SelectorKind, params: SelectorParams, deps: SelectorDeps): ServerSelector {
  switch (kind) {
    case 'round-robin':
      return new RoundRobinSelector();
    case 'random':
      return new RandomSelector(deps.rng);
    case 'in-flight':
      return new InFlightSelector(params, deps);
    case 'latency-ema':
      return new LatencyEmaSelector(params, deps);
    case 'hybrid':
      return new HybridSelector(params, deps);
    case 'softmax':
      return new SoftmaxSelector(params, deps);
    case 'c3':
      return new C3Selector(params, deps);
  }
}
