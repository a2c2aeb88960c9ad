// Which code a real-runtime thread runs: the compiled build while it matches the sources (a restart
// then takes a fraction of the time tsx needs to import the sources again), the sources otherwise,
// so an edited checkout never runs a stale thread.

import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILD_DIR, BUILD_STATE, sourceState } from '../../bin/source-state.js';
import { compiledThread } from './threads.js';

const root = mkdtempSync(join(tmpdir(), 'olap-twin-threads-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('compiledThread', () => {
  it('names the build while it matches the sources, and nothing once a source changes or without a build', () => {
    mkdirSync(join(root, 'engine', 'real'), { recursive: true });
    mkdirSync(join(root, 'sim'), { recursive: true });
    const source = join(root, 'engine', 'real', 'server-thread.ts');
    writeFileSync(source, 'export {};\n');
    writeFileSync(join(root, 'sim', 'run.ts'), 'export {};\n');
    expect(compiledThread('server-thread.ts', root)).toBeNull();

    mkdirSync(join(root, BUILD_DIR), { recursive: true });
    writeFileSync(join(root, BUILD_DIR, BUILD_STATE), JSON.stringify(sourceState(root)));
    expect(compiledThread('server-thread.ts', root)?.href).toBe(pathToFileURL(join(root, BUILD_DIR, 'server-thread.js')).href);
    expect(compiledThread('pool-thread.ts', root)?.href).toBe(pathToFileURL(join(root, BUILD_DIR, 'pool-thread.js')).href);

    const later = new Date(Date.UTC(2030, 0, 1));
    utimesSync(source, later, later);
    expect(compiledThread('server-thread.ts', root)).toBeNull();
    writeFileSync(join(root, 'sim', 'added.ts'), 'export {};\n');
    writeFileSync(join(root, BUILD_DIR, BUILD_STATE), JSON.stringify({ ...sourceState(root), sources: 1 }));
    expect(compiledThread('server-thread.ts', root)).toBeNull();
  });
});
