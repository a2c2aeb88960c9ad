// The folder a real run keeps its files in while it runs: the segment store (the generated segment
// files) and each server's page-cache directories. A fresh temporary folder the run owns, named with
// its process id and marked by a file inside it; it is removed when the run ends, fails, or its
// process is ended by SIGINT, SIGTERM or SIGHUP (the process then exits with the signal's code, as
// `twin run` does). A process killed outright (SIGKILL) cannot clean up: the next real run removes
// the folders of such runs, those whose marker names a process that no longer exists, and nothing else.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'olap-twin-real-';
const MARKER = '.olap-twin-real-run';
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export interface RealScratch {
  readonly path: string;
  /** Removes the folder and stops watching for signals; safe to call twice. */
  remove(): void;
}

/** Creates the run's folder under the system's temporary folder, after removing abandoned ones. */
export function createRealScratch(): RealScratch {
  removeAbandonedScratch();
  const path = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  writeFileSync(join(path, MARKER), `${process.pid}\n`);
  let removed = false;
  const signals = Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[];
  const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES) => {
    remove();
    process.exit(SIGNAL_EXIT_CODES[signal]);
  };
  const remove = () => {
    if (removed) return;
    removed = true;
    for (const signal of signals) process.off(signal, onSignal);
    process.off('exit', remove);
    rmSync(path, { recursive: true, force: true });
  };
  for (const signal of signals) process.on(signal, onSignal);
  process.on('exit', remove);
  return { path, remove };
}

/** Removes the folders of real runs whose process is gone (killed outright); returns how many. */
export function removeAbandonedScratch(): number {
  let count = 0;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const folder = join(tmpdir(), name);
    const marker = join(folder, MARKER);
    if (!existsSync(marker)) continue;
    const pid = Number(readFileSync(marker, 'utf8').trim());
    if (!Number.isSafeInteger(pid) || pid <= 0 || !name.startsWith(`${PREFIX}${pid}-`) || isRunning(pid)) continue;
    rmSync(folder, { recursive: true, force: true });
    count++;
  }
  return count;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
