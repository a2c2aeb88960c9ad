// `twin bench` (`npm run bench`): the simulator's speed and memory as a user meets them, measured from
// outside whole processes (issue 5): start-up time of `twin --help` against a bare `node -e 0`; the
// reference scenario (seed 004's 1500 QPS study configuration, 60 s simulated), the large one
// (100 brokers, 500 servers, 25 000 QPS) and the LinkedIn-scale one (1 400 brokers, 5 000 servers,
// 250 000 QPS) each run by `twin run` in a child process, simulated time against the child's whole
// wall time, start-up and writing included; and the memory of a retained query record: the peak
// RSS of the reference profile run for 1 200 s against 60 s, over the queries the longer run adds;
// and the cache-level replay rate (issue 9): `twin cache` replaying an oracleGeneral trace the bench
// writes first (5 million requests over 1 million Zipf-popular objects of 4 KiB to 1 MiB, LRU, 1 MiB
// pages, so most requests are one page, as in libCacheSim's object-level replay), in requests per
// CPU-second of the whole process and with the start-up (the same command over a one-request
// trace) taken off.
// Peak RSS and CPU time are the kernel's own accounting of the child (getrusage: ru_maxrss, user +
// system time), which the child hands back on a pipe as it exits (a module preloaded with --import;
// the bench does not poll, so a peak in the last milliseconds, while results are written, is counted
// too). On a shared machine wall time grows with the load while CPU time grows less, so both ratios
// are printed; each figure is a median of several processes where that is cheap enough, and ratios
// measured side by side mean more than absolute times. Every `twin run` child dies with this process,
// even when it is killed with SIGKILL (sim/cli/child-lifeline.ts: by the kernel's parent-death signal where
// setpriv can set it, so that no watcher thread is counted in the run's figures); the start-up children (`twin
// --help`, `node -e 0`) end by themselves within a second, and are left bare (untied, no usage
// report), so that neither the watcher's start nor the report is part of the start-up figure.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wallNowMs } from '../../engine/real/wall-clock.js';
import { shippedScenario } from '../scenario/shipped-scenarios.js';
import { writeBenchTrace } from '../trace/bench-trace.js';
import { tiedNodeChild } from './child-lifeline.js';

const TWIN = fileURLToPath(new URL('../../bin/twin.js', import.meta.url));

interface Benchmark {
  readonly label: string;
  readonly file: string;
  readonly runs: number;
  /** Left out by --skip-large. */
  readonly large: boolean;
  /** Issue 5's aim for the whole process: at least this many simulated seconds a second. */
  readonly aimRealTime: number;
}

const BENCHMARKS: readonly Benchmark[] = [
  { label: 'reference (1500 QPS, 3 brokers, 20 servers, 60 s simulated)', file: 'adss-1500qps.yaml', runs: 3, large: false, aimRealTime: 100 },
  { label: 'large (25 000 QPS, 100 brokers, 500 servers, 10 s simulated)', file: 'bench-large.yaml', runs: 1, large: true, aimRealTime: 5 },
  { label: 'LinkedIn scale (250 000 QPS, 1 400 brokers, 5 000 servers, 2 s simulated)', file: 'linkedin-scale.yaml', runs: 1, large: true, aimRealTime: 0.25 },
];

/** The profile and durations the memory of a query record is measured with. */
const MEMORY_PROFILE = 'adss-1500qps.yaml';
const MEMORY_SHORT = '60s';
const MEMORY_LONG = '1200s';
const STARTUP_RUNS = 10;
/** The replay benchmark's trace and cache. */
const REPLAY_TRACE = { requests: 5_000_000, objects: 1_000_000, zipfExponent: 1, seed: 1 };
const REPLAY_RUNS = 3;
const REPLAY_SCENARIO = (trace: string) =>
  `kind: cache\nname: bench-replay\nmode: replay\ncache: { directories: [{ capacity: 4GiB }], evictor: LRU }\nworkload: { kind: trace, trace: { path: ${trace} } }\n`;

interface ProcessRun {
  readonly wallMs: number;
  /** User + system CPU time, as the process accounted it at exit. */
  readonly cpuMs: number | null;
  readonly peakRssBytes: number | null;
  readonly status: number | null;
}

/**
 * Preloaded into each measured `twin run` process: at exit, its own resource usage (getrusage of
 * itself: peak RSS in KiB, CPU time in microseconds) as JSON on file descriptor 3.
 */
