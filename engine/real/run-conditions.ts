// What the machine gave a real run (issue 11, "the twin's accuracy, stated"): its cores, the load
// average as the run started and ended, the threads the run started, and the CPU time its process
// used against the wall time it took. A comparison states from these when a real run's threads
// waited for cores the simulator assumes they have. Reads real time and the operating system's
// counters, so it lives in the real runtime's folder.

import { availableParallelism, loadavg } from 'node:os';

export interface RunConditions {
  /** Cores this process may run on. */
  readonly cores: number;
  /** The one-minute load average (runnable threads of the whole machine) at the start and at the end. */
  readonly loadAverageStart: number;
  readonly loadAverageEnd: number;
  /** Threads of the run: every server thread and pool thread, and the coordinator's. */
  readonly threads: number;
  readonly wallMs: number;
  /** CPU time of this process (every thread, user and system) over the run. */
  readonly cpuMs: number;
  /** cpuMs / wallMs: how many cores' worth of CPU the run had on average. */
  readonly coresUsed: number;
}

/** Starts measuring; the function returned ends the measurement and states the conditions. */
export function measureRunConditions(threads: number): () => RunConditions {
  const cores = availableParallelism();
  const loadAverageStart = loadavg()[0];
  const startMs = performance.now();
  const startCpu = process.cpuUsage();
  return () => {
    const cpu = process.cpuUsage(startCpu);
    const wallMs = performance.now() - startMs;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return { cores, loadAverageStart, loadAverageEnd: loadavg()[0], threads, wallMs, cpuMs, coresUsed: wallMs > 0 ? cpuMs / wallMs : 0 };
  };
}
