// Round-robin server selection with one rotation per candidate set (unitKey: the MSS position or the
// segment), the non-adaptive baseline of seed 004 section 4.3 (Table 2, "Round Robin"). Counters live
// in a dense array indexed by unitKey that grows on demand.

import type { ServerIndex } from '../ids.js';
import type { ServerSelector } from './server-selector.js';

const INITIAL_UNITS = 1024;

export class RoundRobinSelector implements ServerSelector {
  /** Next position in the rotation of each unitKey. */
  private nextPosition = new Int32Array(INITIAL_UNITS);

  select(candidates: readonly ServerIndex[], unitKey: number): ServerIndex {
    if (!(unitKey < this.nextPosition.length && unitKey >>> 0 === unitKey)) this.grow(unitKey);
    const position = this.nextPosition[unitKey] % candidates.length;
    this.nextPosition[unitKey] = position + 1 === candidates.length ? 0 : position + 1;
    return candidates[position];
  }

  onSubmit(): void {}

  onComplete(): void {}

  dispose(): void {}

  private grow(unitKey: number): void {
    if (unitKey >>> 0 !== unitKey) throw new RangeError(`unitKey ${unitKey} is not a non-negative integer`);
    const grown = new Int32Array(Math.max(2 * this.nextPosition.length, unitKey + 1));
    grown.set(this.nextPosition);
    this.nextPosition = grown;
  }
}