const USAGE_REPORTER =
  'data:text/javascript,import{writeSync}from"node:fs";' +
  'process.on("exit",()=>{const u=process.resourceUsage();writeSync(3,JSON.stringify({maxRssKiB:u.maxRSS,cpuUs:u.userCPUTime+u.systemCPUTime}))})';

/**
 * Runs node with `args`, output thrown away, timing it; `tied`: the child dies with this process and
 * reports its own peak RSS and CPU time as it exits (otherwise those are null).
 */
function runNode(args: readonly string[], tied: boolean): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const startedMs = wallNowMs();
    const started = tied ? tiedNodeChild(['--import', USAGE_REPORTER, ...args]) : { command: process.execPath, args: [...args], env: process.env };
    const child = spawn(started.command, started.args, { stdio: ['ignore', 'ignore', 'inherit', 'pipe'], env: started.env });
    let report = '';
    child.stdio[3]!.on('data', (data: Buffer) => {
      report += data.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (status) => {
      const usage = parseUsage(report);
      resolve({ wallMs: wallNowMs() - startedMs, cpuMs: usage?.cpuMs ?? null, peakRssBytes: usage?.peakRssBytes ?? null, status });
    });
  });
}

function parseUsage(report: string): { cpuMs: number; peakRssBytes: number } | null {
  try {
    const { maxRssKiB, cpuUs } = JSON.parse(report) as { maxRssKiB: number; cpuUs: number };
    return { cpuMs: cpuUs / 1000, peakRssBytes: maxRssKiB * 1024 };
  } catch {
    return null;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

interface RunSummary {
  readonly arrivals: number;
  readonly simulatedMs: number;
  readonly performance?: { readonly peakRssMiB: number };
}

/** `twin run FILE --set ... --out (fresh temporary folder)`: the process, and its summary. */
async function twinRun(file: string, sets: readonly string[]): Promise<{ run: ProcessRun; summary: RunSummary }> {
  const dir = mkdtempSync(join(tmpdir(), 'twin-bench-'));
  try {
    const out = join(dir, 'run');
    const args = [TWIN, 'run', shippedScenario(file), '--out', out, ...sets.flatMap((set) => ['--set', set])];
    const run = await runNode(args, true);
    if (run.status !== 0) throw new Error(`twin run ${file} exited with ${run.status}`);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
    const peakRssBytes = run.peakRssBytes ?? (summary.performance === undefined ? null : summary.performance.peakRssMiB * 2 ** 20);
    return { run: { ...run, peakRssBytes }, summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mib = (bytes: number | null) => (bytes === null ? '-' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
const line = (label: string, value: string) => process.stdout.write(`  ${label.padEnd(34)} ${value}\n`);

async function startUp(): Promise<void> {
  const time = async (args: readonly string[]) => {
    const walls: number[] = [];
    for (let i = 0; i < STARTUP_RUNS; i++) walls.push((await runNode(args, false)).wallMs);
    return median(walls);
  };
  await runNode([TWIN, '--help'], false); // once untimed, so the file cache is warm for both
  const bare = await time(['-e', '0']);
  const help = await time([TWIN, '--help']);
  process.stdout.write(`start-up (median of ${STARTUP_RUNS} processes)\n`);
  line('twin --help', `${help.toFixed(0)} ms`);
  line('node -e 0', `${bare.toFixed(0)} ms`);
  line('ratio', `${(help / bare).toFixed(1)}x (the aim: at most 4x)`);
  process.stdout.write('\n');
}

async function speed(bench: Benchmark): Promise<void> {
  const runs: { run: ProcessRun; summary: RunSummary }[] = [];
  for (let i = 0; i < bench.runs; i++) runs.push(await twinRun(bench.file, []));
  const wallMs = median(runs.map((r) => r.run.wallMs));
  const cpus = runs.flatMap((r) => (r.run.cpuMs === null ? [] : [r.run.cpuMs]));
  const simulatedMs = runs[0].summary.simulatedMs;
  const of = bench.runs > 1 ? ` (median of ${bench.runs})` : '';
  process.stdout.write(`${bench.label}\n`);
  line('whole process, wall', `${(wallMs / 1000).toFixed(2)} s${of}: ${(simulatedMs / wallMs).toFixed(2)}x real time (the aim: at least ${bench.aimRealTime}x)`);
  if (cpus.length > 0) {
    const cpuMs = median(cpus);
    line('whole process, CPU (user + sys)', `${(cpuMs / 1000).toFixed(2)} s${of}: ${(simulatedMs / cpuMs).toFixed(2)}x real time`);
  }
  line('queries', runs[0].summary.arrivals.toLocaleString('en-US'));
  line('peak memory (RSS)', mib(median(runs.map((r) => r.run.peakRssBytes ?? 0))));
  process.stdout.write('\n');
}

async function memoryPerRecord(): Promise<void> {
  const short = await twinRun(MEMORY_PROFILE, [`duration=${MEMORY_SHORT}`]);
  const long = await twinRun(MEMORY_PROFILE, [`duration=${MEMORY_LONG}`]);
  process.stdout.write(`memory per query record (${MEMORY_PROFILE}, ${MEMORY_LONG} against ${MEMORY_SHORT} simulated)\n`);
  line(`peak RSS, ${MEMORY_SHORT}`, `${mib(short.run.peakRssBytes)} (${short.summary.arrivals.toLocaleString('en-US')} queries)`);
  line(`peak RSS, ${MEMORY_LONG}`, `${mib(long.run.peakRssBytes)} (${long.summary.arrivals.toLocaleString('en-US')} queries)`);
  if (short.run.peakRssBytes !== null && long.run.peakRssBytes !== null) {
    const perRecord = (long.run.peakRssBytes - short.run.peakRssBytes) / (long.summary.arrivals - short.summary.arrivals);
    line('bytes per query record', `${perRecord.toFixed(0)} (the aim: at most 64)`);
  }
  process.stdout.write('\n');
}

/** `twin cache` over the replay benchmark's trace in a child: its process figures. */
async function twinCacheReplay(dir: string, scenario: string): Promise<ProcessRun> {
  const run = await runNode([TWIN, 'cache', join(dir, scenario), '--out', join(dir, 'out'), '--force'], true);
  if (run.status !== 0) throw new Error(`twin cache ${scenario} exited with ${run.status}`);
  return run;
}

async function replaySpeed(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'twin-bench-replay-'));
  try {
    writeBenchTrace(join(dir, 'trace.bin'), REPLAY_TRACE);
    writeBenchTrace(join(dir, 'one.bin'), { ...REPLAY_TRACE, requests: 1 });
    writeFileSync(join(dir, 'replay.yaml'), REPLAY_SCENARIO('trace.bin'));
    writeFileSync(join(dir, 'start-up.yaml'), REPLAY_SCENARIO('one.bin'));
    const replays: ProcessRun[] = [];
    const startUps: ProcessRun[] = [];
    for (let i = 0; i < REPLAY_RUNS; i++) {
      replays.push(await twinCacheReplay(dir, 'replay.yaml'));
      startUps.push(await twinCacheReplay(dir, 'start-up.yaml'));
    }
    const requests = REPLAY_TRACE.requests;
    process.stdout.write(`cache replay (twin cache, oracleGeneral trace: ${(requests / 1e6).toFixed(0)} M requests, 1 M objects, LRU, 1 MiB pages; median of ${REPLAY_RUNS})\n`);
    const wallMs = median(replays.map((r) => r.wallMs));
    line('whole process, wall', `${(wallMs / 1000).toFixed(2)} s: ${((requests / wallMs) * 1000 / 1e6).toFixed(2)} M requests/s`);
    const cpus = replays.flatMap((r) => (r.cpuMs === null ? [] : [r.cpuMs]));
    const startCpus = startUps.flatMap((r) => (r.cpuMs === null ? [] : [r.cpuMs]));
    if (cpus.length > 0 && startCpus.length > 0) {
      const cpuMs = median(cpus);
      const replayCpuMs = Math.max(1, cpuMs - median(startCpus));
      line('whole process, CPU (user + sys)', `${(cpuMs / 1000).toFixed(2)} s: ${((requests / cpuMs) * 1000 / 1e6).toFixed(2)} M requests per CPU-second`);
      line('replay alone (less start-up)', `${(replayCpuMs / 1000).toFixed(2)} s: ${((requests / replayCpuMs) * 1000 / 1e6).toFixed(2)} M requests per CPU-second (the aim: at least 3; libCacheSim, in C: over 20)`);
    }
    line('peak memory (RSS)', mib(median(replays.map((r) => r.peakRssBytes ?? 0))));
    process.stdout.write('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchCommand(options: { skipLarge?: boolean }): Promise<void> {
  await startUp();
  for (const bench of BENCHMARKS) if (!(bench.large && options.skipLarge)) await speed(bench);
  await memoryPerRecord();
  await replaySpeed();
}
