#!/usr/bin/env node
// Entry point of the `twin` command: loads the TypeScript sources through tsx, so no build step is
// needed. The simulator allocates many short-lived messages; a larger young generation
// (--max-semi-space-size) cuts garbage-collection time markedly, so the command re-executes itself
// with it once when started without it, passing signals on to the child and its exit status back.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const YOUNG_GENERATION_FLAG = '--max-semi-space-size=64';
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

if (!process.execArgv.some((arg) => arg.startsWith('--max-semi-space-size'))) {
  const child = spawn(
    process.execPath,
    [YOUNG_GENERATION_FLAG, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of FORWARDED_SIGNALS) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    for (const forwarded of FORWARDED_SIGNALS) process.removeAllListeners(forwarded);
    process.kill(process.pid, signal);
  });
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../sim/cli/main.ts');
}
