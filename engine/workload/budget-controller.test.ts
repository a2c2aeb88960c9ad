// Budget propagation (seed 004 sections 2.4-2.5): the controller splits a workload's cost evenly over
// the hosts it propagates to, per table or per tenant; hosts keep their budgets while the controller
// is down, and a restarted host fetches them again once it is back.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../routing/test-doubles.js';
import { BudgetController, HostBudgets } from './budget-controller.js';
import { BudgetLedger } from './budget-ledger.js';
import { splitBudget, type BudgetHostInfo, type QueryWorkloadConfig } from './workload-config.js';

const hosts: BudgetHostInfo[] = [
  { name: 'broker-0', nodeType: 'broker', tenant: 't1', tables: ['a', 'b'] },
  { name: 's0', nodeType: 'server', tenant: 't1', tables: ['a'] },
  { name: 's1', nodeType: 'server', tenant: 't1', tables: ['a', 'b'] },
  { name: 's2', nodeType: 'server', tenant: 't2', tables: ['b'] },
];
const budget = { cpuCostNs: 300, memoryCostBytes: 600 };

describe('splitBudget', () => {
  it('splits per node type over the hosts of the workload\'s tables, or of its tenant', () => {
    const byTable: QueryWorkloadConfig = { name: 'w', budgets: { server: budget, broker: budget }, propagation: { scheme: 'table', tables: ['b'] } };
    expect(splitBudget(byTable, hosts)).toEqual(
      new Map([
        ['broker-0', budget],
        ['s1', { cpuCostNs: 150, memoryCostBytes: 300 }],
        ['s2', { cpuCostNs: 150, memoryCostBytes: 300 }],
      ]),
    );
    const byTenant: QueryWorkloadConfig = { name: 'w', budgets: { server: budget }, propagation: { scheme: 'tenant', tenant: 't1' } };
    expect([...splitBudget(byTenant, hosts).keys()]).toEqual(['s0', 's1']);
  });
});

describe('BudgetController', () => {
  it('hosts keep their budgets while the controller is down; a restarted host refetches when it is back', () => {
    const clock = new ManualClock();
    const controller = new BudgetController();
    const make = (info: BudgetHostInfo) => new HostBudgets(info, new BudgetLedger(clock, 1000), controller, clock, 100);
    const s0 = make(hosts[1]);
    const s1 = make(hosts[2]);
    controller.putWorkload({ name: 'w', budgets: { server: budget }, propagation: { scheme: 'table', tables: ['a'] } });
    expect(s0.ledger.account('w')!.budget).toEqual({ cpuCostNs: 150, memoryCostBytes: 300 });
    controller.goDown();
    s0.ledger.charge('w', 150, 0);
    expect(s0.ledger.tryCharge('w', 0, 0)).toBe(false);
    expect(s1.ledger.tryCharge('w', 0, 0)).toBe(true);
    s1.restart();
    expect(s1.ledger.hasWorkload('w')).toBe(false);
    clock.advanceTo(350);
    expect(s1.fetchAttempts).toBe(4);
    controller.comeUp();
    expect(s1.ledger.hasWorkload('w')).toBe(true);
    expect(s0.ledger.account('w')!.chargedCpuNs).toBe(150); // the reapplied budget is idempotent
    clock.advanceTo(1000);
    expect(s1.fetchAttempts).toBe(4);
  });
});
