// The version `twin --version` prints: the one package.json states, found by walking up from this
// module, which runs from sim/cli/ or from the compiled build alike.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How many folders up package.json may be (the build lies two below the root, as the sources do). */
const MAX_LEVELS = 4;

export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level <= MAX_LEVELS; level++) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'olap-twin' && manifest.version !== undefined) return manifest.version;
    } catch {
      // Not here: look one folder up.
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
