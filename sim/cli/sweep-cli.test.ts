// `twin sweep` and `twin merge` as an operator meets them: errors at the sweep file's line:column with
// exit 2, and a sweep killed with SIGKILL midway that resumes without redoing a finished cell and
// leaves no process behind.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepFixture, TINY_SWEEP } from '../sweep/sweep-test-kit.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const dir = sweepFixture({
  'tiny.sweep.yaml': TINY_SWEEP,
  'long.sweep.yaml': 'scenario: tiny.yaml\nparameters:\n  workload.classes.0.qps: { from: 100, to: 400, step: 20 }\nreplicates: 2\n',
  'bad.sweep.yaml': 'scenario: tiny.yaml\nparameters:\n  routing.selector: [hybrid]\n  workload.classes.0.qpz: [100]\n',
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function twin(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/twin.js', ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  if (result.error !== undefined) throw result.error;
  return result;
}

/** Whether a process is alive (a zombie, dead but not yet reaped, counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('twin sweep on the command line', () => {
  it('reports a path the scenario lacks at the sweep file line:column and exits 2', () => {
    const result = twin('sweep', join(dir, 'bad.sweep.yaml'), '--out', join(dir, 'bad'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${join(dir, 'bad.sweep.yaml')}:4:3: workload.classes.0.qpz: unknown key "qpz"`);
    expect(result.stderr).toContain('did you mean "qps"');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });

  it('rejects a bad shard and a directory it did not make', () => {
    expect(twin('sweep', join(dir, 'tiny.sweep.yaml'), '--shard', '3/3', '--out', join(dir, 'x')).stderr).toMatch(
      /--shard: expected a shard index from 0 to 2, got 3/,
    );
    writeFileSync(join(dir, 'not-a-sweep'), 'precious');
    const result = twin('sweep', join(dir, 'tiny.sweep.yaml'), '--out', dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/exists and holds files that are not a sweep's \(.*not-a-sweep/);
    expect(readFileSync(join(dir, 'not-a-sweep'), 'utf8')).toBe('precious');
  });

  it('survives kill -9 midway: no process left, finished cells whole, --resume redoes none of them', async () => {
    const out = join(dir, 'killed');
    const wrapper = spawn(process.execPath, ['bin/twin.js', 'sweep', join(dir, 'long.sweep.yaml'), '--out', out, '--workers', '2'], {
      cwd: REPO,
      stdio: 'ignore',
    });
    const cellsDir = join(out, 'cells');
    const finished = () => (existsSync(cellsDir) ? readdirSync(cellsDir).filter((name) => !name.startsWith('.')) : []);
    for (let waited = 0; finished().length < 5 && waited < 100_000; waited += 50) await sleep(50);
    expect(finished().length).toBeGreaterThanOrEqual(5);
    // The workers are threads of the sweep's one process: nothing else to outlive it.
    expect(childrenOf(wrapper.pid!)).toEqual([]);
    wrapper.kill('SIGKILL');
    for (let waited = 0; alive(wrapper.pid!) && waited < 5_000; waited += 50) await sleep(50);
    expect(alive(wrapper.pid!)).toBe(false);

    const total = 32;
    const before = finished();
    expect(before.length).toBeLessThan(total);
    const inodes = new Map(before.map((id) => [id, statSync(join(cellsDir, id)).ino]));
    for (const id of before) {
      expect(readdirSync(join(cellsDir, id)).sort()).toEqual(['.olap-twin-run', 'cell.json', 'scenario.resolved.yaml', 'summary.json']);
      JSON.parse(readFileSync(join(cellsDir, id, 'summary.json'), 'utf8'));
    }
    expect(existsSync(join(out, 'sweep.arrow'))).toBe(false);

    const resumed = twin('sweep', join(dir, 'long.sweep.yaml'), '--out', out, '--workers', '2', '--resume');
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain(`${total - before.length} cells run, ${before.length} already finished`);
    for (const [id, inode] of inodes) expect(statSync(join(cellsDir, id)).ino).toBe(inode);
    expect(finished()).toHaveLength(total);
    expect(readdirSync(cellsDir).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(existsSync(join(out, 'sweep.arrow'))).toBe(true);
  });

  it('merges shard directories and says which cells are missing', () => {
    const a = join(dir, 'shard-a');
    const b = join(dir, 'shard-b');
    expect(twin('sweep', join(dir, 'tiny.sweep.yaml'), '--out', a, '--shard', '0/2').status).toBe(0);
    const partial = twin('merge', a, '--out', join(dir, 'merged'));
    expect(partial.status).toBe(1);
    expect(partial.stderr).toMatch(/6 of 12 cells are missing:\n  cell 1 \(point 0, seed 2\): routing\.selector="round-robin"/);
    const env = { ...process.env, SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' };
    const second = spawnSync(process.execPath, ['bin/twin.js', 'sweep', join(dir, 'tiny.sweep.yaml'), '--out', b], { cwd: REPO, encoding: 'utf8', env });
    expect(second.stderr).toContain('(shard 1/2)');
    const merged = twin('merge', a, b, '--out', join(dir, 'merged'));
    expect(merged.status).toBe(0);
    expect(merged.stdout).toContain('12 cells merged');
    // Byte-for-byte equality with an unsharded run: sim/sweep/run-sweep.test.ts.
    expect(tableFromIPC(readFileSync(join(dir, 'merged', 'sweep.arrow'))).getChild('cell')!.toArray()).toEqual(
      Int32Array.from({ length: 12 }, (_, i) => i),
    );
  });
});
