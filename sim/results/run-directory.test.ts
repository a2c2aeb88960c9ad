import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkRunDirectory, processIsAlive, removeStaleSiblings, RUN_MARKER, RunDirectoryError, writeRunDirectory } from './run-directory.js';

/** The pid of a process that has exited (and been reaped), so it is certainly not running. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('writeRunDirectory', () => {
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'olap-twin-run-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('writes every file whole, with a marker listing them, and leaves no temporary directory', () => {
    const dir = join(parent, 'run-1');
    writeRunDirectory(dir, [
      { name: 'summary.json', data: '{"a":1}\n' },
      { name: 'queries.arrow', data: Uint8Array.of(1, 2, 3) },
    ]);
    expect(readdirSync(parent)).toEqual(['run-1']);
    expect(readdirSync(dir).sort()).toEqual([RUN_MARKER, 'queries.arrow', 'summary.json']);
    expect(JSON.parse(readFileSync(join(dir, RUN_MARKER), 'utf8'))).toEqual({ tool: 'olap-twin', files: ['summary.json', 'queries.arrow'] });
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('{"a":1}\n');
    expect(Array.from(readFileSync(join(dir, 'queries.arrow')))).toEqual([1, 2, 3]);
  });

  it('replaces a run directory it wrote whole, old files included', () => {
    const dir = join(parent, 'run');
    writeRunDirectory(dir, [
      { name: 'stale.txt', data: 'old' },
      { name: 'summary.json', data: 'old' },
    ]);
    writeRunDirectory(dir, [{ name: 'summary.json', data: 'new' }]);
    expect(readdirSync(parent)).toEqual(['run']);
    expect(readdirSync(dir).sort()).toEqual([RUN_MARKER, 'summary.json']);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('new');
  });

  it('replaces an empty directory and an unmarked run directory of an earlier version', () => {
    mkdirSync(join(parent, 'empty'));
    writeRunDirectory(join(parent, 'empty'), [{ name: 'summary.json', data: 'new' }]);
    const earlier = join(parent, 'earlier');
    mkdirSync(earlier);
    for (const name of ['summary.json', 'queries.arrow', 'scenario.resolved.yaml']) writeFileSync(join(earlier, name), 'old');
    writeRunDirectory(earlier, [{ name: 'summary.json', data: 'new' }]);
    expect(readFileSync(join(earlier, 'summary.json'), 'utf8')).toBe('new');
  });

  it("refuses a directory holding a file it did not write, and leaves it as it was; --force replaces it", () => {
    const dir = join(parent, 'mine');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'precious');
    expect(() => writeRunDirectory(dir, [{ name: 'summary.json', data: 'x' }])).toThrow(
      /mine: holds files twin did not write \("notes\.txt"\); choose a new folder, or give --force/,
    );
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('precious');
    // A run directory the operator added a file to is theirs too.
    const run = join(parent, 'run');
    writeRunDirectory(run, [{ name: 'summary.json', data: 'x' }]);
    writeFileSync(join(run, 'analysis.ipynb'), '{}');
    expect(() => writeRunDirectory(run, [{ name: 'summary.json', data: 'y' }])).toThrow(RunDirectoryError);
    expect(readFileSync(join(run, 'analysis.ipynb'), 'utf8')).toBe('{}');
    writeRunDirectory(dir, [{ name: 'summary.json', data: 'x' }], { force: true });
    expect(readdirSync(dir).sort()).toEqual([RUN_MARKER, 'summary.json']);
  });

  it('never replaces a file or a link with a directory, even forced', () => {
    const file = join(parent, 'report.csv');
    writeFileSync(file, 'a,b\n');
    for (const force of [false, true]) {
      expect(() => writeRunDirectory(file, [{ name: 'summary.json', data: 'x' }], { force })).toThrow(/report\.csv: is a file, not a folder/);
    }
    expect(readFileSync(file, 'utf8')).toBe('a,b\n');
    symlinkSync(parent, join(parent, 'link'));
    expect(() => checkRunDirectory(join(parent, 'link'), { force: true })).toThrow(/is a file, not a folder/);
  });

  it('refuses the current folder, a folder holding it, and a folder holding a file the run reads, even forced', () => {
    expect(() => checkRunDirectory('.', { force: true })).toThrow(/\.: is the current folder or holds it/);
    expect(() => checkRunDirectory('..', { force: true })).toThrow(/is the current folder or holds it/);
    const scenario = join(parent, 's.yaml');
    writeFileSync(scenario, 'name: s\n');
    expect(() => checkRunDirectory(parent, { force: true, keep: [scenario] })).toThrow(/holds .*s\.yaml, which this run reads/);
    expect(readFileSync(scenario, 'utf8')).toBe('name: s\n');
  });

  it('creates missing parents, and says in words why a folder cannot be written', () => {
    const dir = join(parent, 'a', 'b', 'run');
    writeRunDirectory(dir, [{ name: 'x', data: '' }]);
    expect(existsSync(join(dir, 'x'))).toBe(true);
    writeFileSync(join(parent, 'not-a-dir'), 'file');
    expect(() => writeRunDirectory(join(parent, 'not-a-dir', 'run'), [{ name: 'a', data: 'x' }])).toThrow(
      /not-a-dir\/run: cannot be (read|written): a part of the path is a file, not a folder$/,
    );
  });

  it('leaves the previous run untouched when the new one cannot be written', () => {
    const dir = join(parent, 'run');
    writeRunDirectory(dir, [{ name: 'summary.json', data: 'old' }]);
    expect(() => writeRunDirectory(dir, [{ name: '../escape', data: 'x' }])).toThrow(/bad run file name/);
    expect(() => writeRunDirectory(dir, [{ name: 'a', data: 'x' }, { name: 'a', data: 'y' }])).toThrow(/twice/);
    expect(readdirSync(parent)).toEqual(['run']);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('old');
  });

  it("removes a killed write's temporary directory and puts back the run it had set aside; leaves live ones and strangers", () => {
    const dead = deadPid();
    const killedTemp = join(parent, `.run.tmp-${dead}-0`);
    mkdirSync(killedTemp);
    writeFileSync(join(killedTemp, RUN_MARKER), JSON.stringify({ tool: 'olap-twin', files: ['queries.arrow'] }));
    writeFileSync(join(killedTemp, 'queries.arrow'), 'trunc');
    const setAside = join(parent, `.other.old-${dead}-1`);
    mkdirSync(setAside);
    writeFileSync(join(setAside, 'summary.json'), 'previous run');
    const live = join(parent, `.run.tmp-${process.pid}-99`);
    mkdirSync(live);
    const stranger = join(parent, `.mine.tmp-${dead}-0`);
    mkdirSync(stranger);
    writeFileSync(join(stranger, 'notes.txt'), 'not ours');

    removeStaleSiblings(parent);
    expect(readdirSync(parent).sort()).toEqual([`.mine.tmp-${dead}-0`, `.run.tmp-${process.pid}-99`, 'other'].sort());
    expect(readFileSync(join(parent, 'other', 'summary.json'), 'utf8')).toBe('previous run');
    expect(readFileSync(join(stranger, 'notes.txt'), 'utf8')).toBe('not ours');
  });
});

describe('processIsAlive', () => {
  it('counts a zombie (exited, not yet reaped by a parent busy in a synchronous call) as gone', () => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    const pid = child.pid!;
    // The event loop never turns inside this block, so this process does not reap the child.
    const stateOf = () => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.charAt(stat.lastIndexOf(')') + 2);
    };
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let waited = 0; stateOf() !== 'Z' && waited < 30_000; waited += 10) Atomics.wait(pause, 0, 0, 10);
    expect(stateOf()).toBe('Z');
    expect(processIsAlive(pid)).toBe(false);
  });

  it('counts this process and a running one as alive, a reaped one as gone', () => {
    expect(processIsAlive(process.pid)).toBe(true);
    expect(processIsAlive(process.ppid)).toBe(true);
    expect(processIsAlive(deadPid())).toBe(false);
  });
});
