#!/usr/bin/env node
// Entry point of the `twin` command. One process, never a re-executed child (a child would outlive
// a SIGKILL of its parent, issue 5): the larger young generation the simulator wants (it allocates
// many short-lived messages; --max-semi-space-size cuts garbage-collection time markedly) is set
// here with v8.setFlagsFromString before the heap grows. Runs the compiled build (.build/twin, made
// by `npm ci` / `npm install` through bin/build.js) while it matches the sources, and the TypeScript
// sources through tsx otherwise, so an edited checkout never runs stale code.

import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { BUILD_DIR, BUILD_ENTRY, buildIsCurrent } from './source-state.js';

setFlagsFromString('--max-semi-space-size=64');

const root = fileURLToPath(new URL('..', import.meta.url));
if (buildIsCurrent(root)) {
  await import(join(root, BUILD_DIR, BUILD_ENTRY));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../sim/cli/main.ts');
}
