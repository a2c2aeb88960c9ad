// The claims read the right figures of the cells' summaries: synthetic cells with known figures give
// known verdicts (a figure read from the wrong place would leave the claim undetermined).

import { describe, expect, it } from 'vitest';
import type { FinishedCell } from '../sweep/sweep-cells.js';
import { judgeClaims } from './paper-claims.js';

function cell(values: Record<string, unknown>, seed: number, summary: unknown): FinishedCell {
  return { cell: { index: 0, point: 0, seed, id: 'x', scenario: 0, values: Object.values(values), overrides: [] }, values, seed, summary };
}

const seeds = [1, 2, 3];
const jitter = (seed: number) => (seed - 2) * 0.001;
const run = (adss: object, workloads: object[] = []) => ({ adss, workloads });

const cells = {
  replicaGroup: seeds.flatMap((s) => [
    cell({ 'routing.selector': 'round-robin' }, s, run({ degradedFraction: 0.334 + jitter(s) })),
    cell({ 'routing.selector': 'hybrid' }, s, run({ degradedFraction: 0.3 + jitter(s) })),
  ]),
  coldStart: seeds.flatMap((s) => [
    cell({ 'routing.adaptive.latencyPrior': '0ms' }, s, run({ tailLatencyDuringFaultMs: 3000 + s })),
    cell({ 'routing.adaptive.latencyPrior': '1ms' }, s, run({ tailLatencyDuringFaultMs: 10 + s })),
  ]),
  qwiBudget: seeds.flatMap((s) => [
    cell({ 'isolation.enforceBudgets': true }, s, run({}, [{ cpuBudgetAccuracy: 0.99 + jitter(s), memoryBudgetAccuracy: 0.78 + jitter(s) }])),
    cell({ 'isolation.enforceBudgets': false }, s, run({}, [{ cpuBudgetAccuracy: 1.11 + jitter(s), memoryBudgetAccuracy: 0.9 }])),
  ]),
  qwiSampling: seeds.flatMap((s) => [
    cell({ 'isolation.samplingPeriod': '1ms' }, s, run({}, [{ cpuAccountingError: 0.12 + jitter(s) }])),
    cell({ 'isolation.samplingPeriod': '5ms' }, s, run({}, [{ cpuAccountingError: 0.51 + jitter(s) }])),
    cell({ 'isolation.samplingPeriod': '10ms' }, s, run({}, [{ cpuAccountingError: 0.78 + 10 * jitter(s) }])),
  ]),
  cache: seeds.flatMap((s) => [
    cell({ scenario: 'cache-datanode-hdd.yaml' }, s, {
      variants: {
        'with-cache': { bytesReadCache: 64 + s, bytesRequested: 100, blockedIoSeconds: 150 },
        'without-cache': { blockedIoSeconds: 1000 },
      },
    }),
    cell({ scenario: 'cache-quota-tenants.yaml' }, s, {
      variants: { quota: { 'hitRate.dash.metrics': 0.9 + jitter(s) }, 'no-quota': { 'hitRate.dash.metrics': 0.8 } },
    }),
  ]),
};

describe('the paper claims', () => {
  const claims = Object.fromEntries(judgeClaims(cells).map((claim) => [claim.id, claim]));
  const verdict = (id: string) => claims[id]?.verdict;

  it('judge the replica-group, cold-start, QWI and cache claims from the figures of the cells', () => {
    expect(verdict('replica-group-degraded-without-adss')).toBe('agrees');
    expect(verdict('replica-group-degraded-with-adss')).toBe('disagrees');
    expect(verdict('adss-cold-start-prior')).toBe('agrees');
    expect(verdict('qwi-cpu-budget-accuracy')).toBe('agrees');
    expect(verdict('qwi-memory-budget-accuracy')).toBe('disagrees');
    expect(verdict('qwi-no-enforcement-exceeds-budget')).toBe('agrees');
    expect(verdict('qwi-sampling-error-1ms')).toBe('disagrees');
    expect(verdict('qwi-sampling-error-5ms')).toBe('agrees');
    expect(verdict('qwi-sampling-error-10ms')).toBe('undetermined');
    expect(verdict('hdfs-cache-read-share')).toBe('disagrees');
    expect(verdict('hdfs-cache-blocked-io')).toBe('agrees');
    expect(verdict('cache-quota-isolation')).toBe('agrees');
    expect(claims['hdfs-cache-blocked-io'].twin).toBe('85.0 % ± 0.0 % (3 seeds, 95 % CI)');
  });

  it('leave a claim without cells undetermined, and the ADSS selectors too', () => {
    const none = judgeClaims({});
    expect(none.every((claim) => claim.verdict === 'undetermined' || claim.id.startsWith('adss-table2'))).toBe(true);
    expect(none.find((claim) => claim.id === 'qwi-cpu-budget-accuracy')?.why).toBe('nothing was measured');
  });
});
