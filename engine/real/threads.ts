// Starts the real runtime's worker threads and keeps count of the live ones, so a run can prove it
// left none behind. Threads die with their process, so a killed run leaves nothing either; a run that
// fails terminates every thread it started before it reports the failure.

import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
// Before any thread starts: the threads' native addons stay loaded while they come and go.
import './native-addons.js';

const live = new Set<Worker>();

/**
 * This folder, found the same way from its sources and from the command line's bundle (.build/twin/,
 * as deep below the root as engine/real/), for threads that run the TypeScript sources through tsx.
 */
const REAL_DIR = new URL('../../engine/real/', import.meta.url);

export type ThreadModule = 'server-thread.ts' | 'pool-thread.ts';

/**
 * Starts a module of this folder in a worker thread with `data` as its workerData.data: its compiled
 * form when this module runs from the build (bin/build.js compiles each thread module beside the
 * chunks), its source through tsx otherwise.
 */
export function startThread(module: ThreadModule, data: unknown): Worker {
  const compiled = new URL(module.replace(/\.ts$/, '.js'), import.meta.url);
  const worker = existsSync(compiled)
    ? new Worker(compiled, { workerData: { entry: compiled.href, data } })
    : new Worker(new URL('thread-bootstrap.mjs', REAL_DIR), { workerData: { entry: new URL(module, REAL_DIR).href, data } });
  live.add(worker);
  worker.once('exit', () => live.delete(worker));
  return worker;
}

/** Threads started and not yet exited. */
export function liveThreads(): number {
  return live.size;
}

/** Terminates the threads and waits until they have exited. */
export async function stopThreads(workers: readonly Worker[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.terminate()));
}

/** Resolves with the first message of a thread; rejects if it fails or exits first. */
export function firstMessage<T>(worker: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`thread exited with code ${code} before it was ready`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: T) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      resolve(message);
    });
  });
}
