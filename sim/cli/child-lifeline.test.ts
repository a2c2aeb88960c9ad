// Children that die with their parent (issue 5): `twin bench` killed with SIGKILL leaves none of its
// `twin run` children behind, and a tied child whose parent is gone stops, however busy its run.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { wallNowMs } from '../../engine/real/wall-clock.js';
import { processIsAlive } from '../results/run-directory.js';
import { PARENT_PID_VARIABLE } from './child-lifeline.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TWIN = join(REPO, 'bin/twin.js');
const dir = mkdtempSync(join(tmpdir(), 'twin-lifeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Polls until none of `pids` runs (a zombie counts as gone) or `boundMs` has passed; returns those still running. */
async function survivorsAfter(pids: readonly number[], boundMs: number): Promise<number[]> {
  for (let waited = 0; pids.some(processIsAlive) && waited < boundMs; waited += 50) await sleep(50);
  return pids.filter(processIsAlive);
}

describe('children that die with their parent', () => {
  it.runIf(process.platform === 'linux')('twin bench killed with SIGKILL leaves no twin run behind', async () => {
    const bench = spawn(process.execPath, [TWIN, 'bench', '--skip-large'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => bench.on('exit', (_code, signal) => resolve(signal)));
    // The start-up figures come first (short children), then runs of a few seconds, then the memory
    // figure's long run (1 200 s of the reference profile), which takes far longer than the bound below.
    let run: number | undefined;
    for (let waited = 0; run === undefined && waited < 150_000; waited += 50) {
      run = childrenOf(bench.pid!).find((pid) => commandLine(pid).includes('duration=1200s'));
      if (run === undefined) await sleep(50);
    }
    expect(run, 'the long twin run child of twin bench').toBeDefined();
    expect(commandLine(run!)).toContain('run');
    await sleep(300);
    expect(processIsAlive(run!)).toBe(true);
    bench.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await survivorsAfter([run!, ...childrenOf(run!)], 5_000)).toEqual([]);
  }, 240_000);

  it('a tied twin run whose parent is already gone stops at once, busy as it is', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const startedMs = wallNowMs();
    const run = spawnSync(process.execPath, [TWIN, 'run', join(REPO, 'scenarios/default.yaml'), '--set', 'duration=1h', '--out', join(dir, 'run')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, [PARENT_PID_VARIABLE]: gone.stdout },
    });
    expect(run.signal).toBe('SIGTERM');
    // An hour of the default scenario takes minutes; the watcher stops it within its first checks.
    expect(wallNowMs() - startedMs).toBeLessThan(30_000);
  });
});
