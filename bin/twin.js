#!/usr/bin/env node
// Entry point of the `twin` command: loads the TypeScript sources through tsx, so no build step is
// needed. The simulator allocates many short-lived messages; a larger young generation
// (--max-semi-space-size) cuts garbage-collection time markedly, so the command re-executes itself
// with it once when started without it.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const YOUNG_GENERATION_FLAG = '--max-semi-space-size=64';

if (!process.execArgv.some((arg) => arg.startsWith('--max-semi-space-size'))) {
  const child = spawnSync(
    process.execPath,
    [YOUNG_GENERATION_FLAG, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(child.status ?? 1);
}

const { register } = await import('tsx/esm/api');
register();
await import('../sim/cli/main.ts');
