// `twin rebalance` takes what moving a segment costs from the scenario's cluster.segmentLoading, each
// figure overridden by its flag when one is given.
import { describe, expect, it } from 'vitest';
import { compileScenario } from '../run/compile-scenario.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { UsageError } from './errors.js';
import { moveCosts, type RebalanceCommandOptions } from './rebalance-command.js';

const scenario = parseScenario(
  [
    'cluster:',
    '  segmentLoading: { segmentSize: 2GB, serverDownloadPerSecond: 40MB, totalDownloadPerSecond: 200MB, indexBuildTime: 5s, externalViewLag: 2s }',
    'workload: { classes: [{ name: q, qps: 1, segmentCost: { distribution: fixed, median: 1ms } }] }',
    '',
  ].join('\n'),
  'loading.yaml',
);
const placement = compileScenario(scenario).placement;
const options = (flags: Partial<RebalanceCommandOptions>): RebalanceCommandOptions => ({ scaleOut: '50', strategy: 'all', at: '30s', restartAfter: '10s', set: [], ...flags });

describe('moveCosts', () => {
  it("defaults every figure from the scenario's cluster.segmentLoading", () => {
    expect(moveCosts(placement, options({}))).toEqual({
      segmentSizeBytes: 2e9,
      loader: { serverBandwidthBytesPerSec: 40e6, totalBandwidthBytesPerSec: 200e6, indexBuildMs: 5000, externalViewLagMs: 2000, pollMs: 100 },
    });
  });

  it('lets each flag override its figure alone', () => {
    const costs = moveCosts(placement, options({ serverBandwidth: '10MB', evLag: '100ms' }));
    expect(costs.segmentSizeBytes).toBe(2e9);
    expect(costs.loader).toEqual({ serverBandwidthBytesPerSec: 10e6, totalBandwidthBytesPerSec: 200e6, indexBuildMs: 5000, externalViewLagMs: 100, pollMs: 100 });
  });

  it('reports a bad flag value as a usage error naming the flag', () => {
    expect(() => moveCosts(placement, options({ totalBandwidth: 'fast' }))).toThrow(UsageError);
    expect(() => moveCosts(placement, options({ totalBandwidth: 'fast' }))).toThrow(/^--total-bandwidth: /);
  });
});
