import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asQuery, type QueryId } from '../ids.js';
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
        const table = new PendingQueries<{ queryId: QueryId }>();
        const map = new Map<number, { queryId: QueryId }>();
        for (const { kind, id } of ops) {
          if (kind === 'add') {
            if (map.has(id)) continue;
            const entry = { queryId: asQuery(id) };
            table.add(entry);
            map.set(id, entry);
          } else {
            table.delete(asQuery(id));
            map.delete(id);
          }
          expect(table.size).toBe(map.size);
        }
        for (let id = 0; id <= 200; id++) expect(table.get(asQuery(id))).toBe(map.get(id));
        expect(table.inIdOrder()).toEqual([...map.keys()].sort((a, b) => a - b).map((id) => map.get(id)));
      }),
    );
  });

  it('finds ids across the whole uint32 range', () => {
    const table = new PendingQueries<{ queryId: QueryId }>();
    const entries = [0, 2 ** 32 - 1, 2 ** 31, 7, 7 + 2 ** 20].map((id) => ({ queryId: asQuery(id) }));
    entries.forEach((entry) => table.add(entry));
    entries.forEach((entry) => expect(table.get(entry.queryId)).toBe(entry));
    table.delete(asQuery(2 ** 31));
    expect(table.get(asQuery(2 ** 31))).toBeUndefined();
    expect(table.size).toBe(4);
  });
});
