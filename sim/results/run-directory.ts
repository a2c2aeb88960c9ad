// Writes a run directory so that files appear whole or not at all (DESIGN.md, "What a run
// produces"): everything goes into a hidden sibling directory, is fsynced, and is renamed into
// place; an existing directory is renamed away first and removed after, so a reader sees the old
// run, no run, or the new run, never a half-written one.

import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export interface RunFile {
  readonly name: string;
  readonly data: Uint8Array | string;
}

/** Distinguishes the temporary directories of successive writes within this process. */
let writes = 0;

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeDurably(path: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(path, 'wx');
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function checkNames(files: ReadonlyArray<RunFile>): void {
  const seen = new Set<string>();
  for (const { name } of files) {
    if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) throw new Error(`bad run file name "${name}"`);
    if (seen.has(name)) throw new Error(`run file "${name}" given twice`);
    seen.add(name);
  }
}

function exists(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false }) !== undefined;
}

/** Writes `files` as the directory `dir`, replacing any directory there, atomically for readers. */
export function writeRunDirectory(dir: string, files: ReadonlyArray<RunFile>): void {
  checkNames(files);
  const target = resolve(dir);
  const parent = dirname(target);
  const suffix = `${process.pid}-${writes++}`;
  const temporary = join(parent, `.${basename(target)}.tmp-${suffix}`);
  const previous = join(parent, `.${basename(target)}.old-${suffix}`);
  mkdirSync(parent, { recursive: true });
  mkdirSync(temporary);
  try {
    for (const file of files) writeDurably(join(temporary, file.name), file.data);
    fsyncPath(temporary);
    const replacing = exists(target);
    if (replacing) renameSync(target, previous);
    try {
      renameSync(temporary, target);
    } catch (error) {
      if (replacing) renameSync(previous, target);
      throw error;
    }
    fsyncPath(parent);
    if (replacing) rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}
