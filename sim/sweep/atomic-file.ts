// Writes one file so that it appears whole or not at all: the bytes go to a hidden temporary file
// beside it, are fsynced, and the temporary is renamed over the target (then the directory is
// fsynced). A process killed midway leaves at most a temporary named `.<name>.tmp-<pid>-<n>`, which
// isTemporaryOf recognises so that a later run removes only what this tool wrote.

import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processIsAlive } from '../results/run-directory.js';

let writes = 0;

/** Writes `data` (bytes, text, or chunks of bytes produced as they are written) to `path`, whole or not at all. */
export function writeFileAtomically(path: string, data: Uint8Array | string | Iterable<Uint8Array>): void {
  const chunks = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
  const directory = dirname(path);
  mkdirSync(directory, { recursive: true });
  const temporary = join(directory, `.${basename(path)}.tmp-${process.pid}-${writes++}`);
  const fd = openSync(temporary, 'wx');
  try {
    for (const bytes of chunks) {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  const directoryFd = openSync(directory, 'r');
  try {
    fsyncSync(directoryFd);
  } finally {
    closeSync(directoryFd);
  }
}

/** Whether `entry` is a temporary (or set-aside old copy) left by an atomic write of `name`. */
export function isTemporaryOf(entry: string, name: string): boolean {
  return entry.startsWith(`.${name}.`) && /\.(tmp|old)-\d+-\d+$/.test(entry);
}

/** Whether the process that wrote temporary `entry` is still running (then it is not left over). */
export function writerIsAlive(entry: string): boolean {
  const pid = Number(/\.(?:tmp|old)-(\d+)-\d+$/.exec(entry)?.[1]);
  return Number.isInteger(pid) && pid > 0 && processIsAlive(pid);
}
