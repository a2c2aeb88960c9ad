// A single-node Slurm cluster for tests, from Debian's slurm-wlm and munge: a private munged, slurmctld
// and slurmd run as root in the foreground (ProctrackType=proctrack/linuxproc, TaskPlugin=task/none,
// one partition of this host), configured in a temporary folder on free ports so that nothing of the
// machine's own Slurm or munge is touched. stop() cancels what is left and ends the daemons it started.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';

const BINARIES = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'scancel'];
const START_TIMEOUT_MS = 60_000;
const POLL_MS = 250;

export interface SlurmCluster {
  /** The environment that points Slurm's commands at this cluster (SLURM_CONF). */
  readonly env: NodeJS.ProcessEnv;
  readonly dir: string;
  /** Runs a Slurm command against this cluster; throws with its stderr when it fails. */
  command(name: string, args: readonly string[], cwd?: string): string;
  /** Waits until job `jobId` has left the queue. */
  waitForJob(jobId: string, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

/** Why a Slurm cluster cannot be started here (packages missing), or undefined if it can. */
export function slurmUnavailable(): string | undefined {
  const missing = BINARIES.filter((binary) => !onPath(binary) && !existsSync(`/usr/sbin/${binary}`));
  if (missing.length === 0) return undefined;
  return `Slurm test skipped: ${missing.join(', ')} not installed (apt-get install slurm-wlm munge; .ci/run does it)`;
}

function binary(name: string): string {
  return onPath(name) ? name : `/usr/sbin/${name}`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, ready: () => boolean, timeoutMs: number, log: () => string): Promise<void> {
  for (let waited = 0; !ready(); waited += POLL_MS) {
    if (waited > timeoutMs) throw new Error(`Slurm test cluster: ${what} not ready after ${timeoutMs} ms\n${log()}`);
    await sleep(POLL_MS);
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function startSlurm(): Promise<SlurmCluster> {
  const dir = mkdtempSync('/tmp/twin-slurm-');
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'spool', 'log']) mkdirSync(join(dir, sub), { mode: 0o755 });
  const keyFile = join(dir, 'munge.key');
  writeFileSync(keyFile, randomBytes(1024), { mode: 0o600 });
  const socket = join(dir, 'run', 'munge.sock');
  const node = hostname().split('.')[0];
  const [controllerPort, daemonPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=twintest',
      `SlurmctldHost=${node}(127.0.0.1)`,
      `SlurmctldPort=${controllerPort}`,
      `SlurmdPort=${daemonPort}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'MpiDefault=none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'ReturnToService=2',
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'run', 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'run', 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus().length} State=UNKNOWN`,
      `PartitionName=twin Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  const daemon = (name: string, args: string[]) => {
    const out = openSync(join(dir, 'log', `${name}.out`), 'a');
    const child = spawn(binary(name), args, { env, stdio: ['ignore', out, out] });
    daemons.push(child);
    return child;
  };
  const logs = () =>
    ['munged.out', 'slurmctld.out', 'slurmd.out', 'slurmctld.log', 'slurmd.log']
      .map((name) => join(dir, 'log', name))
      .filter((path) => existsSync(path))
      .map((path) => `--- ${path}\n${readFileSync(path, 'utf8').split('\n').slice(-15).join('\n')}`)
      .join('\n');

  const command = (name: string, args: readonly string[], cwd?: string): string => {
    const result = spawnSync(binary(name), args, { env, cwd, encoding: 'utf8', timeout: 30_000 });
    if (result.status !== 0) throw new Error(`${name} ${args.join(' ')} failed: ${result.stderr || result.error}\n${logs()}`);
    return result.stdout;
  };

  const stop = async () => {
    try {
      spawnSync(binary('scancel'), ['--full', '--user=root'], { env, stdio: 'ignore', timeout: 10_000 });
    } catch {
      // Nothing to cancel, or the controller never started.
    }
    for (const child of [...daemons].reverse()) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.race([exited(child), sleep(5_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited(child);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    daemon('munged', ['-F', '-f', `--socket=${socket}`, `--key-file=${keyFile}`, `--pid-file=${join(dir, 'run', 'munged.pid')}`, `--seed-file=${join(dir, 'munged.seed')}`, `--log-file=${join(dir, 'log', 'munged.log')}`]);
    await waitFor('munged', () => existsSync(socket), START_TIMEOUT_MS, logs);
    daemon('slurmctld', ['-D', '-i', '-f', conf]);
    daemon('slurmd', ['-D', '-f', conf, '-N', node]);
    const idle = () => {
      const result = spawnSync(binary('sinfo'), ['-h', '-o', '%t'], { env, encoding: 'utf8', timeout: 10_000 });
      return result.status === 0 && result.stdout.trim() === 'idle';
    };
    await waitFor('the node', idle, START_TIMEOUT_MS, logs);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    env,
    dir,
    command,
    stop,
    waitForJob: async (jobId, timeoutMs) => {
      // squeue lists pending and running tasks; a job it no longer knows has ended too.
      const queued = () => {
        const result = spawnSync(binary('squeue'), ['-h', '-j', jobId, '-o', '%i'], { env, encoding: 'utf8', timeout: 10_000 });
        return result.status === 0 && result.stdout.trim() !== '';
      };
      await waitFor(`job ${jobId}`, () => !queued(), timeoutMs, logs);
    },
  };
}
