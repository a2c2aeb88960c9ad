// PageIndex against a JS Map on random sequences of exchanges, deletes and gets of (file, page) pairs,
// with file ids up to 2^53, pages up to 2^22 (the page table's file heads) and runs of consecutive pages (which share groups of homes), through rehashes
// and backward-shift deletions.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PageIndex, SLOT_LIMIT } from './page-index.js';
import { PAGES_PER_FILE_LIMIT } from './page-table.js';
import { NO_SLOT } from './slot-links.js';

const op = fc.record({
  kind: fc.constantFrom('exchange' as const, 'delete' as const, 'get' as const),
  file: fc.nat(6),
  page: fc.oneof(fc.nat(40), fc.constant(PAGES_PER_FILE_LIMIT)),
  slot: fc.nat(SLOT_LIMIT - 1),
});

describe('PageIndex', () => {
  it('behaves as a Map of (file, page), through growth and deletions', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.constantFrom(1, 4_194_304, 2 ** 40, 2 ** 50 + 1), (ops, spread) => {
        const index = new PageIndex(4);
        const reference = new Map<string, number>();
        for (const o of ops) {
          const file = o.file * spread;
          const key = `${file}/${o.page}`;
          if (o.kind === 'exchange') {
            expect(index.exchange(file, o.page, o.slot)).toBe(reference.get(key) ?? NO_SLOT);
            reference.set(key, o.slot);
          } else if (o.kind === 'delete') expect(index.delete(file, o.page)).toBe(reference.delete(key));
          else expect(index.get(file, o.page)).toBe(reference.get(key) ?? NO_SLOT);
          expect(index.size).toBe(reference.size);
        }
        for (const [key, slot] of reference) {
          const [file, page] = key.split('/').map(Number);
          expect(index.get(file!, page!)).toBe(slot);
        }
      }),
      { numRuns: 300 },
    );
  });
});
