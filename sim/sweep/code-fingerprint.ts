// The code a sweep cell was computed by: a hash of the engine's and the simulator's sources (tests
// left out) and of package-lock.json (the libraries' exact versions). A cell records it in cell.json;
// a resumed sweep or a merge counts a cell as finished only when it was computed by the code running
// now, so one table never mixes two versions' results (a cell from older code is run again).
// Paths resolve from this module's place, two folders below the root both in the sources
// (sim/sweep/) and in the build (.build/twin/), as bin/source-state.js arranges.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCE_FOLDERS = ['engine', 'sim'];

let cached: string | undefined;

/** The fingerprint of the code running now (computed once per thread: a few hundred files). */
export function codeFingerprint(): string {
  cached ??= fingerprintOf(ROOT);
  return cached;
}

/** The fingerprint of the sources under `root`, in a stable order of their paths. */
export function fingerprintOf(root: string): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const folder of SOURCE_FOLDERS) collectSources(join(root, folder), files);
  files.sort();
  const lock = join(root, 'package-lock.json');
  if (existsSync(lock)) files.push(lock);
  for (const file of files) {
    hash.update(file.slice(root.length));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function collectSources(dir: string, files: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collectSources(path, files);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(path);
  }
}
