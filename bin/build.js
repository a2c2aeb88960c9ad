#!/usr/bin/env node
// Compiles the command line into .build/twin/ (ignored by git) with esbuild: one bundle of engine/,
// sim/ and the packages they use, split at the commands' dynamic imports (so `twin --help` loads only
// commander), and the worker threads' bodies (sweep cells, real servers and pools) as entries of
// their own; the native roaring addon and the build tools stay in node_modules. `npm ci` and
// `npm install` run it (the `prepare` script), so the quick start's install step builds it. Written
// into a temporary folder and renamed into place, so a reader never sees half a build.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUILD_DIR, BUILD_ENTRY, BUILD_STATE, sourceState } from './source-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Worker thread bodies, each compiled to .build/twin/<name>.js beside the chunks that start them. */
const WORKER_ENTRIES = ['sim/sweep/cell-worker.ts', 'engine/real/server-thread.ts', 'engine/real/pool-thread.ts'];
const target = join(root, BUILD_DIR);
const temporary = `${target}.tmp-${process.pid}`;

// The state is taken before compiling: a source changed while compiling makes the build stale, not current.
const state = sourceState(root);
try {
  await build({
    entryPoints: {
      [BUILD_ENTRY.replace(/\.js$/, '')]: join(root, 'sim/cli/main.ts'),
      // The bodies of worker threads, started from the build by the modules that start them.
      ...Object.fromEntries(WORKER_ENTRIES.map((source) => [basename(source, '.ts'), join(root, source)])),
    },
    outdir: temporary,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Packages are bundled too (resolving apache-arrow's hundreds of modules at every start costs more
    // than the run of a short scenario), but for the native addons (roaring, resvg, DuckDB) and esbuild itself.
    external: ['roaring', 'esbuild', 'tsx', '@resvg/resvg-js'],
    banner: { js: "import { createRequire as __twinCreateRequire } from 'node:module'; const require = __twinCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  writeFileSync(join(temporary, BUILD_STATE), `${JSON.stringify(state)}\n`);
  rmSync(target, { recursive: true, force: true });
  renameSync(temporary, target);
} finally {
  rmSync(temporary, { recursive: true, force: true });
}
