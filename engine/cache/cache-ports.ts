// The two ports the local cache manager moves bytes through: the page store on local disks (one
// directory per device) and the remote store the pages come from. The real runtime implements them
// over files and an object-store client; tests over memory with injected faults.

export type PageGetResult =
  | { readonly kind: 'ok'; readonly bytes: Uint8Array }
  | { readonly kind: 'corrupt' }
  | { readonly kind: 'missing' };

/** no-space: the device filled before the cache's configured capacity (ENOSPC). */
export type PagePutResult = { readonly kind: 'ok' } | { readonly kind: 'no-space' } | { readonly kind: 'error' };

export interface PageStore {
  get(file: number, page: number, directory: number): Promise<PageGetResult>;
  put(file: number, page: number, directory: number, bytes: Uint8Array): Promise<PagePutResult>;
  delete(file: number, page: number, directory: number): void;
}

export interface RemoteReader {
  read(file: number, offsetBytes: number, lengthBytes: number): Promise<Uint8Array>;
}
