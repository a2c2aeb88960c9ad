// Which cells a shard runs: `--shard i/N` (0 <= i < N) takes every cell whose index is i modulo N, so
// shards are balanced across points and seeds and together cover each cell exactly once. A batch
// engine names the shard itself: SLURM_ARRAY_TASK_ID for a Slurm job array (with SLURM_ARRAY_TASK_MIN
// as the first index, SLURM_ARRAY_TASK_COUNT as N), JOB_COMPLETION_INDEX for a Kubernetes Indexed Job
// (N from --shard-count: the Job's completions). Without --shard, those variables alone shard a sweep.

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export type ShardReading = { readonly ok: true; readonly shard: Shard | undefined } | { readonly ok: false; readonly message: string };

const MAX_SHARDS = 100_000;

function shardOf(index: number, count: number, source: string): ShardReading {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS) {
    return { ok: false, message: `${source}: expected a shard count from 1 to ${MAX_SHARDS}, got ${count}` };
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    return { ok: false, message: `${source}: expected a shard index from 0 to ${count - 1}, got ${index}` };
  }
  return { ok: true, shard: { index, count } };
}

function integerOf(text: string | undefined): number {
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}

/**
 * The shard from `--shard i/N`, else from the batch engine's variables (`--shard auto` insists on
 * them), else none. `count` is --shard-count, needed for a Kubernetes Indexed Job.
 */
export function readShard(option: string | undefined, env: NodeJS.ProcessEnv, count?: number): ShardReading {
  const fromEngine = env.SLURM_ARRAY_TASK_ID !== undefined || env.JOB_COMPLETION_INDEX !== undefined;
  if (option === undefined && !fromEngine) return { ok: true, shard: undefined };
  if (option !== undefined && option !== 'auto') {
    const match = /^(\d+)\/(\d+)$/.exec(option);
    if (!match) return { ok: false, message: `--shard: expected i/N (e.g. 0/4) or auto, got "${option}"` };
    return shardOf(Number(match[1]), Number(match[2]), '--shard');
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const first = env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : integerOf(env.SLURM_ARRAY_TASK_MIN);
    const tasks = count ?? integerOf(env.SLURM_ARRAY_TASK_COUNT);
    return shardOf(integerOf(env.SLURM_ARRAY_TASK_ID) - first, tasks, 'SLURM_ARRAY_TASK_ID');
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    if (count === undefined) return { ok: false, message: 'JOB_COMPLETION_INDEX: give --shard-count N (the Job\'s completions)' };
    return shardOf(integerOf(env.JOB_COMPLETION_INDEX), count, 'JOB_COMPLETION_INDEX');
  }
  return { ok: false, message: '--shard auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set' };
}

export function inShard(cellIndex: number, shard: Shard | undefined): boolean {
  return shard === undefined || cellIndex % shard.count === shard.index;
}
