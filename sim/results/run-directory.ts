// Writes a run directory so that files appear whole or not at all, and so that nothing the tool did
// not write is ever lost (DESIGN.md, "What a run produces"; issue 5). Everything goes into a hidden
// sibling directory, is fsynced, and is renamed into place; a previous run there is renamed away
// first and removed after, so a reader sees the old run, no run, or the new run, never a half-written
// one. A run directory carries a marker file listing what it holds: only such a directory (or an
// empty one) is replaced, anything else is refused unless forced, and a file never is. Temporary
// directories a killed run left behind are removed by the next write into the same parent.

import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { describeFsError } from '../io/fs-error-text.js';

export interface RunFile {
  readonly name: string;
  /** The bytes, or chunks of them produced as they are written (a large table, batch by batch). */
  readonly data: Uint8Array | string | Iterable<Uint8Array>;
}

/** The marker file of a run directory: JSON naming the tool and every file it wrote there. */
export const RUN_MARKER = '.olap-twin-run';

/** What a run directory held before it carried a marker: such a directory is still the tool's own. */
const UNMARKED_RUN_FILES = new Set(['scenario.resolved.yaml', 'queries.arrow', 'series.arrow', 'events.arrow', 'summary.json']);

/** A hidden sibling of a target while it is written (`tmp`) or while the run it replaces is set aside (`old`). */
const SIBLING = /^\.(.+)\.(tmp|old)-(\d+)-(\d+)$/;

/** A results directory that cannot or must not be written; the command line exits 2 with its message. */
export class RunDirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunDirectoryError';
  }
}

