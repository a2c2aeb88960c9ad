// `twin run FILE --mode real` as an operator meets it: a short real run writes the same results files
// as a simulated one, with the simulator's arrivals; a scenario too large for a real run is refused
// with the reason; a real run that is killed leaves no process, thread or results directory behind.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RESULT_FILES = ['events.arrow', 'queries.arrow', 'scenario.resolved.yaml', 'series.arrow', 'summary.json'];
const dir = mkdtempSync(join(tmpdir(), 'olap-twin-run-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function twin(...args: string[]) {
  return spawnSync(process.execPath, ['bin/twin.js', ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
}

/** Processes whose command line mentions `marker` (a unique results path), other than pgrep itself. */
function processesMentioning(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('twin run --mode real', () => {
  it('writes the results files of a simulated run, for the same arrivals', () => {
    const real = join(dir, 'real');
    const sim = join(dir, 'sim');
    const run = twin('run', 'scenarios/real-smoke.yaml', '--mode', 'real', '--rows-per-segment', '2000', '--out', real);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.status).toBe(0);
    // The files of a simulated run, and the real run's report of its conditions and measurements.
    expect(readdirSync(real).filter((name) => !name.startsWith('.')).sort()).toEqual([...RESULT_FILES, 'real.json'].sort());
    expect(twin('run', 'scenarios/real-smoke.yaml', '--out', sim).status).toBe(0);
    expect(readdirSync(sim).filter((name) => !name.startsWith('.')).sort()).toEqual(RESULT_FILES);
    const realQueries = tableFromIPC(readFileSync(join(real, 'queries.arrow')));
    const simQueries = tableFromIPC(readFileSync(join(sim, 'queries.arrow')));
    expect(realQueries.numRows).toBe(simQueries.numRows);
    const summary = JSON.parse(readFileSync(join(real, 'summary.json'), 'utf8'));
    expect(summary.arrivals).toBe(realQueries.numRows);
    const ids = (table: typeof realQueries) => [...table.getChild('queryId')!].map(Number).sort((a, b) => a - b);
    expect(ids(realQueries)).toEqual(ids(simQueries));
  });

  it('refuses a scenario too large for this machine, saying why', () => {
    const out = join(dir, 'too-large');
    const run = twin('run', 'scenarios/real-smoke.yaml', '--mode', 'real', '--set', 'cluster.numReplicaGroups=30', '--out', out);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^scenarios\/real-smoke\.yaml:\d+:\d+: scenario "real-smoke" is too large for a real run: 60 servers with 1 threads each need 120 threads/m);
    expect(run.stderr).toMatch(/^--set 1 \(cluster\.numReplicaGroups=30\).*one of the keys behind the refusal above/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a cluster fault it cannot play, at the fault (file:line:column)', () => {
    const out = join(dir, 'rebalance');
    const run = twin('run', 'scenarios/mz-drain-before-after.yaml', '--mode', 'real', '--set', 'storage.enabled=true', '--out', out);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^scenarios\/mz-drain-before-after\.yaml:\d+:\d+: scenario "mz-drain-before-after" cannot run for real: a rebalance fault moves segments between servers, which real servers reading through a page cache/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
  });

  it('leaves nothing behind when killed mid-run', async () => {
    const out = join(dir, 'killed');
    const child = spawn(process.execPath, ['bin/twin.js', 'run', 'scenarios/real-smoke.yaml', '--mode', 'real', '--set', 'duration=60s', '--out', out], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve) => child.stderr!.on('data', (chunk: Buffer) => chunk.toString().includes('running') && resolve()));
    await new Promise((resolve) => setTimeout(resolve, 4000)); // the threads are starting or running
    expect(processesMentioning(out).length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    await exited;
    expect(processesMentioning(out)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('leaves nothing behind when the process running the cluster is killed outright', async () => {
    const out = join(dir, 'sigkill');
    const child = spawn(process.execPath, ['bin/twin.js', 'run', 'scenarios/real-smoke.yaml', '--mode', 'real', '--set', 'duration=60s', '--out', out], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve) => child.stderr!.on('data', (chunk: Buffer) => chunk.toString().includes('running') && resolve()));
    await new Promise((resolve) => setTimeout(resolve, 4000));
    // One process holds the brokers and every server and pool thread; SIGKILL gives it no chance to clean up.
    expect(processesMentioning(out)).toEqual([String(child.pid)]);
    child.kill('SIGKILL');
    await exited;
    expect(processesMentioning(out)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });
});
