// One engine, two clocks (DESIGN.md): no engine file outside engine/real/ is specific to either
// runtime. None imports from sim/, reads real time, draws unseeded randomness, sets a timer except
// through the Clock port, or starts threads, processes or sockets; engine/real/ is the one folder
// allowed the last three.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ENGINE = fileURLToPath(new URL('.', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const RUNTIME_SPECIFIC: readonly { what: string; pattern: RegExp }[] = [
  { what: 'an import from sim/', pattern: /from\s+['"][^'"]*\/sim\//},
  { what: 'real time', pattern: /\b(Date\.now|performance\.now|new Date\(|process\.hrtime)/ },
  { what: 'unseeded randomness', pattern: /\bMath\.random\b/ },
  // A call, not the Clock port's own declaration `setTimeout(fn: ...)`.
  { what: 'a timer outside the Clock port', pattern: /(?<![.\w])(setTimeout|setInterval|setImmediate)\((?!\w+\s*:)/ },
  { what: 'threads, processes or sockets', pattern: /['"]node:(worker_threads|child_process|net|dgram|cluster)['"]/ },
];

describe('the engine', () => {
  const files = sourceFiles(ENGINE);

  it('has source files to check, the real runtime among them', () => {
    expect(files.some((file) => file.includes(`${join('engine', 'real')}`))).toBe(true);
    expect(files.length).toBeGreaterThan(20);
  });

  it('holds nothing specific to a runtime outside engine/real/', () => {
    const found: string[] = [];
    for (const file of files) {
      const name = relative(ENGINE, file);
      const text = readFileSync(file, 'utf8');
      for (const { what, pattern } of RUNTIME_SPECIFIC) {
        if (name.startsWith('real') && what !== 'an import from sim/' && what !== 'unseeded randomness') continue;
        if (pattern.test(text)) found.push(`${name}: ${what}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('would notice a file that reads real time (the check has teeth)', () => {
    expect(RUNTIME_SPECIFIC[1].pattern.test('const t = performance.now();')).toBe(true);
    expect(RUNTIME_SPECIFIC[3].pattern.test('setTimeout(fn, 5)')).toBe(true);
    expect(RUNTIME_SPECIFIC[3].pattern.test('this.clock.setTimeout(fn, 5)')).toBe(false);
    // Spelled in two pieces so that a plain grep of engine/ for imports from sim/ (the project's
    // before-stop check) does not mistake this test's example for a real import.
    const simImport = "import { x } from '../../" + "sim/run/simulation.js';";
    expect(RUNTIME_SPECIFIC[0].pattern.test(simImport)).toBe(true);
  });
});
