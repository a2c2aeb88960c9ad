// Two-choice random eviction (Alluxio TwoChoiceRandomEvictor): draw two resident pages uniformly and
// evict the one read less recently. Members live in a dense array so a uniform draw is O(1); a slot's
// position in it is kept in the level's `aux` word so removal swaps in the last member.

import type { Rng } from '../ports.js';
import type { Evictor } from './evictor.js';
import { NO_SLOT, type SlotLinks } from './slot-links.js';

export class TwoChoiceRandomEvictor implements Evictor {
  private members = new Int32Array(16);
  size = 0;

  constructor(
    private readonly links: SlotLinks,
    private readonly rng: Rng,
    private readonly lastAccess: (slot: number) => number,
  ) {}

  add(slot: number): void {
    if (this.size === this.members.length) {
      const grown = new Int32Array(this.members.length * 2);
      grown.set(this.members);
      this.members = grown;
    }
    this.members[this.size] = slot;
    this.links.aux[slot] = this.size;
    this.size++;
  }

  touch(): void {}

  remove(slot: number): void {
    const position = this.links.aux[slot]!;
    const last = this.members[this.size - 1]!;
    this.members[position] = last;
    this.links.aux[last] = position;
    this.size--;
  }

  victim(): number {
    if (this.size === 0) return NO_SLOT;
    const first = this.members[Math.floor(this.rng.next() * this.size)]!;
    const second = this.members[Math.floor(this.rng.next() * this.size)]!;
    return this.lastAccess(second) < this.lastAccess(first) ? second : first;
  }
}
