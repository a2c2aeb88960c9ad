// Drives the cluster faults of a run on its clock (issue 7; seed 004 sections 3.1-3.2), each through
// the fault lifecycle machine (xstate, sim/faults/fault-lifecycle.ts): a zone drain is one impairment;
// zone maintenance one per zone in turn; node churn is a Poisson process of failures (each failure a
// lifecycle of its own: down, then replaced after the delay); scale events a Poisson process of uplifts
// and downlifts; a rebalance or a scale event a single instant. Each fault draws from its own stream
// `fault/<index>`, so adding a fault never shifts another's draws.

import type { Clock, Rng, RngSource } from '../../engine/ports.js';
import type { ServerIndex } from '../../engine/ids.js';
import type { ClusterFaultSpec } from '../faults/cluster-fault-spec.js';
import { type FaultHooks, startFaultLifecycle } from '../faults/fault-lifecycle.js';
import type { LiveCluster } from './live-cluster.js';

const DAY_MS = 86_400_000;

export function armClusterFaults(live: LiveCluster, faults: readonly ClusterFaultSpec[], clock: Clock, rngs: RngSource): void {
  for (const fault of faults) {
    const rng = rngs.stream(`fault/${fault.index}`);
    switch (fault.kind) {
      case 'zoneDrain':
        startFaultLifecycle(drainHooks(live, clock, fault.index, fault.planned, once(fault.startMs, fault.endMs - fault.startMs), () => fault.zone), clock);
        break;
      case 'zoneMaintenance': {
        let drained = 0;
        const windows = (fromMs: number) => {
          const k = Math.max(drained, Math.ceil((fromMs - fault.startMs) / fault.everyMs));
          const startMs = fault.startMs + k * fault.everyMs;
          if (!(startMs < fault.endMs)) return null;
          drained = k + 1;
          return { startMs, lengthMs: fault.lengthMs };
        };
        const zones = live.zoneNames;
        startFaultLifecycle(drainHooks(live, clock, fault.index, fault.planned, windows, () => zones[(drained - 1) % zones.length]), clock);
        break;
      }
      case 'rebalance':
        clock.setTimeout(() => live.rebalance(fault.index, fault.move), fault.startMs);
        break;
      case 'scale':
        clock.setTimeout(() => live.scaleTo(fault.instancesPerGroup, fault.index, fault.move, rngs.stream(`fault/${fault.index}/pick`)), fault.startMs);
        break;
      case 'scaleEvents': {
        const pick = rngs.stream(`fault/${fault.index}/pick`);
        const arrivals = poisson(rng, fault.startMs, fault.endMs, () => fault.eventsPerDay / DAY_MS);
        startFaultLifecycle(
          instantHooks(arrivals, () => {
            const now = live.instancesPerGroup;
            const up = now + fault.instancesPerEvent <= fault.maxInstancesPerGroup;
            const down = now - fault.instancesPerEvent >= fault.minInstancesPerGroup;
            if (!up && !down) return;
            const grow = up && (!down || pick.next() < 0.5);
            live.scaleTo(now + (grow ? fault.instancesPerEvent : -fault.instancesPerEvent), fault.index, fault.move, pick);
          }),
          clock,
        );
        break;
      }
      case 'nodeChurn': {
        const victims = rngs.stream(`fault/${fault.index}/victims`);
        const arrivals = poisson(rng, fault.startMs, fault.endMs, () => (fault.failuresPerServerPerDay * live.runningServers().length) / DAY_MS);
        startFaultLifecycle(
          instantHooks(arrivals, () => {
            const running = live.runningServers();
            if (running.length === 0) return;
            const victim = running[Math.min(running.length - 1, Math.floor(victims.next() * running.length))];
            startFaultLifecycle(
              {
                nextImpairment: once(clock.now(), fault.replacementDelayMs),
                beginImpairment: () => live.fail(victim, fault.index, fault.replacementDelayMs),
                endImpairment: () => live.replace(victim, fault.index, fault.move),
              },
              clock,
            );
          }),
          clock,
        );
        break;
      }
    }
  }
}

type Schedule = (fromMs: number) => { readonly startMs: number; readonly lengthMs: number } | null;

/** A single impairment. */
function once(startMs: number, lengthMs: number): Schedule {
  let given = false;
  return () => {
    if (given) return null;
    given = true;
    return { startMs, lengthMs };
  };
}

/** Instants of a Poisson process of rate `ratePerMs()` (read at each draw) in [startMs, endMs). */
function poisson(rng: Rng, startMs: number, endMs: number, ratePerMs: () => number): Schedule {
  let lastMs = startMs;
  return (fromMs) => {
    const rate = ratePerMs();
    if (!(rate > 0)) return null;
    const atMs = Math.max(lastMs, fromMs) + -Math.log(1 - rng.next()) / rate;
    if (!(atMs < endMs)) return null;
    lastMs = atMs;
    return { startMs: atMs, lengthMs: 0 };
  };
}

/** Hooks that do `act` at each instant of the schedule. */
function instantHooks(schedule: Schedule, act: () => void): FaultHooks {
  return { nextImpairment: schedule, beginImpairment: act, endImpairment: () => {} };
}

/** Hooks that take a zone's servers down for each window of the schedule. */
function drainHooks(live: LiveCluster, clock: Clock, fault: number, planned: boolean, schedule: Schedule, zoneNow: () => string): FaultHooks {
  let members: ServerIndex[] = [];
  let detail = '';
  return {
    nextImpairment: schedule,
    beginImpairment: (lengthMs) => {
      const zone = zoneNow();
      members = live.membersOf(zone);
      detail = `zoneDrain ${zone} ${planned ? 'planned' : 'outage'}`;
      const nowMs = clock.now();
      live.recordDrain({ fault, zone, planned, startMs: nowMs, endMs: nowMs + lengthMs, servers: members.length });
      for (const server of members) live.hold(server, fault, detail, planned ? 0 : lengthMs);
    },
    endImpairment: () => {
      for (const server of members) live.release(server, fault, detail);
    },
  };
}
