// A host's workload budget ledger: Pinot's BudgetManager in Query Workload Isolation (seed 004
// sections 2.4-2.5; PINOT-REFERENCE.md "Workload budgets"). Per workload it keeps what remains of
// its CPU (ns) and memory (bytes) budget in the current enforcement window.
//
// - Windows are fixed and tumbling: every `windowMs` from the ledger's epoch each remainder is reset
//   to its configured budget (lazily, at the first use after the boundary), less the provisional
//   charges still outstanding (below).
// - `tryCharge` is admission: refused, and nothing charged, when either remainder is at or below 0
//   (the workload is exhausted on this host); otherwise the charge is subtracted in full, so the
//   remainder may go negative. With a charge of 0 it is Pinot's `canAdmitQuery`.
// - `charge` is in-execution charging of measured deltas: always subtracted; it says whether the
//   workload is now exhausted, which may cancel its running queries.
// - Provisional charges (seed 004 section 2.5: "at admission, a provisional charge tests budget
//   availability"): `tryReserve` admits like `tryCharge` and keeps the charge as outstanding for the
//   request; `settle` turns part of it into measured use (the request's measured deltas consume it
//   first, so nothing is charged twice); `release` gives back what the request did not use when it
//   ends. Outstanding charges are work admitted but not yet done: they carry over a window reset, so a
//   reset restores the configured budget less what is still reserved (exactly the budget without
//   provisional charges).
// - `addOrUpdateWorkload` is idempotent: applying the same budget twice equals applying it once. A
//   changed budget takes effect at once, keeping what was already spent in this window.
// A workload without a budget on this host is not limited (tryCharge admits, charges are recorded).

import type { Clock } from '../ports.js';

export interface WorkloadBudget {
  /** CPU time per window, in ns; Infinity = no CPU limit. */
  readonly cpuCostNs: number;
  /** Bytes allocated per window; Infinity = no memory limit. */
  readonly memoryCostBytes: number;
}

/** What a ledger holds for one workload in the current window. */
export interface WorkloadAccount {
  readonly budget: WorkloadBudget;
  /** Index of the window the remainders belong to (from the ledger's epoch). */
  readonly window: number;
  readonly remainingCpuNs: number;
  readonly remainingBytes: number;
  /** Everything charged in this window (provisional and measured). */
  readonly chargedCpuNs: number;
  readonly chargedBytes: number;
  /** Provisional charges of requests still in flight, not yet settled or released. */
  readonly outstandingCpuNs: number;
  readonly outstandingBytes: number;
}

/** A workload's account as its window closed. */
export interface WindowRecord extends WorkloadAccount {
  readonly workload: string;
}

interface MutableAccount {
  budget: WorkloadBudget;
  window: number;
  remainingCpuNs: number;
  remainingBytes: number;
  chargedCpuNs: number;
  chargedBytes: number;
  outstandingCpuNs: number;
  outstandingBytes: number;
}

export class BudgetLedger {
  private readonly accounts = new Map<string, MutableAccount>();
  private readonly epochMs: number;

  constructor(
    private readonly clock: Clock,
    readonly windowMs: number,
    /** Hears each account as its window closes (noticed at the first use after the boundary). */
    private readonly onWindowClosed?: (record: WindowRecord) => void,
  ) {
    if (!(windowMs > 0 && Number.isFinite(windowMs))) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
    this.epochMs = clock.now();
  }

  /** Sets a workload's budget on this host; idempotent. */
  addOrUpdateWorkload(workload: string, budget: WorkloadBudget): void {
    checkBudget(budget);
    const account = this.accountOf(workload);
    if (account === undefined) {
      const window = this.currentWindow();
      this.accounts.set(workload, {
        budget,
        window,
        remainingCpuNs: budget.cpuCostNs,
        remainingBytes: budget.memoryCostBytes,
        chargedCpuNs: 0,
        chargedBytes: 0,
        outstandingCpuNs: 0,
        outstandingBytes: 0,
      });
      return;
    }
    if (account.budget.cpuCostNs === budget.cpuCostNs && account.budget.memoryCostBytes === budget.memoryCostBytes) return;
    account.budget = budget;
    account.remainingCpuNs = budget.cpuCostNs - account.chargedCpuNs;
    account.remainingBytes = budget.memoryCostBytes - account.chargedBytes;
  }

  removeWorkload(workload: string): void {
    this.accounts.delete(workload);
  }

  /** Forgets every budget (a host restart); they come back from the controller. */
  clear(): void {
    this.accounts.clear();
  }

  hasWorkload(workload: string): boolean {
    return this.accounts.has(workload);
  }

  workloads(): string[] {
    return [...this.accounts.keys()];
  }

