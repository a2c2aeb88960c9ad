// Runs that used to hang forever end: each runs as a child process, killed after a limit, so that a
// regression fails the test instead of hanging it. Kept apart from long synchronous tests, which would
// block this file's event loop and make a healthy run look hung.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs `node bin/twin.js run FILE --out DIR` and resolves with how it ended. bin/twin.js re-executes
 * itself in a child process, so the run gets a process group of its own, and the whole group is
 * killed after `limitMs` (killing the first process only would leave the hung child running).
 */
function runCli(file: string, out: string, limitMs: number): Promise<RunEnd> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/twin.js', 'run', file, '--out', out], { cwd: REPO, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, limitMs);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, killed, stderr });
    });
  });
}

interface RunEnd {
  status: number | null;
  /** Killed for running longer than its limit. */
  killed: boolean;
  stderr: string;
}

// Runs that used to hang forever (fixed in 22c67bc, "Timers never fire early") run as child
// processes, killed after LIMIT_MS, so that a regression fails the test instead of hanging it. They
// start before the first test, so they cost no extra time while the property runs.
const LIMIT_MS = 12_000;
let dir: string;
const runs: Record<string, Promise<RunEnd>> = {};
const TINY = (extra: object) =>
  stringify({
    duration: '200ms',
    cluster: { brokers: 1, numReplicaGroups: 1, numInstancesPerReplicaGroup: 1, segments: 1 },
    workload: { classes: [{ name: 'a', qps: 200, segmentCost: { distribution: 'fixed', median: '1ms' } }] },
    ...extra,
  });
const CASES: Record<string, string> = {
  // A query timeout off the 0.1 ms grid (250us, 1.25ms, 2.05ms). engine/broker/broker.ts
  // expireDeadlines re-arms its timer with `deadlineMs - nowMs`, a residual such as 0.04999999999995 ms;
  // sim/scheduler/sim-clock.ts setTimeout rounded it to 0 ticks, so the timer fired again in the same
  // tick, the deadline was still `> nowMs + DEADLINE_SLACK_MS`, and it re-armed forever.
  // Fixed arrivals every 0.2 ms make it certain (Poisson arrivals at a few hundred QPS hang too, but
  // only once two arrivals come 0.1 ms apart).
  'off-grid query timeout': TINY({
    duration: '20ms',
    workload: { queryTimeout: '250us', classes: [{ name: 'a', qps: 5000, arrival: 'fixed', segmentCost: { distribution: 'fixed', median: '1ms' } }] },
  }),
  // A periodic GC pause shorter than half a tick (pause: 40us). The pause lasted 0 ticks (the
  // lifecycle's impairmentLength timer rounded to 0), so sim/faults/fault-lifecycle.ts was back in
  // `waiting` in the same tick, where nextImpairment(now) returned the same start (now) again:
  // begin, end, begin... forever.
  'sub-tick periodic GC pause': TINY({ faults: [{ kind: 'gcPause', server: 'server-0-0', mode: 'periodic', start: '10ms', every: '1ms', pause: '40us' }] }),
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'twin-conservation-'));
  Object.entries(CASES).forEach(([name, text], i) => {
    const file = join(dir, `case${i}.yaml`);
    writeFileSync(file, text);
    runs[name] = runCli(file, join(dir, `out${i}`), LIMIT_MS);
  });
});

afterAll(async () => {
  await Promise.allSettled(Object.values(runs));
  rmSync(dir, { recursive: true, force: true });
});

describe('runs that used to hang', () => {
  it.each(Object.keys(CASES))('a run with a %s ends', async (name) => {
    const { status, killed, stderr } = await runs[name];
    expect(killed, `still running after ${LIMIT_MS} ms: the run hangs`).toBe(false);
    expect(stderr).toBe('');
    expect(status).toBe(0);
  }, LIMIT_MS + 10_000);
});
