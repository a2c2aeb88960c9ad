// Named, seeded random streams (DESIGN.md): each source of randomness draws from its own stream,
// derived from the scenario seed and a stable name, so adding a stream never shifts another.
// Streams use seedrandom's Alea generator, which is fast and has a period far beyond any run. Both
// runtimes draw from it: the simulator for everything, the real runtime for the engine's choices.

import seedrandom from 'seedrandom';
import type { Rng, RngSource } from '../ports.js';

export class SeededRngSource implements RngSource {
  private readonly issued = new Set<string>();

  constructor(private readonly seed: number) {}

  stream(name: string): Rng {
    if (this.issued.has(name)) throw new Error(`random stream "${name}" requested twice`);
    this.issued.add(name);
    const prng = seedrandom.alea(`${this.seed}/${name}`);
    return { next: () => prng() };
  }
}
