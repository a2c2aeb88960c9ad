// Records what the engine reports through its event port (DESIGN.md "Seams", engine events) as rows
// of the run's event log: a rejection, a kill or an exhausted budget, on the server it happened on
// (server -1 for a broker, named in the detail), with the workload and the engine's reason.

import type { Topology } from '../../engine/cluster/topology.js';
import type { EngineEvent, EngineEvents } from '../../engine/ports.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { EventLog } from './event-log.js';

/** `scheduler`: anything that tells the current tick (the scheduler, or a wall clock in ticks). */
export function recordEngineEvents(scheduler: Pick<Scheduler, 'now'>, events: EventLog, topology: Topology): EngineEvents {
  return {
    report(event: EngineEvent): void {
      const host = event.host;
      const server = host.role === 'server' ? host.server : -1;
      const where = host.role === 'broker' ? `${topology.brokerName(host.broker)} ` : '';
      const detail = `${where}workload ${event.workload}: ${event.reason}`;
      const queryId = event.kind === 'budgetExhausted' ? -1 : event.queryId;
      events.add({ tick: scheduler.now, kind: event.kind, server, queryId, fault: -1, detail });
    },
  };
}
