import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_ROWS, ColumnarTable, integer, stored, type TableDecl } from './columnar-table.js';

interface Row {
  readonly code: number;
  readonly amount: number;
}

const TABLE = {
  file: 'rows.arrow',
  columns: {
    code: integer('int16', (r: Row) => r.code, 'A code.'),
    again: { ...integer('int16', (r: Row) => r.code, 'The same code, read from `code`.'), sameAs: 'code' },
    amount: stored('float64', (r: Row) => r.amount, { as: 'float64' }, 'An amount, often zero.'),
  },
} as const satisfies TableDecl<Row>;

describe('ColumnarTable', () => {
  it('reads a sameAs column from the column it names, keeping it once', () => {
    const table = new ColumnarTable<Row>(TABLE);
    for (let i = 0; i < 3000; i++) table.add({ code: i % 5, amount: 0 });
    for (const chunk of table.views()) {
      expect(chunk.columns.again).toBe(chunk.columns.code);
      expect(Array.from(chunk.columns.again)).toEqual(Array.from({ length: chunk.rows }, (_, r) => (chunk.firstRow + r) % 5));
    }
  });

  it('refuses a sameAs column that names no earlier stored column of its type', () => {
    const bad = (sameAs: string) => ({
      file: 'bad.arrow',
      columns: {
        amount: stored('float64', (r: Row) => r.amount, { as: 'float64' }, 'An amount.'),
        code: { ...integer('int16', (r: Row) => r.code, 'A code.'), sameAs },
      },
    });
    expect(() => new ColumnarTable<Row>(bad('amount'))).toThrow(/no earlier stored int16 column/);
    expect(() => new ColumnarTable<Row>(bad('missing'))).toThrow(/no earlier stored int16 column/);
  });

  it('keeps zeros (left unwritten) and -0 (written) exactly', () => {
    const table = new ColumnarTable<Row>(TABLE);
    const amounts = [0, 1.5, -0, 0, -2, 0];
    for (const amount of amounts) table.add({ code: 1, amount });
    const [chunk] = table.views();
    expect(Array.from(chunk.columns.amount).map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(['0', '1.5', '-0', '0', '-2', '0']);
  });

  it('gives a column a chunk never wrote as shared zeros, and every value written back, across growth and chunks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: CHUNK_ROWS + 3000 }),
        fc.array(fc.integer({ min: 0, max: CHUNK_ROWS + 2999 }), { maxLength: 20 }),
        (rows, nonzeroRows) => {
          const nonzero = new Set(nonzeroRows.filter((row) => row < rows));
          const amountOf = (row: number): number => (nonzero.has(row) ? row + 0.5 : 0);
          const table = new ColumnarTable<Row>(TABLE);
          for (let row = 0; row < rows; row++) table.add({ code: 0, amount: amountOf(row) });
          const views = table.views();
          for (const chunk of views) {
            for (let r = 0; r < chunk.rows; r++) expect(chunk.columns.amount[r]).toBe(amountOf(chunk.firstRow + r));
          }
          // No chunk wrote a code: every chunk's view of it is the same shared memory.
          expect(new Set(views.map((chunk) => chunk.columns.code.buffer)).size).toBe(1);
          expect(table.column('amount').length).toBe(rows);
        },
      ),
      { numRuns: 15 },
    );
  });
});
