// Runs sweep cells on worker threads (one cell per worker at a time, the next handed out as one
// finishes). Threads live inside this process, so they end with it, whatever kills it. A worker runs
// the compiled cell-worker.js when this module itself runs from the build (.build/twin/, which
// bin/twin.js runs only while it matches the sources), and otherwise loads the TypeScript sources
// through tsx itself, as bin/twin.js does for the main thread. A worker that crashes fails its cell
// and is replaced; the pool never starts more workers than it has cells.

import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
// Before any worker starts: the workers' native addons stay loaded while they come and go.
import '../../engine/real/native-addons.js';
import type { RunFile } from '../results/run-directory.js';
import type { CellInput } from './sweep-plan.js';
import type { TableFormat } from './sweep-directory.js';

export interface CellRequest {
  readonly index: number;
  readonly overrides: readonly string[];
}

export type CellReply =
  | { readonly kind: 'done'; readonly index: number; readonly files: RunFile[] }
  | { readonly kind: 'failed'; readonly index: number; readonly message: string };

export interface PoolOptions {
  readonly workers: number;
  readonly keepRuns: boolean;
  /** The format of a kept run's tables. */
  readonly format: TableFormat;
  /** Called on the main thread as each cell ends, in the order they end. */
  readonly onReply: (reply: CellReply) => void;
}

/** Young generation per worker: the simulator allocates many short-lived objects (see bin/twin.js). */
const YOUNG_GENERATION_MB = 128;

export function defaultWorkerCount(): number {
  return availableParallelism();
}

/** The compiled worker beside this module: there when it runs from the build, absent beside the sources. */
const COMPILED_WORKER = new URL('./cell-worker.js', import.meta.url);

/** What a worker runs: the compiled worker, or code that registers tsx's ESM loader (as tsx/esm/api's import entry) and loads cell-worker.ts. */
function workerEntry(): { readonly source: string | URL; readonly eval: boolean } {
  if (existsSync(COMPILED_WORKER)) return { source: COMPILED_WORKER, eval: false };
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = JSON.parse(readFileSync(packageJson, 'utf8')).exports['./esm/api'].import.default as string;
  const tsxApi = pathToFileURL(join(dirname(packageJson), exports)).href;
  const workerUrl = new URL('./cell-worker.ts', import.meta.url).href;
  return { source: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`, eval: true };
}

export function runOnWorkers(input: CellInput, requests: readonly CellRequest[], options: PoolOptions): Promise<void> {
  const queue = [...requests];
  let pending = requests.length;
  let replacements = 0;
  const entry = workerEntry();
  const workerData = { scenarioFile: input.scenarioFile, scenarioText: input.scenarioText, keepRuns: options.keepRuns, format: options.format };

  return new Promise((resolve, reject) => {
    if (pending === 0) {
      resolve();
      return;
    }
    const finish = (reply: CellReply) => {
      pending--;
      try {
        options.onReply(reply);
      } catch (error) {
        reject(error);
      }
      if (pending === 0) resolve();
    };

    const start = () => {
      const worker = new Worker(entry.source, {
        eval: entry.eval,
        workerData,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
      let current: CellRequest | undefined;
      let ended = false;
      const next = () => {
        current = queue.shift();
        if (current === undefined) void worker.terminate();
        else worker.postMessage(current);
      };
      const crashed = (message: string) => {
        if (ended) return;
        ended = true;
        if (current !== undefined) finish({ kind: 'failed', index: current.index, message });
        current = undefined;
        if (queue.length > 0 && replacements++ < requests.length) start();
      };
      worker.on('message', (reply: CellReply) => {
        current = undefined;
        finish(reply);
        next();
      });
      worker.on('error', (error) => crashed(`worker crashed: ${error.message}`));
      worker.on('exit', (code) => {
        if (current !== undefined) crashed(`worker exited with code ${code}`);
        ended = true;
      });
      next();
    };

    const count = Math.max(1, Math.min(options.workers, requests.length));
    for (let i = 0; i < count; i++) start();
  });
}
