// A controller outage (issue 8; seed 004 section 2.5, "robustness under churn": "hosts cache their
// assigned budgets locally, so enforcement continues uninterrupted even if the controller becomes
// unavailable. When a host restarts or misses a propagation message, it fetches current budgets from
// the controller on startup"). From `start` to `end` the controller answers nothing: hosts keep
// enforcing the budgets they hold. Servers in `restartServers` restart at `restartAt`: they forget
// their cached budgets and ask the controller for them again every refetch interval, so while the
// controller is down they limit no workload; once it is back its push (or their next fetch) restores
// them. The outage runs as the fault lifecycle machine on the simulated clock and is logged as a
// faultStart / faultEnd pair without a server, and each restarted server's time without budgets as a
// pair of its own (restartAt is within the outage). Only simulated runs have a controller; the real
// runtime does not model one.

import type { ServerIndex } from '../../engine/ids.js';
import type { Clock } from '../../engine/ports.js';
import type { BudgetController, HostBudgets } from '../../engine/workload/budget-controller.js';
import type { EventLog } from '../metrics/event-log.js';
import { msToTicks } from '../scheduler/scheduler.js';
import { startFaultLifecycle } from './fault-lifecycle.js';

export interface ControllerOutageSpec {
  readonly kind: 'controllerOutage';
  readonly startMs: number;
  readonly endMs: number;
  /** Servers that restart (and lose their cached budgets) at restartAtMs. */
  readonly restartServers: readonly ServerIndex[];
  readonly restartAtMs: number;
}

export interface OutageTargets {
  readonly clock: Clock;
  readonly controller: BudgetController;
  /** Per server, its copy of the budgets. */
  readonly serverBudgets: readonly HostBudgets[];
  readonly events: EventLog;
}

/** Schedules the outage `index` (its place in the scenario's faults) and its restarts. */
export function injectControllerOutage(outage: ControllerOutageSpec, index: number, targets: OutageTargets): void {
  const { clock, controller, events } = targets;
  const log = (kind: 'faultStart' | 'faultEnd', server: number, detail: string): void =>
    events.add({ tick: msToTicks(clock.now()), kind, server, queryId: -1, fault: index, detail });
  const restarted: ServerIndex[] = [];
  let planned = false;
  startFaultLifecycle(
    {
      nextImpairment: () => {
        if (planned) return null;
        planned = true;
        return { startMs: outage.startMs, lengthMs: outage.endMs - outage.startMs };
      },
      beginImpairment: () => {
        controller.goDown();
        log('faultStart', -1, 'controllerOutage: the controller is down; hosts enforce the budgets they cached');
        if (outage.restartServers.length === 0) return;
        clock.setTimeout(() => {
          for (const server of outage.restartServers) {
            targets.serverBudgets[server].restart();
            restarted.push(server);
            log('faultStart', server, 'controllerOutage: server restarted; it limits no workload until the controller answers');
          }
        }, Math.max(0, outage.restartAtMs - clock.now()));
      },
      endImpairment: () => {
        controller.comeUp();
        log('faultEnd', -1, 'controllerOutage: the controller is back and pushes every budget again');
        for (const server of restarted) log('faultEnd', server, 'controllerOutage: server has its budgets again');
      },
    },
    clock,
  );
}
