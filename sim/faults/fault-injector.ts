// Injects the scenario's faults into simulated servers (seed 004 section 4.3): a slow server's threads
// progress in a tick with probability p; a GC pause stops every thread of a server; a time-varying
// rate (the C3 paper's experiments; absim muUpdater.py) gives a server, at the start of every
// interval, its base rate or a multiple of it with probability one half each, a coin from the
// fault's own stream; each slow interval is an impairment (consecutive ones merge); a server stop
// takes the server's process away from start to end (the target stops it and tells its brokers). Each fault runs
// as a lifecycle machine on the simulated clock; every impairment interval is logged as a faultStart /
// faultEnd event pair and kept for the summary's ADSS figures.

import type { ServerIndex } from '../../engine/ids.js';
import type { Clock, Rng } from '../../engine/ports.js';
import type { SimulatedExecutor } from '../executor/simulated-executor.js';
import type { EventLog } from '../metrics/event-log.js';
import type { FaultWindow, Impairment } from '../metrics/summary.js';
import { durationTicks, msToTicks } from '../scheduler/scheduler.js';
import type { ControllerOutageSpec } from './controller-outage.js';
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
      readonly kind: 'timeVaryingRate';
      readonly server: ServerIndex;
      readonly startMs: number;
      readonly endMs: number;
      readonly intervalMs: number;
      readonly rateMultiple: number;
    }
  | {
      readonly kind: 'serverStop';
      readonly server: ServerIndex;
      readonly startMs: number;
      /** When it starts again; the run's end (or beyond) leaves it down. */
      readonly endMs: number;
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
    }
  | ControllerOutageSpec;

/** A fault that impairs one server (a controller outage impairs the controller, see controller-outage.ts). */
export type ServerFaultSpec = Exclude<FaultSpec, ControllerOutageSpec>;

interface Planned {
  readonly startMs: number;
  readonly lengthMs: number;
}

/**
 * The slow stretches of a time-varying rate: from `fromMs` on, a coin per interval (slow with
 * probability one half) until one comes up slow; the stretch lasts while the coins keep saying slow.
 * Intervals are counted from the fault's start; a stretch stops at the fault's end.
 */
function varyingSchedule(fault: Extract<FaultSpec, { kind: 'timeVaryingRate' }>, rng: Rng): (fromMs: number) => Planned | null {
  let nextInterval = 0;
  const count = Math.ceil((fault.endMs - fault.startMs) / fault.intervalMs);
  const startOf = (interval: number): number => fault.startMs + interval * fault.intervalMs;
  return () => {
    while (nextInterval < count && rng.next() >= 0.5) nextInterval++;
    if (nextInterval >= count) return null;
    const first = nextInterval++;
    while (nextInterval < count && rng.next() < 0.5) nextInterval++;
    const endMs = Math.min(startOf(nextInterval), fault.endMs);
    // The interval after the stretch was drawn fast: the next search starts after it.
    nextInterval++;
    return { startMs: startOf(first), lengthMs: endMs - startOf(first) };
  };
}

/** What a fault acts on: a simulated server and its executor, or a real server's threads (engine/real). */
export interface FaultTarget extends Pick<SimulatedExecutor, 'setProgressProbability' | 'pauseFor'> {
  /** The server's process stops: its work is lost and its brokers lose the connection. */
  stop(): void;
  /** The server starts again (the real runtime reloads it first; its brokers reconnect when it is up). */
  restart(): void;
}

export class FaultInjector {
  readonly impairments: Impairment[] = [];
  /** Slow faults active per server: the server runs at the lowest progress probability among them. */
  private readonly activeSlowness = new Map<ServerIndex, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly executors: readonly FaultTarget[],
    private readonly events: EventLog,
  ) {}

  /** The scenario-level window of a fault, for the summary. */
  static windowOf(fault: ServerFaultSpec, index: number): FaultWindow {
    const endMs = fault.kind === 'gcPause' && fault.mode === 'once' ? fault.startMs + fault.pauseMs : fault.endMs;
    return { fault: index, kind: fault.kind, server: fault.server, startMs: fault.startMs, endMs };
  }

  /** The scenario-level windows of the faults that impair a server, each with its index in the scenario's faults (`indexes[i]` for `faults[i]`). */
  static windowsOf(faults: readonly FaultSpec[], indexes: readonly number[]): FaultWindow[] {
    return faults.flatMap((fault, i) => (fault.kind === 'controllerOutage' ? [] : [FaultInjector.windowOf(fault, indexes[i])]));
  }

  /** Starts a server fault's lifecycle; a controller outage is left to the isolation wiring. */
  inject(fault: FaultSpec, index: number, rng: Rng): void {
    if (fault.kind === 'controllerOutage') return;
    const hooks =
      fault.kind === 'slowServer'
        ? this.slowHooks(fault.server, index, fault.progressProbability, () => ({ startMs: fault.startMs, lengthMs: fault.endMs - fault.startMs }), 'slowServer')
        : fault.kind === 'timeVaryingRate'
          ? this.slowHooks(fault.server, index, fault.rateMultiple, varyingSchedule(fault, rng), 'timeVaryingRate')
          : fault.kind === 'serverStop'
            ? this.stopHooks(fault, index)
            : this.pauseHooks(fault, index, rng);
    startFaultLifecycle(hooks, this.clock);
  }

  /** Hooks of a fault that slows a server to `p` over the impairments `next` plans (null: no more). */
  private slowHooks(server: ServerIndex, index: number, p: number, next: (fromMs: number) => Planned | null, kind: string): FaultHooks {
    let planned = false;
    return {
      nextImpairment: (fromMs) => {
        if (planned && kind === 'slowServer') return null;
        planned = true;
        return next(fromMs);
      },
      beginImpairment: (lengthMs) => {
        this.slowDown(server, p);
        this.begin(server, index, lengthMs, `${kind} progressProbability=${p}`);
      },
      endImpairment: () => {
        this.restore(server, p);
        this.end(server, index, kind);
      },
    };
  }

  /**
   * Slows a server's threads to progress probability `p` until `restore(server, p)`; with several
   * slowdowns at once the server runs at the lowest (a fault, a segment's index build).
   */
  slowDown(server: ServerIndex, p: number): void {
    const active = this.activeSlowness.get(server) ?? [];
    active.push(p);
    this.activeSlowness.set(server, active);
    this.executors[server].setProgressProbability(Math.min(...active));
  }

  restore(server: ServerIndex, p: number): void {
    const active = this.activeSlowness.get(server) ?? [];
    const at = active.indexOf(p);
    if (at >= 0) active.splice(at, 1);
    this.executors[server].setProgressProbability(active.length === 0 ? 1 : Math.min(...active));
  }

  private stopHooks(fault: Extract<FaultSpec, { kind: 'serverStop' }>, index: number): FaultHooks {
    const target = this.executors[fault.server];
    let planned = false;
    return {
      nextImpairment: () => {
        if (planned) return null;
        planned = true;
        return { startMs: fault.startMs, lengthMs: fault.endMs - fault.startMs };
      },
      beginImpairment: (lengthMs) => {
        target.stop();
        this.begin(fault.server, index, lengthMs, 'serverStop');
      },
      endImpairment: () => {
        target.restart();
        this.end(fault.server, index, 'serverStop');
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
