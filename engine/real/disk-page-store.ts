// The real runtime's page store (seed 001 section 4: the local cache keeps each page as a file in a
// cache directory on the node's SSD): one folder per cache directory under the server's cache folder,
// one file per page. A page is written beside its name and renamed, so a reader finds it whole or not
// at all; a full disk (ENOSPC) is the no-space the cache manager handles as seed 001 section 8 says.

import { mkdirSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PageGetResult, PagePutResult, PageStore } from '../cache/cache-ports.js';

export class DiskPageStore implements PageStore {
  private readonly folders: readonly string[];
  private writes = 0;

  /** Creates `directories` folders under `root` (which the caller owns and removes). */
  constructor(root: string, directories: number) {
    this.folders = Array.from({ length: directories }, (_, d) => join(root, `dir-${d}`));
    for (const folder of this.folders) mkdirSync(folder, { recursive: true });
  }

  async get(file: number, page: number, directory: number): Promise<PageGetResult> {
    try {
      const bytes = await readFile(this.pathOf(file, page, directory));
      return { kind: 'ok', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'corrupt' };
    }
  }

  async put(file: number, page: number, directory: number, bytes: Uint8Array): Promise<PagePutResult> {
    const path = this.pathOf(file, page, directory);
    // Each write its own temporary: two writes of one page never share one.
    const partial = `${path}.${this.writes++}.partial`;
    try {
      await writeFile(partial, bytes);
      await rename(partial, path);
      return { kind: 'ok' };
    } catch (error) {
      await unlink(partial).catch(() => {});
      return (error as NodeJS.ErrnoException).code === 'ENOSPC' ? { kind: 'no-space' } : { kind: 'error' };
    }
  }

  delete(file: number, page: number, directory: number): void {
    // A page the index let go: a failed delete leaves a file nothing reads, removed with the folder.
    unlink(this.pathOf(file, page, directory)).catch(() => {});
  }

  private pathOf(file: number, page: number, directory: number): string {
    return join(this.folders[directory]!, `${file}-${page}`);
  }
}
