// Loads a CommonJS bundle of the build through V8's code cache (issue 5, start-up). Node 20 keeps no
// compiled code between processes for ES modules, so every `twin run` compiled the run command's
// modules again, and every function it called on the way again at its first call: about a quarter
// of the CPU of a short run. A CommonJS bundle compiled through node:vm can be given the bytecode a
// previous process made (its cache file beside the bundle) and skip that work. The cache is written
// once, after the first run that found none (or found one V8 rejects: another node, other V8 flags),
// so it holds the functions a run compiles; a folder that cannot be written runs uncached.

import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

export interface CachedBundle<T> {
  readonly exports: T;
  /** Whether the bundle was compiled from its cache file. */
  readonly fromCache: boolean;
  /** Writes the cache file from what the process compiled so far, where there was no usable one. */
  saveCodeCache(): void;
}

/** The cache file of a bundle. */
export function codeCachePath(bundlePath: string): string {
  return `${bundlePath}.code-cache`;
}

/** Runs the CommonJS bundle at `bundlePath`, written in ASCII only (as `require` would) and returns its exports. */
export function requireWithCodeCache<T>(bundlePath: string): CachedBundle<T> {
  const cachePath = codeCachePath(bundlePath);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  // The build writes the bundle in ASCII only (bin/build.js asciiOnly): read as Latin-1, it becomes a
  // one-byte string with no UTF-8 decoding.
  const script = new Script(Module.wrap(readFileSync(bundlePath, 'latin1')), { filename: bundlePath, cachedData });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as T };
  const body = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: { exports: T }, filename: string, dirname: string) => void;
  body.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  return {
    exports: module.exports,
    fromCache,
    saveCodeCache() {
      if (fromCache) return;
      const temporary = `${cachePath}.tmp-${process.pid}`;
      try {
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cachePath);
      } catch {
        rmSync(temporary, { force: true });
      }
    },
  };
}
