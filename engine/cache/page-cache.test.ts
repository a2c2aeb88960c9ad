// The page cache's space rules: capacity with overhead, quotas by scope with the seed's partition and
// table eviction rules, dropping scopes, files and directories, time-to-live, and read accounting.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIB, pageCacheConfig, referenceLruMisses, seededRng } from './cache-test-kit.js';
import { EVICTION_POLICIES } from './evictor.js';
import { PageCache, type PageCacheConfig, PUT_TOO_LARGE } from './page-cache.js';
import { planRead, ReadPlan } from './read-plan.js';

function cache(config: Partial<PageCacheConfig> = {}, now = () => 0) {
  return new PageCache(pageCacheConfig(config), { now, rng: seededRng(7) });
}

describe('page cache', () => {
  it('holds capacity / (1 + overhead) bytes per directory', () => {
    const c = cache({ directories: [{ capacityBytes: 21 * MIB }], storeOverhead: 0.05 });
    expect(c.spaceUsableBytes()).toBe(20 * MIB);
    for (let page = 0; page < 25; page++) expect(c.put(1, page, MIB)).toBeGreaterThanOrEqual(0);
    expect(c.spaceUsedBytes()).toBe(20 * MIB);
    expect(c.stats.pagesEvicted).toBe(5);
    expect(c.lookup(1, 4)).toBe(-1);
    expect(c.lookup(1, 5)).toBeGreaterThanOrEqual(0);
  });

  it('refuses a page larger than its directory', () => {
    const c = cache({ directories: [{ capacityBytes: MIB }] });
    expect(c.put(1, 0, 2 * MIB)).toBe(PUT_TOO_LARGE);
    expect(c.stats.errors.putTooLarge).toBe(1);
  });

  it('a partition over its quota evicts within itself', () => {
    const c = cache({
      quota: { enabled: true, scopes: [{ scope: 's.t.p1', quotaBytes: 2 * MIB }] },
    });
    const p1 = c.scopes.scopeOf('s.t.p1');
    const p2 = c.scopes.scopeOf('s.t.p2');
    c.put(2, 0, MIB, p2);
    c.put(1, 0, MIB, p1);
    c.put(1, 1, MIB, p1);
    c.put(1, 2, MIB, p1);
    expect(c.scopes.usageBytes[p1]).toBe(2 * MIB);
    expect(c.lookup(2, 0)).toBeGreaterThanOrEqual(0);
    expect(c.lookup(1, 0)).toBe(-1);
  });

  it('a table over its quota evicts from a random partition; partition quotas may exceed it', () => {
    const c = cache({
      quota: {
        enabled: true,
        scopes: [
          { scope: 's.t', quotaBytes: 4 * MIB },
          { scope: 's.t.a', quotaBytes: 3 * MIB },
          { scope: 's.t.b', quotaBytes: 3 * MIB },
        ],
      },
    });
    const a = c.scopes.scopeOf('s.t.a');
    const b = c.scopes.scopeOf('s.t.b');
    const other = c.scopes.scopeOf('s.u.x');
    c.put(9, 0, MIB, other);
    for (let page = 0; page < 3; page++) c.put(1, page, MIB, a);
    c.put(2, 0, MIB, b);
    for (let page = 1; page < 10; page++) {
      c.put(2, page, MIB, b);
      expect(c.scopes.usageBytes[c.scopes.scopeOf('s.t')]).toBeLessThanOrEqual(4 * MIB);
      expect(c.scopes.usageBytes[b]).toBeLessThanOrEqual(3 * MIB);
    }
    expect(c.lookup(9, 0)).toBeGreaterThanOrEqual(0);
  });

  it('drops a scope, a file and a directory, page by page', () => {
    const c = cache({ directories: [{ capacityBytes: 32 * MIB }, { capacityBytes: 32 * MIB }] });
    const p = c.scopes.scopeOf('s.t.p');
    const q = c.scopes.scopeOf('s.t.q');
    for (let page = 0; page < 5; page++) c.put(1, page, MIB, p);
    for (let page = 0; page < 3; page++) c.put(2, page, MIB, q);
    expect(c.dropScope(p)).toBe(5);
    expect(c.pages.pageCount).toBe(3);
    expect(c.dropFile(2)).toBe(3);
    for (let page = 0; page < 8; page++) c.put(3, page, MIB, q);
    const inZero = c.directoryUsedBytes(0) / MIB;
    expect(c.dropDirectory(0)).toBe(inZero);
    expect(c.directoryUsedBytes(0)).toBe(0);
    expect(c.pages.pageCount).toBe(8 - inZero);
    expect(c.dropScope(c.scopes.scopeOf('s'))).toBe(8 - inZero);
  });

  it('time-to-live removes pages by creation time, not last access', () => {
    let nowMs = 0;
    const c = cache({}, () => nowMs);
    c.put(1, 0, MIB);
    nowMs = 1000;
    c.put(1, 1, MIB);
    c.lookup(1, 0);
    expect(c.expireCreatedBefore(500)).toBe(1);
    expect(c.lookup(1, 0)).toBe(-1);
    expect(c.stats.pagesExpired).toBe(1);
  });

  it('LRU misses equal a reference LRU on random traces', () => {
    fc.assert(
      // Long enough traces that LRU's queue of reads is compacted and grows (lru-evictor.ts).
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 100, maxLength: 400 }), fc.integer({ min: 1, max: 20 }), (keys, pages) => {
        const c = cache({ directories: [{ capacityBytes: pages * 4096 }], pageSizeBytes: 4096 });
        let misses = 0;
        for (const key of keys) {
          if (c.lookup(key, 0) < 0) {
            misses++;
            c.put(key, 0, 4096);
          }
        }
        expect(misses).toBe(referenceLruMisses(keys, pages));
      }),
    );
  });

  const scopeNames = ['a.x.1', 'a.x.2', 'a.y.1', 'b.z.1', 'b.z.2', 'a', 'b.w'];
  const operation = fc.record({
    file: fc.integer({ min: 0, max: 12 }),
    page: fc.integer({ min: 0, max: 6 }),
    sizeBytes: fc.integer({ min: 1, max: 5000 }),
    scope: fc.integer({ min: 0, max: scopeNames.length - 1 }),
    drop: fc.integer({ min: 0, max: 30 }),
  });

  it('usage never exceeds a directory capacity or any quota after a put', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EVICTION_POLICIES),
        fc.array(fc.integer({ min: 4000, max: 40_000 }), { minLength: 7, maxLength: 7 }),
        fc.array(operation, { maxLength: 200 }),
        (evictor, quotas, operations) => {
          const c = cache({
            evictor,
            directories: [{ capacityBytes: 20_000 }, { capacityBytes: 30_000 }],
            storeOverhead: 0.05,
            quota: { enabled: true, globalBytes: 35_000, scopes: scopeNames.map((scope, i) => ({ scope, quotaBytes: quotas[i]! })) },
          });
          for (const op of operations) {
            c.put(op.file, op.page, op.sizeBytes, c.scopes.scopeOf(scopeNames[op.scope]!));
            for (let d = 0; d < c.directoryCount; d++) expect(c.directoryUsedBytes(d)).toBeLessThanOrEqual(c.directoryUsableBytes(d));
            for (let s = 0; s < c.scopes.count; s++) expect(c.scopes.usageBytes[s]).toBeLessThanOrEqual(c.scopes.quotaBytes[s]!);
          }
          expect(c.scopes.usageBytes[0]).toBe(c.spaceUsedBytes());
        },
      ),
    );
  });

  it('dropping a scope removes exactly its pages', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 150 }), fc.integer({ min: 0, max: scopeNames.length - 1 }), (operations, dropped) => {
        const c = cache({ directories: [{ capacityBytes: 200_000 }, { capacityBytes: 100_000 }], evictor: 'LFU' });
        const scopeOfPage = new Map<string, string>();
        for (const op of operations) {
          if (c.put(op.file + 100 * op.scope, op.page, op.sizeBytes, c.scopes.scopeOf(scopeNames[op.scope]!)) >= 0) {
            scopeOfPage.set(`${op.file + 100 * op.scope}/${op.page}`, scopeNames[op.scope]!);
          }
        }
        const name = scopeNames[dropped]!;
        const within = (scope: string) => scope === name || scope.startsWith(`${name}.`);
        const cached = [...scopeOfPage].filter(([key]) => {
          const [file, page] = key.split('/').map(Number);
          return c.pages.find(file!, page!) >= 0;
        });
        const expected = cached.filter(([, scope]) => within(scope)).length;
        expect(c.dropScope(c.scopes.scopeOf(name))).toBe(expected);
        for (const [key, scope] of cached) {
          const [file, page] = key.split('/').map(Number);
          expect(c.pages.find(file!, page!) >= 0).toBe(!within(scope));
        }
      }),
    );
  });

  it('dropping a file removes exactly its pages, after evictions and drops have reshaped its chain', () => {
    // File ids up to 2^53 (a trace's own object ids); the head of each file's chain lives in the page index.
    const fileId = (file: number) => file * 2 ** 40 + 3;
    const files = [0, 1, 2, 3];
    fc.assert(
      fc.property(
        fc.constantFrom(...EVICTION_POLICIES),
        fc.array(fc.record({ file: fc.constantFrom(...files), page: fc.integer({ min: 0, max: 5 }), drop: fc.integer({ min: 0, max: 15 }) }), { minLength: 50, maxLength: 200 }),
        (evictor, operations) => {
          const c = cache({ evictor, pageSizeBytes: 4096, directories: [{ capacityBytes: 8 * 4096 }] });
          for (const op of operations) {
            if (op.drop === 0) c.dropFile(fileId(op.file));
            else if (c.lookup(fileId(op.file), op.page) < 0) c.put(fileId(op.file), op.page, 4096);
          }
          for (const file of files) {
            const cached = [0, 1, 2, 3, 4, 5].filter((page) => c.pages.find(fileId(file), page) >= 0).length;
            const before = c.pages.pageCount;
            expect(c.dropFile(fileId(file))).toBe(cached);
            expect(c.pages.pageCount).toBe(before - cached);
            for (let page = 0; page <= 5; page++) expect(c.pages.find(fileId(file), page)).toBe(-1);
          }
          expect(c.pages.pageCount).toBe(0);
        },
      ),
    );
  });

  it('hit and miss accounting adds up to the requested bytes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EVICTION_POLICIES),
        fc.array(fc.record({ file: fc.integer({ min: 0, max: 5 }), offset: fc.integer({ min: 0, max: 50_000 }), length: fc.integer({ min: 0, max: 30_000 }) }), { maxLength: 100 }),
        (evictor, reads) => {
          const c = cache({ evictor, pageSizeBytes: 4096, directories: [{ capacityBytes: 40_000 }] });
          const plan = new ReadPlan();
          let requested = 0;
          for (const read of reads) {
            const fileLength = 40_000 + read.file * 1000;
            planRead(c, { file: read.file, scope: 0, offsetBytes: read.offset, lengthBytes: read.length, fileLengthBytes: fileLength, populate: true }, plan);
            requested += Math.max(0, Math.min(read.offset + read.length, fileLength) - read.offset);
          }
          expect(c.stats.bytesRequested).toBe(requested);
          expect(c.stats.bytesReadCache + c.stats.bytesRequestedExternal).toBe(requested);
          expect(c.stats.bytesReadExternal).toBeGreaterThanOrEqual(c.stats.bytesRequestedExternal);
        },
      ),
    );
  });
});
