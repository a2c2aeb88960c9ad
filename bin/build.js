#!/usr/bin/env node
// Compiles the command line into .build/twin/ (ignored by git) with esbuild: one bundle of engine/,
// sim/ and the packages they use, split at the commands' dynamic imports (so `twin --help` loads only
// commander), and the worker threads' bodies (sweep cells, real servers and pools) as entries of
// their own, and the run command once more as one CommonJS file, which can be compiled from V8's
// code cache. The native addons and the build tools stay in node_modules, but roaring's JavaScript
// is bundled with its addon's path found once, here (see roaringAddonPlugin). `npm ci` and
// `npm install` run it (the `prepare` script), so the quick start's install step builds it. Written
// into a temporary folder and renamed into place, so a reader never sees half a build.

import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUILD_DIR, BUILD_ENTRY, BUILD_STATE, sourceState } from './source-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Worker thread bodies, each compiled to .build/twin/<name>.js beside the chunks that start them. */
const WORKER_ENTRIES = ['sim/sweep/cell-worker.ts', 'engine/real/server-thread.ts', 'engine/real/pool-thread.ts'];
/** The run command as one CommonJS file, which main.js loads through V8's code cache. */
const RUN_COMMAND_BUNDLE = 'run-command.cjs';
const target = join(root, BUILD_DIR);
const temporary = `${target}.tmp-${process.pid}`;

/** How roaring's index.js loads its addon: through node-pre-gyp, which also falls back to a local build. */
const ROARING_LOADER = /const roaring = \(\(\) => \{\n  try \{\n    return require\(\n      require\("@mapbox\/node-pre-gyp\/lib\/pre-binding"\)[^]*?\n\}\)\(\);\n/;

/**
 * roaring's index.js asks @mapbox/node-pre-gyp where its native addon is at every start, which costs
 * a `twin run` about 80 ms of CPU (node-pre-gyp loads its option parser, version rules and more).
 * This plugin asks once, at build time, and bundles index.js with the answer in place of the question,
 * as a path relative to the build. Where the addon is not there at run time (the checkout's
 * node_modules moved, or node changed ABI since the build) the bundle asks node-pre-gyp as roaring
 * does. A roaring whose loader reads otherwise stays external, loaded as it loads itself.
 */
function roaringAddonPlugin() {
  const requireHere = createRequire(join(root, 'package.json'));
  const packageJson = requireHere.resolve('roaring/package.json');
  const index = join(dirname(packageJson), 'index.js');
  const source = readFileSync(index, 'utf8');
  if (!ROARING_LOADER.test(source)) {
    console.warn('bin/build.js: roaring/index.js loads its addon in a way this build does not know; roaring stays external');
    return { name: 'roaring-addon', setup: (pluginBuild) => pluginBuild.onResolve({ filter: /^roaring$/ }, () => ({ path: 'roaring', external: true })) };
  }
  const prebuilt = createRequire(packageJson)('@mapbox/node-pre-gyp/lib/pre-binding').find(packageJson);
  const addon = existsSync(prebuilt) ? prebuilt : join(dirname(packageJson), 'build/Release/roaring.node');
  const loader = `const roaring = (() => {
  // The addon's path, found by bin/build.js through node-pre-gyp, relative to the build.
  const addon = ${JSON.stringify(relative(target, addon).split('\\').join('/'))};
  try {
    return require(addon);
  } catch {
    const roaringPackage = "roaring/package.json";
    const preBinding = "@mapbox/node-pre-gyp/lib/pre-binding";
    const packageJson = require.resolve(roaringPackage);
    return require(require("node:module").createRequire(packageJson)(preBinding).find(packageJson));
  }
})();
`;
  return {
    name: 'roaring-addon',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /[\\/]roaring[\\/]index\.js$/ }, (args) =>
        args.path === index ? { contents: source.replace(ROARING_LOADER, loader), loader: 'js', resolveDir: dirname(index) } : undefined,
      );
    },
  };
}

/**
 * Rewrites the bundle at `path` in ASCII only. esbuild's `charset: 'ascii'` escapes every string,
 * template, regular expression and identifier, but keeps comments as written; what is left outside
 * ASCII is in comments, where a \uXXXX escape in its place is as good. The loader then reads the
 * 1.8 MB file as Latin-1, which V8 keeps as a one-byte string: decoding it as UTF-8 into a two-byte
 * string cost 30-40 ms of every run.
 */
function asciiOnly(path) {
  const source = readFileSync(path, 'utf8');
  writeFileSync(path, source.replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

// The state is taken before compiling: a source changed while compiling makes the build stale, not current.
const state = sourceState(root);
try {
  const shared = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Packages are bundled too (resolving apache-arrow's hundreds of modules at every start costs more
    // than the run of a short scenario), but for the native addons (resvg, DuckDB; roaring's addon) and esbuild itself.
    external: ['esbuild', 'tsx', '@resvg/resvg-js'],
    plugins: [roaringAddonPlugin()],
    sourcemap: 'linked',
    logLevel: 'warning',
  };
  await build({
    ...shared,
    entryPoints: {
      [BUILD_ENTRY.replace(/\.js$/, '')]: join(root, 'sim/cli/main.ts'),
      // The bodies of worker threads, started from the build by the modules that start them.
      ...Object.fromEntries(WORKER_ENTRIES.map((source) => [basename(source, '.ts'), join(root, source)])),
    },
    outdir: temporary,
    splitting: true,
    format: 'esm',
    define: { TWIN_RUN_COMMAND_BUNDLE: JSON.stringify(`./${RUN_COMMAND_BUNDLE}`) },
    banner: { js: "import { createRequire as __twinCreateRequire } from 'node:module'; const require = __twinCreateRequire(import.meta.url);" },
  });
  // The run command once more, whole, as CommonJS: main.js runs it through V8's code cache (sim/cli/code-cache.ts).
  // In ASCII only, so that it loads as a one-byte string without decoding UTF-8 (see asciiOnly).
  await build({ ...shared, entryPoints: [join(root, 'sim/cli/run-command-bundle.ts')], outfile: join(temporary, RUN_COMMAND_BUNDLE), format: 'cjs', charset: 'ascii' });
  asciiOnly(join(temporary, RUN_COMMAND_BUNDLE));
  writeFileSync(join(temporary, BUILD_STATE), `${JSON.stringify(state)}\n`);
  rmSync(target, { recursive: true, force: true });
  renameSync(temporary, target);
} finally {
  rmSync(temporary, { recursive: true, force: true });
}
