// The version `twin --version` prints and the repository root (for `twin notebook`'s page sources): from
// the package.json found by walking up from this module, which runs from sim/cli/ or from the compiled build alike.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How many folders up package.json may be (the build lies two below the root, as the sources do). */
const MAX_LEVELS = 4;

/** The repository's root folder (where package.json names olap-twin), or undefined when not found. */
export function packageRoot(): string | undefined {
  return findManifest()?.dir;
}

export function packageVersion(): string {
  return findManifest()?.version ?? 'unknown';
}

function findManifest(): { dir: string; version: string } | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level <= MAX_LEVELS; level++) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'olap-twin' && manifest.version !== undefined) return { dir, version: manifest.version };
    } catch {
      // Not here: look one folder up.
    }
    dir = dirname(dir);
  }
  return undefined;
}