  /** Admission: charges and returns true unless the workload is exhausted on this host. */
  tryCharge(workload: string, cpuNs: number, bytes: number): boolean {
    checkCharge(cpuNs, bytes);
    const account = this.accountOf(workload);
    if (account === undefined) return true;
    if (account.remainingCpuNs <= 0 || account.remainingBytes <= 0) return false;
    subtract(account, cpuNs, bytes);
    return true;
  }

  /** Admission by a provisional charge: like tryCharge, and the charge stays outstanding for the request. */
  tryReserve(workload: string, cpuNs: number, bytes: number): boolean {
    if (!this.tryCharge(workload, cpuNs, bytes)) return false;
    const account = this.accountOf(workload);
    if (account !== undefined) {
      account.outstandingCpuNs += cpuNs;
      account.outstandingBytes += bytes;
    }
    return true;
  }


  /**
   * Part of an outstanding charge became measured use: it stays charged and is no longer outstanding.
   * Clamped to what is outstanding (a restarted host has forgotten its reservations).
   */
  settle(workload: string, cpuNs: number, bytes: number): void {
    checkCharge(cpuNs, bytes);
    const account = this.accountOf(workload);
    if (account === undefined) return;
    account.outstandingCpuNs -= Math.min(cpuNs, account.outstandingCpuNs);
    account.outstandingBytes -= Math.min(bytes, account.outstandingBytes);
  }

  /** The request ended without using all of its provisional charge: the rest is given back. */
  release(workload: string, cpuNs: number, bytes: number): void {
    checkCharge(cpuNs, bytes);
    const account = this.accountOf(workload);
    if (account === undefined) return;
    const cpu = Math.min(cpuNs, account.outstandingCpuNs);
    const mem = Math.min(bytes, account.outstandingBytes);
    account.outstandingCpuNs -= cpu;
    account.outstandingBytes -= mem;
    subtract(account, -cpu, -mem);
  }

  /**
   * In-execution charging of a measured delta; returns whether what was used (charged, less what is
   * still outstanding) now reaches the budget, which may cancel the workload's running queries.
   */
  charge(workload: string, cpuNs: number, bytes: number): boolean {
    checkCharge(cpuNs, bytes);
    const account = this.accountOf(workload);
    if (account === undefined) return false;
    subtract(account, cpuNs, bytes);
    return account.remainingCpuNs + account.outstandingCpuNs <= 0 || account.remainingBytes + account.outstandingBytes <= 0;
  }

  isExhausted(workload: string): boolean {
    const account = this.accountOf(workload);
    return account !== undefined && (account.remainingCpuNs <= 0 || account.remainingBytes <= 0);
  }

  /** The workload's account in the current window, or undefined without a budget here. */
  account(workload: string): WorkloadAccount | undefined {
    const account = this.accountOf(workload);
    return account === undefined ? undefined : { ...account };
  }

  /** Index of the window the clock is in. */
  currentWindow(): number {
    return Math.floor((this.clock.now() - this.epochMs) / this.windowMs + 1e-9);
  }

  /** The account, reset first if its window has ended (tumbling windows). */
  private accountOf(workload: string): MutableAccount | undefined {
    const account = this.accounts.get(workload);
    if (account === undefined) return undefined;
    const window = this.currentWindow();
    if (account.window !== window) {
      this.onWindowClosed?.({ workload, ...account });
      account.window = window;
      account.chargedCpuNs = account.outstandingCpuNs;
      account.chargedBytes = account.outstandingBytes;
      account.remainingCpuNs = account.budget.cpuCostNs - account.chargedCpuNs;
      account.remainingBytes = account.budget.memoryCostBytes - account.chargedBytes;
    }
    return account;
  }
}

function subtract(account: MutableAccount, cpuNs: number, bytes: number): void {
  account.remainingCpuNs -= cpuNs;
  account.remainingBytes -= bytes;
  account.chargedCpuNs += cpuNs;
  account.chargedBytes += bytes;
}

function checkBudget(budget: WorkloadBudget): void {
  if (!(budget.cpuCostNs > 0) || !(budget.memoryCostBytes > 0)) {
    throw new RangeError(`a budget must be > 0, got cpuCostNs ${budget.cpuCostNs}, memoryCostBytes ${budget.memoryCostBytes}`);
  }
}

function checkCharge(cpuNs: number, bytes: number): void {
  if (!(cpuNs >= 0 && Number.isFinite(cpuNs)) || !(bytes >= 0 && Number.isFinite(bytes))) {
    throw new RangeError(`a charge must be finite and >= 0, got ${cpuNs} ns, ${bytes} bytes`);
  }
}
