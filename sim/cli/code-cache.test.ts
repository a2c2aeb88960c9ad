// requireWithCodeCache: a CommonJS bundle runs as `require` would run it, its cache file is written
// where there was none, used by the next load, and a cache V8 rejects is ignored and replaced.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeCachePath, requireWithCodeCache } from './code-cache.js';

interface Bundle {
  readonly sum: (values: number[]) => number;
  readonly dir: string;
  readonly joined: string;
}

const SOURCE = `
const { join } = require('node:path');
exports.sum = (values) => values.reduce((a, b) => a + b, 0);
exports.dir = __dirname;
exports.joined = join('a', 'b');
`;

describe('requireWithCodeCache', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function bundle(): string {
    const dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    dirs.push(dir);
    const path = join(dir, 'bundle.cjs');
    writeFileSync(path, SOURCE);
    return path;
  }

  it('runs the bundle with require, __dirname and exports, writes its cache once, and compiles from it next time', () => {
    const path = bundle();
    const first = requireWithCodeCache<Bundle>(path);
    expect(first.fromCache).toBe(false);
    expect(first.exports.sum([1, 2, 3])).toBe(6);
    expect(first.exports.dir).toBe(join(path, '..'));
    expect(first.exports.joined).toBe(join('a', 'b'));
    expect(existsSync(codeCachePath(path))).toBe(false);
    first.saveCodeCache();
    expect(existsSync(codeCachePath(path))).toBe(true);

    const second = requireWithCodeCache<Bundle>(path);
    expect(second.fromCache).toBe(true);
    expect(second.exports.sum([4, 5])).toBe(9);
  });

  it('ignores a cache V8 rejects and replaces it', () => {
    const path = bundle();
    writeFileSync(codeCachePath(path), 'not a code cache');
    const loaded = requireWithCodeCache<Bundle>(path);
    expect(loaded.fromCache).toBe(false);
    expect(loaded.exports.sum([7])).toBe(7);
    loaded.saveCodeCache();
    expect(requireWithCodeCache<Bundle>(path).fromCache).toBe(true);
  });
});
