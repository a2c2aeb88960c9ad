#!/usr/bin/env node
// Entry point of the `twin` command. One process, never a re-executed child (a child would outlive
// a SIGKILL of its parent, issue 5); V8 flags, if wanted, come from NODE_OPTIONS (a young-generation
// size set with v8.setFlagsFromString after start-up has no effect). Runs the compiled build (.build/twin, made
// by `npm ci` / `npm install` through bin/build.js) while it matches the sources, and the TypeScript
// sources through tsx otherwise, so an edited checkout never runs stale code.

import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { BUILD_DIR, BUILD_ENTRY, buildIsCurrent } from './source-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
if (buildIsCurrent(root)) {
  await import(join(root, BUILD_DIR, BUILD_ENTRY));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../sim/cli/main.ts');
}
