import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asQuery } from '../ids.js';
import { PendingQueries } from './pending-queries.js';

describe('PendingQueries', () => {
  it('answers as a Map does under any sequence of adds and deletes', () => {
    // Ids are drawn from a small range so that adds, deletes of present ids and probe runs collide often.
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), id: fc.nat(200) }),
      fc.record({ kind: fc.constant('delete' as const), id: fc.nat(200) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const table = new PendingQueries<string>();
        const map = new Map<number, string>();
        for (const { kind, id } of ops) {
          if (kind === 'add') {
            if (map.has(id)) continue;
            table.add(asQuery(id), `q${id}`);
            map.set(id, `q${id}`);
          } else {
            table.delete(asQuery(id));
            map.delete(id);
          }
          expect(table.size).toBe(map.size);
        }
        for (let id = 0; id <= 200; id++) expect(table.get(asQuery(id))).toBe(map.get(id));
        expect(table.inIdOrder()).toEqual([...map.keys()].sort((a, b) => a - b).map((id) => `q${id}`));
      }),
    );
  });

  it('finds ids across the whole uint32 range', () => {
    const table = new PendingQueries<number>();
    const ids = [0, 2 ** 32 - 1, 2 ** 31, 7, 7 + 2 ** 20];
    ids.forEach((id, i) => table.add(asQuery(id), i));
    ids.forEach((id, i) => expect(table.get(asQuery(id))).toBe(i));
    table.delete(asQuery(2 ** 31));
    expect(table.get(asQuery(2 ** 31))).toBeUndefined();
    expect(table.size).toBe(4);
  });
});
