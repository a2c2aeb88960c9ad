// deploy/'s Kubernetes Indexed Job must agree with twin: indexed completions, --shard-count equal to
// the completions, and a sweep file that expands. (The Slurm script runs for real in slurm-array.test.ts.)

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readShard } from './shard.js';
import { loadSweepFile } from './sweep-file.js';
import { planSweep } from './sweep-plan.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

describe('deploy/kubernetes/sweep-indexed-job.yaml', () => {
  it('is an Indexed Job whose completions are the shards twin runs', () => {
    const job = parse(readFileSync(`${REPO}deploy/kubernetes/sweep-indexed-job.yaml`, 'utf8'));
    expect(job.kind).toBe('Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const command: string[] = job.spec.template.spec.containers[0].command;
    expect(command.slice(0, 3)).toEqual(['node', 'bin/twin.js', 'sweep']);
    const shardCount = Number(command[command.indexOf('--shard-count') + 1]);
    expect(shardCount).toBe(job.spec.completions);
    const plan = planSweep(loadSweepFile(`${REPO}${command[3]}`));
    expect(plan.cells.length).toBeGreaterThanOrEqual(shardCount);
    const last = readShard(undefined, { JOB_COMPLETION_INDEX: String(shardCount - 1) }, shardCount);
    expect(last).toEqual({ ok: true, shard: { index: shardCount - 1, count: shardCount } });
  });
});

describe('shards from batch engines', () => {
  it('reads Slurm array and Kubernetes indices, and rejects what does not fit', () => {
    expect(readShard(undefined, {})).toEqual({ ok: true, shard: undefined });
    expect(readShard('2/5', {})).toEqual({ ok: true, shard: { index: 2, count: 5 } });
    expect(readShard(undefined, { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({
      ok: true,
      shard: { index: 2, count: 4 },
    });
    expect(readShard(undefined, { JOB_COMPLETION_INDEX: '1' })).toMatchObject({ ok: false, message: expect.stringMatching(/--shard-count/) });
    expect(readShard('auto', {})).toMatchObject({ ok: false });
    expect(readShard('4/4', {})).toMatchObject({ ok: false, message: expect.stringMatching(/from 0 to 3, got 4/) });
    expect(readShard('1-4', {})).toMatchObject({ ok: false });
  });
});
