// Injects the scenario's faults into simulated servers (seed 004 section 4.3): a slow server's threads
// progress in a tick with probability p; a GC pause stops every thread of a server. Each fault runs
// as a lifecycle machine on the simulated clock; every impairment interval is logged as a faultStart /
// faultEnd event pair and kept for the summary's ADSS figures.

import type { ServerIndex } from '../../engine/ids.js';
import type { Clock, Rng } from '../../engine/ports.js';
import type { SimulatedExecutor } from '../executor/simulated-executor.js';
import type { EventLog } from '../metrics/event-log.js';
import type { FaultWindow, Impairment } from '../metrics/summary.js';
import { durationTicks, msToTicks } from '../scheduler/scheduler.js';
import { type FaultHooks, startFaultLifecycle } from './fault-lifecycle.js';

export type FaultSpec =
  | {
      readonly kind: 'slowServer';
      readonly server: ServerIndex;
      readonly startMs: number;
      readonly endMs: number;
      readonly progressProbability: number;
    }
  | {
      readonly kind: 'gcPause';
      readonly server: ServerIndex;
      readonly mode: 'once' | 'periodic' | 'random';
      readonly startMs: number;
      readonly endMs: number;
      readonly pauseMs: number;
      readonly everyMs: number;
      readonly meanIntervalMs: number;
    };

export class FaultInjector {
  readonly impairments: Impairment[] = [];
  /** Slow faults active per server: the server runs at the lowest progress probability among them. */
  private readonly activeSlowness = new Map<ServerIndex, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly executors: readonly SimulatedExecutor[],
    private readonly events: EventLog,
  ) {}

  /** The scenario-level window of a fault, for the summary. */
  static windowOf(fault: FaultSpec, index: number): FaultWindow {
    const endMs = fault.kind === 'gcPause' && fault.mode === 'once' ? fault.startMs + fault.pauseMs : fault.endMs;
    return { fault: index, kind: fault.kind, server: fault.server, startMs: fault.startMs, endMs };
  }

  inject(fault: FaultSpec, index: number, rng: Rng): void {
    const hooks = fault.kind === 'slowServer' ? this.slowHooks(fault, index) : this.pauseHooks(fault, index, rng);
    startFaultLifecycle(hooks, this.clock);
  }

  private slowHooks(fault: Extract<FaultSpec, { kind: 'slowServer' }>, index: number): FaultHooks {
    let planned = false;
    const executor = this.executors[fault.server];
    return {
      nextImpairment: () => {
        if (planned) return null;
        planned = true;
        return { startMs: fault.startMs, lengthMs: fault.endMs - fault.startMs };
      },
      beginImpairment: (lengthMs) => {
        const active = this.activeSlowness.get(fault.server) ?? [];
        active.push(fault.progressProbability);
        this.activeSlowness.set(fault.server, active);
        executor.setProgressProbability(Math.min(...active));
        this.begin(fault.server, index, lengthMs, `slowServer progressProbability=${fault.progressProbability}`);
      },
      endImpairment: () => {
        const active = this.activeSlowness.get(fault.server) ?? [];
        active.splice(active.indexOf(fault.progressProbability), 1);
        executor.setProgressProbability(active.length === 0 ? 1 : Math.min(...active));
        this.end(fault.server, index, 'slowServer');
      },
    };
  }

  private pauseHooks(fault: Extract<FaultSpec, { kind: 'gcPause' }>, index: number, rng: Rng): FaultHooks {
    const executor = this.executors[fault.server];
    let previousStartMs = -1;
    const nextStart = (fromMs: number): number => {
      switch (fault.mode) {
        case 'once':
          return previousStartMs < 0 ? fault.startMs : Infinity;
        case 'periodic': {
          const k = Math.max(0, Math.ceil((fromMs - fault.startMs) / fault.everyMs));
          return fault.startMs + k * fault.everyMs;
        }
        case 'random': {
          // Starts form a Poisson process; one that would fall inside a pause is skipped, so by
          // memorylessness the next start is an exponential gap after the previous pause ends.
          const base = previousStartMs < 0 ? fault.startMs : fromMs;
          return base + -Math.log(1 - rng.next()) * fault.meanIntervalMs;
        }
      }
    };
    return {
      nextImpairment: (fromMs) => {
        const startMs = nextStart(fromMs);
        const limitMs = fault.mode === 'once' ? Infinity : fault.endMs;
        if (!(startMs < limitMs)) return null;
        previousStartMs = startMs;
        return { startMs, lengthMs: fault.pauseMs };
      },
      beginImpairment: (lengthMs) => {
        executor.pauseFor(durationTicks(lengthMs));
        this.begin(fault.server, index, lengthMs, `gcPause ${fault.mode} pause=${fault.pauseMs}ms`);
      },
      endImpairment: () => this.end(fault.server, index, 'gcPause'),
    };
  }

  private begin(server: ServerIndex, fault: number, lengthMs: number, detail: string): void {
    const nowMs = this.clock.now();
    this.impairments.push({ fault, server, startMs: nowMs, endMs: nowMs + lengthMs });
    this.events.add({ tick: msToTicks(nowMs), kind: 'faultStart', server, queryId: -1, fault, detail });
  }

  private end(server: ServerIndex, fault: number, detail: string): void {
    this.events.add({ tick: msToTicks(this.clock.now()), kind: 'faultEnd', server, queryId: -1, fault, detail });
  }
}
