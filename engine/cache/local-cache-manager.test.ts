// The manager over bytes: every read returns exactly the file's bytes, whether it hit, missed, was not
// admitted or fell back after a timeout or a corrupt page; a full disk evicts early.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../routing/test-doubles.js';
import type { PageGetResult, PagePutResult, PageStore, RemoteReader } from './cache-ports.js';
import { pageCacheConfig, seededRng } from './cache-test-kit.js';
import { LocalCacheManager, type LocalCacheOptions } from './local-cache-manager.js';

const byteAt = (file: number, offset: number) => (file * 131 + offset * 7 + (offset >> 9)) & 255;

function fileBytes(file: number, offset: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => byteAt(file, offset + i));
}

class MemoryStore implements PageStore {
  readonly pages = new Map<string, Uint8Array>();
  hang = false;
  corrupt = false;
  fullAfterPages = Infinity;

  get(file: number, page: number): Promise<PageGetResult> {
    if (this.hang) return new Promise(() => {});
    const bytes = this.pages.get(`${file}/${page}`);
    if (bytes === undefined) return Promise.resolve({ kind: 'missing' });
    return Promise.resolve(this.corrupt ? { kind: 'corrupt' } : { kind: 'ok', bytes });
  }

  put(file: number, page: number, _directory: number, bytes: Uint8Array): Promise<PagePutResult> {
    if (this.pages.size >= this.fullAfterPages) return Promise.resolve({ kind: 'no-space' });
    this.pages.set(`${file}/${page}`, bytes.slice());
    return Promise.resolve({ kind: 'ok' });
  }

  delete(file: number, page: number): void {
    this.pages.delete(`${file}/${page}`);
  }
}

class ByteRemote implements RemoteReader {
  reads = 0;
  read(file: number, offsetBytes: number, lengthBytes: number): Promise<Uint8Array> {
    this.reads++;
    return Promise.resolve(fileBytes(file, offsetBytes, lengthBytes));
  }
}

const PAGE = 1024;
const FILE_LENGTH = 10_000;

function manager(options: Partial<LocalCacheOptions> = {}, capacityPages = 6) {
  const store = new MemoryStore();
  const remote = new ByteRemote();
  const clock = new ManualClock();
  const m = new LocalCacheManager(
    { cache: pageCacheConfig({ pageSizeBytes: PAGE, directories: [{ capacityBytes: capacityPages * PAGE }] }), ...options },
    { store, remote, clock, rng: seededRng(3) },
  );
  return { m, store, remote, clock };
}

const read = (file: number, offsetBytes: number, lengthBytes: number, populate = true) => ({
  file,
  scope: 0,
  offsetBytes,
  lengthBytes,
  fileLengthBytes: FILE_LENGTH,
  populate,
});

describe('local cache manager', () => {
  it('misses fetch whole pages, then hit', async () => {
    const { m, remote, store } = manager();
    expect(await m.read(read(1, 1000, 100))).toEqual(fileBytes(1, 1000, 100));
    expect(remote.reads).toBe(2);
    expect(store.pages.size).toBe(2);
    expect(await m.read(read(1, 1010, 50))).toEqual(fileBytes(1, 1010, 50));
    expect(remote.reads).toBe(2);
    expect(m.cache.stats.bytesReadCache).toBe(50);
    expect(m.cache.stats.bytesReadExternal).toBe(2 * PAGE);
  });

  it('a local read past the timeout falls back to the remote store', async () => {
    const { m, store, clock, remote } = manager({ readTimeoutMs: 10_000 });
    await m.read(read(2, 0, 10));
    store.hang = true;
    const pending = m.read(read(2, 0, 10));
    await Promise.resolve();
    clock.advanceTo(10_000);
    expect(await pending).toEqual(fileBytes(2, 0, 10));
    expect(m.cache.stats.errors.getTimeout).toBe(1);
    expect(remote.reads).toBe(2);
    expect(m.cache.stats.bytesReadCache + m.cache.stats.bytesRequestedExternal).toBe(20);
  });

  it('a corrupt page is dropped and read remotely', async () => {
    const { m, store } = manager();
    await m.read(read(3, 0, 10));
    store.corrupt = true;
    expect(await m.read(read(3, 0, 10))).toEqual(fileBytes(3, 0, 10));
    expect(m.cache.stats.errors.getCorrupt).toBe(1);
    expect(m.cache.pages.pageCount).toBe(0);
    expect(store.pages.size).toBe(0);
  });

  it('a full disk before the configured capacity evicts early', async () => {
    const { m, store } = manager({}, 6);
    store.fullAfterPages = 3;
    for (let page = 0; page < 5; page++) await m.read(read(4, page * PAGE, 1));
    expect(m.cache.stats.errors.putDiskFull).toBe(2);
    expect(store.pages.size).toBe(3);
    expect(m.cache.pages.pageCount).toBe(3);
  });

  it('time-to-live cleanup runs on the clock', async () => {
    const { m, clock, store } = manager({ ttl: { thresholdMs: 3 * 3600_000, checkIntervalMs: 3600_000 } });
    await m.read(read(5, 0, 10));
    clock.advanceTo(3 * 3600_000);
    expect(m.cache.pages.pageCount).toBe(1);
    clock.advanceTo(4 * 3600_000);
    expect(m.cache.pages.pageCount).toBe(0);
    expect(store.pages.size).toBe(0);
    m.stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('every read returns exactly the file bytes, whatever happens to the pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            file: fc.integer({ min: 0, max: 3 }),
            offset: fc.integer({ min: 0, max: FILE_LENGTH }),
            length: fc.integer({ min: 0, max: 4000 }),
            populate: fc.boolean(),
            corrupt: fc.boolean(),
            concurrent: fc.boolean(),
          }),
          { maxLength: 40 },
        ),
        async (reads) => {
          // Found a write of an evicted page deleting the bytes of the page cached again after it.
          const { m, store } = manager({}, 5);
          const pending: Array<Promise<void>> = [];
          for (const r of reads) {
            store.corrupt = r.corrupt;
            const check = m.read(read(r.file, r.offset, r.length, r.populate)).then((bytes) => {
              const end = Math.min(r.offset + r.length, FILE_LENGTH);
              const expected = fileBytes(r.file, r.offset, Math.max(0, end - r.offset));
              expect(Buffer.from(bytes).equals(Buffer.from(expected))).toBe(true);
            });
            if (r.concurrent) pending.push(check);
            else await check;
          }
          await Promise.all(pending);
          const stats = m.cache.stats;
          expect(stats.bytesReadCache + stats.bytesRequestedExternal).toBe(stats.bytesRequested);
          expect(store.pages.size).toBe(m.cache.pages.pageCount);
        },
      ),
      {
        examples: [
          [[[1, 0, 1025], [0, 0, 3073], [1, 0, 1]].map(([file, offset, length], i) => ({ file: file!, offset: offset!, length: length!, populate: true, corrupt: false, concurrent: i < 2 }))],
        ],
      },
    );
  });
});
