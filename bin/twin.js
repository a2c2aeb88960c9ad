#!/usr/bin/env node
// Entry point of the `twin` command. One process, never a re-executed child (a child would outlive
// a SIGKILL of its parent, issue 5); V8 flags, if wanted, come from NODE_OPTIONS (a young-generation
// size set with v8.setFlagsFromString after start-up has no effect). Runs the compiled build (.build/twin, made
// by `npm ci` / `npm install` through bin/build.js) while it matches the sources, and the TypeScript
// sources through tsx otherwise, so an edited checkout never runs stale code.
//
// One V8 flag is set here, before anything else loads: no allocation-site pretenuring. V8 watches
// how many objects of each allocation site survive young-generation collections and, past a
// threshold, allocates that site's objects straight in the old generation. At LinkedIn scale some
// short-lived objects (most likely the queries in flight, which requests waiting in servers' queues
// keep alive) crossed that threshold in some runs and not in others, so that from one run to the next
// the old generation either stayed at 50-66 MB or filled with 140-210 MB of dead objects before a
// full collection: LinkedIn scale's peak memory
// read 570 or 690-760 MiB, and its CPU time 7.4 or 8.7-11 s, for the same scenario and seed. Without
// pretenuring every run is the low one (LinkedIn scale, 300 ms: 14 of 14 runs at 564-575 MiB; side
// by side with it on, CPU 0.94x and peak 560 against 671 MiB, medians of 5 pairs; the reference and
// large runs unchanged, 1.00x and 1.03x). The flag takes effect when set at run time, unlike a
// young-generation size.

import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { BUILD_DIR, BUILD_ENTRY, buildIsCurrent } from './source-state.js';

setFlagsFromString('--no-allocation-site-pretenuring');

const root = fileURLToPath(new URL('..', import.meta.url));
if (buildIsCurrent(root)) {
  await import(join(root, BUILD_DIR, BUILD_ENTRY));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../sim/cli/main.ts');
}
