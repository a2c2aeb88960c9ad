// Starts the real runtime's worker threads and keeps count of the live ones, so a run can prove it
// left none behind. Threads die with their process, so a killed run leaves nothing either; a run that
// fails terminates every thread it started before it reports the failure. A thread runs the compiled
// build (.build/twin/, bin/build.js) whenever it matches the sources, as bin/twin.js decides for the
// command line, even when the thread that starts it runs the sources (tests, tsx): importing the
// sources through tsx in every fresh thread made a server's restart take seconds under load.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BUILD_DIR, buildIsCurrent } from '../../bin/source-state.js';
// Before any thread starts: the threads' native addons stay loaded while they come and go.
import './native-addons.js';

const live = new Set<Worker>();

/**
 * This folder, found the same way from its sources and from the command line's bundle (.build/twin/,
 * as deep below the root as engine/real/), for threads that run the TypeScript sources through tsx.
 */
const REAL_DIR = new URL('../../engine/real/', import.meta.url);

export type ThreadModule = 'server-thread.ts' | 'pool-thread.ts';

/** The repository root, found the same way from the sources and from the build. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The compiled form of a thread module: beside this module when it runs from the build (bin/build.js
 * compiles each thread module beside the chunks), else the build's under `root` when that build
 * matches the sources there; null when there is no current build.
 */
export function compiledThread(module: ThreadModule, root: string = ROOT): URL | null {
  const compiledName = module.replace(/\.ts$/, '.js');
  const beside = new URL(compiledName, import.meta.url);
  if (existsSync(beside)) return beside;
  return buildIsCurrent(root) ? pathToFileURL(join(root, BUILD_DIR, compiledName)) : null;
}

/**
 * Starts a module of this folder in a worker thread with `data` as its workerData.data: its compiled
 * form when there is a current one (compiledThread), its source through tsx otherwise.
 */
export function startThread(module: ThreadModule, data: unknown): Worker {
  const compiled = compiledThread(module);
  const worker =
    compiled !== null
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
