// Children of the command line that die with it (issue 5: no process outlives a kill of its parent).
// A parent that starts `twin` as a child process (twin bench) passes its own pid in
// OLAP_TWIN_PARENT_PID (tiedChildEnv). The child, first thing in main.ts (dieWithParent), starts a
// small worker thread that checks every 100 ms whether that process is still its parent; once it is
// not (the parent died, SIGKILL included, and the child was adopted), it sends its own process
// SIGTERM (a results folder being written is finished first, as for any SIGTERM of `twin run`) and,
// should that process still run 10 s later, SIGKILL. A thread, because a run keeps the main thread
// busy from start to end, so an IPC 'disconnect' or a stdin 'end' event would wait for the run to
// finish; the parent's id, because Node offers no prctl(PR_SET_PDEATHSIG). The variable is taken out
// of the child's environment, so that its own children are not tied to their grandparent.
// Where util-linux's setpriv is at hand (Linux), tiedNodeChild starts the child under
// `setpriv --pdeathsig TERM` instead: the kernel itself sends the child SIGTERM when its parent dies,
// and the child needs no thread, whose start costs it about 50 ms of CPU time and 10 MiB (measured
// side by side), which twin bench would otherwise count as the run's own.

import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';

export const PARENT_PID_VARIABLE = 'OLAP_TWIN_PARENT_PID';
const POLL_MS = 100;
const KILL_AFTER_MS = 10_000;

/** The environment for a child process that must die with this one. */
export function tiedChildEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, [PARENT_PID_VARIABLE]: String(process.pid) };
}

const WATCH_PARENT = `
const { workerData } = require('node:worker_threads');
const watch = setInterval(() => {
  if (process.ppid === workerData.parentPid) return;
  clearInterval(watch);
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), workerData.killAfterMs);
}, workerData.pollMs);
`;

let pdeathsigAvailable: boolean | undefined;

/** Whether setpriv can set a parent-death signal here (asked once). */
function canSetPdeathsig(): boolean {
  pdeathsigAvailable ??= process.platform === 'linux' && spawnSync('setpriv', ['--pdeathsig', 'TERM', 'true'], { stdio: 'ignore' }).status === 0;
  return pdeathsigAvailable;
}

/**
 * How to start `node ...args` as a child that dies with this process: under setpriv's parent-death
 * signal where it can be set, otherwise tied by the environment (the child then watches its parent).
 */
export function tiedNodeChild(args: readonly string[]): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  if (canSetPdeathsig()) return { command: 'setpriv', args: ['--pdeathsig', 'TERM', process.execPath, ...args], env: process.env };
  return { command: process.execPath, args: [...args], env: tiedChildEnv() };
}

/** Ends this process when the parent that tied it (tiedChildEnv) dies; does nothing for an untied process. */
export function dieWithParent(): void {
  const value = process.env[PARENT_PID_VARIABLE];
  if (value === undefined) return;
  delete process.env[PARENT_PID_VARIABLE];
  const parentPid = Number(value);
  if (!Number.isSafeInteger(parentPid) || parentPid <= 0) return;
  const watcher = new Worker(WATCH_PARENT, { eval: true, workerData: { parentPid, pollMs: POLL_MS, killAfterMs: KILL_AFTER_MS } });
  watcher.on('error', (error) => process.stderr.write(`twin: cannot watch the parent process: ${error.message}\n`));
  watcher.unref();
}
