// What the compiled build of the command line was made from: how many TypeScript sources engine/ and
// sim/ hold (tests left out) and the newest modification time among them. bin/build.js records it
// beside the build; bin/twin.js compares it with the checkout's to run the build only while it is
// current, and the sources themselves otherwise.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Folders whose sources go into the build, relative to the repository root. */
const SOURCE_FOLDERS = ['engine', 'sim'];

/** Where the build lives: two folders below the root, as deep as the sources, so that paths they
 * compute from import.meta.url (`../../scenarios/...`) resolve the same from the build. */
export const BUILD_DIR = '.build/twin';
export const BUILD_STATE = 'build-state.json';
export const BUILD_ENTRY = 'main.js';

function walk(dir, state) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, state);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      state.sources += 1;
      state.newestMtimeMs = Math.max(state.newestMtimeMs, statSync(path).mtimeMs);
    }
  }
  return state;
}

/** The sources' count and newest modification time under `root`. */
export function sourceState(root) {
  const state = { sources: 0, newestMtimeMs: 0 };
  for (const folder of SOURCE_FOLDERS) walk(join(root, folder), state);
  return state;
}

/** Whether the build under `root` was made from the sources as they are now. */
export function buildIsCurrent(root) {
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(join(root, BUILD_DIR, BUILD_STATE), 'utf8'));
  } catch {
    return false;
  }
  const now = sourceState(root);
  return recorded.sources === now.sources && recorded.newestMtimeMs === now.newestMtimeMs;
}
