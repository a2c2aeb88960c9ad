import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeRunDirectory } from './run-directory.js';

describe('writeRunDirectory', () => {
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'olap-twin-run-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('writes every file whole and leaves no temporary directory', () => {
    const dir = join(parent, 'run-1');
    writeRunDirectory(dir, [
      { name: 'summary.json', data: '{"a":1}\n' },
      { name: 'queries.arrow', data: Uint8Array.of(1, 2, 3) },
    ]);
    expect(readdirSync(parent)).toEqual(['run-1']);
    expect(readdirSync(dir).sort()).toEqual(['queries.arrow', 'summary.json']);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('{"a":1}\n');
    expect(Array.from(readFileSync(join(dir, 'queries.arrow')))).toEqual([1, 2, 3]);
  });

  it('replaces an existing directory whole, old files included', () => {
    const dir = join(parent, 'run');
    writeRunDirectory(dir, [
      { name: 'stale.txt', data: 'old' },
      { name: 'summary.json', data: 'old' },
    ]);
    writeRunDirectory(dir, [{ name: 'summary.json', data: 'new' }]);
    expect(readdirSync(parent)).toEqual(['run']);
    expect(readdirSync(dir)).toEqual(['summary.json']);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('new');
  });

  it('creates missing parents', () => {
    const dir = join(parent, 'a', 'b', 'run');
    writeRunDirectory(dir, [{ name: 'x', data: '' }]);
    expect(existsSync(join(dir, 'x'))).toBe(true);
  });

  it('leaves the previous run untouched when the new one cannot be written', () => {
    const dir = join(parent, 'run');
    writeRunDirectory(dir, [{ name: 'summary.json', data: 'old' }]);
    expect(() => writeRunDirectory(dir, [{ name: '../escape', data: 'x' }])).toThrow(/bad run file name/);
    expect(() => writeRunDirectory(dir, [{ name: 'a', data: 'x' }, { name: 'a', data: 'y' }])).toThrow(/twice/);
    writeFileSync(join(parent, 'not-a-dir'), 'file');
    expect(() => writeRunDirectory(join(parent, 'not-a-dir', 'run'), [{ name: 'a', data: 'x' }])).toThrow();
    expect(readdirSync(parent).sort()).toEqual(['not-a-dir', 'run']);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('old');
  });
});
