// Provisional charges per request on a host (seed 004 section 2.5: "at admission, QWI performs a
// provisional charge against the workload's budget before query planning; if insufficient budget
// remains, the query is rejected immediately, preventing exhausted workloads from queuing additional
// work"). Open-source Pinot admits while the remainders are above 0 and charges only measured use
// (`WorkloadScheduler` -> `canAdmitQuery`): work admitted at a window's start is charged only as it
// runs, so a burst of admissions can queue far more than the budget. Here a request is charged, at
// admission, the workload's mean measured cost per request on this host; its measured deltas consume
// that charge first (nothing is charged twice), and when it ends what it did not use is given back.
//
// The estimate is learned per workload from what the sampler measured of each request that ended
// here: the running mean of the first requests, then an exponentially weighted mean with weight
// ESTIMATE_WEIGHT (about the last 1 / ESTIMATE_WEIGHT requests). Before any request ended the
// estimate is 0 and admission only tests that budget remains.

import type { QueryId } from '../ids.js';
import type { BudgetLedger } from './budget-ledger.js';

/** none: Pinot's admission (budget remains); meanRequestCost: seed 004's provisional charge. */
export type ProvisionalChargeMode = 'none' | 'meanRequestCost';

/** Weight of the newest request in the learned estimate once enough requests have ended. */
export const ESTIMATE_WEIGHT = 0.05;

export interface Usage {
  cpuNs: number;
  allocatedBytes: number;
}

interface Estimate {
  cpuNs: number;
  allocatedBytes: number;
  requests: number;
}

interface Held {
  readonly workload: string;
  cpuNs: number;
  allocatedBytes: number;
}

export class ProvisionalCharges {
  private readonly estimates = new Map<string, Estimate>();
  /** What each admitted request still holds of its provisional charge. */
  private readonly held = new Map<QueryId, Held>();

  constructor(
    private readonly ledger: BudgetLedger,
    readonly mode: ProvisionalChargeMode,
  ) {}

  /** The provisional charge a request of the workload gets now. */
  estimate(workload: string): Usage {
    const estimate = this.estimates.get(workload);
    if (this.mode === 'none' || estimate === undefined) return { cpuNs: 0, allocatedBytes: 0 };
    return { cpuNs: estimate.cpuNs, allocatedBytes: estimate.allocatedBytes };
  }

  /**
   * Admission: charges the request's provisional charge, or refuses (charging nothing) when the
   * workload is exhausted on this host.
   */
  admit(queryId: QueryId, workload: string): boolean {
    const charge = this.estimate(workload);
    if (!this.ledger.tryReserve(workload, charge.cpuNs, charge.allocatedBytes)) return false;
    if (charge.cpuNs === 0 && charge.allocatedBytes === 0) return true;
    const held = this.held.get(queryId);
    if (held === undefined) this.held.set(queryId, { workload, ...charge });
    else {
      held.cpuNs += charge.cpuNs;
      held.allocatedBytes += charge.allocatedBytes;
    }
    return true;
  }

  /**
   * A measured delta of the request: the part its provisional charge covers is settled; returns in
   * `uncovered` (overwritten) what is left to charge.
   */
  cover(queryId: QueryId, cpuNs: number, allocatedBytes: number, uncovered: Usage): void {
    const held = this.held.get(queryId);
    if (held === undefined) {
      uncovered.cpuNs = cpuNs;
      uncovered.allocatedBytes = allocatedBytes;
      return;
    }
    const cpu = Math.min(cpuNs, held.cpuNs);
    const bytes = Math.min(allocatedBytes, held.allocatedBytes);
    held.cpuNs -= cpu;
    held.allocatedBytes -= bytes;
    this.ledger.settle(held.workload, cpu, bytes);
    uncovered.cpuNs = cpuNs - cpu;
    uncovered.allocatedBytes = allocatedBytes - bytes;
  }

  /** The request ended here; `measured` is what the sampler charged for it. */
  end(queryId: QueryId, workload: string, measured: Usage): void {
    const held = this.held.get(queryId);
    if (held !== undefined) {
      this.held.delete(queryId);
      this.ledger.release(held.workload, held.cpuNs, held.allocatedBytes);
    }
    if (this.mode === 'none') return;
    const estimate = this.estimates.get(workload) ?? { cpuNs: 0, allocatedBytes: 0, requests: 0 };
    estimate.requests++;
    const weight = Math.max(ESTIMATE_WEIGHT, 1 / estimate.requests);
    estimate.cpuNs += weight * (measured.cpuNs - estimate.cpuNs);
    estimate.allocatedBytes += weight * (measured.allocatedBytes - estimate.allocatedBytes);
    this.estimates.set(workload, estimate);
  }

  /** Requests holding a provisional charge (a bound check for tests). */
  heldCount(): number {
    return this.held.size;
  }
}
