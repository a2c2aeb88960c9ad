// A real sweep as a real Slurm job array: deploy/slurm/sweep-array.sbatch submitted with three array
// tasks to a single-node Slurm started for the test; `twin merge` of what the tasks wrote must equal
// one unsharded run byte for byte. Skipped, saying so, only where slurm-wlm and munge are not installed.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeSweeps } from './merge-sweeps.js';
import { runSweep } from './run-sweep.js';
import { startSlurm, slurmUnavailable, type SlurmCluster } from './slurm-test-kit.js';
import { loadSweepFile } from './sweep-file.js';
import { planSweep } from './sweep-plan.js';
import { sweepFixture } from './sweep-test-kit.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const unavailable = slurmUnavailable();
if (unavailable !== undefined) process.stderr.write(`${unavailable}\n`);

describe.skipIf(unavailable !== undefined)('a sweep as a Slurm job array', () => {
  const dir = sweepFixture();
  let slurm: SlurmCluster | undefined;
  afterAll(async () => {
    await slurm?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs three array tasks whose merged output equals one unsharded run, byte for byte', async () => {
    slurm = await startSlurm();
    const out = join(dir, 'slurm');
    const submitted = slurm.command(
      'sbatch',
      ['--parsable', '--array=0-2', '--cpus-per-task=1', `--chdir=${REPO}`, `--output=${join(dir, 'task-%a.out')}`,
        'deploy/slurm/sweep-array.sbatch', join(dir, 'tiny.sweep.yaml'), out],
      REPO,
    );
    const jobId = submitted.trim().split(';')[0];
    expect(jobId).toMatch(/^\d+$/);
    await slurm.waitForJob(jobId, 240_000);
    const logs = [0, 1, 2].map((task) => readFileSync(join(dir, `task-${task}.out`), 'utf8'));
    logs.forEach((log, task) => expect(log, log).toContain(`(shard ${task}/3)`));
    logs.forEach((log) => expect(log, log).toContain('4 cells run, 0 already finished'));
    expect(existsSync(join(out, 'sweep.arrow'))).toBe(false);

    const merged = await mergeSweeps([out], out);
    expect(merged.missing).toEqual([]);
    const plan = planSweep(loadSweepFile(join(dir, 'tiny.sweep.yaml')));
    await runSweep(plan, { out: join(dir, 'whole'), workers: 2, resume: false, keepRuns: false });
    for (const file of ['sweep.arrow', 'sweep-summary.arrow']) {
      expect(readFileSync(join(out, file)).equals(readFileSync(join(dir, 'whole', file))), file).toBe(true);
    }
  }, 400_000);
});
