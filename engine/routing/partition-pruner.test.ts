// Partition pruning (Pinot's PartitionSegmentPruner) and the partition functions it uses: Kafka's
// murmur2 vectors, Modulo's sign rule, and the exactness property: a pruned segment never holds the
// partition of a value the query asks for, and a kept one always does (or has no metadata).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ColumnPartitionConfig, murmur2, PARTITION_FUNCTIONS, partitionOf } from '../cluster/partition-function.js';
import type { SegmentIndex } from '../ids.js';
import { PartitionSegmentPruner, roundRobinSegmentPartitions } from './partition-pruner.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('partition functions', () => {
  it("murmur2 matches Kafka's UtilsTest.testMurmur2 vectors", () => {
    expect(murmur2(bytes('21'))).toBe(-973932308);
    expect(murmur2(bytes('foobar'))).toBe(-790332482);
    expect(murmur2(bytes('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(bytes('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(bytes('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(bytes('abc'))).toBe(479470107);
  });

  it('Murmur partitions the string form of the value', () => {
    const config: ColumnPartitionConfig = { column: 'memberId', functionName: 'Murmur', numPartitions: 10 };
    expect(partitionOf(config, 21)).toBe((-973932308 & 0x7fffffff) % 10);
  });

  it('Modulo is non-negative, HashCode follows Java String.hashCode', () => {
    const modulo: ColumnPartitionConfig = { column: 'c', functionName: 'Modulo', numPartitions: 4 };
    expect(partitionOf(modulo, 7)).toBe(3);
    expect(partitionOf(modulo, -7)).toBe(1);
    const hashCode: ColumnPartitionConfig = { column: 'c', functionName: 'HashCode', numPartitions: 7 };
    // "21".hashCode() = 50 * 31 + 49 = 1599
    expect(partitionOf(hashCode, 21)).toBe(1599 % 7);
  });

  it('rejects a value that is not an integer', () => {
    expect(() => partitionOf({ column: 'c', functionName: 'Modulo', numPartitions: 4 }, 1.5)).toThrow(/not an integer/);
  });
});

const segs = (...ids: number[]) => ids as SegmentIndex[];

describe('PartitionSegmentPruner', () => {
  const config: ColumnPartitionConfig = { column: 'memberId', functionName: 'Modulo', numPartitions: 4 };
  const pruner = new PartitionSegmentPruner(config, roundRobinSegmentPartitions(10, 4));

  it('keeps only the segments of the partitions an EQ or IN filter matches', () => {
    expect(pruner.prune(null, { column: 'memberId', values: [5] })).toEqual(segs(1, 5, 9));
    expect(pruner.prune(null, { column: 'memberId', values: [5, 2, 9] })).toEqual(segs(1, 2, 5, 6, 9));
    expect(pruner.prune(segs(9, 0, 5, 3), { column: 'memberId', values: [1] })).toEqual(segs(9, 5));
  });

  it('prunes nothing for a filter on another column, nor a segment without metadata', () => {
    expect(pruner.prune(segs(0, 1), { column: 'country', values: [1] })).toEqual(segs(0, 1));
    expect(pruner.prune(null, { column: 'country', values: [1] })).toBeNull();
    const partial = new PartitionSegmentPruner(config, [[0], null, [2]]);
    expect(partial.prune(null, { column: 'memberId', values: [0] })).toEqual(segs(0, 1));
  });

  it('rejects segment metadata naming a partition beyond numPartitions', () => {
    expect(() => new PartitionSegmentPruner(config, [[4]])).toThrow(/outside 0..3/);
  });

  it('is exact: a pruned segment holds no partition of a queried value, a kept one holds one', () => {
    const cluster = fc
      .record({
        functionName: fc.constantFrom(...PARTITION_FUNCTIONS),
        numPartitions: fc.integer({ min: 1, max: 16 }),
        segments: fc.integer({ min: 1, max: 40 }),
      })
      .chain((c) =>
        fc.record({
          config: fc.constant<ColumnPartitionConfig>({ column: 'k', functionName: c.functionName, numPartitions: c.numPartitions }),
          metadata: fc.array(fc.option(fc.uniqueArray(fc.integer({ min: 0, max: c.numPartitions - 1 }), { minLength: 1, maxLength: 3 }), { freq: 5 }), {
            minLength: c.segments,
            maxLength: c.segments,
          }),
          values: fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 1, maxLength: 5 }),
          subset: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: c.segments - 1 }), { maxLength: c.segments })),
        }),
      );
    fc.assert(
      fc.property(cluster, ({ config, metadata, values, subset }) => {
        const pruner = new PartitionSegmentPruner(config, metadata);
        const asked = subset === null ? metadata.map((_, s) => s) : subset;
        const kept = pruner.prune(subset as SegmentIndex[] | null, { column: 'k', values })!;
        const wanted = new Set(values.map((v) => partitionOf(config, v)));
        const keptSet = new Set<number>(kept);
        // Kept segments come in the order asked, and are among those asked.
        expect(kept).toEqual(asked.filter((s) => keptSet.has(s)));
        for (const s of asked) {
          const partitions = metadata[s];
          const matches = partitions === null || partitions.some((p) => wanted.has(p));
          expect(keptSet.has(s)).toBe(matches);
        }
      }),
    );
  });
});