export interface WriteOptions {
  /** Replace a directory that holds files the tool did not write (never a file, never one holding `keep`). */
  readonly force?: boolean;
  /** Paths that must survive the write (the scenario file being run): a target holding one is refused. */
  readonly keep?: readonly string[];
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

function writeDurably(path: string, data: RunFile['data']): void {
  const chunks = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
  const fd = openSync(path, 'wx');
  try {
    for (const bytes of chunks) {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function checkNames(files: ReadonlyArray<RunFile>): void {
  const seen = new Set<string>([RUN_MARKER]);
  for (const { name } of files) {
    if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) throw new Error(`bad run file name "${name}"`);
    if (seen.has(name)) throw new Error(`run file "${name}" given twice`);
    seen.add(name);
  }
}

/** `path` is `ancestor` or lies inside it. */
function isWithin(path: string, ancestor: string): boolean {
  const rel = relative(ancestor, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

/** The file names a marker lists, or undefined when there is no readable marker. */
function markedFiles(dir: string): Set<string> | undefined {
  try {
    const marker = JSON.parse(readFileSync(join(dir, RUN_MARKER), 'utf8')) as { tool?: unknown; files?: unknown };
    if (marker.tool !== 'olap-twin' || !Array.isArray(marker.files)) return undefined;
    return new Set(marker.files.filter((name): name is string => typeof name === 'string'));
  } catch {
    return undefined;
  }
}

/** Entries of `dir` the tool did not write there: none for a marked run directory or an unmarked one of an earlier version. */
function foreignEntries(dir: string): string[] {
  const entries = readdirSync(dir);
  const marked = markedFiles(dir);
  if (marked !== undefined) return entries.filter((name) => name !== RUN_MARKER && !marked.has(name));
  const unmarkedRun = entries.includes('summary.json') && entries.every((name) => UNMARKED_RUN_FILES.has(name));
  return unmarkedRun ? [] : entries;
}

function listSome(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((name) => `"${name}"`).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/**
 * Checks, before a run, that writing `dir` will destroy nothing of the operator's: it does not exist,
 * is empty, or is a run directory this tool wrote (or `force` is given and it is a directory).
 */
export function checkRunDirectory(dir: string, options: WriteOptions = {}): void {
  const target = resolve(dir);
  if (isWithin(process.cwd(), target)) {
    throw new RunDirectoryError(`${dir}: is the current folder or holds it; choose a new folder for the results`);
  }
  const kept = (options.keep ?? []).find((path) => isWithin(resolve(path), target));
  if (kept !== undefined) throw new RunDirectoryError(`${dir}: holds ${kept}, which this run reads; choose a new folder for the results`);
  let stats;
  try {
    stats = lstatSync(target, { throwIfNoEntry: false });
  } catch (error) {
    throw new RunDirectoryError(`${dir}: cannot be written: ${describeFsError(error)}`);
  }
  if (stats === undefined) return;
  if (!stats.isDirectory()) {
    throw new RunDirectoryError(`${dir}: is a file, not a folder; results are never written over a file, choose a new folder`);
  }
  let foreign;
  try {
    foreign = foreignEntries(target);
  } catch (error) {
    throw new RunDirectoryError(`${dir}: cannot be read: ${describeFsError(error)}`);
  }
  if (foreign.length > 0 && !options.force) {
    throw new RunDirectoryError(
      `${dir}: holds files twin did not write (${listSome(foreign)}); choose a new folder, or give --force to replace it with everything in it`,
    );
  }
}

/**
 * Whether process `pid` is running. A zombie (dead, not yet reaped by its parent, which a parent
 * blocked in a synchronous call leaves for as long as the call lasts) is not: its temporaries are
 * left over. Zombies are told from /proc/PID/stat's state field where there is a /proc.
 */
export function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which may hold spaces and parentheses.
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return false;
  }
}

/**
 * Removes what writes killed before they finished left in `parent`: their temporary directories, and
 * the runs they had set aside (put back where their target is missing, removed otherwise). Only
 * siblings of dead processes are touched, and a temporary directory only when it is empty or marked.
 */
export function removeStaleSiblings(parent: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = SIBLING.exec(entry);
    if (match === null || processIsAlive(Number(match[3]))) continue;
    const path = join(parent, entry);
    try {
      if (!lstatSync(path).isDirectory()) continue;
      if (match[2] === 'tmp') {
        if (readdirSync(path).length === 0 || markedFiles(path) !== undefined) rmSync(path, { recursive: true, force: true });
        continue;
      }
      const target = join(parent, match[1]);
      if (lstatSync(target, { throwIfNoEntry: false }) === undefined) renameSync(path, target);
      else rmSync(path, { recursive: true, force: true });
    } catch {
      // Another process may be cleaning up the same sibling; what is left, the next write removes.
    }
  }
}

/**
 * Writes `files` as the directory `dir`, atomically for readers, after checkRunDirectory: replaces a
 * run directory there, refuses anything else (unless forced), and throws RunDirectoryError when the
 * folder cannot be written.
 */
export function writeRunDirectory(dir: string, files: ReadonlyArray<RunFile>, options: WriteOptions = {}): void {
  checkNames(files);
  checkRunDirectory(dir, options);
  const target = resolve(dir);
  const parent = dirname(target);
  const suffix = `${process.pid}-${writes++}`;
  const temporary = join(parent, `.${basename(target)}.tmp-${suffix}`);
  const previous = join(parent, `.${basename(target)}.old-${suffix}`);
  try {
    mkdirSync(parent, { recursive: true });
    removeStaleSiblings(parent);
    mkdirSync(temporary);
  } catch (error) {
    throw new RunDirectoryError(`${dir}: cannot be written: ${describeFsError(error)}`);
  }
  try {
    writeDurably(join(temporary, RUN_MARKER), `${JSON.stringify({ tool: 'olap-twin', files: files.map((file) => file.name) })}\n`);
    for (const file of files) writeDurably(join(temporary, file.name), file.data);
    fsyncPath(temporary);
    const replacing = lstatSync(target, { throwIfNoEntry: false }) !== undefined;
    if (replacing) renameSync(target, previous);
    try {
      renameSync(temporary, target);
    } catch (error) {
      if (replacing) renameSync(previous, target);
      throw error;
    }
    fsyncPath(parent);
    if (replacing) rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    throw new RunDirectoryError(`${dir}: cannot be written: ${describeFsError(error)}`);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}
